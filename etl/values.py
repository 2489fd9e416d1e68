"""Typing of export values: dates, fees and coded text, vectorised over Polars series.

Each parser returns the typed series; a value that was present but could not be
read comes back null, which is how the validator finds it.
"""
from __future__ import annotations

from datetime import timedelta

import polars as pl

from etl.text import match_key

DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f",
)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y%m%d")
# The shapes of those formats. chrono alone is lenient: its %Y also reads "24", "0024" or "-2024" and it
# accepts a leap second ":60", so "04/03/24" would load as the year 24 instead of being quarantined.
_TIME = r"[0-9]{1,2}:[0-9]{1,2}(:[0-5]?[0-9](\.[0-9]{1,9})?)?"
_DATE_SHAPE = (rf"^([0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}( {_TIME})?"
               rf"|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}([ T]{_TIME})?"
               r"|[0-9]{8}|[0-9]{12}[0-5][0-9])$")
END_OF_DAY = timedelta(hours=23, minutes=59, seconds=59)


def _parse_all_formats(text: pl.Series, end_of_day: bool) -> pl.Series:
    with_time = [text.str.to_datetime(f, strict=False, time_unit="us") for f in DATETIME_FORMATS]
    date_only = [text.str.to_date(f, strict=False).cast(pl.Datetime("us")) for f in DATE_FORMATS]
    if end_of_day:
        date_only = [d + END_OF_DAY for d in date_only]
    return pl.select(pl.coalesce(*with_time, *date_only)).to_series()


def parse_datetime(text: pl.Series, *, end_of_day: bool = False) -> pl.Series:
    """Local timestamps from any accepted date format; a date alone means 00:00
    (or 23:59:59 with ``end_of_day``, for due dates, as KPI.md says).

    Exports use one format per column, so the format of the first values is tried
    on the whole column and only the rest goes through every format.
    """
    name = text.name
    text = text.str.strip_chars()
    text = pl.select(pl.when(text.str.contains(_DATE_SHAPE)).then(text)).to_series()
    sample = text.drop_nulls().head(200)
    result = pl.Series(name, [None] * len(text), dtype=pl.Datetime("us"))
    if sample.len():
        candidates = [(f, False) for f in DATETIME_FORMATS] + [(f, True) for f in DATE_FORMATS]
        best = max(candidates, key=lambda c: _parses(sample, *c))
        result = _parse_one(text, *best, end_of_day=end_of_day)
    todo = result.is_null() & text.is_not_null()
    if todo.any():
        fallback = _parse_all_formats(text.filter(todo), end_of_day)
        result = result.scatter(todo.arg_true(), fallback)
    return result.alias(name)


def _parse_one(text: pl.Series, fmt: str, date_only: bool, *, end_of_day: bool = False) -> pl.Series:
    if not date_only:
        return text.str.to_datetime(fmt, strict=False, time_unit="us")
    parsed = text.str.to_date(fmt, strict=False).cast(pl.Datetime("us"))
    return parsed + END_OF_DAY if end_of_day else parsed


def _parses(sample: pl.Series, fmt: str, date_only: bool) -> int:
    return _parse_one(sample, fmt, date_only).is_not_null().sum()


_THOUSANDS = r"^\d{1,3}([.,]\d{3})+$"
_PLAIN = r"^\d+$"
_DECIMAL = r"^\d+[.,]\d{1,2}$"


def parse_fee(text: pl.Series) -> pl.Series:
    """Fees in đồng: ``150000``, ``150.000``, ``150,000``, ``150000.0`` (Excel), sums ``a+b``
    (shape B lists several fees); blank is 0. Negative stays negative (the validator refuses it)."""
    # Only a blank cell is 0: a unit word alone ("đ") is unreadable. Longer unit words go first, else
    # "đồng" lost its "đ" and left "ồng".
    compact = text.str.replace_all(r"\s", "")
    parts = pl.select(
        pl.when(compact.is_null() | (compact == "")).then(pl.lit("0"))
        .otherwise(compact.str.replace_all(r"(?i)đồng|vnđ|vnd|đ", ""))
    ).to_series().str.split("+")
    element = pl.element()
    negative = element.str.starts_with("-")
    digits = element.str.strip_prefix("-")
    magnitude = (
        pl.when(digits.str.contains(_PLAIN)).then(digits.cast(pl.Int64, strict=False))
        .when(digits.str.contains(_THOUSANDS)).then(digits.str.replace_all(r"[.,]", "").cast(pl.Int64, strict=False))
        .when(digits.str.contains(_DECIMAL))
        .then(digits.str.replace(",", ".").cast(pl.Float64, strict=False).round().cast(pl.Int64))
        .otherwise(None)
    )
    signed = pl.when(negative).then(-magnitude).otherwise(magnitude)
    values = parts.list.eval(signed)
    total = values.list.sum()
    unreadable = values.list.eval(pl.element().is_null()).list.any()
    return pl.select(pl.when(unreadable).then(None).otherwise(total)).to_series().alias(text.name)


def lookup(text: pl.Series, table: dict, *, blank=None) -> tuple[pl.Series, pl.Series]:
    """Coded text → value via ``match_key`` (``Đã trả kết quả`` = ``da tra ket qua`` = ``10``).

    Returns the values and a mask of present-but-unknown entries. Matching runs
    once per distinct value, so millions of rows cost a handful of lookups.
    """
    distinct = text.drop_nulls().unique().to_list()
    mapping = {value: table.get(match_key(value)) for value in distinct}
    dtype = pl.Boolean if isinstance(blank, bool) else (pl.String if isinstance(blank, str) else None)
    if dtype is None:
        sample = next((v for v in table.values() if v is not None), None)
        dtype = pl.Boolean if isinstance(sample, bool) else pl.Int8 if isinstance(sample, int) else pl.String
    values = text.replace_strict(mapping, default=None, return_dtype=dtype) if mapping else \
        pl.Series(text.name, [None] * len(text), dtype=dtype)
    unknown = text.is_not_null() & values.is_null()
    if blank is not None:
        values = values.fill_null(blank)
    return values, unknown


def normalise_unit_code(text: pl.Series) -> pl.Series:
    """Statistics-office codes zero-padded: 2 digits province, 3 district, 5 commune (``1`` = ``01``)."""
    code = text.str.strip_chars().str.replace(r"\.0+$", "")
    digits = code.str.contains(r"^\d+$")
    length = code.str.len_chars()
    padded = (
        pl.when(~digits).then(code)
        .when(length <= 2).then(code.str.zfill(2))
        .when(length == 3).then(code)
        .when(length <= 5).then(code.str.zfill(5))
        .otherwise(code)
    )
    return pl.select(padded).to_series().alias(text.name)
