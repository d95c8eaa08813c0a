"""The second half of the slum-location method as data: other considerations (PL), land legality,
priority 1-9, class A1-C6, handling type, typology.

Why a table: these cut-offs are programme practice, not figures we could confirm in the regulation
text, and an older local regulation uses other PL bands. So every value lives here with its source
and a "default" label, a city can override the parts listed in `OVERRIDABLE` (stored in
`DatasetMeta.priority_method`), and `priority.py` only applies whatever table it is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

# ---- sources (shown on the Methodology page beside each table) ------------------------------

SRC_PERMEN = "Permen PUPR No. 14/PRT/M/2018, Lampiran (penilaian lokasi: pertimbangan lain dan legalitas lahan)"
SRC_PUBLIC = "Implementasi publik program KOTAKU (SK Kumuh kota/kabupaten) / public KOTAKU implementations"
SOURCES: dict[str, str] = {
    "pl_scores": f"{SRC_PERMEN}; {SRC_PUBLIC}",
    "density_cuts": SRC_PUBLIC,
    "pl_bands": f"{SRC_PUBLIC}; satu perda lama memakai batas lain / one older local regulation uses other bands",
    "legality": SRC_PERMEN,
    "matrix": f"{SRC_PERMEN}; {SRC_PUBLIC}",
    "class_codes": SRC_PUBLIC,
    "handling": f"{SRC_PERMEN}; {SRC_PUBLIC}",
    "typology": SRC_PUBLIC,
}

# ---- physical classes that get a priority, and their letters --------------------------------

PRIORITY_CLASSES: tuple[str, ...] = ("KB", "KS", "KR")  # TK has no priority
CLASS_LETTER: dict[str, str] = {"KB": "A", "KS": "B", "KR": "C"}

# ---- other considerations (pertimbangan lain) ------------------------------------------------

PL_CRITERIA: tuple[str, ...] = ("8a", "8b", "8c")
PL_INPUT_COLUMNS: dict[str, str] = {"8a": "pl_8a", "8b": "pl_8b", "8c": "pl_8c"}
PL_LEVELS: tuple[str, ...] = ("tinggi", "sedang", "rendah")  # best first: tinggi ranks first

# 8a / 8c: present (ada) or not (tidak). Accepted spellings of each answer, normalised (lower case,
# single spaces). The scores 5 and 1 are accepted because workbooks often carry the Nilai itself.
YES_NO_TOKENS: dict[str, tuple[str, ...]] = {
    "ada": ("ada", "ya", "yes", "y", "+", "true", "benar", "strategis", "present", "5"),
    "tidak": ("tidak", "tidak ada", "no", "n", "-", "false", "none", "absent", "tidak strategis", "1"),
}
# 8b given as a level rather than a density
DENSITY_LEVEL_TOKENS: dict[str, tuple[str, ...]] = {
    "rendah": ("rendah", "low"),
    "sedang": ("sedang", "medium", "moderate"),
    "tinggi": ("tinggi", "high"),
}

# ---- land legality ----------------------------------------------------------------------------

LEGAL_CRITERIA: tuple[str, ...] = ("9a", "9b")
LEGAL_INPUT_COLUMNS: dict[str, str] = {"9a": "l_9a", "9b": "l_9b"}
LEGAL_TOKENS: dict[bool, tuple[str, ...]] = {
    True: ("+", "ya", "1", "legal", "yes", "true", "jelas", "sesuai", "ada", "y"),
    False: ("-", "tidak", "0", "ilegal", "no", "false", "illegal", "tidak jelas", "tidak sesuai",
            "tidak legal", "not legal", "n", "tidak ada"),
}

# ---- handling and typology ----------------------------------------------------------------------

HANDLING_TYPES: tuple[str, ...] = ("pemugaran", "peremajaan", "pemukiman_kembali")
HANDLING_COLORS: dict[str, str] = {  # fixed colours: map legend, overview bar, table swatch
    "pemugaran": "#1b9e77", "peremajaan": "#7570b3", "pemukiman_kembali": "#d95f02",
}
NOT_ASSESSED = "belum_dinilai"
NOT_ASSESSED_COLOR = "#bdbdbd"

TYPOLOGIES: tuple[str, ...] = ("di_atas_air", "tepi_air", "dataran_rendah", "dataran_tinggi", "rawan_bencana")
TYPOLOGY_TOKENS: dict[str, tuple[str, ...]] = {
    "di_atas_air": ("di atas air", "atas air", "above water", "on water", "over water"),
    "tepi_air": ("tepi air", "tepian air", "pesisir", "tepi sungai", "tepi pantai", "waterfront", "water edge",
                 "coastal", "riverside"),
    "dataran_rendah": ("dataran rendah", "lowland", "lowlands"),
    "dataran_tinggi": ("dataran tinggi", "perbukitan", "dataran tinggi perbukitan", "dataran tinggi / perbukitan",
                       "highland", "highlands", "hills", "hillside", "highland hills"),
    "rawan_bencana": ("rawan bencana", "kawasan rawan bencana", "disaster prone", "disaster-prone", "hazard prone"),
}
TYPOLOGY_COLUMN = "typology"

# Priority colours 1 (first) .. 9 (last): a sequential blue scheme (ColorBrewer Blues), darkest first,
# distinct from the red-yellow slum classes and the purple investment markers, and stopping short of
# white so priority 9 still differs from "no priority".
PRIORITY_COLORS: dict[int, str] = {
    1: "#08306b", 2: "#08519c", 3: "#2171b5", 4: "#4292c6", 5: "#6baed6",
    6: "#9ecae1", 7: "#b3d3e8", 8: "#c6dbef", 9: "#dbe9f6",
}

# Input columns (model names) and the headers city workbooks use for them. Each also matches after
# a "pertimbangan lain" / "legalitas lahan" group header above it (two-row headers).
INPUT_COLUMNS: tuple[str, ...] = ("pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b", TYPOLOGY_COLUMN)
_HEADERS: dict[str, tuple[str, ...]] = {
    "pl_8a": ("nilai strategis lokasi", "nilai strategis", "strategis lokasi", "lokasi strategis",
              "8a nilai strategis lokasi", "strategic value", "strategic location"),
    "pl_8b": ("kepadatan penduduk", "kependudukan", "kepadatan penduduk jiwa ha", "kepadatan penduduk jiwa per ha",
              "8b kependudukan", "8b kepadatan penduduk", "population density", "density"),
    "pl_8c": ("kondisi sosial ekonomi budaya", "kondisi sosial ekonomi dan budaya", "potensi sosial ekonomi budaya",
              "sosial ekonomi budaya", "8c kondisi sosial ekonomi budaya", "social economic cultural",
              "socio economic cultural"),
    "l_9a": ("status penguasaan lahan", "kejelasan status penguasaan lahan", "status lahan", "kejelasan status lahan",
             "9a status penguasaan lahan", "land tenure", "land status"),
    "l_9b": ("kesesuaian rtr", "kesesuaian dengan rtr", "kesesuaian rtrw", "kesesuaian dengan rtrw",
             "kesesuaian tata ruang", "9b kesesuaian rtr", "spatial plan conformity", "conformity with spatial plan"),
    TYPOLOGY_COLUMN: ("tipologi", "tipologi kawasan", "tipologi permukiman", "typology"),
}
_GROUPS = ("pertimbangan lain", "legalitas lahan", "aspek legalitas lahan")
PRIORITY_HEADERS: dict[str, tuple[str, ...]] = {
    col: (*names, *(f"{g} {n}" for g in _GROUPS for n in names)) for col, names in _HEADERS.items()
}


def normalise_token(value: object) -> str:
    """`' Tidak  Ada '` -> `tidak ada`, `'Di Atas-Air'` -> `di atas air`; `+`, `-` kept as they are."""
    s = str(value).strip().lower()
    if s in ("+", "-"):
        return s
    s = re.sub(r"\.0+$", "", s)  # 1.0 from a spreadsheet is 1
    s = re.sub(r"[_\-/,;:()]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


# What an error message lists as accepted (every spelling above is accepted; these are the main ones).
ACCEPTED: dict[str, str] = {
    "yes_no": "ada, ya, +, 5 / tidak, tidak ada, -, 1 (yes, no)",
    "density": "jiwa/ha (angka / a number), rendah, sedang, tinggi (low, medium, high)",
    "legal": "+, ya, 1, legal, jelas, sesuai / -, tidak, 0, ilegal, tidak jelas, tidak sesuai (yes, no, illegal)",
    "typology": ("di atas air, tepi air, dataran rendah, dataran tinggi / perbukitan, rawan bencana "
                 "(above water, waterfront, lowland, highland, disaster-prone)"),
}


def accepted_text(tokens: dict) -> str:
    """The accepted values of one column, for the error message."""
    if tokens is YES_NO_TOKENS:
        return ACCEPTED["yes_no"]
    if tokens is LEGAL_TOKENS:
        return ACCEPTED["legal"]
    if tokens is TYPOLOGY_TOKENS:
        return ACCEPTED["typology"]
    if tokens is DENSITY_LEVEL_TOKENS:
        return ACCEPTED["density"]
    return ", ".join(dict.fromkeys(str(v) for vs in tokens.values() for v in vs))


# ---- the method a dataset uses (defaults, possibly overridden) --------------------------------

@dataclass(frozen=True)
class PriorityMethod:
    yes_score: int = 5
    no_score: int = 1
    density_cuts: tuple[float, float] = (150.0, 200.0)  # people/ha: <= first -> 1, <= second -> 3, above -> 5
    density_scores: tuple[int, int, int] = (1, 3, 5)
    pl_bands: tuple[tuple[str, int], ...] = (("tinggi", 11), ("sedang", 6), ("rendah", 3))  # lower bounds
    matrix: dict[tuple[str, str], int] = field(default_factory=lambda: {
        ("KB", "tinggi"): 1, ("KS", "tinggi"): 2, ("KR", "tinggi"): 3,
        ("KB", "sedang"): 4, ("KS", "sedang"): 5, ("KR", "sedang"): 6,
        ("KB", "rendah"): 7, ("KS", "rendah"): 8, ("KR", "rendah"): 9,
    })
    # class number: (legal, not legal) per PL level; letter from CLASS_LETTER
    class_numbers: dict[str, tuple[int, int]] = field(default_factory=lambda: {
        "tinggi": (1, 2), "sedang": (3, 4), "rendah": (5, 6)})
    handling_legal: dict[str, str] = field(default_factory=lambda: {
        "KB": "peremajaan", "KS": "peremajaan", "KR": "pemugaran"})
    handling_not_legal: str = "pemukiman_kembali"
    source: str = ""  # the city's own decree when it overrides the defaults
    overridden: tuple[str, ...] = ()  # which keys a city changed; the rest are defaults

    def is_default(self, key: str) -> bool:
        return key not in self.overridden

    def pl_range(self) -> tuple[int, int]:
        lo = 3 * min(self.no_score, self.density_scores[0])
        hi = 3 * max(self.yes_score, self.density_scores[-1])
        return lo, hi


DEFAULT_METHOD = PriorityMethod()

# What a city may change (docs/priority.md): the cut-offs and scores and the legal handling table.
# The 1-9 matrix, the class codes and "not legal -> resettlement" are the method's structure.
OVERRIDABLE: tuple[str, ...] = ("yes_score", "no_score", "density_cuts", "density_scores", "pl_bands",
                                "handling_legal", "source")


class MethodOverrideError(ValueError):
    pass


def method_from_overrides(overrides: dict | None) -> PriorityMethod:
    """The defaults with a city's overrides applied; a wrong override raises instead of scoring oddly."""
    if not overrides:
        return DEFAULT_METHOD
    unknown = sorted(set(overrides) - set(OVERRIDABLE))
    if unknown:
        raise MethodOverrideError(f"unknown priority_method keys: {', '.join(unknown)} "
                                  f"(allowed: {', '.join(OVERRIDABLE)})")
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if value is None or value == "" or value == {} or value == []:
            continue
        if key in ("yes_score", "no_score"):
            changes[key] = int(value)
        elif key == "density_cuts":
            cuts = tuple(float(v) for v in value)
            if len(cuts) != 2 or not 0 < cuts[0] < cuts[1]:
                raise MethodOverrideError(f"density_cuts must be two increasing numbers, got {value!r}")
            changes[key] = cuts
        elif key == "density_scores":
            scores = tuple(int(v) for v in value)
            if len(scores) != 3:
                raise MethodOverrideError(f"density_scores must be three numbers, got {value!r}")
            changes[key] = scores
        elif key == "pl_bands":
            bands = dict(value)
            if set(bands) != set(PL_LEVELS):
                raise MethodOverrideError(f"pl_bands needs {', '.join(PL_LEVELS)}, got {value!r}")
            ordered = tuple((lvl, int(bands[lvl])) for lvl in PL_LEVELS)
            if not ordered[0][1] > ordered[1][1] > ordered[2][1]:
                raise MethodOverrideError(f"pl_bands must fall from tinggi to rendah, got {value!r}")
            changes[key] = ordered
        elif key == "handling_legal":
            table = {**DEFAULT_METHOD.handling_legal, **dict(value)}
            bad = {k: v for k, v in table.items() if k not in PRIORITY_CLASSES or v not in HANDLING_TYPES}
            if bad:
                raise MethodOverrideError(f"handling_legal: classes {PRIORITY_CLASSES}, "
                                          f"types {HANDLING_TYPES}; got {bad!r}")
            changes[key] = table
        elif key == "source":
            changes[key] = str(value)
    changed = tuple(k for k, v in changes.items() if k != "source" and getattr(DEFAULT_METHOD, k) != v)
    return replace(DEFAULT_METHOD, **changes, overridden=changed)


def overrides_of(method: PriorityMethod) -> dict:
    """The dict to store in DatasetMeta.priority_method (only what differs from the defaults)."""
    out: dict[str, object] = {}
    for key in OVERRIDABLE:
        value = getattr(method, key)
        if key == "source":
            if value:
                out[key] = value
        elif value != getattr(DEFAULT_METHOD, key):
            out[key] = dict(value) if key == "pl_bands" else (list(value) if isinstance(value, tuple) else value)
    return out
