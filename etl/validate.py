"""Validation of canonical rows (DATA-CONTRACT.md, "What a load must do with every row").

Every row comes out in exactly one of two frames: typed and loaded, or quarantined
with a reason a person can act on. Values the contract does not know but that do
not make a figure wrong (an unknown channel, say) load with a warning.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from etl import contract
from etl.values import lookup, normalise_unit_code, parse_datetime, parse_fee

DATE_HINT_VI = "dùng dd/mm/yyyy [HH:MM[:SS]], yyyy-mm-dd hoặc yyyyMMddHHmmss"
DATE_HINT_EN = "use dd/mm/yyyy [HH:MM[:SS]], yyyy-mm-dd or yyyyMMddHHmmss"

# reason code → (Vietnamese, English) template; {value} is the offending text.
REASONS: dict[str, tuple[str, str]] = {
    "extra_cells": ("Dòng có nhiều ô hơn tiêu đề; có thể một giá trị chứa dấu phân cách mà không đặt trong "
                    "ngoặc kép (ví dụ phí 1,500,000); sửa dòng này trong tệp xuất",
                    "The row has more cells than the header; a value probably holds the delimiter without "
                    "quotes (e.g. a fee written 1,500,000); fix this row in the export"),
    "missing_id": ("Thiếu mã hồ sơ", "Missing dossier id"),
    "missing_received": ("Thiếu ngày tiếp nhận", "Missing received date"),
    "bad_received": (f"Ngày tiếp nhận không đọc được: '{{value}}' ({DATE_HINT_VI})",
                     f"Unreadable received date: '{{value}}' ({DATE_HINT_EN})"),
    "bad_due": (f"Ngày hẹn trả không đọc được: '{{value}}' ({DATE_HINT_VI})",
                f"Unreadable due date: '{{value}}' ({DATE_HINT_EN})"),
    "bad_processed": (f"Ngày có kết quả không đọc được: '{{value}}' ({DATE_HINT_VI})",
                      f"Unreadable processed (end) date: '{{value}}' ({DATE_HINT_EN})"),
    "bad_returned": (f"Ngày trả kết quả không đọc được: '{{value}}' ({DATE_HINT_VI})",
                     f"Unreadable returned date: '{{value}}' ({DATE_HINT_EN})"),
    "end_before_received": ("Ngày kết thúc ({value}) trước ngày tiếp nhận; kiểm tra lại hai ngày này",
                            "End ({value}) is before the received date; check both dates"),
    "bad_fee": ("Phí, lệ phí không đọc được: '{value}' (cần số đồng, ví dụ 150000 hoặc 150.000)",
                "Unreadable fee: '{value}' (expected đồng, e.g. 150000 or 150.000)"),
    "negative_fee": ("Phí, lệ phí âm: '{value}'", "Negative fee: '{value}'"),
    "unknown_status": ("Trạng thái không xác định: '{value}' (dùng mã 1–10 hoặc tên trạng thái chuẩn)",
                       "Unknown status: '{value}' (use a code 1-10 or a standard status name)"),
    "resolved_without_end": ("Trạng thái '{value}' là đã giải quyết nhưng thiếu ngày có kết quả và ngày trả kết quả",
                             "Status '{value}' says resolved but there is no end (processed or returned) date"),
}

# Coded columns whose unknown values load as blank, with a warning.
SOFT_LOOKUPS: dict[str, tuple[dict, object, str]] = {
    "channel": (contract.CHANNELS, 1, "Kênh nộp"),
    "service_level": (contract.SERVICE_LEVELS, None, "Mức độ DVC"),
    "payment_method": (contract.PAYMENT_METHODS, None, "Hình thức thanh toán"),
    "digitised": (contract.DIGITISED, False, "Số hóa"),
    "rating": (contract.RATINGS, None, "Mức độ hài lòng"),
    "handling_level": (contract.HANDLING_LEVELS, None, "Cấp giải quyết"),
    "paid_online": (contract.PAID_ONLINE, False, "DuocThanhToanTrucTuyen"),
}


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="etl-parse")


@dataclass
class Validated:
    """One chunk after validation."""

    loaded: pl.DataFrame
    quarantined: pl.DataFrame
    warnings: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, first row, detail)


def reason_text(code: str, value: pl.Expr, reasons: dict[str, tuple[str, str]] = REASONS) -> pl.Expr:
    """The bilingual reason for ``code`` (a key of ``reasons``) with the offending value filled in."""
    vi, en = reasons[code]
    template = f"{vi} / {en}"
    pieces = template.split("{value}")
    parts: list[pl.Expr] = [pl.lit(pieces[0])]
    for piece in pieces[1:]:
        parts += [value.cast(pl.String).fill_null(""), pl.lit(piece)]
    return pl.concat_str(parts)


Check = tuple[str, pl.Expr, pl.Expr]  # (reason code, the row fails it, the value the reason quotes)


def reason_text_of(checks: list[Check], reasons: dict[str, tuple[str, str]]) -> list[pl.Expr]:
    """``reason_code`` and ``reason`` columns: the first check a row fails names it (null: loaded)."""
    code_expr = pl.lit(None, dtype=pl.String)
    reason_expr = pl.lit(None, dtype=pl.String)
    for code, failed, value in reversed(checks):
        code_expr = pl.when(failed).then(pl.lit(code)).otherwise(code_expr)
        reason_expr = pl.when(failed).then(reason_text(code, value, reasons)).otherwise(reason_expr)
    return [code_expr.alias("reason_code"), reason_expr.alias("reason")]


def validate(chunk: pl.DataFrame) -> Validated:
    """Type a canonical chunk and split it into loaded and quarantined rows."""
    typed, warnings = _typed(chunk)
    end = pl.coalesce("processed_at", "returned_at")
    end_text = pl.coalesce("processed_at_text", "returned_at_text")
    extra_cells = pl.col("extra_cells") if "extra_cells" in chunk.columns else pl.lit(False)
    checks: list[Check] = [
        ("extra_cells", extra_cells, pl.lit("")),
        ("missing_id", pl.col("dossier_id").is_null(), pl.lit("")),
        ("missing_received", pl.col("received_at_text").is_null(), pl.lit("")),
        ("bad_received", pl.col("received_at").is_null(), pl.col("received_at_text")),
        ("bad_due", pl.col("due_at").is_null() & pl.col("due_at_text").is_not_null(), pl.col("due_at_text")),
        ("bad_processed", pl.col("processed_at").is_null() & pl.col("processed_at_text").is_not_null(),
         pl.col("processed_at_text")),
        ("bad_returned", pl.col("returned_at").is_null() & pl.col("returned_at_text").is_not_null(),
         pl.col("returned_at_text")),
        ("end_before_received", end.dt.date() < pl.col("received_at").dt.date(), end_text),
        ("bad_fee", pl.col("fee").is_null(), pl.col("fee_text")),
        ("negative_fee", pl.col("fee") < 0, pl.col("fee_text")),
        ("unknown_status", pl.col("status").is_null(), pl.col("status_text")),
        ("resolved_without_end", pl.col("status").is_in(contract.RESOLVED_STATUSES) & end.is_null(),
         pl.col("status_text")),
    ]
    judged = typed.with_columns(*reason_text_of(checks, REASONS))
    bad = pl.col("reason_code").is_not_null()
    quarantined = judged.filter(bad).select("row_number", "reason_code", "reason",
                                            pl.col("raw").struct.json_encode())
    loaded = judged.filter(~bad).select(*_LOADED_COLUMNS)
    return Validated(loaded, quarantined, warnings)


_LOADED_COLUMNS = (
    "row_number", "dossier_id", "procedure_code", "procedure_name", "field_code", "field", "agency",
    "handling_level", "unit_code", "channel", "service_level", "received_at", "due_at", "processed_at",
    "returned_at", "status", "fee", "payment_method", "paid_online", "digitised", "rating",
)


def _typed(chunk: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[str, int, str]]]:
    """Typed columns beside the original text of the ones a reason quotes."""
    warnings: list[tuple[str, int, str]] = []
    columns: dict[str, pl.Series] = {}
    dates = ("received_at", "due_at", "processed_at", "returned_at")
    # Polars releases the GIL: the four date columns parse on both cores at once.
    parsed = _POOL.map(lambda name: parse_datetime(chunk[name], end_of_day=(name == "due_at")), dates)
    for name, values in zip(dates, parsed, strict=True):
        columns[name] = values
        columns[f"{name}_text"] = chunk[name]
    columns["fee"] = parse_fee(chunk["fee"])
    columns["fee_text"] = chunk["fee"]
    columns["status"], _ = lookup(chunk["status"], contract.STATUS_CODES)
    columns["status_text"] = chunk["status"]
    columns["unit_code"] = normalise_unit_code(chunk["unit_code"])
    for name, (table, blank, label) in SOFT_LOOKUPS.items():
        values, unknown = lookup(chunk[name], table, blank=blank)
        columns[name] = values
        if unknown.any():
            bad = chunk.filter(unknown)
            examples = ", ".join(f"'{v}'" for v in bad[name].unique().head(3).to_list())
            warnings.append(("unknown_value", int(bad["row_number"][0]),
                             f"{label}: {bad.height} dòng có giá trị không nhận dạng được ({examples}), coi như để trống"
                             f" / {bad.height} row(s) with unknown {name} ({examples}), treated as blank"))
    passthrough = [c for c in chunk.columns if c not in columns]
    return chunk.select(passthrough).with_columns(**columns), warnings
