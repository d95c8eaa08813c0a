"""Reading unit-year tables (CSV / XLSX) in the project's column convention.

Kept small on purpose: the import module maps KOTAKU workbook headers onto this convention;
this reader only handles files already in it (the `score` command, tests).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd


class TableReadError(ValueError):
    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


def _sniff_csv(path: Path) -> tuple[str, str]:
    head = path.read_bytes()[:65536]
    if b"\x00" in head:
        raise TableReadError("cli.read_error", path=str(path), reason="binary file, not CSV text")
    text = head.decode("utf-8-sig", errors="replace")
    try:
        sep = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    decimal = "," if sep == ";" else "."
    return sep, decimal


def read_table(path: Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise TableReadError("cli.not_found", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            sep, decimal = _sniff_csv(path)
            frame = pd.read_csv(path, sep=sep, decimal=decimal, encoding="utf-8-sig", dtype={"kode_kel": str})
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, engine="openpyxl", dtype={"kode_kel": str})
        else:
            raise TableReadError("cli.unsupported", path=str(path))
    except TableReadError:
        raise
    except Exception as exc:
        raise TableReadError("cli.read_error", path=str(path), reason=str(exc).splitlines()[0][:200]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise TableReadError("cli.empty", path=str(path))
    return frame


def write_table(frame: pd.DataFrame, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        frame.to_csv(path, index=False)
