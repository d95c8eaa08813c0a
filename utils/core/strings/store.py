"""Strings of the store layer: versions, conflicts, names, settings, additions, exports."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "store.bad_name": ("Nama dataset tidak bisa dipakai: '{name}'. Pakai huruf atau angka.",
                       "This dataset name cannot be used: '{name}'. Use letters or digits."),
    "store.no_dataset": ("Tidak ada dataset bernama '{name}'.", "There is no dataset named '{name}'."),
    "store.no_version": ("Dataset '{name}' tidak punya versi {version}.", "Dataset '{name}' has no version {version}."),
    "store.sample_read_only": ("Data contoh bawaan tidak bisa ditimpa; simpan dengan nama lain.",
                               "The built-in sample cannot be overwritten; save under another name."),
    "store.exists": ("Dataset '{existing}' sudah ada di folder '{slug}'. Pilih nama lain untuk dataset baru, "
                     "atau tambahkan data ke '{existing}'.",
                     "Dataset '{existing}' already exists in folder '{slug}'. Choose another name for a new "
                     "dataset, or add data to '{existing}'."),
    "store.name_clash": ("Nama '{name}' jatuh ke folder '{slug}' milik dataset lain, '{existing}'. "
                         "Data tidak digabung; pilih nama lain.",
                         "The name '{name}' maps to folder '{slug}', which belongs to another dataset, "
                         "'{existing}'. Nothing was merged; choose another name."),
    "store.conflict": ("'{name}' sudah disimpan ulang oleh {author} pada {saved} (versi {version}) sejak Anda "
                       "membuka versi {base}. Muat ulang versi terbaru, lalu ulangi perubahan Anda.",
                       "'{name}' was saved again by {author} at {saved} (version {version}) since you opened "
                       "version {base}. Reload the latest version, then redo your change."),
    "store.no_changes": ("tidak ada perubahan", "no changes"),
    "store.restored_note": ("Dipulihkan dari versi {version}", "Restored from version {version}"),
    "store.table.kelurahan": ("kelurahan", "kelurahan"),
    "store.table.kecamatan": ("kecamatan", "kecamatan"),
    "store.table.kawasan": ("kawasan", "kawasan"),
    "store.table.assessments": ("penilaian", "assessments"),
    "store.table.investments": ("investasi", "investments"),
    "store.table.commitments": ("komitmen", "commitments"),
    "store.table.settings": ("pengaturan", "settings"),
}
STRINGS.update({
    "settings.err.unknown": ("Pengaturan '{field}' tidak dikenal.", "Unknown setting '{field}'."),
    "settings.err.display_name_empty": ("Nama tampilan tidak boleh kosong.", "The display name cannot be empty."),
    "settings.err.too_long": ("'{field}' terlalu panjang (paling banyak {n} karakter).",
                              "'{field}' is too long (at most {n} characters)."),
    "settings.err.status": ("Status '{value}' tidak dikenal: pilih draf atau resmi.",
                            "Unknown status '{value}': choose draft or official."),
    "settings.err.year": ("{field}: '{value}' bukan tahun (1990–2100).", "{field}: '{value}' is not a year (1990–2100)."),
    "settings.err.ha": ("{field}: '{value}' bukan luas dalam ha (angka 0 atau lebih).",
                        "{field}: '{value}' is not an area in ha (a number, 0 or more)."),
    "settings.err.target_before_baseline": (
        "Tahun target {target} untuk {label} tidak sesudah tahun dasar {baseline}.",
        "Target year {target} for {label} is not after its baseline year {baseline}."),
    "settings.err.period_id": ("Setiap periode SK perlu kode.", "Every SK period needs an id."),
    "settings.err.period_label": ("Periode SK {id} perlu nama.", "SK period {id} needs a label."),
    "settings.err.period_baseline": ("Periode SK {id} perlu tahun dasar.", "SK period {id} needs a baseline year."),
    "settings.err.period_duplicate": ("Periode SK {id} tercantum dua kali.", "SK period {id} is listed twice."),
    "settings.err.period_in_use": ("Periode SK {id} dipakai oleh baris penilaian dan tidak bisa dihapus.",
                                   "SK period {id} is used by assessment rows and cannot be removed."),
    "settings.err.no_kabkota": ("Kode kab/kota {code} tidak ada dalam batas wilayah (ada: {codes}).",
                                "Kab/kota code {code} is not in the boundaries (present: {codes})."),
    "settings.status.draft": ("draf", "draft"),
    "settings.status.official": ("resmi", "official"),
})
STRINGS.update({
    "addition.no_dataset": ("Tidak ada dataset bernama '{name}' untuk ditambah; impor batas wilayah dulu.",
                            "There is no dataset named '{name}' to add to; import its boundaries first."),
    "addition.sample_read_only": ("Data contoh bawaan '{name}' tidak bisa ditambah; impor data kota Anda sendiri.",
                                  "The built-in sample '{name}' cannot be added to; import your own city's data."),
    "addition.nothing_given": ("Pilih tabel penilaian atau tabel investasi untuk ditambahkan.",
                               "Choose an assessment table or an investment table to add."),
    "addition.years_replaced": ("Tahun {years} sudah ada di '{name}': baris barunya akan menggantikan yang lama "
                                "hanya setelah Anda konfirmasi.",
                                "Year {years} is already stored in '{name}': the new rows replace the old ones "
                                "only after you confirm."),
    "addition.year_present": ("Tahun {years} sudah ada di dataset '{name}'. Tidak disimpan; ulangi dengan "
                              "konfirmasi penggantian (CLI: --replace-years).",
                              "Year {years} is already stored in dataset '{name}'. Not saved; repeat with the "
                              "replacement confirmed (CLI: --replace-years)."),
})
STRINGS.update({
    "store.cli.more_geometry": ("… dan {n} lagi (tampilkan semua dengan --verbose).",
                                "… and {n} more (show all with --verbose)."),
    "store.cli.dataset_or_boundaries": (
        "Pakai --dataset untuk menambah tabel ke dataset tersimpan, ATAU --boundaries dengan --name untuk "
        "dataset baru, tidak keduanya.",
        "Use --dataset to add tables to a stored dataset, OR --boundaries with --name for a new dataset, not both."),
    "store.cli.need_boundaries": ("Dataset baru perlu --boundaries dan --name (atau --dataset NAMA untuk menambah).",
                                  "A new dataset needs --boundaries and --name (or --dataset NAME to add to one)."),
    "store.cli.before_after": ("Tahun {year}: {rows_before} baris → {rows_after} baris; kumuh {ha_before} → "
                               "{ha_after}.",
                               "Year {year}: {rows_before} rows → {rows_after} rows; slum {ha_before} → {ha_after}."),
    "store.cli.changes": ("Perubahan: {changes} ({seconds} detik).", "Changes: {changes} ({seconds} s)."),
})
STRINGS.update({
    "export.title.kelurahan": ("Rekap per kelurahan", "Per-kelurahan summary"),
    "export.title.assessments": ("Tabel penilaian per RT/unit, dengan skor", "Scored assessment table per RT/unit"),
    "export.title.investments": ("Tabel investasi", "Investment table"),
    "export.dataset_line": ("Dataset: {name}{city}", "Dataset: {name}{city}"),
    "export.status_line": ("Status data: {status}", "Data status: {status}"),
    "export.year_line": ("Tahun: {year}", "Year: {year}"),
    "export.illustrative": ("Data ilustratif, bukan data resmi kota.", "Illustrative data, not the city's official data."),
    "export.sheet.kelurahan": ("kelurahan", "kelurahan"),
    "export.sheet.assessments": ("penilaian", "assessments"),
    "export.sheet.investments": ("investasi", "investments"),
    "export.col.kode_kel": ("Kode Kelurahan", "Kelurahan code"),
    "export.col.category": ("Kategori", "Category"),
    "export.col.score": ("Skor", "Score"),
    "export.col.slum_ha": ("Luas kumuh (ha)", "Slum area (ha)"),
    "export.col.aspect": ("% {aspect}", "% {aspect}"),
    "export.col.budget": ("Investasi {year} (Rp)", "Investment {year} (Rp)"),
    "export.col.activities": ("Jumlah kegiatan {year}", "Activities {year}"),
    "export.col.prev_category": ("Kategori {year}", "Category {year}"),
    "export.col.prev_score": ("Skor {year}", "Score {year}"),
    "export.col.prev_slum_ha": ("Luas kumuh {year} (ha)", "Slum area {year} (ha)"),
    "export.col.change_ha": ("Perubahan {prev}→{year} (ha)", "Change {prev}→{year} (ha)"),
    "export.col.status": ("Status data", "Data status"),
    "export.gpkg_description": ("Kelurahan {name}, tahun {year}, status {status}. Dasbor KOTAKU.",
                                "Kelurahan of {name}, year {year}, status {status}. KOTAKU dashboard."),
    "export.tpl.column": ("Kolom", "Column"),
    "export.tpl.meaning": ("Arti", "Meaning"),
    "export.tpl.sheets": ("Isi lembar 'penilaian' (satu baris per RT atau unit kawasan) dan, bila ada, 'investasi'.",
                          "Fill the sheet 'penilaian' (one row per RT or kawasan unit) and, if any, 'investasi'."),
    "export.tpl.one_row": ("Judul kolom boleh tetap seperti ini; judul snake_case (year, kode_kel, v_1a …) juga "
                           "diterima.",
                           "Keep the headers as they are; snake_case headers (year, kode_kel, v_1a …) are accepted "
                           "too."),
    "export.tpl.year": ("Tahun: tahun kondisi yang dinilai (mis. 2024). Periode SK: nomor SK Kumuh yang berlaku.",
                        "Tahun: the year whose condition is assessed (e.g. 2024). Periode SK: the SK Kumuh in force."),
    "export.tpl.codes": ("Kode Kelurahan dan nama Kelurahan harus sesuai dengan batas wilayah; bila keduanya "
                         "tidak cocok, impor memberi peringatan dan menampilkan keduanya.",
                         "Kode Kelurahan and Kelurahan must agree with the boundaries; when they disagree the import "
                         "warns and shows both."),
    "export.tpl.volumes": ("Isi Volume tiap kriteria; persentase dihitung dari volume dan pembaginya (kolom "
                           "Luas, Jumlah Bangunan, Jumlah KK, Panjang Jalan/Drainase Ideal).",
                           "Fill each criterion's Volume; percentages are computed from the volume and its "
                           "denominator (Luas, Jumlah Bangunan, Jumlah KK, ideal road/drainage length)."),
    "export.tpl.sheet_per_year": ("Beberapa tahun boleh dalam satu berkas: satu lembar per tahun bernama tahunnya "
                                  "(2023, 2024), tanpa kolom Tahun.",
                                  "Several years may share one file: one sheet per year named after the year "
                                  "(2023, 2024), without a Tahun column."),
    "export.tpl.investments": ("Lembar 'investasi': satu baris per kegiatan; Anggaran dalam rupiah (Rp 150.000.000 "
                               "diterima).",
                               "Sheet 'investasi': one row per activity; Anggaran in rupiah (Rp 150.000.000 is "
                               "accepted)."),
    "export.tpl.examples": ("Dua baris contoh memakai kode dan nama kelurahan Kota Pasuruan; hapus sebelum mengisi.",
                            "The two example rows use Kota Pasuruan kelurahan codes and names; delete them first."),
    "export.tpl.col.year": ("Tahun penilaian", "Year assessed"),
    "export.tpl.col.sk_period": ("Periode SK Kumuh (mis. 1, 2)", "SK Kumuh period (e.g. 1, 2)"),
    "export.tpl.col.kode_kel": ("Kode Kemendagri kelurahan/desa (35.75.04.1013)",
                                "Kemendagri code of the kelurahan/desa (35.75.04.1013)"),
    "export.tpl.col.kelurahan": ("Nama kelurahan/desa", "Name of the kelurahan/desa"),
    "export.tpl.col.kawasan_id": ("Kode kawasan kumuh", "Code of the slum kawasan"),
    "export.tpl.col.rt": ("RT (atau RT/RW) yang dinilai", "RT (or RT/RW) assessed"),
    "export.tpl.criterion": ("{name}; volume dalam {unit}, dibagi {denominator}",
                             "{name}; volume in {unit}, divided by {denominator}"),
})
STRINGS.update({
    "export.cli.bad_format": ("'{what}' tidak bisa diekspor sebagai {suffix}; pilih {allowed}.",
                              "'{what}' cannot be exported as {suffix}; choose {allowed}."),
    "export.cli.no_years": ("Dataset ini belum punya data penilaian; ekspor per kelurahan butuh satu tahun.",
                            "This dataset has no assessment data yet; the per-kelurahan export needs a year."),
    "export.cli.no_year": ("Tidak ada data tahun {year} (tersedia: {years}).", "No data for {year} (available: {years})."),
    "export.cli.written": ("Ditulis: {path} ({kb} KB, status data: {status}).",
                           "Written: {path} ({kb} KB, data status: {status})."),
})
STRINGS.update({
    "store.cli.changes_only": ("Perubahan: {changes}.", "Changes: {changes}."),
    "store.cli.settings": ("{name}: status {status}; kota {city}; wilayah {region}; target {ha} ha pada {year}.",
                           "{name}: status {status}; city {city}; region {region}; target {ha} ha by {year}."),
})
