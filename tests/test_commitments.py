"""The commitments register: its checks name row and cell, the XLSX round trip, the merge, concurrent saves."""
from __future__ import annotations

import io
import threading

import pandas as pd
import pytest

from tests.factories import tiny_dataset
from utils import store
from utils.io import commitments as reg
from utils.ui import collab_store

ALFA, BETA = "35.75.01.1001", "35.75.01.1002"


def row(**kw) -> dict:
    base = {"stakeholder": "Dinas PUPR", "stakeholder_type": "Pemda OPD", "kode_kel": ALFA, "criterion": "2b",
            "activity": "Paving", "volume": 120, "unit": "m", "year": 2027, "budget_idr": 150_000_000,
            "status": "komitmen"}
    return {**base, **kw}


def check(rows: list[dict]):
    ds = tiny_dataset()
    return reg.check_commitments(pd.DataFrame(rows), ds.kelurahan)


def test_a_clean_row_is_normalised():
    got = check([row(criterion=" 2.B ", unit="meter", stakeholder_type="pemda opd", status="Berjalan",
                     budget_idr="Rp 150.000.000", kode_kel="3575011001")])
    assert got.ok, [f.message("en") for f in got.findings]
    r = got.frame.iloc[0]
    assert (r["criterion"], r["unit"], r["stakeholder_type"], r["status"]) == ("2b", "m", "Pemda OPD", "berjalan")
    assert r["budget_idr"] == 150_000_000 and r["kode_kel"] == ALFA and len(r["commitment_id"]) == 12


def test_kelurahan_by_name_and_empty_unit_takes_the_criterion_unit():
    got = check([row(kode_kel=None, kelurahan="beta", unit=None, criterion="3a", volume=10)])
    assert got.ok and got.frame.iloc[0]["kode_kel"] == BETA and got.frame.iloc[0]["unit"] == "KK"


@pytest.mark.parametrize("bad, key, column, words_id, words_en", [
    ({"kode_kel": "35.75.09.9999"}, "collab.err.kelurahan", "kode_kel", "Baris 2, kolom Kode kelurahan",
     "Row 2, column Kode kelurahan"),
    ({"criterion": "8z"}, "collab.err.criterion", "criterion", "kriteria '8z' tidak ada", "criterion '8z' does not"),
    ({"volume": -5}, "collab.err.negative", "volume", "Baris 2, kolom Volume: nilai negatif",
     "Row 2, column Volume: negative"),
    ({"unit": "KK"}, "collab.err.unit", "unit", "satuan 'KK' bukan satuan kriteria 2b (m)",
     "unit 'KK' is not the unit of criterion 2b (m)"),
    ({"status": "mungkin"}, "collab.err.status", "status", "status 'mungkin'", "unknown status 'mungkin'"),
    ({"stakeholder": " "}, "collab.err.stakeholder", "stakeholder", "pemangku kepentingan kosong",
     "the stakeholder is empty"),
    ({"year": 1990}, "collab.err.year", "year", "tahun '1990'", "year '1990'"),
])
def test_refusals_name_row_and_cell(bad, key, column, words_id, words_en):
    got = check([row(), row(**bad)])
    assert not got.ok and got.frame is None
    errors = [f for f in got.findings if f.severity == "error"]
    assert [f.key for f in errors] == [key]
    assert errors[0].params["row"] == 2 and errors[0].params["column"] == column
    assert words_id in errors[0].message("id") and words_en in errors[0].message("en")
    assert got.cells[(1, column)] == errors  # the editor marks that cell


def test_land_legalisation_takes_any_unit_and_unknown_type_is_a_warning():
    got = check([row(criterion="Legalisasi Lahan", unit="bidang", stakeholder_type="Yayasan")])
    assert got.ok
    assert got.frame.iloc[0]["criterion"] == reg.LAND_LEGALISATION
    assert [f.key for f in got.findings] == ["collab.warn.type"]


def test_xlsx_round_trip_with_indonesian_headers(tmp_path):
    ds = tiny_dataset()
    first = check([row(), row(kode_kel=BETA, criterion="7a", unit="unit", volume=3, note="<b>ok</b>")]).frame
    data = reg.to_xlsx(first, ds.kelurahan)
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["matriks kolaborasi", "petunjuk"]
    headers = [c.value for c in wb["matriks kolaborasi"][1]]
    assert {"Pemangku kepentingan", "Jenis pemangku kepentingan", "Kelurahan", "Kriteria", "Satuan",
            "Anggaran (Rp)", "Status", "Catatan"} <= set(headers)
    back = reg.read_xlsx(data)
    assert back["_row"].tolist() == [2, 3]
    again = reg.check_commitments(back, ds.kelurahan)
    assert again.ok
    cols = ["commitment_id", "stakeholder", "kode_kel", "criterion", "volume", "unit", "year", "note"]
    pd.testing.assert_frame_equal(again.frame[cols], first[cols])


def test_xlsx_typed_by_hand_names_its_rows(tmp_path):
    ds = tiny_dataset()
    grid = pd.DataFrame([["MATRIKS KOLABORASI", None, None, None, None, None],
                         ["Pemangku kepentingan", "Jenis", "Kelurahan", "Kriteria", "Volume", "Satuan"],
                         ["PT Maju", "swasta/CSR", "Alfa", "6a", 20, "KK"],
                         ["Unmer", "perguruan tinggi", "Zeta", "1a", 5, "unit"]])
    path = tmp_path / "m.xlsx"
    grid.to_excel(path, header=False, index=False, sheet_name="Sheet1")
    got = reg.check_commitments(reg.read_xlsx(path.read_bytes()), ds.kelurahan)
    assert [f.key for f in got.errors] == ["collab.err.kelurahan"]
    assert got.errors[0].params["row"] == 4  # the spreadsheet's own row number
    assert [f.key for f in got.findings if f.severity == "warning"] == ["collab.warn.no_year"] * 2


def test_merge_keeps_both_sides_and_refuses_a_double_edit():
    base = check([row()]).frame
    mine = pd.concat([base, check([row(stakeholder="A")]).frame])
    theirs = pd.concat([base, check([row(stakeholder="B")]).frame])
    merged, conflicts = reg.merge(base, mine, theirs)
    assert conflicts == [] and sorted(merged["stakeholder"]) == ["A", "B", "Dinas PUPR"]
    edited_mine, edited_theirs = base.copy(), base.copy()
    edited_mine.loc[0, "volume"], edited_theirs.loc[0, "volume"] = 10.0, 20.0
    _, conflicts = reg.merge(base, edited_mine, edited_theirs)
    assert conflicts == [base.iloc[0]["commitment_id"]]
    removed, _ = reg.merge(base, base.iloc[0:0], base)
    assert len(removed) == 0


def test_concurrent_saves_lose_no_rows(private_store):
    info = store.save(tiny_dataset(name="kota"))
    ds = store.load("kota")
    errors: list[BaseException] = []
    n_threads, per_thread = 4, 3

    def facilitator(k: int) -> None:
        try:
            for i in range(per_thread):
                rows = check([row(stakeholder=f"P{k}-{i}")]).frame
                # every facilitator starts from the version they opened: all but one save conflicts
                out = collab_store.add_rows(ds, "kota", info.version, rows, author=f"fac{k}")
                assert out.ok, out.conflicts
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=facilitator, args=(k,)) for k in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    final = store.load("kota").commitments
    assert sorted(final["stakeholder"]) == sorted(f"P{k}-{i}" for k in range(n_threads) for i in range(per_thread))
    assert final["commitment_id"].is_unique


def test_sample_register_saves_to_its_own_copy_and_converts_to_investments(private_store):
    sample = store.load(store.SAMPLE_NAME)
    rows = check([row(status="selesai", year=2026)]).frame
    rows["kode_kel"] = sample.kelurahan["kode_kel"].iloc[0]
    out = collab_store.add_rows(sample, store.SAMPLE_NAME, None, rows, author="tester")
    assert out.ok and out.name == collab_store.SAMPLE_COPY
    copy = store.load(collab_store.SAMPLE_COPY)
    n_before = len(copy.investments)
    assert len(copy.commitments) == len(reg.stored(sample.commitments)) + 1
    conv = collab_store.convert_finished(store.SAMPLE_NAME, 2026, author="tester")
    assert conv.ok and conv.added == 1
    after = store.load(collab_store.SAMPLE_COPY)
    assert len(after.investments) == n_before + 1
    new = after.investments.iloc[-1]
    assert (int(new["year"]), new["implementer"], new["funding_source"]) == (2026, "Dinas PUPR", "APBD Kota/Kab")
    assert collab_store.convert_finished(store.SAMPLE_NAME, 2026).added == 0  # once only
