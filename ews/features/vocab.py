"""Words for officials: display names of signals, categories and region columns, and numbers.

Indonesian first, English second, everywhere. Unknown column names are
humanised (underscores to spaces, ``pct`` to %), so a new data source
still reads as words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Name:
    """A thing in both languages; ``plural`` picks the English verb, ``unit`` follows numbers."""

    id: str
    en: str
    plural: bool = True
    unit: str = ""
    unit_en: str | None = None  # when the English unit differs (jiwa/ha -> residents/ha)
    short: tuple[str, str] | None = None  # chart label when the name is long

    def label(self) -> tuple[str, str]:
        """Short (Indonesian, English) name for charts, capitalised."""
        id_text, en_text = self.short or (self.id, self.en)
        return capital(id_text), capital(en_text)


SIGNAL_NAMES: Final = {
    "kontak_pos_pengaduan": Name("kontak ke pos pengaduan", "complaint-post contacts"),
    "panggilan_112_kdrt": Name(
        "panggilan Jakarta Siaga 112 terkait KDRT",
        "Jakarta Siaga 112 domestic-violence calls",
        short=("panggilan 112 KDRT", "112 domestic-violence calls"),
    ),
    "laporan_kader_rw": Name("laporan kader RW", "RW cadre reports"),
    "penerima_bansos": Name("keluarga penerima bansos", "social-assistance households"),
    "absensi_sekolah_pct": Name("ketidakhadiran sekolah", "school absence", plural=False, unit="%"),
}

VIOLENCE_TYPE_NAMES: Final = {
    "fisik": Name("kekerasan fisik", "physical violence"),
    "psikis": Name("kekerasan psikis", "psychological violence"),
    "seksual": Name("kekerasan seksual", "sexual violence"),
    "penelantaran": Name("penelantaran", "neglect"),
    "eksploitasi": Name("eksploitasi", "exploitation"),
    "tppo": Name("perdagangan orang (TPPO)", "trafficking (TPPO)"),
    "lainnya": Name("kekerasan lainnya", "other violence"),
}

VICTIM_GROUP_NAMES: Final = {
    "perempuan_dewasa": Name("perempuan dewasa", "adult women"),
    "anak_perempuan": Name("anak perempuan", "girls"),
    "anak_laki_laki": Name("anak laki-laki", "boys"),
}

REGION_NAMES: Final = {
    "jarak_pos_km": Name(
        "jarak ke pos pengaduan terdekat", "distance to the nearest complaint post", False, "km"
    ),
    "kepadatan_per_ha": Name(
        "kepadatan penduduk per hektare", "population density per hectare", False, "jiwa/ha", "residents/ha"
    ),
    "persen_keluarga_miskin": Name("keluarga miskin", "poor households", False, "%"),
    "kumuh": Name("kawasan kumuh", "slum area", False),
}

LEVEL_NAMES: Final = {"kel": Name("kelurahan", "kelurahan"), "kec": Name("kecamatan", "kecamatan")}

_MULTIPLES: Final = {
    2: ("dua", "twice"),
    3: ("tiga", "three times"),
    4: ("empat", "four times"),
    5: ("lima", "five times"),
    6: ("enam", "six times"),
    7: ("tujuh", "seven times"),
    8: ("delapan", "eight times"),
    9: ("sembilan", "nine times"),
    10: ("sepuluh", "ten times"),
}


def humanise(column: str) -> Name:
    """A readable name for a column nobody described: ``foo_bar_pct`` -> ``foo bar`` with unit %."""
    words = [w for w in column.split("_") if w]
    unit = ""
    percent = {"pct", "persen", "percent"}
    if len(words) > 1 and words[-1].lower() in percent:
        words, unit = words[:-1], "%"
    elif len(words) > 1 and words[0].lower() in percent:
        words, unit = words[1:], "%"
    text = " ".join(words) or column
    return Name(text, text, plural=False, unit=unit)


def signal_name(signal: str) -> Name:
    """Display name of a signal column (known names, else humanised)."""
    return SIGNAL_NAMES.get(signal) or humanise(signal)


def capital(text: str) -> str:
    """First letter upper case, the rest untouched (keeps ``RW``, ``KDRT``)."""
    return text[:1].upper() + text[1:]


def number(value: float, lang: str, decimals: int = 1) -> str:
    """``1234.5`` -> ``1.234,5`` (id) or ``1,234.5`` (en); trailing zeros dropped; NaN -> unknown."""
    if math.isnan(value):
        return "tidak diketahui" if lang == "id" else "unknown"
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def with_unit(value: float, name: Name, lang: str) -> str:
    """A measured value with the name's unit (``5,2%``, ``1,3 km``)."""
    if math.isnan(value):
        return "tidak diketahui" if lang == "id" else "unknown"
    text = number(value, lang, 2 if abs(value) < 10 else 1)
    unit = name.unit_en if lang == "en" and name.unit_en is not None else name.unit
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def count(value: float, threshold: int, lang: str) -> str:
    """A case count for officials: below ``threshold`` it reads ``<threshold`` (never a small number)."""
    if math.isnan(value):
        return "tidak diketahui" if lang == "id" else "unknown"
    if value < threshold:
        return f"<{threshold}"
    return number(round(value), lang, 0)


def multiple(ratio: float) -> tuple[str, str] | None:
    """``2.0`` -> ("dua kali lipat", "twice"); halves in digits; None below 1.75."""
    if ratio < 1.75:
        return None
    halves = round(ratio * 2) / 2
    if halves == int(halves) and int(halves) in _MULTIPLES:
        word_id, word_en = _MULTIPLES[int(halves)]
        return f"{word_id} kali lipat", word_en
    return f"{number(halves, 'id')} kali lipat", f"{number(halves, 'en')} times"
