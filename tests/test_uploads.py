"""Safe uploads: private temp folder, zip slip / absolute paths / symlinks rejected, size and member caps."""
from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile

import pytest

from tests.import_files import zip_bytes
from utils.io.uploads import UploadError, UploadWorkspace, safe_filename


def test_workspace_is_private_and_removed():
    with UploadWorkspace() as ws:
        p = ws.add_bytes("../../etc/passwd", b"x")
        assert p.parent.parent == ws.root and p.name == "passwd"  # only the basename survives
        assert ws.root.name.startswith("kotaku-upload-")
    assert not ws.root.exists()


def test_safe_filename_strips_paths():
    assert safe_filename("C:\\Users\\x\\batas.zip") == "batas.zip"
    with pytest.raises(UploadError) as exc:
        safe_filename("..")
    assert exc.value.finding.key == "import.bad_filename"


def test_zip_with_subfolders_extracts_inside_the_workspace():
    with UploadWorkspace() as ws:
        z = ws.add_bytes("b.zip", zip_bytes({"data/batas/kel.shp": b"1", "data/batas/kel.dbf": b"2"}))
        files = ws.extract_zip(z)
        assert sorted(p.name for p in files) == ["kel.dbf", "kel.shp"]
        assert all(ws.root in p.parents for p in files)


@pytest.mark.parametrize("member", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt"])
def test_zip_slip_and_absolute_paths_are_rejected(member):
    with UploadWorkspace() as ws:
        z = ws.add_bytes("slip.zip", zip_bytes({"ok.txt": b"fine", member: b"evil"}))
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(z)
        assert exc.value.finding.key == "import.zip_slip"
        assert member in exc.value.finding.message("en")
        assert not any(p.name == "evil.txt" for p in ws.root.rglob("*"))
        assert not any(p.name == "ok.txt" for p in ws.root.rglob("*"))  # names are checked before writing


def test_symlink_member_is_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with UploadWorkspace() as ws:
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(ws.add_bytes("l.zip", buf.getvalue()))
        assert exc.value.finding.key == "import.zip_symlink"


def test_zip_bomb_rejected_by_declared_size():
    bomb = zip_bytes({"big.shp": b"\0" * (5 * 1024 * 1024)})  # 5 MB of zeros compresses to a few KB
    assert len(bomb) < 100_000
    with UploadWorkspace(max_uncompressed=1024 * 1024) as ws:
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(ws.add_bytes("bomb.zip", bomb))
        assert exc.value.finding.key == "import.zip_bomb"
        assert "1.0 MB" in exc.value.finding.message("en")


def test_zip_bomb_rejected_while_writing_when_the_header_lies(monkeypatch):
    bomb = zip_bytes({"big.shp": b"\0" * (3 * 1024 * 1024)})
    real = zipfile.ZipFile.infolist

    def lying(self):
        infos = real(self)
        for i in infos:
            i.file_size = 10  # claims to be tiny
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    with UploadWorkspace(max_uncompressed=1024 * 1024) as ws:
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(ws.add_bytes("bomb.zip", bomb))
        assert exc.value.finding.key in ("import.zip_bomb", "import.zip_corrupt")


def test_too_many_members():
    with UploadWorkspace(max_members=10) as ws:
        z = ws.add_bytes("many.zip", zip_bytes({f"f{i}.txt": b"x" for i in range(11)}))
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(z)
        assert exc.value.finding.key == "import.zip_too_many"


def test_oversized_upload_is_refused_before_writing():
    with UploadWorkspace(max_upload_bytes=1000) as ws:
        with pytest.raises(UploadError) as exc:
            ws.add_bytes("huge.geojson", b"x" * 1001)
        assert exc.value.finding.key == "import.too_large"
        assert "huge.geojson" in exc.value.finding.message("id")
        assert not list(ws.root.rglob("huge*"))


def test_corrupt_zip():
    with UploadWorkspace() as ws:
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(ws.add_bytes("rusak.zip", b"PK\x03\x04 not really a zip"))
        assert exc.value.finding.key == "import.zip_corrupt"
        assert "rusak.zip" in exc.value.finding.message("id")


def test_paths_outside_the_workspace_are_not_opened(tmp_path):
    outside = tmp_path / "secret.zip"
    outside.write_bytes(zip_bytes({"a.txt": b"1"}))
    with UploadWorkspace() as ws:
        with pytest.raises(UploadError) as exc:
            ws.extract_zip(outside)
        assert exc.value.finding.key == "import.outside_workspace"


# ---- nested zips: one budget for every level, one level deep at most --------------------------

def _inner(n_bytes: int) -> bytes:
    return zip_bytes({"part.shp": b"\0" * n_bytes})


def test_nested_zips_share_one_unpack_budget():
    # three inner zips of 0.6 MiB each: every one alone is under the 1 MiB budget, together they are not
    outer = zip_bytes({f"inner{i}.zip": _inner(600 * 1024) for i in range(3)})
    assert len(outer) < 50_000
    with UploadWorkspace(max_uncompressed=1024 * 1024) as ws:
        with pytest.raises(UploadError) as exc:
            ws.expand([ws.add_bytes("outer.zip", outer)])
        assert exc.value.finding.key == "import.zip_bomb"
        written = sum(p.stat().st_size for p in ws.root.rglob("*") if p.is_file() and p.suffix != ".zip")
        assert written <= 1024 * 1024


def test_two_uploaded_zips_share_the_budget_too():
    with UploadWorkspace(max_uncompressed=1024 * 1024) as ws:
        first = ws.add_bytes("a.zip", _inner(600 * 1024))
        second = ws.add_bytes("b.zip", _inner(600 * 1024))
        with pytest.raises(UploadError) as exc:
            ws.expand([first, second])
        assert exc.value.finding.key == "import.zip_bomb"


def test_one_level_of_nesting_is_still_opened():
    outer = zip_bytes({"batas.zip": zip_bytes({"kel.shp": b"1", "kel.dbf": b"2"}), "nilai.csv": b"a,b"})
    with UploadWorkspace() as ws:
        files = ws.expand([ws.add_bytes("kiriman.zip", outer)])
        assert sorted(p.name for p in files) == ["kel.dbf", "kel.shp", "nilai.csv"]


def test_a_zip_nested_two_levels_deep_is_refused_in_both_languages():
    deep = zip_bytes({"level1.zip": zip_bytes({"level2.zip": zip_bytes({"kel.shp": b"1"})})})
    with UploadWorkspace() as ws:
        with pytest.raises(UploadError) as exc:
            ws.expand([ws.add_bytes("deep.zip", deep)])
        finding = exc.value.finding
        assert finding.key == "upload.zip_nested_too_deep"
        assert "level2.zip" in finding.message("en") and "level2.zip" in finding.message("id")
        assert finding.message("id") != finding.message("en")
        assert not any(p.name == "kel.shp" for p in ws.root.rglob("*"))


# ---- folders a killed import left in the temp dir ----------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_upload_removes_folders_a_killed_import_left(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / "kotaku-upload-dead"
    (dead / "files").mkdir(parents=True)
    (dead / "files" / "big.gpkg").write_bytes(b"x" * 1000)
    (dead / ".owner").write_text(str(_dead_pid()))
    orphan = tmp_path / "kotaku-upload-old"  # from before owner files: judged by age
    orphan.mkdir()
    os.utime(orphan, (time.time() - 7 * 3600,) * 2)
    young = tmp_path / "kotaku-upload-young"
    young.mkdir()
    live = tmp_path / "kotaku-upload-live"
    live.mkdir()
    (live / ".owner").write_text(str(os.getpid()))
    other = tmp_path / "someone-else"
    other.mkdir()
    os.utime(other, (time.time() - 7 * 3600,) * 2)
    with UploadWorkspace() as ws:
        assert ws.root.parent == tmp_path
        assert not dead.exists() and not orphan.exists()
        assert young.exists() and live.exists() and other.exists()
        with UploadWorkspace() as ws2:  # a second import at the same time keeps the first one's folder
            assert ws.root.exists() and ws2.root.exists()


# ---- an empty polygon: the importer's finding, no library warning on stderr ---------------------

def test_an_empty_polygon_gives_the_importers_finding_and_no_geopandas_warning(tmp_path):
    import json

    from utils.store import importer

    ring = [[112.88, -7.63], [112.89, -7.63], [112.89, -7.64], [112.88, -7.63]]
    features = [
        {"type": "Feature", "properties": {"kode": "35.75.01.1001", "kelurahan": "Alfa", "kecamatan": "K"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {"kode": "35.75.01.1002", "kelurahan": "Beta", "kecamatan": "K"},
         "geometry": {"type": "Polygon", "coordinates": []}},
    ]
    path = tmp_path / "kel.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        preview = importer.prepare_paths([path])
    assert [str(w.message)[:80] for w in caught if issubclass(w.category, UserWarning)] == []
    finding = next(f for f in preview.report.findings if f.key == "import.feature_no_geometry")
    assert "Beta" in finding.message("en")
    assert list(preview.dataset.kelurahan["kelurahan"]) == ["Alfa"]
