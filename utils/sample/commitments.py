"""Illustrative workshop commitments for SK period 2 of the sample (labelled illustrative in every row).

A mix of stakeholder types, volumes taken from each kelurahan's own worst criteria, years 2026-2030,
and about a third of the slum kelurahan left without any commitment, so the coverage map, the gap
list and the projection all have something to show. Names of companies are invented.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from utils.analysis import projection
from utils.io import commitments as reg
from utils.store.dataset import Dataset

NOTE = "Ilustratif / illustrative"
# (stakeholder, type, aspects it works on, activity)
STAKEHOLDERS: tuple[tuple[str, str, str, str], ...] = (
    ("Dinas PUPR Kota Pasuruan", "Pemda OPD", "24", "Peningkatan jalan dan saluran lingkungan"),
    ("Dinas Perkim Kota Pasuruan", "Pemda OPD", "156", "Perbaikan rumah dan sanitasi"),
    ("BPPW Jawa Timur (Kementerian PUPR)", "APBN PUPR", "345", "Infrastruktur permukiman (KOTAKU)"),
    ("Dinas PU Cipta Karya Provinsi Jawa Timur", "APBD Provinsi", "24", "Jalan dan drainase lingkungan"),
    ("Perumda Air Minum Kota Pasuruan", "APBD Kab/Kota", "3", "Sambungan rumah air minum"),
    ("DAK Sanitasi", "DAK/Hibah", "5", "IPAL komunal"),
    ("PT Sinar Pesisir Sejahtera (ilustratif)", "swasta/CSR", "67", "Bank sampah dan APAR"),
    ("Universitas Merdeka Pasuruan", "perguruan tinggi", "17", "KKN tematik: penataan bangunan"),
    ("BKM/KSM kelurahan", "masyarakat/swadaya", "246", "Swadaya warga"),
    ("Baznas Kota Pasuruan", "donor", "1", "Bedah rumah"),
)
YEARS = (2026, 2027, 2028, 2029, 2030)
COST_PER_UNIT = {"unit": 25_000_000, "ha": 400_000_000, "m": 1_200_000, "KK": 3_500_000}


def sample_commitments(dataset: Dataset, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """The illustrative register for the latest SK period of `dataset` (deterministic for a given rng)."""
    rng = rng if rng is not None else np.random.default_rng(2030)
    year0, units = projection.latest_units(dataset)
    if year0 is None:
        return reg.empty()
    bad = projection.bad_criteria(units, min_score=1)
    kels = sorted(bad["kode_kel"].unique())
    left_out = set(rng.choice(kels, size=max(1, len(kels) // 3), replace=False))
    rows = []
    for kel in kels:
        if kel in left_out:
            continue
        crit = bad[bad["kode_kel"] == kel]  # worst first
        for _, c in crit.head(int(rng.integers(2, 5))).iterrows():
            aspect = c["criterion"][0]
            fits = [s for s in STAKEHOLDERS if aspect in s[2]] or list(STAKEHOLDERS)
            who, typ, _, activity = fits[int(rng.integers(len(fits)))]
            unit = reg.criterion_unit(c["criterion"])
            share = float(rng.choice([0.5, 0.75, 1.0]))
            volume = round(float(c["volume"]) * share, 2 if unit == "ha" else 0)
            status = str(rng.choice(["komitmen", "komitmen", "komitmen", "berjalan", "usulan"]))
            year = int(rng.choice(YEARS))
            rows.append({"stakeholder": who, "stakeholder_type": typ, "kode_kel": kel, "criterion": c["criterion"],
                         "activity": activity, "volume": volume, "unit": unit, "year": year,
                         "budget_idr": float(round(volume * COST_PER_UNIT[unit], -6)), "status": status, "note": NOTE})
        if rng.random() < 0.25:
            rows.append({"stakeholder": "Kantor Pertanahan Kota Pasuruan", "stakeholder_type": "BPN/ATR",
                         "kode_kel": kel, "criterion": reg.LAND_LEGALISATION, "activity": "Sertifikasi tanah (PTSL)",
                         "volume": float(rng.integers(10, 60)), "unit": "bidang", "year": int(rng.choice(YEARS)),
                         "budget_idr": 0.0, "status": "komitmen", "note": NOTE})
    out = reg.stored(pd.DataFrame(rows))
    out["commitment_id"] = [f"ilustrasi-{i + 1:03d}" for i in range(len(out))]
    return out


def add_commitments(dataset: Dataset, rng: np.random.Generator) -> Dataset:
    """Sample build step (utils/sample/build.py EXTRAS): the dataset with its illustrative register."""
    return replace(dataset, commitments=sample_commitments(dataset, rng))
