"""Strings of presentation mode, the briefing export, shareable links and the methodology page."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.briefing": ("Bahan Paparan", "Briefing export"),
    # presentation mode
    "present.toggle": ("Mode presentasi", "Presentation mode"),
    "present.toggle_help": (
        "Untuk proyektor: tanpa sidebar, huruf besar, peta lebih tinggi; hanya tahun dan kelurahan yang bisa dipilih.",
        "For the projector: no sidebar, large type, a taller map; only year and kelurahan can be chosen.",
    ),
    "present.exit": ("Keluar presentasi", "Leave presentation"),
    "present.prev": ("Tahun sebelumnya", "Previous year"),
    "present.next": ("Tahun berikutnya", "Next year"),
    "present.play": ("Putar", "Play"),
    "present.stop": ("Berhenti", "Stop"),
    "present.play_help": (
        "Menampilkan tahun demi tahun, {seconds} detik per tahun, berhenti di tahun terakhir.",
        "Steps through the years, {seconds} seconds each, stopping at the latest year.",
    ),
    "present.kelurahan": ("Kelurahan", "Kelurahan"),
    "present.kelurahan_all": ("Seluruh kota", "Whole city"),
    # shareable links
    "url.share": ("Bagikan tampilan ini", "Share this view"),
    "url.share_help": (
        "Tautan ini membuka halaman, dataset, tahun, kelurahan dan bahasa yang sama. Salin dengan tombol di kanan.",
        "This link opens the same page, dataset, year, kelurahan and language. Copy it with the button on the right.",
    ),
}
