"""Strings of the table reader and validation added for the year-round data lifecycle (issue 9)."""

STRINGS: dict[str, tuple[str, str]] = {
    "io.name_code_disagree": (
        "Baris {row}: kode {code} adalah {code_name}, tetapi nama di tabel '{given}' (kode nama itu: {name_code}). Baris dimasukkan ke {code_name} menurut kodenya; periksa mana yang benar.",
        "Row {row}: code {code} is {code_name}, but the table names '{given}' (that name's code: {name_code}). The row is filed under {code_name} by its code; check which is right.",
    ),
    "io.ambiguous_name": (
        "Baris {row}: nama '{name}' dipakai oleh {n} kelurahan/desa: {candidates}. Yang mana? Tulis kodenya atau kecamatannya di tabel, atau pilih di bawah.",
        "Row {row}: the name '{name}' belongs to {n} kelurahan/desa: {candidates}. Which one? Write its code or kecamatan in the table, or choose below.",
    ),
    "io.inv_ambiguous_name": (
        "Investasi baris {row}: nama '{name}' dipakai oleh {n} kelurahan/desa: {candidates}. Yang mana? Tulis kodenya atau kecamatannya.",
        "Investments row {row}: the name '{name}' belongs to {n} kelurahan/desa: {candidates}. Which one? Write its code or kecamatan.",
    ),
    "io.bad_year_grouped": (
        "Tahun '{value}' tidak masuk akal di {n} baris ({rows}); harus satu tahun {min}–{max}. Tulis satu tahun per baris, atau satu lembar per tahun.",
        "Year '{value}' is not valid in {n} rows ({rows}); it must be one year {min}–{max}. Write one year per row, or one sheet per year.",
    ),
    "io.inv_bad_year_grouped": (
        "Investasi: tahun '{value}' tidak masuk akal di {n} baris ({rows}); harus satu tahun {min}–{max}.",
        "Investments: year '{value}' is not valid in {n} rows ({rows}); it must be one year {min}–{max}.",
    ),
    "io.missing_denominator": (
        "Kolom '{header}' tidak ada, padahal volume kriteria {criteria} dibagi dengannya. Tambahkan kolom '{header}' (atau kolom Prosen kriteria itu).",
        "The column '{header}' is missing, yet the volumes of criteria {criteria} are divided by it. Add the '{header}' column (or those criteria's Prosen columns).",
    ),
    "io.pct_instead": (
        "Kolom '{header}' tidak ada: untuk {n} kriteria ({criteria}) dipakai persentase (Prosen) dari berkas, bukan volume ÷ '{header}'. Tambahkan kolom '{header}' bila persentasenya tidak bisa dipercaya.",
        "The column '{header}' is missing: for {n} criteria ({criteria}) the file's percentages (Prosen) are used, not volume ÷ '{header}'. Add the '{header}' column if those percentages cannot be trusted.",
    ),
    "io.pct_only": (
        "Untuk {n} kriteria ({criteria}) tidak ada kolom volume: dinilai dari persentase (Prosen) di berkas.",
        "For {n} criteria ({criteria}) there is no volume column: they are scored from the file's percentages (Prosen).",
    ),
    "io.inv_aspect_criterion": (
        "Investasi baris {row}: '{value}' menyebut aspek {aspect} ({name}), bukan satu kriteria; disimpan sebagai kriteria {criterion}. Ganti dengan {options} bila yang dimaksud kriteria lain.",
        "Investments row {row}: '{value}' names aspect {aspect} ({name}), not one criterion; stored as criterion {criterion}. Write one of {options} if another criterion is meant.",
    ),
    "io.inv_criterion_named": (
        "Investasi baris {row}: kriteria '{value}' dibaca sebagai {criterion} ({name}).",
        "Investments row {row}: criterion '{value}' read as {criterion} ({name}).",
    ),
    "io.inv_bad_criterion": (
        "Investasi baris {row}: kriteria '{value}' tidak dikenali (1a…7b atau nama aspek/kriteria); baris diimpor tanpa kriteria.",
        "Investments row {row}: criterion '{value}' is not recognised (1a…7b or an aspect or criterion name); the row is imported without a criterion.",
    ),
    "io.inv_not_number": (
        "Investasi baris {row}: {column} '{value}' bukan angka; dibiarkan kosong. Tulis angka saja, mis. 150000000 atau Rp 150.000.000.",
        "Investments row {row}: {column} '{value}' is not a number; left empty. Write a number, e.g. 150000000 or Rp 150.000.000.",
    ),
    "io.blank": ("–", "–"),
}
