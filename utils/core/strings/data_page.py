"""Strings of the Data page's lifecycle: adding a year, correcting, editing, history, settings, downloads."""

STRINGS: dict[str, tuple[str, str]] = {
    # ---- the reusable editor (utils/ui/editor.py) --------------------------------------------
    "data.edit.col_row": ("Baris", "Row"),
    "data.edit.col_problems": ("Temuan", "Findings"),
    "data.edit.computed_caption": (
        "Dihitung ulang saat Anda mengetik: skor, kategori, luas kumuh; sel bermasalah ditandai (merah: galat, kuning: peringatan).",
        "Recomputed as you type: scores, categories, slum area; cells with findings are marked (red: error, yellow: warning).",
    ),
    "data.edit.refused": (
        "{n} galat: perubahan ini tidak bisa disimpan sampai diperbaiki. Data tersimpan tidak berubah.",
        "{n} errors: this edit cannot be saved until they are fixed. The stored data is unchanged.",
    ),
    "data.edit.warnings": ("{n} peringatan (boleh disimpan)", "{n} warnings (may be saved)"),
    "data.edit.valid": ("Tidak ada temuan: perubahan siap disimpan.", "No findings: the edit is ready to save."),
}
