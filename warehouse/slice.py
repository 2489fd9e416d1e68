"""A slice of the dossiers: a period and optional filters, validated and normalised.

Every caller (pages, API, CLI, email) builds one of these; its ``key`` is what
caches store results under, so equal slices share one cached answer.
"""
from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHANNEL_CODES = {1: "in_person", 2: "online", 3: "postal"}
HANDLING_LEVELS = ("Tỉnh", "Huyện", "Xã")


def local_now() -> datetime:
    """Now, in Asia/Ho_Chi_Minh, as a naive local timestamp (how the warehouse stores time)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


def as_of_instant(period_to: date, now: datetime | None = None) -> datetime:
    """KPI.md: the end of day ``to`` when it is in the past, and now when ``to`` is today."""
    now = now or local_now()
    if period_to >= now.date():
        return now
    return datetime.combine(period_to, time(23, 59, 59, 999000))


def _year_earlier(day: date, keep_month_end: bool = False) -> date:
    """``day`` one year earlier; 29 February becomes 28 February, and with ``keep_month_end`` the last
    day of February stays the last day of February."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    earlier = day.replace(year=day.year - 1)
    if keep_month_end and day.month == 2 and day.day == 28 and calendar.isleap(earlier.year):
        return earlier.replace(day=29)
    return earlier


@dataclass(frozen=True)
class Slice:
    """A period [date_from, date_to] (both included) and filters; None means all.

    ``unit`` None is the whole province. ``units_as_of`` picks the hierarchy the unit is in: None is today's
    (the current unit list, the default everywhere); a date asks for the list in force on it
    (``warehouse.units.resolve`` decides, and normalises it to that list's last day).
    """

    date_from: date
    date_to: date
    unit: str | None = None
    field: str | None = None
    agency: str | None = None
    handling_level: str | None = None
    channel: int | None = None
    procedure: str | None = None
    units_as_of: date | None = None

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"period starts after it ends: {self.date_from} > {self.date_to}")
        if self.handling_level is not None and self.handling_level not in HANDLING_LEVELS:
            raise ValueError(f"unknown handling level: {self.handling_level!r}")
        if self.channel is not None and self.channel not in CHANNEL_CODES:
            raise ValueError(f"unknown channel: {self.channel!r}")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Slice:
        """The period of the same length just before this one."""
        return replace(self, date_from=self.date_from - timedelta(days=self.days),
                       date_to=self.date_from - timedelta(days=1))

    def same_period_last_year(self) -> Slice:
        """The same calendar days one year earlier (KPI cards' year-on-year change).

        29 February has no twin: a start or end on it moves to 28 February. A period ending on the
        last day of February, and starting on the first of a month, ends on the last day of February a
        year earlier, so a whole February or a year to date through February compares with the whole
        month (28 Feb 2025 → 29 Feb 2024); a single day or a week keeps its length.
        """
        starts_a_month = self.date_from.day == 1  # a day or a week ending 28 Feb keeps its length
        return replace(self, date_from=_year_earlier(self.date_from),
                       date_to=_year_earlier(self.date_to, keep_month_end=starts_a_month))

    def key(self) -> tuple:
        return tuple(sorted(asdict(self).items()))
