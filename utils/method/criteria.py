"""The Permen PUPR 14/2018 method as data: criteria, aspects, denominators, bands, classes.

Every threshold the dashboard uses lives here so a reviewer can check the method against the
regulation in one place; `scoring.py` only applies these tables.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# The six denominators of an assessed unit (RT / kawasan / kelurahan).
DENOMINATORS: dict[str, tuple[str, str, str]] = {
    # column: (unit, Bahasa Indonesia, English)
    "area_ha": ("ha", "Luas verifikasi", "Verified area"),
    "buildings": ("unit", "Jumlah bangunan", "Number of buildings"),
    "population": ("jiwa", "Jumlah penduduk", "Population"),
    "households": ("KK", "Jumlah KK", "Households"),
    "road_length_m": ("m", "Panjang jalan lingkungan ideal", "Ideal road length"),
    "drainage_length_m": ("m", "Panjang drainase ideal", "Ideal drainage length"),
}


@dataclass(frozen=True)
class Aspect:
    id: str
    name_id: str
    name_en: str


ASPECTS: tuple[Aspect, ...] = (
    Aspect("1", "Bangunan gedung", "Buildings"),
    Aspect("2", "Jalan lingkungan", "Neighbourhood roads"),
    Aspect("3", "Air minum", "Drinking water"),
    Aspect("4", "Drainase", "Drainage"),
    Aspect("5", "Air limbah", "Wastewater"),
    Aspect("6", "Persampahan", "Solid waste"),
    Aspect("7", "Proteksi kebakaran", "Fire protection"),
)


@dataclass(frozen=True)
class Criterion:
    id: str
    aspect: str
    name_id: str
    name_en: str
    volume_unit: str
    denominator: str  # a key of DENOMINATORS


CRITERIA: tuple[Criterion, ...] = (
    Criterion("1a", "1", "Ketidakteraturan bangunan", "Irregular buildings", "unit", "buildings"),
    Criterion("1b", "1", "Kepadatan bangunan tidak sesuai ketentuan", "Density above spatial plan", "ha", "area_ha"),
    Criterion("1c", "1", "Kualitas bangunan tidak memenuhi syarat teknis", "Buildings failing technical requirements", "unit", "buildings"),
    Criterion("2a", "2", "Cakupan jalan lingkungan tidak melayani seluruh kawasan", "Road network not serving the whole area", "m", "road_length_m"),
    Criterion("2b", "2", "Kualitas permukaan jalan lingkungan buruk", "Poor road surface", "m", "road_length_m"),
    Criterion("3a", "3", "Tidak tersedia akses aman air minum", "No safe drinking-water access", "KK", "households"),
    Criterion("3b", "3", "Kebutuhan air minum minimal tidak terpenuhi", "Minimum water need (60 l/person/day) not met", "KK", "households"),
    Criterion("4a", "4", "Drainase tidak mampu mengalirkan limpasan (genangan)", "Drainage unable to drain runoff (ponding)", "ha", "area_ha"),
    Criterion("4b", "4", "Ketidaktersediaan drainase", "No drainage", "m", "drainage_length_m"),
    Criterion("4c", "4", "Kualitas konstruksi drainase buruk", "Poor drainage construction", "m", "drainage_length_m"),
    Criterion("5a", "5", "Sistem pengelolaan air limbah tidak sesuai standar teknis", "Wastewater system not to technical standard", "KK", "households"),
    Criterion("5b", "5", "Prasarana dan sarana air limbah tidak sesuai persyaratan teknis", "Wastewater facilities not to technical requirements", "KK", "households"),
    Criterion("6a", "6", "Prasarana dan sarana persampahan tidak sesuai persyaratan teknis", "Waste facilities not to technical requirements", "KK", "households"),
    Criterion("6b", "6", "Sistem pengelolaan persampahan tidak sesuai standar teknis", "Waste system not to technical standard", "KK", "households"),
    Criterion("7a", "7", "Ketidaktersediaan prasarana proteksi kebakaran", "No fire-protection infrastructure", "unit", "buildings"),
    Criterion("7b", "7", "Ketidaktersediaan sarana proteksi kebakaran", "No fire-protection equipment", "unit", "buildings"),
)

CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in CRITERIA)
CRITERIA_BY_ID: dict[str, Criterion] = {c.id: c for c in CRITERIA}
ASPECT_BY_ID: dict[str, Aspect] = {a.id: a for a in ASPECTS}
MAX_SCORE = 5 * len(CRITERIA)  # 80

# Legacy Permen PUPR 02/2016 criteria that the 2018 method dropped or merged (19 criteria, max 95).
# Drainage had 4d/4e, waste had 6c. Their presence marks a legacy workbook.
LEGACY_2016_EXTRA_IDS: tuple[str, ...] = ("4d", "4e", "6c")

# Per-criterion score bands: the percentage, rounded to two decimals, is compared with the lower
# bounds. KOTAKU practice: 75.00 % and 75.91 % score 3, 50.91 % scores 1, 25 % scores 1.
# The rounding to 2 decimals followed by >= 76 / 51 / 25 is equivalent to >= 75.995 etc.
SCORE_BANDS: tuple[tuple[float, int], ...] = ((76.0, 5), (51.0, 3), (25.0, 1), (0.0, 0))
PERCENT_DECIMALS = 2


@dataclass(frozen=True)
class SlumClass:
    code: str
    min_total: int
    name_id: str
    name_en: str
    color: str  # colour-blind safe, projector friendly; used by map, legend, charts, report
    is_slum: bool


# Ordered heaviest first. Colours: a sequential red-orange-yellow scheme (ColorBrewer YlOrRd-like,
# safe for deuteranopia/protanopia because it varies in lightness), TK in a blue-grey so it reads as
# "done", and missing data in a light neutral grey with a hatch-free label in the legend.
CLASSES: tuple[SlumClass, ...] = (
    SlumClass("KB", 60, "Kumuh Berat", "Kumuh Berat (heavy)", "#b2182b", True),
    SlumClass("KS", 38, "Kumuh Sedang", "Kumuh Sedang (moderate)", "#ef8a62", True),
    SlumClass("KR", 16, "Kumuh Ringan", "Kumuh Ringan (light)", "#fddb7a", True),
    SlumClass("TK", 0, "Tidak Kumuh", "Tidak Kumuh (not a slum)", "#67a9cf", False),
)
CLASS_BY_CODE: dict[str, SlumClass] = {c.code: c for c in CLASSES}
CLASS_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES)
SLUM_CLASS_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES if c.is_slum)
NO_DATA_CODE = "ND"
NO_DATA_COLOR = "#d9d9d9"
CLASS_COLORS: dict[str, str] = {**{c.code: c.color for c in CLASSES}, NO_DATA_CODE: NO_DATA_COLOR}

# 100-0-100 access indicators: access % = 100 - affected % of these criteria.
WATER_ACCESS_CRITERION = "3a"
SANITATION_ACCESS_CRITERION = "5a"

# Non-physical considerations (other considerations, land legality, priority, handling) are the
# method table of `priority_table.py`: defaults a city can override, never the slum class.

FUNDING_SOURCES: tuple[str, ...] = (
    "APBN", "APBD Provinsi", "APBD Kota/Kab", "Swasta/CSR", "Swadaya masyarakat", "Lainnya",
)


def criteria_of_aspect(aspect_id: str) -> tuple[str, ...]:
    return tuple(c.id for c in CRITERIA if c.aspect == aspect_id)


def class_for_total(total: float) -> str:
    """Scalar helper for docs and tests; `scoring` uses the vectorised form of the same table."""
    for c in CLASSES:
        if total >= c.min_total:
            return c.code
    return CLASSES[-1].code


def round_percent(pct: float) -> float:
    """Round half up to two decimals, so 75.995 becomes 76.00 as the method says (float round() would not)."""
    scale = 10**PERCENT_DECIMALS
    return math.floor(pct * scale + 0.5 + 1e-9) / scale


def score_for_percent(pct: float) -> int:
    p = round_percent(min(max(pct, 0.0), 100.0))
    for lower, score in SCORE_BANDS:
        if p >= lower:
            return score
    return 0
