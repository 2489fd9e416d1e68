"""The edges of KPI.md, each on a handful of dossiers loaded through the ETL."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from etl.load import load_files
from tests.support import write_csv
from warehouse.kpi import RATING_KEYS, kpis, kpis_by
from warehouse.scope import Scope
from warehouse.slice import Slice, as_of_instant
from warehouse.store import Reader, Store

MARCH = (date(2024, 3, 1), date(2024, 3, 31))

ALL = Scope.everything()  # the rules themselves; scopes are tested in test_access.py


def load(tmp_path: Path, rows: list[dict]):
    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / f"export-{len(rows)}.csv", rows)])
    return Reader(Store(db)).cursor()


def figures(con, period=MARCH, unit=None, now=None, **filters) -> dict:
    return kpis(con, Slice(*period, unit=unit, **filters), scope=ALL, now=now)


def dossier(id_: str, received: str, **cells) -> dict:
    return {"Mã hồ sơ": id_, "Ngày tiếp nhận": received, **cells}


def test_carried_over_counts_only_what_was_open_at_the_start(tmp_path):
    con = load(tmp_path, [
        dossier("open", "20/02/2024", **{"Ngày hẹn trả": "10/03/2024"}),
        dossier("closed-before", "10/02/2024", **{"Ngày có kết quả": "29/02/2024", "Trạng thái": "Đã có kết quả"}),
        dossier("closed-on-first-day", "10/02/2024", **{"Ngày có kết quả": "01/03/2024", "Trạng thái": "Đã có kết quả"}),
        dossier("new", "05/03/2024"),
    ])
    f = figures(con)
    assert (f["received_new"], f["received_carried_over"], f["received_total"]) == (1, 2, 3)
    assert (f["resolved_total"], f["pending_total"]) == (1, 2)


def test_as_of_is_end_of_day_for_past_periods_and_now_for_today():
    assert as_of_instant(date(2024, 3, 31), now=datetime(2024, 5, 1, 9)) == datetime(2024, 3, 31, 23, 59, 59, 999000)
    assert as_of_instant(date(2024, 5, 1), now=datetime(2024, 5, 1, 9)) == datetime(2024, 5, 1, 9)


def test_pending_overdue_uses_the_as_of_instant(tmp_path):
    con = load(tmp_path, [
        dossier("due-morning", "01/05/2024 07:00", **{"Ngày hẹn trả": "01/05/2024 08:00"}),
        dossier("due-evening", "01/05/2024 07:00", **{"Ngày hẹn trả": "01/05/2024 17:00"}),
        dossier("due-date-only", "01/05/2024 07:00", **{"Ngày hẹn trả": "01/05/2024"}),  # 23:59:59
    ])
    today = (date(2024, 5, 1), date(2024, 5, 1))
    at_noon = figures(con, today, now=datetime(2024, 5, 1, 12))
    assert (at_noon["pending_total"], at_noon["pending_overdue"], at_noon["pending_on_track"]) == (3, 1, 2)
    past = figures(con, today, now=datetime(2024, 6, 1))  # whole day: as of 23:59:59.999
    assert past["pending_overdue"] == 3


def test_withdrawn_and_stopped_with_an_end_are_on_time_else_pending(tmp_path):
    late_end = {"Ngày hẹn trả": "05/03/2024", "Ngày có kết quả": "20/03/2024"}
    con = load(tmp_path, [
        dossier("withdrawn", "01/03/2024", **late_end, **{"Trạng thái": "Công dân rút"}),
        dossier("stopped", "01/03/2024", **late_end, **{"Trạng thái": "8"}),
        dossier("paused", "01/03/2024", **{"Ngày hẹn trả": "05/03/2024", "Trạng thái": "Tạm dừng"}),
        dossier("late", "01/03/2024", **late_end, **{"Trạng thái": "Đã có kết quả"}),
    ])
    f = figures(con)
    assert (f["resolved_on_time"], f["resolved_late"], f["pending_total"], f["pending_overdue"]) == (2, 1, 1, 1)


def test_no_due_date_is_on_time_and_never_overdue(tmp_path):
    con = load(tmp_path, [
        dossier("done", "01/03/2024", **{"Ngày có kết quả": "30/03/2024", "Trạng thái": "10"}),
        dossier("open", "01/03/2024"),
    ])
    f = figures(con)
    assert (f["resolved_on_time"], f["pending_overdue"], f["pending_on_track"]) == (1, 0, 1)


def test_same_day_end_is_compared_by_calendar_day(tmp_path):
    con = load(tmp_path, [
        # ends later in the day than it was due: still the same day, so on time
        dossier("same-day", "04/03/2024 08:00", **{"Ngày hẹn trả": "04/03/2024 10:00",
                                                    "Ngày có kết quả": "04/03/2024 16:00", "Trạng thái": "9"}),
        dossier("early", "04/03/2024 08:00", **{"Ngày hẹn trả": "06/03/2024",
                                                 "Ngày có kết quả": "05/03/2024 23:59", "Trạng thái": "9"}),
        # returned date stands in when there is no processed date
        dossier("returned-late", "04/03/2024", **{"Ngày hẹn trả": "06/03/2024",
                                                   "Ngày trả kết quả": "07/03/2024", "Trạng thái": "10"}),
    ])
    f = figures(con)
    assert (f["resolved_early"], f["resolved_on_time"], f["resolved_late"]) == (1, 1, 1)
    assert f["on_time_rate"] == 2 / 3 and f["early_rate"] == 1 / 3 and f["late_rate"] == 1 / 3


def test_not_received_and_refused_intake_count_nowhere(tmp_path):
    con = load(tmp_path, [
        dossier("submitted", "04/03/2024", **{"Trạng thái": "Mới đăng ký", "Kênh nộp": "Trực tuyến"}),
        dossier("refused", "04/03/2024", **{"Trạng thái": "Không được tiếp nhận"}),
        dossier("real", "04/03/2024"),
    ])
    f = figures(con)
    assert (f["received_new"], f["received_online"], f["pending_total"]) == (1, 0, 1)


def test_unit_means_it_and_everything_below(tmp_path):
    con = load(tmp_path, [
        dossier("commune", "04/03/2024", **{"Mã ĐVHC": "25459"}),       # a commune of Thành phố Tây Ninh (703)
        dossier("district", "04/03/2024", **{"Mã ĐVHC": "703"}),         # coded at the district itself
        dossier("other-district", "04/03/2024", **{"Mã ĐVHC": "710"}),
        dossier("province", "04/03/2024", **{"Mã ĐVHC": "72"}),
        dossier("unknown", "04/03/2024", **{"Mã ĐVHC": "99999"}),
    ])
    assert figures(con)["received_new"] == 5                # today's province, the unknown code included
    assert figures(con, unit="72")["received_new"] == 4     # the old Tây Ninh (an earlier list's code)
    assert figures(con, unit="703")["received_new"] == 2
    assert figures(con, unit="25459")["received_new"] == 1
    assert figures(con, unit="710")["received_new"] == 1
    with pytest.raises(ValueError):
        figures(con, unit="12345678")


def test_rates_are_null_without_a_denominator_and_follow_their_bases(tmp_path):
    con = load(tmp_path, [
        dossier("a", "04/03/2024", **{"Kênh nộp": "Trực tuyến", "Mức độ DVC": "Toàn trình", "Phí, lệ phí": "50.000",
                                      "Hình thức thanh toán": "Trực tuyến", "Số hóa": "Có"}),
        dossier("b", "04/03/2024", **{"Mức độ DVC": "4", "Phí, lệ phí": "50000", "Hình thức thanh toán": "Chuyển khoản"}),
        dossier("c", "04/03/2024", **{"Phí, lệ phí": "20,000", "Hình thức thanh toán": "Tiền mặt"}),
        dossier("d", "04/03/2024", **{"Kênh nộp": "BCCI"}),
    ])
    f = figures(con)
    assert f["online_rate"] == 1 / 4
    assert f["full_online_rate"] == 1 / 2
    assert f["cashless_rate"] == 2 / 3 and f["online_payment_rate"] == 1 / 3
    assert f["digitised_rate"] == 1 / 4
    assert f["resolved_total"] == 0 and f["on_time_rate"] is None and f["satisfaction_rate"] is None
    empty = figures(con, (date(2020, 1, 1), date(2020, 1, 31)))
    assert empty["received_total"] == 0 and all(empty[k] is None for k in ("online_rate", "late_rate"))


def test_satisfaction_counts_rated_dossiers_resolved_in_the_period(tmp_path):
    done = {"Ngày có kết quả": "10/03/2024", "Trạng thái": "9"}
    con = load(tmp_path, [
        dossier("very", "04/03/2024", **done, **{"Mức độ hài lòng": "Rất hài lòng"}),
        dossier("ok", "04/03/2024", **done, **{"Mức độ hài lòng": "hai long"}),
        dossier("unhappy", "04/03/2024", **done, **{"Mức độ hài lòng": "Không hài lòng"}),
        dossier("unrated", "04/03/2024", **done),
        dossier("pending-rated", "04/03/2024", **{"Mức độ hài lòng": "Không hài lòng"}),
    ])
    assert figures(con)["satisfaction_rate"] == 2 / 3


def test_rating_distribution_is_the_base_of_the_satisfaction_rate(tmp_path):
    done = {"Ngày có kết quả": "10/03/2024", "Trạng thái": "9"}
    con = load(tmp_path, [
        dossier("very", "04/03/2024", **done, **{"Mức độ hài lòng": "Rất hài lòng", "Cơ quan giải quyết": "Sở A"}),
        dossier("ok", "04/03/2024", **done, **{"Mức độ hài lòng": "Hài lòng", "Cơ quan giải quyết": "Sở A"}),
        dossier("ok-2", "04/03/2024", **done, **{"Mức độ hài lòng": "Hài lòng", "Cơ quan giải quyết": "Sở B"}),
        dossier("unhappy", "04/03/2024", **done, **{"Mức độ hài lòng": "Không hài lòng", "Cơ quan giải quyết": "Sở B"}),
        dossier("unrated", "04/03/2024", **done, **{"Cơ quan giải quyết": "Sở B"}),
        dossier("pending-rated", "04/03/2024", **{"Mức độ hài lòng": "Không hài lòng"}),
        dossier("resolved-in-april", "04/03/2024", **{"Ngày có kết quả": "02/04/2024", "Trạng thái": "9",
                                                       "Mức độ hài lòng": "Không hài lòng"}),
    ])
    s = Slice(*MARCH)
    total = kpis(con, s, scope=ALL)
    assert {k: total[k] for k in RATING_KEYS} == {"very_satisfied": 1, "satisfied": 2, "dissatisfied": 1,
                                                   "not_rated": 1}
    assert (total["rated_total"], total["resolved_total"]) == (4, 5)
    assert sum(total[k] for k in RATING_KEYS) == total["resolved_total"]
    assert (total["very_satisfied"] + total["satisfied"]) / total["rated_total"] == total["satisfaction_rate"]
    by_agency = {r["group_key"]: (r["very_satisfied"], r["satisfied"], r["dissatisfied"], r["not_rated"])
                 for r in kpis_by(con, s, "agency", scope=ALL) if r["resolved_total"]}
    assert by_agency == {"Sở A": (1, 1, 0, 0), "Sở B": (0, 1, 1, 1)}
    with pytest.raises(ValueError):
        kpis_by(con, s, "rating; drop table fct_dossiers", scope=ALL)


def test_filters_slice_by_field_level_and_channel(tmp_path):
    con = load(tmp_path, [
        dossier("land", "04/03/2024", **{"Lĩnh vực": "Đất đai", "Cấp giải quyết": "Huyện", "Mã ĐVHC": "703"}),
        dossier("civil", "04/03/2024", **{"Kênh nộp": "Trực tuyến"}),
    ])
    assert figures(con, field="Đất đai")["received_new"] == 1
    assert figures(con, handling_level="Xã")["received_new"] == 1
    assert figures(con, channel=2)["received_online"] == 1


def test_overdue_list_holds_exactly_the_pending_overdue_dossiers(tmp_path):
    from warehouse.kpi import overdue_dossiers

    con = load(tmp_path, [
        dossier("late-open", "01/03/2024", **{"Ngày hẹn trả": "05/03/2024", "Mã ĐVHC": "703"}),
        dossier("later-open", "01/03/2024", **{"Ngày hẹn trả": "20/03/2024"}),
        dossier("closed", "01/03/2024", **{"Ngày hẹn trả": "05/03/2024", "Ngày có kết quả": "10/03/2024",
                                           "Trạng thái": "9"}),
        dossier("not-due", "01/03/2024", **{"Ngày hẹn trả": "05/04/2024"}),
    ])
    rows = overdue_dossiers(con, Slice(*MARCH), scope=ALL)
    assert [r["dossier_id"] for r in rows] == ["late-open", "later-open"]
    assert len(rows) == figures(con)["pending_overdue"]
    assert rows[0]["days_overdue"] == 26 and rows[0]["unit_name"] == "Tỉnh Tây Ninh"  # today's units: the province
    as_coded = overdue_dossiers(con, Slice(*MARCH, units_as_of=date(2025, 6, 30)), scope=ALL)
    assert as_coded[0]["unit_name"] == "Thành phố Tây Ninh"  # the district it was coded in, in the old units


def test_due_soon_lists_pending_dossiers_due_within_the_window(tmp_path):
    from warehouse.kpi import due_soon_page

    con = load(tmp_path, [
        dossier("in-3h", "01/05/2024 07:00", **{"Ngày hẹn trả": "01/05/2024 15:00"}),
        dossier("tomorrow-9am", "01/05/2024 07:00", **{"Ngày hẹn trả": "02/05/2024 09:00"}),
        dossier("in-2-days", "01/05/2024 07:00", **{"Ngày hẹn trả": "03/05/2024"}),
        dossier("overdue", "01/05/2024 07:00", **{"Ngày hẹn trả": "01/05/2024 08:00"}),
    ])
    today = Slice(date(2024, 5, 1), date(2024, 5, 1))
    rows = due_soon_page(con, today, hours=24, scope=ALL, now=datetime(2024, 5, 1, 12)).rows
    assert [r["dossier_id"] for r in rows] == ["in-3h", "tomorrow-9am"]
    assert rows[0]["hours_left"] == 3


def test_dossier_list_holds_the_received_total(tmp_path):
    from warehouse.kpi import dossier_page

    con = load(tmp_path, [
        dossier("open", "20/02/2024", **{"Ngày hẹn trả": "10/03/2024"}),
        dossier("closed-before", "10/02/2024", **{"Ngày có kết quả": "29/02/2024", "Trạng thái": "9"}),
        dossier("late", "05/03/2024", **{"Ngày hẹn trả": "06/03/2024", "Ngày có kết quả": "20/03/2024",
                                         "Trạng thái": "9"}),
        dossier("after", "05/04/2024"),
    ])
    rows = dossier_page(con, Slice(*MARCH), scope=ALL).rows
    assert [r["dossier_id"] for r in rows] == ["late", "open"]
    assert len(rows) == figures(con)["received_total"]
    assert rows[0]["outcome"] == "late" and rows[1]["outcome"] is None


def test_a_page_of_a_list_comes_with_the_whole_lists_total_in_a_stable_order(tmp_path):
    from warehouse.kpi import dossier_page, overdue_page

    con = load(tmp_path, [dossier(f"d{i:02}", f"{1 + i % 9:02}/03/2024", **{"Ngày hẹn trả": "15/03/2024",
                                                                           "Lĩnh vực": "Đất đai" if i % 3 else "Hộ tịch"})
                          for i in range(23)])
    march = Slice(*MARCH)
    pages = [overdue_page(con, march, offset, 10, (("field", "asc"),), scope=ALL) for offset in (0, 10, 20)]
    assert [len(p.rows) for p in pages] == [10, 10, 3]
    assert {p.total for p in pages} == {23} == {figures(con)["pending_overdue"]}
    listed = [r["dossier_id"] for p in pages for r in p.rows]
    assert len(set(listed)) == 23  # no row on two pages, none missed
    assert [r["field"] for p in pages for r in p.rows] == sorted(r["field"] for p in pages for r in p.rows)
    assert overdue_page(con, march, 30, 10, scope=ALL) == ([], 23)

    newest = dossier_page(con, march, 0, 5, scope=ALL)
    oldest = dossier_page(con, march, 0, 5, (("received_at", "asc"),), scope=ALL)
    assert newest.total == oldest.total == figures(con)["received_total"] == 23
    assert newest.rows[0]["received_at"] > oldest.rows[0]["received_at"]
    by_id = dossier_page(con, march, 0, 23, (("dossier_id", "desc"),), scope=ALL)
    assert [r["dossier_id"] for r in by_id.rows] == [f"d{i:02}" for i in reversed(range(23))]


@pytest.mark.parametrize("sort", [(("unit_code; drop table fct_dossiers", "asc"),), (("field", "desc; --"),),
                                  (("end_at", "asc"),), (("nonexistent", "asc"),)])
def test_sorting_a_list_takes_only_whitelisted_columns(tmp_path, sort):
    from warehouse.kpi import overdue_page

    con = load(tmp_path, [dossier("a", "01/03/2024", **{"Ngày hẹn trả": "05/03/2024"})])
    with pytest.raises(ValueError, match="cannot sort"):
        overdue_page(con, Slice(*MARCH), 0, 10, sort, scope=ALL)
    with pytest.raises(ValueError, match="bad page"):
        overdue_page(con, Slice(*MARCH), -1, 10, scope=ALL)
    assert figures(con)["pending_overdue"] == 1  # nothing was dropped
