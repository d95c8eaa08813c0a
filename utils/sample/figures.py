"""The published Kota Pasuruan figures the sample reproduces, and the tables behind its investments.

Figures from KOTAKU_METHOD.md; change them here and every test that checks the sample follows.
"""
from __future__ import annotations

SEED = 3575  # the city code; any fixed value keeps the output reproducible

# ---- published figures the sample must reproduce (KOTAKU_METHOD.md) -----------------------------

P1_YEARS = (2015, 2016, 2017, 2018, 2019)
P1_BASELINE_YEAR = 2014  # "2015 baseline" = condition at the end of 2014 (year = end-of-year condition)
P2_BASELINE_YEAR = 2024
P2_YEARS = (2025,)

# Period 1 calibration table, hectares: handled in 2015..2019, and still slum at the end of 2019.
# Column sums are the published reductions (7.25, 15.71, 16.23, 7.82, 5.87) and 27.99 ha left;
# row sums are the kelurahan baselines (80.87 ha in all). Ngemplakrejo keeps 1.92 + 8.92 = 10.84 ha
# and Mandaranrejo 1.45 + 4.71 = 6.16 ha at the end of 2018. Coastal kelurahan carry the most.
P1_TABLE: dict[str, tuple[float, float, float, float, float, float]] = {
    "Trajeng": (1.62, 2.10, 1.45, 0.00, 0.00, 2.23),
    "Ngemplakrejo": (0.00, 1.86, 1.80, 0.00, 1.92, 8.92),
    "Kebonsari": (0.00, 1.75, 2.05, 1.40, 0.00, 0.00),
    "Kandangsapi": (1.28, 0.00, 1.52, 0.00, 0.00, 1.30),
    "Bugul Lor": (0.00, 2.46, 1.66, 1.27, 0.00, 1.61),
    "Mayangan": (0.00, 1.20, 1.93, 0.00, 1.17, 0.00),
    "Mandaranrejo": (1.64, 2.20, 2.30, 0.00, 1.45, 4.71),
    "Panggungrejo": (0.00, 1.62, 0.00, 2.43, 1.33, 4.22),
    "Bangilan": (1.15, 0.00, 1.48, 1.27, 0.00, 0.00),
    "Tamba'an": (0.00, 0.00, 1.04, 1.45, 0.00, 3.71),
    "Gadingrejo": (1.56, 2.52, 1.00, 0.00, 0.00, 1.29),
}
P1_SLUM_HA = {2014: 80.87, 2015: 73.62, 2016: 57.91, 2017: 41.68, 2018: 33.86, 2019: 27.99}

# Period 2: a new delineation of 24 kelurahan in all 4 kecamatan, all Kumuh Ringan.
P2_KELURAHAN: tuple[str, ...] = (
    "Karangketug", "Gentong", "Bukir", "Krapyakrejo", "Gadingrejo",
    "Pohjentrek", "Tembokrejo", "Purutrejo", "Purworejo", "Sekargadung",
    "Blandongan", "Kepel", "Tapa'an", "Bakalan", "Bugul Kidul",
    "Tamba'an", "Trajeng", "Kebonsari", "Ngemplakrejo", "Petamanan", "Pekuncen", "Bugul Lor",
    "Panggungrejo", "Mandaranrejo",
)
P2_SLUM_HA = {2024: 117.51, 2025: 115.09}
P2_HANDLED_2025 = {"Mandaranrejo": 1.31, "Kepel": 1.11}  # 2.42 ha reaches Tidak Kumuh in 2025

COASTAL = frozenset({"Tamba'an", "Panggungrejo", "Mandaranrejo", "Ngemplakrejo"})

# ---- investments: what each criterion's handling is called, costs and who pays ---------------------

ACTIVITIES: dict[str, tuple[str, float]] = {
    # criterion: (activity in Bahasa Indonesia, unit cost IDR per unit of volume)
    "1a": ("Penataan bangunan hunian", 2_500_000),
    "1b": ("Penataan kepadatan bangunan (konsolidasi lahan)", 150_000_000),
    "1c": ("Rehabilitasi rumah tidak layak huni (RTLH)", 17_500_000),
    "2a": ("Pembangunan jalan lingkungan baru", 450_000),
    "2b": ("Paving jalan lingkungan", 300_000),
    "3a": ("Sambungan rumah air minum", 2_500_000),
    "3b": ("Peningkatan layanan air minum (hidran umum)", 1_000_000),
    "4a": ("Normalisasi saluran dan penanganan genangan", 250_000_000),
    "4b": ("Pembangunan saluran drainase lingkungan", 1_200_000),
    "4c": ("Rehabilitasi saluran drainase", 600_000),
    "5a": ("IPAL komunal dan sambungan rumah", 5_000_000),
    "5b": ("Jamban sehat dan tangki septik individual", 3_500_000),
    "6a": ("Penyediaan TPS3R dan gerobak sampah", 600_000),
    "6b": ("Pembentukan KSM/bank sampah", 150_000),
    "7a": ("Pembangunan hidran kebakaran lingkungan", 400_000),
    "7b": ("Penyediaan APAR dan sarana pemadam", 250_000),
}
KOTAKU = ("APBN", "KOTAKU/BKM")
PERKIM = ("APBD Kota/Kab", "Dinas Perkim Kota Pasuruan")
PROVINSI = ("APBD Provinsi", "Dinas Perkim Provinsi Jawa Timur")
PDAM = ("APBD Kota/Kab", "PDAM/Perumda Air Minum")
CSR = ("Swasta/CSR", "PT mitra swasta (CSR)")
SWADAYA = ("Swadaya masyarakat", "Masyarakat/KSM")
KKN = ("Lainnya", "Universitas (KKN tematik)")
FUNDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "1a": (KOTAKU, PERKIM, KKN), "1b": (KOTAKU, PERKIM), "1c": (KOTAKU, PROVINSI, PERKIM, CSR),
    "2a": (KOTAKU, PERKIM), "2b": (KOTAKU, PERKIM, SWADAYA), "3a": (PDAM, KOTAKU),
    "3b": (PDAM, KOTAKU, CSR), "4a": (PERKIM, KOTAKU), "4b": (KOTAKU, PERKIM, PROVINSI),
    "4c": (KOTAKU, PERKIM, SWADAYA), "5a": (KOTAKU, PROVINSI, CSR), "5b": (KOTAKU, SWADAYA, KKN),
    "6a": (PERKIM, CSR, SWADAYA), "6b": (SWADAYA, KKN), "7a": (PERKIM, KOTAKU), "7b": (CSR, SWADAYA, PERKIM),
}

# Where each criterion tends to be deficient in Pasuruan-like kampung (relative weights).
DEFICIT_WEIGHT = {
    "1a": 1.0, "1b": 0.8, "1c": 1.0, "2a": 0.6, "2b": 1.2, "3a": 1.0, "3b": 0.6, "4a": 1.0,
    "4b": 1.0, "4c": 1.2, "5a": 1.2, "5b": 1.0, "6a": 1.2, "6b": 1.0, "7a": 1.5, "7b": 1.5,
}
LEVELS = (0, 1, 3, 5)
# Percentages drawn inside each score band, away from its edges so rounding never changes a score.
BAND_PCT = {0: (0.0, 20.0), 1: (28.0, 48.0), 3: (54.0, 73.0), 5: (79.0, 100.0)}
CLASS_TOTALS = {"KR": (19, 33), "KS": (40, 54), "KB": (60, 64)}
