"""Strings of the upload workspace (utils/io/uploads.py) that the import's own catalogue does not have."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "upload.zip_nested_too_deep": (
        "{name}: berisi zip bersarang terlalu dalam ({member}). Zip di dalam zip hanya dibuka {depth} tingkat; "
        "ekstrak dulu zip bagian dalam lalu unggah berkasnya.",
        "{name}: holds a zip nested too deep ({member}). A zip inside a zip is opened {depth} level only; "
        "unpack the inner zip first and upload its files.",
    ),
}
