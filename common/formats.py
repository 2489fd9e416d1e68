"""Number, percent and date formats (Vietnamese ``1.234.567``, ``99,66%``, ``dd/mm/yyyy``), via Babel."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LOCALES = {"vi": "vi_VN", "en": "en_GB"}
DASH = "–"


def number(value: float | int | None, lang: str = "vi") -> str:
    """``1.234.567`` (vi) / ``1,234,567`` (en); a dash for no value."""
    if value is None:
        return DASH
    return format_decimal(value, format="#,##0", locale=LOCALES[lang])


def decimal(value: float | None, lang: str = "vi", digits: int = 1) -> str:
    """``14,0`` (vi) / ``14.0`` (en): durations and other measured quantities."""
    if value is None:
        return DASH
    return format_decimal(value, format="#,##0." + "0" * digits, locale=LOCALES[lang])


def percent(value: float | None, lang: str = "vi", digits: int = 2) -> str:
    """A fraction as ``99,66%``; a dash when the rate is undefined (no denominator)."""
    if value is None:
        return DASH
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(value, format=pattern, locale=LOCALES[lang]).replace("\xa0", "")


def points(value: float | None, lang: str = "vi", digits: int = 2) -> str:
    """A change between two rates in percentage points, signed: ``+1,25 điểm %``."""
    if value is None:
        return DASH
    text = format_decimal(abs(value) * 100, format="#,##0." + "0" * digits, locale=LOCALES[lang])
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{text} {'điểm %' if lang == 'vi' else 'pp'}"


def signed_number(value: int | None, lang: str = "vi") -> str:
    if value is None:
        return DASH
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + number(abs(value), lang)


def day(value: date | datetime | None, lang: str = "vi") -> str:
    """``dd/mm/yyyy``."""
    if value is None:
        return DASH
    return format_date(value, format="dd/MM/yyyy", locale=LOCALES[lang])


def moment(value: datetime | None, lang: str = "vi") -> str:
    """``dd/mm/yyyy HH:mm``."""
    if value is None:
        return DASH
    return format_datetime(value, format="dd/MM/yyyy HH:mm", locale=LOCALES[lang])


def month(value: date, lang: str = "vi") -> str:
    """``MM/yyyy``."""
    return format_date(value, format="MM/yyyy", locale=LOCALES[lang])


def hours_since(moment_: datetime | None, now: datetime) -> float | None:
    """Hours from ``moment_`` to ``now`` (None when there is no moment)."""
    if moment_ is None:
        return None
    return (now - moment_).total_seconds() / 3600


def files_summary(files: list[str], lang: str = "vi", shown: int = 3) -> str:
    """A batch's files, shortened when there are many: ``94 tệp: a.csv, b.csv, c.csv, … z.json``."""
    if len(files) <= shown + 1:
        return ", ".join(files)
    unit = "tệp" if lang == "vi" else "files"
    return f"{len(files)} {unit}: {', '.join(files[:shown])}, … {files[-1]}"
