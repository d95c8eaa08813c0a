"""Safe uploads: private temp folder, zip slip / absolute paths / symlinks rejected, size and member caps."""
from __future__ import annotations

import io
import stat
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
