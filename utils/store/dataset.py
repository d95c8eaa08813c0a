"""The Dataset: one city's boundaries, assessments, investments and metadata, scored once.

Everything downstream (trends, maps, charts, report) reads a Dataset; nothing downstream parses
files. `Dataset.scored` is computed lazily and kept, so pages can call it freely.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd

from utils.method.scoring import ScoreResult, score

KELURAHAN_COLUMNS = ["kode_kel", "kelurahan", "kode_kec", "kecamatan"]
KECAMATAN_COLUMNS = ["kode_kec", "kecamatan"]
KAWASAN_COLUMNS = ["kawasan_id", "kawasan", "kode_kel"]
ASSESSMENT_KEYS = ["year", "sk_period", "kode_kel", "kawasan_id", "rt"]
INVESTMENT_COLUMNS = [
    "year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit",
    "budget_idr", "funding_source", "implementer",
]


@dataclass
class SkPeriod:
    """One SK Kumuh delineation. Figures of two periods are never one continuous series."""

    id: str
    label: str
    baseline_year: int  # the year whose end-of-year condition is the period's baseline
    target_year: int | None = None  # this SK's own deadline for 0 ha; None: the dataset's target_year
    target_ha: float | None = None  # this SK's own target slum ha; None: the dataset's target_ha


@dataclass
class DatasetMeta:
    name: str
    city: str
    city_code: str
    sk_periods: list[SkPeriod]
    target_year: int = 2030
    target_ha: float = 0.0
    source: str = ""
    source_date: str = ""
    illustrative: bool = False
    notes: str = ""
    display_name: str = ""  # kept exactly as typed; `name` is the folder/slug
    status: str = "draft"  # "draft" | "official", shown on every page and export
    region: str = ""  # what the boundaries cover when it is more than one city (a province)
    priority_method: dict | None = None  # a city's overrides of the priority defaults (docs/priority.md)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DatasetMeta:
        data = dict(data)
        data["sk_periods"] = [SkPeriod(**p) for p in data.get("sk_periods", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    def period(self, period_id: str) -> SkPeriod:
        for p in self.sk_periods:
            if p.id == period_id:
                return p
        raise KeyError(period_id)


@dataclass
class Dataset:
    meta: DatasetMeta
    kelurahan: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    assessments: pd.DataFrame = field(default_factory=pd.DataFrame)
    kawasan: gpd.GeoDataFrame | None = None
    investments: pd.DataFrame | None = None
    # the workshop's commitments register (issue: collaboration); None when none were captured
    commitments: pd.DataFrame | None = None
    # display layers built once at save (simplified outlines etc.), keyed by layer name; stored
    # with the version so that a restarted server draws the map without recomputing them
    display: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    @cached_property
    def scored(self) -> ScoreResult:
        """Scores of every assessment row; empty when the dataset holds boundaries only."""
        if self.assessments is None or self.assessments.empty:
            return ScoreResult(pd.DataFrame(columns=[*ASSESSMENT_KEYS, "total_score", "category", "slum_ha"]))
        return score(self.assessments, priority_method=self.meta.priority_method)

    @property
    def years(self) -> list[int]:
        if self.assessments is None or self.assessments.empty:
            return []
        return sorted(int(y) for y in self.assessments["year"].dropna().unique())

    def period_of_year(self, year: int) -> SkPeriod | None:
        """The SK period whose rows cover `year` (the latest period wins where two overlap)."""
        if self.assessments is None or self.assessments.empty:
            return None
        ids = set(self.assessments.loc[self.assessments["year"] == year, "sk_period"].astype(str))
        for p in sorted(self.meta.sk_periods, key=lambda p: p.baseline_year, reverse=True):
            if p.id in ids:
                return p
        return None


def dissolve_kecamatan(kelurahan: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kecamatan outlines from kelurahan when the city gives no kecamatan layer."""
    kec = kelurahan[["kode_kec", "kecamatan", "geometry"]].dissolve(by=["kode_kec", "kecamatan"], as_index=False)
    return kec[["kode_kec", "kecamatan", "geometry"]]
