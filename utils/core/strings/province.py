"""Strings of the kab/kota level (prov.): the region picker, the per-kab/kota blocks and profile."""

STRINGS: dict[str, tuple[str, str]] = {
    "prov.pick": ("Wilayah", "Area"),
    "prov.layer_kab": ("Batas kabupaten/kota", "Regency/city boundaries"),
    "prov.whole": ("Seluruh {region}", "All of {region}"),
    "prov.pick_help": ("Batasan memuat beberapa kabupaten/kota: pilih satu untuk angka, grafik dan paparan "
                       "kab/kota itu saja.",
                       "The boundaries hold several regencies/cities: pick one for its own figures, charts and "
                       "briefing."),
    "prov.by_kab_heading": ("Luas kumuh per kabupaten/kota", "Slum area per regency/city"),
    "prov.by_kab_series": ("Luas kumuh per kabupaten/kota dan tahun (ha, bertumpuk)",
                           "Slum area per regency/city and year (ha, stacked)"),
    "prov.col_kab": ("Kabupaten/kota", "Regency/city"),
    "prov.col_kec": ("Kecamatan", "Kecamatan"),
    "prov.col_kel": ("Kelurahan/desa", "Kelurahan/desa"),
    "prov.col_n_kec": ("Jumlah kecamatan", "Kecamatan"),
    "prov.col_n_kel": ("Jumlah kelurahan", "Kelurahan"),
    "prov.col_slum_ha": ("Luas kumuh (ha)", "Slum area (ha)"),
    "prov.col_category": ("Kategori", "Category"),
    "prov.profile_heading": ("Profil kabupaten/kota", "Regency/city profile"),
    "prov.profile_pick": ("Kabupaten/kota", "Regency/city"),
    "prov.profile_summary": ("{kab}: {n_kec} kecamatan, {n_kel} kelurahan/desa, {ha} kumuh pada {year}.",
                             "{kab}: {n_kec} kecamatan, {n_kel} kelurahan/desa, {ha} slum in {year}."),
    "prov.profile_kec": ("Kecamatan di {kab}", "Kecamatan in {kab}"),
    "prov.profile_kel": ("Kelurahan/desa di {kab}", "Kelurahan/desa in {kab}"),
}
