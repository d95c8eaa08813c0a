"""Strings of the foundation: scoring findings, CLI, sidebar, overview."""

STRINGS: dict[str, tuple[str, str]] = {
    # classes
    "class.KB": ("Kumuh Berat", "Kumuh Berat (heavy)"),
    "class.KS": ("Kumuh Sedang", "Kumuh Sedang (moderate)"),
    "class.KR": ("Kumuh Ringan", "Kumuh Ringan (light)"),
    "class.TK": ("Tidak Kumuh", "Tidak Kumuh (not a slum)"),
    "class.ND": ("Tidak ada data", "No data"),
    # scoring findings
    "finding.severity.error": ("Galat", "Error"),
    "finding.severity.warning": ("Peringatan", "Warning"),
    "finding.pct_over_100": (
        "Baris {row}: kriteria {criterion} bernilai {value} % (lebih dari 100 %). Dinilai sebagai 100 % seperti portal KOTAKU; periksa volume dan pembaginya.",
        "Row {row}: criterion {criterion} is {value} % (over 100 %). Scored as 100 % as the KOTAKU portal does; check the volume and its denominator.",
    ),
    "finding.pct_negative": (
        "Baris {row}: kriteria {criterion} bernilai negatif ({value}). Dinilai sebagai 0 %; perbaiki angkanya.",
        "Row {row}: criterion {criterion} is negative ({value}). Scored as 0 %; correct the figure.",
    ),
    "finding.zero_denominator": (
        "Baris {row}: kriteria {criterion} punya volume {value} tetapi pembagi '{denominator}' nol atau kosong. Persentase dianggap 0 %; isi pembaginya.",
        "Row {row}: criterion {criterion} has volume {value} but its denominator '{denominator}' is zero or empty. Taken as 0 %; fill in the denominator.",
    ),
    "finding.missing_value": (
        "Baris {row}: kriteria {criterion} kosong. Dianggap 0 % (tidak terdampak); isi bila ada data.",
        "Row {row}: criterion {criterion} is empty. Taken as 0 % (not affected); fill it in if known.",
    ),
    "finding.legacy_2016": (
        "Data memakai 19 kriteria Permen PUPR 02/2016 (kolom {columns}). Metode ini memakai 16 kriteria Permen PUPR 14/2018; data lama tidak dinilai otomatis. Petakan ulang ke 16 kriteria lalu impor lagi.",
        "The data uses the 19 criteria of Permen PUPR 02/2016 (columns {columns}). This tool scores the 16 criteria of Permen PUPR 14/2018; legacy data is not scored automatically. Map it to the 16 criteria and import again.",
    ),
    "finding.no_criteria": (
        "Tidak ada kolom kriteria (v_1a…v_7b atau p_1a…p_7b). Lihat docs/data-format.md untuk nama kolom.",
        "No criterion columns found (v_1a…v_7b or p_1a…p_7b). See docs/data-format.md for the column names.",
    ),
    "finding.missing_criteria": (
        "Kolom kriteria berikut tidak ada: {columns}. Semua 16 kriteria diperlukan (isi 0 bila tidak terdampak).",
        "These criterion columns are missing: {columns}. All 16 criteria are needed (use 0 where not affected).",
    ),
    "finding.missing_denominators": (
        "Volume diberikan, tetapi kolom pembagi berikut tidak ada: {columns}.",
        "Volumes are given but these denominator columns are missing: {columns}.",
    ),
    "finding.more_rows": (
        "…dan {n} baris lain dengan temuan yang sama pada kriteria {criterion}.",
        "…and {n} more rows with the same finding on criterion {criterion}.",
    ),
    "finding.not_numeric": (
        "Baris {row}: kolom {column} berisi '{value}', bukan angka. Dianggap kosong.",
        "Row {row}: column {column} holds '{value}', not a number. Taken as empty.",
    ),
    # CLI
    "cli.read_error": ("Berkas tidak bisa dibaca: {path} ({reason}).", "Cannot read the file: {path} ({reason})."),
    "cli.scored": (
        "{n} baris dinilai, ditulis ke {path}. Kategori: {counts}.",
        "{n} rows scored, written to {path}. Categories: {counts}.",
    ),
    "cli.findings": ("{n} temuan kualitas data:", "{n} data-quality findings:"),
    "cli.unusable": ("Data tidak bisa dinilai:", "The data cannot be scored:"),
    # app shell
    "app.title": ("Dasbor Kumuh KOTAKU", "KOTAKU Slum Dashboard"),
    "sidebar.dataset": ("Dataset", "Dataset"),
    "sidebar.year": ("Tahun", "Year"),
    "sidebar.language": ("Bahasa", "Language"),
    "sidebar.period": ("Periode SK", "SK period"),
    "sidebar.version": ("Versi {version} · {saved}", "Version {version} · {saved}"),
    "sidebar.sample_label": ("{name} (contoh)", "{name} (sample)"),
    "note.illustrative": (
        "Data ilustratif: dibuat untuk contoh agar sesuai angka publik Kota Pasuruan; bukan data resmi per RT.",
        "Illustrative data: built as a sample to match Kota Pasuruan's public figures; not official RT data.",
    ),
    "error.friendly": (
        "Maaf, terjadi kesalahan saat menampilkan bagian ini. Rincian dicatat di log aplikasi.",
        "Sorry, something went wrong showing this part. The details were written to the app log.",
    ),
    "error.no_dataset": (
        "Belum ada dataset. Impor data kota di halaman Data.",
        "No dataset yet. Import the city's data on the Data page.",
    ),
    "error.dataset_unreadable": (
        "Dataset '{name}' tidak bisa dibuka: {reason}",
        "Dataset '{name}' cannot be opened: {reason}",
    ),
    # navigation
    "nav.overview": ("Ringkasan", "Overview"),
    "nav.map": ("Peta", "Map"),
    "nav.trends": ("Tren", "Trends"),
    "nav.profile": ("Profil Kelurahan", "Kelurahan profile"),
    "nav.data": ("Data", "Data"),
    "nav.methodology": ("Metodologi", "Methodology"),
    # overview
    "overview.title": ("Ringkasan {city}", "{city} overview"),
    "overview.slum_ha": ("Luas kumuh {year}", "Slum area {year}"),
    "overview.baseline_ha": ("Baseline {label}", "Baseline {label}"),
    "overview.target": ("Target {year}", "Target {year}"),
    "overview.reduced_year": ("Berkurang tahun {year}", "Reduced in {year}"),
    "overview.reduced_total": ("Berkurang sejak baseline", "Reduced since baseline"),
    "overview.kel_slum": ("Kelurahan kumuh", "Kelurahan still slum"),
    "overview.per_category": ("Kelurahan per kategori, {year}", "Kelurahan per category, {year}"),
    "overview.series": ("Luas kumuh per tahun", "Slum area per year"),
    "overview.col_year": ("Tahun", "Year"),
    "overview.col_period": ("Periode SK", "SK period"),
    "overview.col_slum_ha": ("Luas kumuh (ha)", "Slum area (ha)"),
    "overview.col_reduced": ("Berkurang (ha)", "Reduced (ha)"),
    "overview.col_category": ("Kategori", "Category"),
    "overview.col_count": ("Jumlah kelurahan", "Number of kelurahan"),
    "overview.baseline_marker": ("baseline", "baseline"),
    "overview.no_year": ("Tidak ada data penilaian untuk tahun {year}.", "No assessment data for {year}."),
}
