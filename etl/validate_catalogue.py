"""Validation of service-catalogue rows (DATA-CONTRACT.md, shape C).

A catalogue row is quarantined, like a dossier row, when a figure would be wrong with it: no code, name or
field, no handling level that can be read, an online level or a date that cannot be read, a repeal before
its in-force date. A fee or a processing time that cannot be read loads blank, with a warning: no figure
uses them.
"""
from __future__ import annotations

import re

import polars as pl

from etl import contract
from etl.text import match_key
from etl.validate import DATE_HINT_EN, DATE_HINT_VI, Validated, reason_text_of
from etl.values import lookup, parse_datetime, parse_fee

LEVEL_ORDER = ("Tỉnh", "Huyện", "Xã")

REASONS: dict[str, tuple[str, str]] = {
    "missing_procedure_code": ("Thiếu mã TTHC", "Missing procedure code"),
    "missing_procedure_name": ("Thiếu tên TTHC", "Missing procedure name"),
    "missing_field": ("Thiếu lĩnh vực", "Missing field"),
    "bad_levels": ("Cấp thực hiện không đọc được: '{value}' (dùng Tỉnh, Huyện, Xã, cách nhau bởi , ; hoặc /)",
                   "Unreadable handling level: '{value}' (use Tỉnh, Huyện, Xã separated by , ; or /)"),
    "bad_online_level": ("Mức độ DVC không đọc được: '{value}' (dùng Toàn trình, Một phần, Cung cấp thông tin, "
                         "4, 3, 2 hoặc để trống)",
                         "Unreadable online level: '{value}' (use Toàn trình, Một phần, Cung cấp thông tin, "
                         "4, 3, 2 or blank)"),
    "bad_valid_from": (f"Ngày hiệu lực không đọc được: '{{value}}' ({DATE_HINT_VI})",
                       f"Unreadable in-force date: '{{value}}' ({DATE_HINT_EN})"),
    "bad_repealed_from": (f"Ngày bãi bỏ không đọc được: '{{value}}' ({DATE_HINT_VI})",
                          f"Unreadable repeal date: '{{value}}' ({DATE_HINT_EN})"),
    "repealed_before_valid": ("Ngày bãi bỏ ({value}) trước ngày hiệu lực; kiểm tra lại hai ngày này",
                              "Repealed ({value}) before it came into force; check both dates"),
}

_DAYS = re.compile(r"^\s*(\d+)")


def parse_levels(text: str | None) -> tuple[list[str], list[str]]:
    """The levels a "Cấp thực hiện" cell names, in the order Tỉnh, Huyện, Xã, and the parts it cannot read."""
    if text is None:
        return [], []
    found, unreadable = set(), []
    for part in re.split(contract.LEVEL_SEPARATORS, text):
        if not part.strip():
            continue
        level = contract.CATALOGUE_LEVELS.get(match_key(part))
        if level is None:
            unreadable.append(part.strip())
        else:
            found.add(level)
    return [lv for lv in LEVEL_ORDER if lv in found], unreadable


def parse_days(text: pl.Series) -> pl.Series:
    """Processing time in days from "15", "15 ngày", "15 ngày làm việc"; null when blank or unreadable."""
    return text.str.extract(_DAYS.pattern, 1).cast(pl.Int32, strict=False)


def validate_catalogue(chunk: pl.DataFrame) -> Validated:
    """Type a canonical catalogue chunk and split it into loaded and quarantined rows."""
    warnings: list[tuple[str, int, str]] = []
    distinct = chunk["levels"].drop_nulls().unique().to_list()
    parsed = {value: parse_levels(value) for value in distinct}
    levels = chunk["levels"].replace_strict({k: v[0] for k, v in parsed.items()}, default=None,
                                            return_dtype=pl.List(pl.String)) if parsed else \
        pl.Series("levels", [None] * chunk.height, dtype=pl.List(pl.String))
    partly = {k: v[1] for k, v in parsed.items() if v[0] and v[1]}
    if partly:
        rows = chunk.filter(pl.col("levels").is_in(list(partly)))
        examples = ", ".join(f"'{p}'" for p in sorted({p for v in partly.values() for p in v})[:3])
        warnings.append(("unknown_value", int(rows["row_number"][0]),
                         f"Cấp thực hiện: {rows.height} dòng có phần không nhận dạng được ({examples}), bỏ qua phần đó"
                         f" / {rows.height} row(s) name a level that cannot be read ({examples}), ignored"))
    online, online_unknown = lookup(chunk["online_level"], contract.CATALOGUE_ONLINE_LEVELS)
    pays_online, _ = lookup(chunk["pays_online"], contract.DIGITISED, blank=False)
    fee = parse_fee(chunk["fee"])
    days = parse_days(chunk["duration"])
    for name, bad, label in (("fee", fee.is_null(), "Phí, lệ phí"),
                             ("duration", days.is_null() & chunk["duration"].is_not_null(), "Thời hạn giải quyết")):
        if bad.any():
            rows = chunk.filter(bad)
            examples = ", ".join(f"'{v}'" for v in rows[name].unique().head(3).to_list())
            warnings.append(("unknown_value", int(rows["row_number"][0]),
                             f"{label}: {rows.height} dòng không đọc được ({examples}), coi như để trống"
                             f" / {rows.height} row(s) with unreadable {name} ({examples}), treated as blank"))
    valid_from = parse_datetime(chunk["valid_from"]).dt.date()
    repealed_from = parse_datetime(chunk["repealed_from"]).dt.date()
    typed = chunk.with_columns(
        levels_text=pl.col("levels"), levels=levels, online_level_text=pl.col("online_level"),
        online_level=online, online_unknown=online_unknown, pays_online=pays_online,
        fee=fee, duration_days=days, valid_from_text=pl.col("valid_from"), valid_from=valid_from,
        repealed_from_text=pl.col("repealed_from"), repealed_from=repealed_from,
    )
    checks = [
        ("missing_procedure_code", pl.col("procedure_code").is_null(), pl.lit("")),
        ("missing_procedure_name", pl.col("procedure_name").is_null(), pl.lit("")),
        ("missing_field", pl.col("field").is_null(), pl.lit("")),
        ("bad_levels", pl.col("levels").is_null() | (pl.col("levels").list.len() == 0), pl.col("levels_text")),
        ("bad_online_level", pl.col("online_unknown"), pl.col("online_level_text")),
        ("bad_valid_from", pl.col("valid_from").is_null() & pl.col("valid_from_text").is_not_null(),
         pl.col("valid_from_text")),
        ("bad_repealed_from", pl.col("repealed_from").is_null() & pl.col("repealed_from_text").is_not_null(),
         pl.col("repealed_from_text")),
        ("repealed_before_valid", pl.col("repealed_from") < pl.col("valid_from"), pl.col("repealed_from_text")),
    ]
    judged = typed.with_columns(*reason_text_of(checks, REASONS))
    bad = pl.col("reason_code").is_not_null()
    quarantined = judged.filter(bad).select("row_number", "reason_code", "reason", pl.col("raw").struct.json_encode())
    loaded = judged.filter(~bad).select(
        "row_number", "procedure_code", "procedure_name", "field", "levels", "online_level", "agency",
        "duration_days", "fee", "pays_online", "valid_from", "repealed_from")
    return Validated(loaded, quarantined, warnings)
