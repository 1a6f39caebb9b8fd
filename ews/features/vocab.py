"""Words for officials: display names of signals, categories and region columns, and numbers.

Indonesian first, English second, everywhere. Unknown column names are
humanised (underscores to spaces, ``pct`` to %), so a new data source
still reads as words.
"""

from __future__ import annotations

import functools
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
    per_month: bool = False  # a count of events: its averages read "... sebulan" ("... a month")

    def label(self) -> tuple[str, str]:
        """Short (Indonesian, English) name for charts, capitalised."""
        id_text, en_text = self.short or (self.id, self.en)
        return capital(id_text), capital(en_text)


SIGNAL_NAMES: Final = {
    "kontak_pos_pengaduan": Name("kontak ke pos pengaduan", "complaint-post contacts", per_month=True),
    "panggilan_112_kdrt": Name(
        "panggilan Jakarta Siaga 112 terkait KDRT",
        "Jakarta Siaga 112 domestic-violence calls",
        short=("panggilan 112 KDRT", "112 domestic-violence calls"),
        per_month=True,
    ),
    "laporan_kader_rw": Name("laporan kader RW", "RW cadre reports", per_month=True),
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

_ID_SEPARATORS: Final = str.maketrans({",": ".", ".": ","})
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
    return text.translate(_ID_SEPARATORS) if lang == "id" else text


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


@functools.lru_cache(maxsize=64)
def period(months: int) -> tuple[str, str]:
    """A window ending last month: ``1`` -> "bulan lalu"; ``36`` -> "3 tahun terakhir" (never "36 bulan")."""
    if months == 1:
        return "bulan lalu", "last month"
    span_id, span_en = span(months)
    return f"{span_id} terakhir", f"the last {span_en}"


def span(months: float) -> tuple[str, str]:
    """Time as people say it: ``8`` -> "8 bulan", ``36`` -> "3 tahun", ``40`` -> "sekitar 3 tahun"."""
    whole = round(min(max(months, 0.0), 1200.0))
    if whole < 24:
        return f"{whole} bulan", f"{whole} month{'' if whole == 1 else 's'}"
    years = round(whole / 12)
    about_id, about_en = ("", "") if whole % 12 == 0 else ("sekitar ", "about ")
    return f"{about_id}{years} tahun", f"{about_en}{years} years"


def plain(value: float, name: Name) -> tuple[str, str]:
    """A signal value as a layperson reads it, (Indonesian, English), with the name's unit:
    1 decimal from 1 up, none from 10 up, 2 below 1."""
    if not math.isfinite(value):
        return "tidak diketahui", "unknown"
    size = abs(value)
    text_en = number(value, "en", 0 if size >= 10 else 1 if size >= 1 else 2)
    text_id = text_en.translate(_ID_SEPARATORS)
    if name.unit == "%":
        return f"{text_id}%", f"{text_en}%"
    unit_en = name.unit if name.unit_en is None else name.unit_en
    return (f"{text_id} {name.unit}" if name.unit else text_id), (
        f"{text_en} {unit_en}" if unit_en else text_en
    )


def shown(value: float) -> float:
    """``value`` rounded as :func:`plain` shows it, so comparisons agree with the printed numbers.

    Python's ``round`` on a Python float, like the formatting; numpy's rounds 4.35 to 4.4.
    """
    value = float(value)
    size = abs(value)
    return round(value, 0 if size >= 10 else 1 if size >= 1 else 2)
