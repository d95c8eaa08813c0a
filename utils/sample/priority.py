"""Illustrative priority inputs for the sample: land legality, other considerations (PL) and typology.

ILLUSTRATIVE, like the rest of the sample: nobody assessed the legality of these kawasan. The values
are drawn per kawasan (legality and PL describe a location, so every RT and year of a kawasan carries
the same ones), written as a city workbook writes them (`ada`/`tidak`, `+`/`-`, `Tepi air`), so the
sample exercises the same parsing as an import. Coastal kawasan are `tepi air`; a few kawasan are not
legal (inside the coastal setback, or unclear tenure); one kawasan is left blank to show
"prioritas belum dinilai". 8b is mostly left empty so the density comes from population / area.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.store.dataset import Dataset

NOTE = ("Legalitas lahan, pertimbangan lain dan tipologi pada data contoh juga ILUSTRATIF / land legality, "
        "other considerations and typology in the sample are ILLUSTRATIVE too.")
NOT_LEGAL_SETBACK = ("Mandaranrejo II", "Panggungrejo II")  # kawasan name endings: inside the coastal setback (9b -)
UNCLEAR_TENURE = ("Ngemplakrejo II", "Bugul Kidul")  # 9a -
LEFT_BLANK = ("Sekargadung",)  # not yet assessed by the team
FLOOD_PRONE = ("Bugul Lor",)  # rawan bencana (banjir rob)
LOW_DENSITY = {"Bakalan": 140, "Pohjentrek": 145, "Tapa'an": 180}  # a surveyed kawasan density, people/ha


def _ends(name: str, endings: tuple[str, ...]) -> bool:
    return any(name.endswith(e) for e in endings)


def kawasan_inputs(kawasan: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row of priority inputs per (sk_period, kawasan_id)."""
    rows = []
    for k in kawasan.sort_values(["sk_period", "kawasan_id"]).itertuples():  # ~40 kawasan: a loop is clearer
        name = str(k.kawasan)
        coastal = "Pesisir" in name
        if _ends(name, LEFT_BLANK):
            rows.append({"sk_period": k.sk_period, "kawasan_id": k.kawasan_id})
            continue
        strategic = "ada" if coastal or rng.random() < 0.35 else "tidak"
        social = "ada" if rng.random() < (0.6 if coastal else 0.4) else "tidak"
        density = next((v for key, v in LOW_DENSITY.items() if name.endswith(key)), None)
        typology = "Tepi air" if coastal else ("Rawan bencana" if _ends(name, FLOOD_PRONE) else "Dataran rendah")
        rows.append({
            "sk_period": k.sk_period, "kawasan_id": k.kawasan_id, "pl_8a": strategic,
            "pl_8b": "" if density is None else str(density), "pl_8c": social,
            "l_9a": "-" if _ends(name, UNCLEAR_TENURE) else "+",
            "l_9b": "-" if _ends(name, NOT_LEGAL_SETBACK) else "+",
            "typology": typology,
        })
    cols = ["sk_period", "kawasan_id", "pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b", "typology"]
    return pd.DataFrame(rows).reindex(columns=cols).fillna("")


def add_priority_inputs(dataset: Dataset, rng: np.random.Generator) -> Dataset:
    """The sample's EXTRAS step: the inputs joined onto every assessment row of each kawasan."""
    if dataset.kawasan is None or dataset.kawasan.empty or dataset.assessments.empty:
        return dataset
    inputs = kawasan_inputs(pd.DataFrame(dataset.kawasan.drop(columns="geometry")), rng)
    a = dataset.assessments.drop(columns=[c for c in inputs.columns[2:] if c in dataset.assessments.columns])
    merged = a.merge(inputs, on=["sk_period", "kawasan_id"], how="left", validate="many_to_one")
    for col in inputs.columns[2:]:
        merged[col] = merged[col].fillna("").astype(str)
    dataset.assessments = merged
    if NOTE not in (dataset.meta.notes or ""):
        dataset.meta.notes = f"{dataset.meta.notes} {NOTE}".strip()
    dataset.__dict__.pop("scored", None)  # drop a cached score of the rows before the join
    return dataset
