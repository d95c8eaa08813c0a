"""Strings of the collaboration area: the commitments register, the Kolaborasi page, the projection."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav.collab": ("Kolaborasi", "Collaboration"),
    # ---- register validation (every message names its row and cell)
    "collab.err.kelurahan": (
        "Baris {row}, kolom {label_id}: kelurahan '{value}' tidak dikenal di batas wilayah. Mirip: {suggestions}.",
        "Row {row}, column {label_en}: kelurahan '{value}' is not in the boundaries. Similar: {suggestions}.",
    ),
    "collab.err.stakeholder": (
        "Baris {row}, kolom {label_id}: pemangku kepentingan kosong; tulis siapa yang berkomitmen.",
        "Row {row}, column {label_en}: the stakeholder is empty; write who commits.",
    ),
    "collab.err.criterion": (
        "Baris {row}, kolom {label_id}: kriteria '{value}' tidak ada; gunakan 1a-7b atau 'legalisasi lahan'.",
        "Row {row}, column {label_en}: criterion '{value}' does not exist; use 1a-7b or 'legalisasi lahan'.",
    ),
    "collab.err.unit": (
        "Baris {row}, kolom {label_id}: satuan '{value}' bukan satuan kriteria {criterion} ({expected}).",
        "Row {row}, column {label_en}: unit '{value}' is not the unit of criterion {criterion} ({expected}).",
    ),
    "collab.err.negative": (
        "Baris {row}, kolom {label_id}: nilai negatif ({value}); volume dan anggaran harus 0 atau lebih.",
        "Row {row}, column {label_en}: negative value ({value}); volume and budget must be 0 or more.",
    ),
    "collab.err.number": (
        "Baris {row}, kolom {label_id}: '{value}' bukan angka.",
        "Row {row}, column {label_en}: '{value}' is not a number.",
    ),
    "collab.err.status": (
        "Baris {row}, kolom {label_id}: status '{value}' tidak dikenal; pilih salah satu: {known}.",
        "Row {row}, column {label_en}: unknown status '{value}'; choose one of: {known}.",
    ),
    "collab.err.year": (
        "Baris {row}, kolom {label_id}: tahun '{value}' di luar {min}-{max}.",
        "Row {row}, column {label_en}: year '{value}' is outside {min}-{max}.",
    ),
    "collab.warn.type": (
        "Baris {row}, kolom {label_id}: jenis '{value}' bukan salah satu dari: {known}. Disimpan apa adanya.",
        "Row {row}, column {label_en}: type '{value}' is not one of: {known}. Kept as typed.",
    ),
    "collab.warn.no_year": (
        "Baris {row}, kolom {label_id}: tahun kosong; komitmen dicatat tetapi tidak masuk proyeksi.",
        "Row {row}, column {label_en}: no year; the commitment is kept but not counted in the projection.",
    ),
    "collab.warn.kawasan": (
        "Baris {row}, kolom {label_id}: kawasan '{value}' tidak ada di kelurahan ini; komitmen dibagi ke seluruh "
        "kelurahan.",
        "Row {row}, column {label_en}: kawasan '{value}' is not in this kelurahan; the commitment is spread over "
        "the whole kelurahan.",
    ),
    "collab.err.no_header": (
        "Tidak ditemukan baris judul 'matriks kolaborasi' (Pemangku kepentingan, Kelurahan, Kriteria, ...).",
        "No 'matriks kolaborasi' header row found (Pemangku kepentingan, Kelurahan, Kriteria, ...).",
    ),
    "collab.save_busy": (
        "Register komitmen tidak dapat disimpan: versi baru terus masuk. Coba lagi sebentar.",
        "The commitments register could not be saved: new versions keep arriving. Try again in a moment.",
    ),
}
