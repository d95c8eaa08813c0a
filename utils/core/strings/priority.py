"""Strings of the priority method: PL, legality, priority 1-9, handling type, typology."""

STRINGS: dict[str, tuple[str, str]] = {
    # findings
    "priority.bad_value": (
        "Baris {row}, kolom {column} ({header}): nilai '{value}' tidak dikenal. Nilai yang diterima: {accepted}.",
        "Row {row}, column {column} ({header}): value '{value}' is not recognised. Accepted values: {accepted}.",
    ),
    "priority.more_bad": (
        "{n} nilai tidak dikenal lainnya di kolom {column}.",
        "{n} more unrecognised values in column {column}.",
    ),
    "priority.partial": (
        "Baris {row}: pertimbangan lain / legalitas lahan belum lengkap ({missing} kosong). Prioritas belum dinilai; isi semua nilainya.",
        "Row {row}: other considerations / land legality incomplete ({missing} empty). Priority not assessed; fill in every value.",
    ),
    "priority.more_partial": (
        "{n} baris lain dengan pertimbangan lain / legalitas lahan belum lengkap.",
        "{n} more rows with incomplete other considerations / land legality.",
    ),
    "priority.bad_method": (
        "Pengaturan metode prioritas kota tidak berlaku ({reason}); nilai bawaan dipakai.",
        "The city's priority method setting is not valid ({reason}); the defaults are used.",
    ),
    "priority.cli_summary": (
        "Prioritas: {n} unit kumuh dinilai, {missing} belum dinilai. Jenis penanganan: {handling}.",
        "Priority: {n} slum units assessed, {missing} not assessed. Handling: {handling}.",
    ),
    # values
    "priority.level.tinggi": ("tinggi", "high"),
    "priority.level.sedang": ("sedang", "medium"),
    "priority.level.rendah": ("rendah", "low"),
    "priority.handling.pemugaran": ("Pemugaran", "Pemugaran (restoration, residents stay)"),
    "priority.handling.peremajaan": ("Peremajaan", "Peremajaan (renewal)"),
    "priority.handling.pemukiman_kembali": ("Pemukiman kembali", "Pemukiman kembali (resettlement)"),
    "priority.handling.belum_dinilai": ("Prioritas belum dinilai", "Priority not assessed"),
    "priority.typology.di_atas_air": ("Di atas air", "Above water"),
    "priority.typology.tepi_air": ("Tepi air", "Waterfront"),
    "priority.typology.dataran_rendah": ("Dataran rendah", "Lowland"),
    "priority.typology.dataran_tinggi": ("Dataran tinggi / perbukitan", "Highland / hills"),
    "priority.typology.rawan_bencana": ("Rawan bencana", "Disaster-prone"),
    "priority.typology.none": ("(tanpa tipologi)", "(no typology)"),
    "priority.legal.true": ("Legal", "Legal"),
    "priority.legal.false": ("Tidak legal", "Not legal"),
    "priority.not_assessed": ("Prioritas belum dinilai", "Priority not assessed"),
    "priority.not_slum": ("Tidak kumuh: tanpa prioritas", "Not a slum: no priority"),
    "priority.legalise_note": (
        "Lokasi dengan lahan tidak legal diarahkan ke pemukiman kembali. Legalisasi lahan dapat didahulukan; setelah lahan legal, pola penanganan untuk lahan legal yang berlaku.",
        "Locations on land that is not legal are directed to resettlement. Land legalisation can come first; once the land is legal, the handling for legal land applies.",
    ),
}
