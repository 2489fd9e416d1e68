"""The KPI mart gives exactly the dossiers' figures, for every slice (issue 13).

``warehouse.kpi.query_kpis`` answers from the monthly KPI mart where it can and from the dossiers
otherwise; ``from_marts=False`` always reads the dossiers, the definition of KPI.md. A warehouse is
generated and loaded in three batches (the later ones change dossiers loaded before, so the mart's
incremental upkeep is exercised), then hypothesis draws slices: periods aligned to months or not,
ending before, on or after "now", both unit views, every filter and grouping.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import write_export
from tests.support import etl_load
from warehouse import kpi
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import Reader, Store

ALL = Scope.everything()
OLD_VIEW = date(2024, 6, 30)  # a day the 2024 list (with districts) was in force


def _export(path, rows: int, seed: int):
    """bench.synthetic's export, with a few agencies, empty fields and due times on a day's edge."""
    write_export(path, rows, seed)
    frame = pl.read_csv(path, infer_schema=False)
    n = frame.height
    agencies = pl.Series(["UBND", "Sở Tư pháp", "Sở Tài nguyên và Môi trường"] * (n // 3 + 1))[:n]
    fields = frame["Lĩnh vực"].to_list()
    due = frame["Ngày hẹn trả"].to_list()
    for i in range(0, n, 37):
        fields[i] = ""  # a dossier with no field: its own group
    for i in range(0, n, 11):
        due[i] = due[i][:10] + " 23:59:59"  # due on a day's last second: past due at that day's end
    for i in range(5, n, 29):
        due[i] = due[i][:10] + " 00:00:00"
    frame = frame.with_columns(pl.Series("Cơ quan giải quyết", agencies.shuffle(seed)),
                               pl.Series("Lĩnh vực", fields), pl.Series("Ngày hẹn trả", due))
    frame.write_csv(path)
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marts")
    db = folder / "warehouse.duckdb"
    # batch 2 and 3 reuse the first ids (B000000000...): new states of dossiers loaded before
    for rows, seed in ((4000, 11), (700, 12), (120, 13)):
        etl_load(db, _export(folder / f"export-{seed}.csv", rows, seed))
    reader = Reader(Store(db))
    con = reader.cursor()
    values = {
        "field": [r[0] for r in con.execute("select distinct field from fct_dossiers where field is not null")
                  .fetchall()][:6],
        "agency": [r[0] for r in con.execute("select distinct agency from fct_dossiers").fetchall()],
        "current_units": _units(con, "2025"), "old_units": _units(con, "2024"),
    }
    yield con, values
    con.close()


def _units(con, view: str) -> list[str]:
    """A few units of each depth in a view: the province, districts (in the old view), communes."""
    rows = con.execute("select distinct path[2], path[-1] from unit_views where view_list = ? and len(path) > 1 "
                       "order by 1, 2", [view]).fetchall()
    return sorted({r[0] for r in rows[::40]} | {r[1] for r in rows[::25]})


@st.composite
def periods(draw) -> list[tuple[date, date]]:
    """One to three periods: whole months (the mart's own cuts) or any days, up to two years long."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            start = date(draw(st.integers(2018, 2026)), draw(st.integers(1, 12)), 1)
            months = draw(st.integers(1, 24))
            end_month = date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
            end = end_month - timedelta(days=1)
        else:
            start = draw(st.dates(date(2018, 12, 1), date(2026, 12, 31)))
            end = start + timedelta(days=draw(st.integers(0, 730)))
        out.append((start, end))
    return out


@st.composite
def slices(draw, values: dict) -> tuple[list[tuple[date, date]], Slice, str, datetime]:
    chosen = draw(periods())
    old = draw(st.booleans())
    units = values["old_units"] if old else values["current_units"]
    filters = {name: draw(st.one_of(st.none(), st.sampled_from(values[name]))) if draw(st.booleans()) else None
               for name in ("field", "agency")}
    s = Slice(chosen[0][0], chosen[0][1],
              unit=draw(st.one_of(st.none(), st.sampled_from(units))),
              handling_level=draw(st.one_of(st.none(), st.sampled_from(["Tỉnh", "Huyện", "Xã"]))) if draw(
                  st.integers(0, 3)) == 0 else None,
              channel=draw(st.one_of(st.none(), st.sampled_from([1, 2, 3]))) if draw(st.integers(0, 3)) == 0 else None,
              units_as_of=OLD_VIEW if old else None, **filters)
    group_by = draw(st.sampled_from(kpi.DIMENSIONS))
    # "now" late in the data: periods ending today, and open dossiers past due at this instant
    now = datetime(2026, 9, 1) + timedelta(minutes=draw(st.integers(0, 90 * 24 * 60)))
    return chosen, s, group_by, now


def test_the_generated_warehouse_exercises_the_mart(warehouse):
    """Both paths have something to agree on: the later batches changed dossiers, and the mart holds
    every grain."""
    con, values = warehouse
    grains = {r[0] for r in con.execute("select distinct grain from mart_kpi_month").fetchall()}
    assert grains == {"unit", "field", "agency", "handling_level", "channel"}
    assert con.execute("select count(distinct batch_id) from fct_dossiers").fetchone()[0] == 3
    # the second batch folded the mart together (it grew by more than a quarter); the third's change
    # rows are still rows of their own, so both shapes of the mart are what the slices are held to
    cells = con.execute("select count(*), count(distinct (grain, month, unit_ref, field, agency, handling_level, "
                        "channel)) from mart_kpi_month").fetchone()
    assert cells[0] > cells[1]
    assert values["old_units"] and values["current_units"] and len(values["agency"]) == 3


def test_every_slice_gives_the_dossiers_figures(warehouse):
    con, values = warehouse

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(slices(values))
    def check(drawn):
        chosen, s, group_by, now = drawn
        reference = kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now, from_marts=False)
        answered = kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now)
        assert answered == reference

    check()


@pytest.mark.parametrize("now", [datetime(2026, 10, 31, 23, 59, 59), datetime(2026, 11, 30, 8, 0)])
def test_periods_ending_today_on_a_month_end(warehouse, now):
    """A period whose end is today and the last day of a month: the mart's months would end there, but
    pending_overdue is counted at the instant now, not at the day's end."""
    con, _ = warehouse
    for start in (date(2026, 1, 1), now.date().replace(day=1), date(2019, 1, 1)):
        chosen = [(start, now.date())]
        s = Slice(start, now.date())
        for group_by in ("none", "unit_child", "field"):
            reference = kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now, from_marts=False)
            assert kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now) == reference
            assert reference  # a slice with dossiers, not two empty answers


def test_today_counts_past_due_at_the_instant_not_at_the_day_end(warehouse):
    """A period ending today: a dossier open and due later today is not yet past due, one due at midnight
    is. The mart's total by the day's end counts both, less the open ones due between now and the end."""
    con, _ = warehouse
    days = con.execute(
        "select cast(due_at as date) from fct_dossiers where end_date is null and due_at::time = '23:59:59' "
        "and cast(due_at as date) > received_date group by 1 order by count(*) desc limit 3").fetchall()
    assert days, "the generated warehouse has open dossiers due on a day's last second"
    for (day,) in days:
        now = datetime.combine(day, datetime.min.time()) + timedelta(hours=12)
        for start in (day.replace(day=1), date(day.year, 1, 1)):
            chosen = [(start, day)]
            s = Slice(start, day)
            for group_by in ("none", "unit_child", "field"):
                reference = kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now, from_marts=False)
                assert kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now) == reference
        at_day_end = kpi.query_kpis(con, chosen, s, scope=ALL, now=now + timedelta(hours=12), from_marts=False)
        at_noon = kpi.query_kpis(con, chosen, s, scope=ALL, now=now, from_marts=False)
        assert at_noon[0]["pending_overdue"] < at_day_end[0]["pending_overdue"]  # the instant matters


def test_a_past_mid_month_end_counts_the_open_dossiers_that_fell_past_due_in_its_month(warehouse):
    """pending_overdue at the end of a past day inside a month is a running total: the mart's months up to
    that month, plus the month's days from the dossiers. Those days hold a dossier still open that was
    received long before and fell past due in the month, though nothing else happened to it there."""
    con, _ = warehouse
    open_due = con.execute(
        "select received_date, cast(due_at - interval '23:59:59.999' as date) + 1 as overdue_from from fct_dossiers "
        "where end_date is null and due_at is not null "
        "and date_trunc('month', cast(due_at - interval '23:59:59.999' as date) + 1) > received_date "
        "and day(cast(due_at - interval '23:59:59.999' as date) + 1) < 25 order by overdue_from limit 5").fetchall()
    assert open_due, "the generated warehouse has open dossiers that fell past due after their received month"
    for _, overdue_from in open_due:
        start, end = overdue_from.replace(day=1), overdue_from + timedelta(days=2)  # after it was received
        chosen = [(start, end)]
        s = Slice(start, end)
        now = datetime.combine(end + timedelta(days=40), datetime.min.time())
        for group_by in ("none", "field"):
            reference = kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now, from_marts=False)
            assert kpi.query_kpis(con, chosen, s, scope=ALL, group_by=group_by, now=now) == reference
            assert sum(r["pending_overdue"] for r in reference) > 0


def test_the_windows_days_are_covered_by_four_ranges_however_many_there_are():
    """kpi_plan.window_ranges: overlapping windows merge, more than four merge with their nearest
    neighbours, every window's days stay inside a range, and an unused range holds no day."""
    from warehouse.kpi_plan import WINDOW_RANGES, window_ranges

    windows = [(date(2025, m, 1), date(2025, m, 10)) for m in (1, 2, 3, 5, 9, 11)] + [(date(2025, 1, 1), date(2025, 1, 20))]
    ranges = window_ranges(windows)
    spans = [(ranges[f"window_from_{n}"], ranges[f"window_to_{n}"]) for n in range(1, WINDOW_RANGES + 1)]
    assert all(any(a <= first and last <= b for a, b in spans) for first, last in windows)
    assert all(a <= b for a, b in spans)
    empty = window_ranges([(date(2026, 10, 1), date(2026, 10, 30))])
    assert empty["window_from_2"] > empty["window_to_2"] and empty["due_from_2"] > empty["due_to_2"]
    assert empty["due_from_1"] == datetime(2026, 9, 30) and empty["due_to_1"].date() == date(2026, 10, 31)


def test_a_cut_reads_the_fewer_days_of_its_month():
    """kpi_plan.cut: a month's last day reads no day; a day early in a month adds its days up to it to the
    months before; a day late in a month takes the days after it from the months through it."""
    from warehouse.kpi_plan import Cut, cut

    assert cut(date(2026, 10, 31)) == Cut(date(2026, 11, 1), date(2026, 11, 1), date(2026, 10, 31), 1)
    assert cut(date(2026, 10, 5)) == Cut(date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 5), 1)
    assert cut(date(2026, 10, 30)) == Cut(date(2026, 11, 1), date(2026, 10, 31), date(2026, 10, 31), -1)
    assert cut(date(2024, 2, 15)).sign == -1 and cut(date(2024, 2, 14)).sign == 1  # 14 days after, 15 up to it


def test_an_instant_in_a_days_last_millisecond_is_answered_by_the_dossiers(warehouse):
    """Now after 23:59:59.999 of today is later than the day's end the mart's totals stop at; the plan only
    takes dossiers away from that total, so such a query reads the dossiers (and still agrees)."""
    from warehouse.kpi_plan import within_days

    day = date(2026, 10, 15)
    late = datetime(2026, 10, 15, 23, 59, 59, 999500)
    assert within_days([(day, day)], [datetime(2026, 10, 15, 23, 59, 59, 999000)])
    assert not within_days([(date(2026, 1, 1), day)], [late])
    con, _ = warehouse
    chosen, s = [(date(2026, 1, 1), day)], Slice(date(2026, 1, 1), day)
    assert kpi.query_kpis(con, chosen, s, scope=ALL, now=late) == \
        kpi.query_kpis(con, chosen, s, scope=ALL, now=late, from_marts=False)
