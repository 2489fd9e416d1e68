"""Named periods (this month, year to date, ...) and monthly series, relative to a reference day."""
from __future__ import annotations

from datetime import date, timedelta

PRESETS: dict[str, tuple[str, str]] = {
    "this_month": ("Tháng này", "This month"),
    "last_month": ("Tháng trước", "Last month"),
    "this_quarter": ("Quý này", "This quarter"),
    "year_to_date": ("Từ đầu năm", "Year to date"),
    "last_12_months": ("12 tháng gần nhất", "Last 12 months"),
    "custom": ("Tùy chọn", "Custom"),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def preset_range(name: str, today: date) -> tuple[date, date]:
    """[from, to] of a named period ending on ``today`` (the newest day with data)."""
    if name == "this_month":
        return month_start(today), today
    if name == "last_month":
        start = add_months(today, -1)
        return start, month_end(start)
    if name == "this_quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if name == "year_to_date":
        return date(today.year, 1, 1), today
    if name == "last_12_months":
        return add_months(today, -11), today
    raise ValueError(f"unknown period preset: {name!r}")


def months_ending(day: date, count: int) -> list[tuple[date, date]]:
    """``count`` calendar months up to and including ``day``'s month (the last one ends on ``day``)."""
    starts = [add_months(day, -i) for i in range(count - 1, -1, -1)]
    return [(s, min(month_end(s), day)) for s in starts]
