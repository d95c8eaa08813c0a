"""Strings about the embedded sample: its boundary credit and what in it is illustrative."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "sample.credit": (
        "Batas wilayah data contoh — Kelurahan boundaries: cahyadsn/wilayah_boundaries, MIT License, "
        "Copyright (c) 2024 Cahya DSN",
        "Sample boundaries — Kelurahan boundaries: cahyadsn/wilayah_boundaries, MIT License, "
        "Copyright (c) 2024 Cahya DSN",
    ),
    "sample.illustrative": (
        "Data contoh ini ILUSTRATIF: batas kelurahan dan kecamatan adalah batas nyata Kota Pasuruan (disederhanakan), "
        "tetapi deliniasi kawasan dan penilaian per RT dibuat agar sesuai angka publik kota (luas kumuh per tahun), "
        "bukan data resmi. Gunakan untuk latihan dan demonstrasi, jangan dikutip sebagai data resmi.",
        "This sample data is ILLUSTRATIVE: the kelurahan and kecamatan are the real (simplified) Kota Pasuruan "
        "boundaries, but the kawasan delineations and RT assessments were built to match the city's public figures "
        "(slum area per year); they are not official data. Use it for training and demonstration; do not quote it "
        "as official.",
    ),
}
