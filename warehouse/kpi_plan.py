"""How a KPI query is answered from the KPI mart: which grain, and where each period's cuts fall.

``queries/kpi_counts_from_marts.sql`` adds each count up as a running total by the period's end
day minus one by the day before its start. A running total by a cut day is the mart's whole months
up to a month boundary plus or minus the dossiers' own events in the cut's *window*, the days between
the cut and that boundary: the mart's months before the cut's month plus its days up to the cut, or
the months through the cut's month minus its days after the cut, whichever reads fewer days (the
data's last day is often late in a month); nothing when the cut is a month's last day (a month, a
quarter, a year: the common case). The plan is made here, in Python, so the SQL gets constant bounds
its scans can skip data with.
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from warehouse.slice import Slice

# The mart's grains beside 'unit' (every unit alone): each holds one dimension as well.
GRAINS = ("field", "agency", "handling_level", "channel")
_END_OF_DAY = time(23, 59, 59, 999000)  # warehouse.slice.as_of_instant's end of a day


def grain(s: Slice, group_by: str) -> str | None:
    """The mart grain that answers the slice grouped by ``group_by``, or None when only the dossiers can
    (a procedure, or two dimensions at once)."""
    dimensions = {d for d in GRAINS if getattr(s, d) is not None}
    if group_by in GRAINS:
        dimensions.add(group_by)
    if s.procedure is not None or group_by == "procedure" or len(dimensions) > 1:
        return None
    return dimensions.pop() if dimensions else "unit"


class Cut(NamedTuple):
    """How the running total by a cut day is added up: the mart's months before ``months_before``, plus
    ``sign`` times the dossiers' events on the days ``days_from``..``days_to`` (none when from > to)."""

    months_before: date
    days_from: date
    days_to: date
    sign: int


def cut(day: date) -> Cut:
    """The plan of the running total by ``day``: whole months when it ends one, else the mart's months
    around its month and the fewer of its days before or after it, from the dossiers."""
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    after = day + timedelta(days=1)
    if day == last:
        return Cut(after, after, day, 1)  # no day to read
    if (last - day).days < day.day:  # fewer days after it than up to it: the month less those days
        return Cut(last + timedelta(days=1), after, last, -1)
    return Cut(first, first, day, 1)


def live_overdue(period_to: date, as_of: datetime) -> bool:
    """Whether pending_overdue needs a correction from the dossiers: at the end of a day it is a running
    total of dated events like the other counts; at an earlier as-of instant (now, for a period ending
    today or later) it is that total less the open dossiers due between the instant and T's end."""
    return as_of != datetime.combine(period_to, _END_OF_DAY)


def within_days(periods: Sequence[tuple[date, date]], as_of: Sequence[datetime]) -> bool:
    """Whether every as-of instant is at or before its period's end, as the plan assumes: the correction
    above only takes dossiers away. Now is later only in a day's last millisecond (after 23:59:59.999),
    and then the dossiers answer."""
    return all(instant <= datetime.combine(end, _END_OF_DAY) for (_, end), instant in zip(periods, as_of))


WINDOW_RANGES = 4  # queries/kpi_counts_from_marts.sql tests this many ranges of window days


def window_ranges(windows: Sequence[tuple[date, date]]) -> dict:
    """The windows' days as ``WINDOW_RANGES`` ranges (``window_from_N``, ``window_to_N``) that cover them all,
    and for each the due times (``due_from_N``, ``due_to_N``) of a dossier that falls past due in it (its
    first day past due is the day after its due day, or that day when due at its last instant). Overlapping
    windows are merged, then the closest neighbours, until there are few enough; unused ranges are empty."""
    merged: list[list[date]] = []
    for first, last in sorted(windows):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    while len(merged) > WINDOW_RANGES:
        gaps = [merged[i + 1][0] - merged[i][1] for i in range(len(merged) - 1)]
        i = gaps.index(min(gaps))
        merged[i:i + 2] = [[merged[i][0], merged[i + 1][1]]]
    merged += [[date.max, date.min]] * (WINDOW_RANGES - len(merged))  # a range no day is in
    out: dict = {}
    for n, (first, last) in enumerate(merged, start=1):
        empty = first > last
        out |= {f"window_from_{n}": first, f"window_to_{n}": last,
                f"due_from_{n}": datetime.max if empty else datetime.combine(first - timedelta(days=1), time.min),
                f"due_to_{n}": datetime.min if empty else datetime.combine(last + timedelta(days=1), time.max)}
    return out


def parameters(periods: Sequence[tuple[date, date]], as_of: Sequence[datetime]) -> dict:
    """The plan parameters of ``queries/kpi_counts_from_marts`` for the periods and their as-of instants."""
    lo = [cut(start - timedelta(days=1)) for start, _ in periods]
    hi = [cut(end) for _, end in periods]
    live = [live_overdue(end, instant) for (_, end), instant in zip(periods, as_of)]
    windows = [(c.days_from, c.days_to) for c in lo + hi if c.days_from <= c.days_to]  # each within one month
    live_from = [end + timedelta(days=1) for (_, end), is_live in zip(periods, live) if is_live]
    reads = [first for first, _ in windows] + live_from  # the earliest end day a dossier read can have
    live_instants = [instant for instant, is_live in zip(as_of, live) if is_live]
    live_day_ends = [datetime.combine(end, _END_OF_DAY) for (_, end), is_live in zip(periods, live) if is_live]
    months = [c.months_before for c in lo + hi]
    return {
        **{f"{side}_{name}": [getattr(c, name) for c in cuts]
           for side, cuts in (("lo", lo), ("hi", hi)) for name in Cut._fields},
        "max_month": max(months), "history_to": min(c.months_before for c in lo), "live_overdue": live,
        "any_live": any(live),
        "live_due_from": min(live_instants, default=datetime.max), "live_due_to": max(live_day_ends, default=datetime.min),
        **window_ranges(windows),
        "scan_recent": bool(reads), "recent_from": min(reads, default=date.max),
        "recent_to": max([last for _, last in windows] + [end for _, end in periods]),  # the latest day read
    }
