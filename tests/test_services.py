"""The service catalogue (DATA-CONTRACT.md shape C) and its figures (KPI.md "Service catalogue"), through the
ETL and the CLI, on catalogues rebuilt from published counts."""
from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from etl.load import load_files
from tests.support import etl_load, run, write_catalogue, write_csv
from warehouse.scope import Scope
from warehouse.services import SERVICE_KEYS, not_in_catalogue, procedures, services, services_by
from warehouse.slice import Slice
from warehouse.store import Reader, Store

ALL = Scope.everything()
YEAR_2024 = Slice(date(2024, 1, 1), date(2024, 12, 31))


def cli_services(db, *args: str, check: bool = True):
    return run("-m", "warehouse", "services", "--db", str(db), *args, check=check)


def figures(db, *args: str) -> dict:
    return json.loads(cli_services(db, "--from", "2024-01-01", "--to", "2024-12-31", "--json", *args).stdout)


def published(counts: list[tuple[str, str | None, int]]) -> list[dict]:
    """Catalogue rows making up published counts: (levels, online level, how many)."""
    rows, n = [], 0
    for levels, online, count in counts:
        for _ in range(count):
            n += 1
            rows.append({"Mã TTHC": f"1.{n:06d}.000.00.00.H56", "Cấp thực hiện": levels, "Mức độ DVC": online or ""})
    return rows


def test_tay_ninh_2018_counts_come_back_by_level(tmp_path):
    """Tây Ninh 2018: 1,884 procedures, 1,446 provincial, 290 district, 148 commune (KPI.md)."""
    db = tmp_path / "wh.duckdb"
    path = write_catalogue(tmp_path / "danh_muc.csv", published(
        [("Tỉnh", "Toàn trình", 700), ("Cấp tỉnh", "Một phần", 646), ("Tỉnh", "", 100),
         ("Huyện", "4", 90), ("Cấp huyện", "3", 150), ("Huyện", "Cung cấp thông tin", 50),
         ("Xã", "Toàn trình", 48), ("Cấp xã", "Một phần", 80), ("Xã", "2", 20)]))
    summary = json.loads(etl_load(db, path).stdout)
    assert (summary["procedures_loaded"], summary["rows_read"], summary["rows_quarantined"]) == (1884, 1884, 0)
    assert summary["files"][0]["content"] == "catalogue"
    assert figures(db)["procedures_total"] == 1884
    assert [figures(db, "--level", lv)["procedures_total"] for lv in ("Tỉnh", "Huyện", "Xã")] == [1446, 290, 148]
    assert figures(db, "--level", "Huyện") == {
        "procedures_total": 290, "procedures_full_online": 90, "procedures_partly_online": 150,
        "procedures_online": 240, "procedures_with_dossiers": 0, "online_procedures_with_online_dossiers": 0}
    assert list(figures(db)) == list(SERVICE_KEYS)  # exactly KPI.md's keys, in its order


def test_my_tho_2022_all_online_split_by_level(tmp_path):
    """Mỹ Tho 2022: 389 procedures (263 city, 126 commune), 205 fully and 184 partly online."""
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_catalogue(tmp_path / "my_tho.csv", published(
        [("Huyện", "Toàn trình", 140), ("Huyện", "Một phần", 123), ("Xã", "Toàn trình", 65), ("Xã", "Một phần", 61)]),
        delimiter=";"))
    f = figures(db)
    assert (f["procedures_total"], f["procedures_full_online"], f["procedures_partly_online"],
            f["procedures_online"]) == (389, 205, 184, 389)
    assert figures(db, "--level", "Huyện")["procedures_total"] == 263
    assert figures(db, "--level", "xa")["procedures_total"] == 126  # the level as people type it


def test_a_multi_level_procedure_counts_once_in_the_total_and_once_per_level(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "A", "Cấp thực hiện": "Tỉnh, Huyện; Xã", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "B", "Cấp thực hiện": "Cấp tỉnh/Cấp xã", "Mức độ DVC": "Một phần"},
        {"Mã TTHC": "C", "Cấp thực hiện": "Xã"},
    ]))
    assert figures(db)["procedures_total"] == 3
    con = Reader(Store(db)).cursor()
    by_level = {r["group_key"]: r["procedures_total"] for r in services_by(con, YEAR_2024, "handling_level", scope=ALL)}
    assert by_level == {"Tỉnh": 2, "Huyện": 1, "Xã": 3}


def test_repealed_and_not_yet_in_force_procedures_are_left_out_at_the_right_dates(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "always", "Cấp thực hiện": "Tỉnh"},
        {"Mã TTHC": "from-july", "Cấp thực hiện": "Tỉnh", "Ngày hiệu lực": "01/07/2024"},
        {"Mã TTHC": "repealed-july", "Cấp thực hiện": "Tỉnh", "Ngày hiệu lực": "2020-01-01", "Ngày bãi bỏ": "01/07/2024"},
    ]))

    def total(to: str) -> int:
        out = cli_services(db, "--from", "2024-01-01", "--to", to, "--json").stdout
        return json.loads(out)["procedures_total"]

    # in force on `to`: valid from on or before it, not repealed by it
    assert (total("2024-06-30"), total("2024-07-01"), total("2024-12-31")) == (2, 2, 2)
    con = Reader(Store(db)).cursor()
    codes = {d: {p["procedure_code"] for p in procedures(con, Slice(date(2024, 1, 1), d), scope=ALL)}
             for d in (date(2024, 6, 30), date(2024, 7, 1))}
    assert codes[date(2024, 6, 30)] == {"always", "repealed-july"}
    assert codes[date(2024, 7, 1)] == {"always", "from-july"}


def test_procedures_used_are_counted_from_the_new_dossiers_of_the_slice(tmp_path):
    db = tmp_path / "wh.duckdb"
    catalogue = write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "P1", "Cấp thực hiện": "Xã", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "P2", "Cấp thực hiện": "Xã", "Mức độ DVC": "Một phần"},
        {"Mã TTHC": "P3", "Cấp thực hiện": "Tỉnh", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "P4", "Cấp thực hiện": "Tỉnh"},
    ])
    dossiers = write_csv(tmp_path / "d.csv", [
        # P1 used online in a commune; P2 used in person only; P3 only by a dossier carried over from 2023
        {"Mã hồ sơ": "a", "Mã TTHC": "P1", "Ngày tiếp nhận": "05/03/2024", "Kênh nộp": "Trực tuyến", "Mã ĐVHC": "25459"},
        {"Mã hồ sơ": "b", "Mã TTHC": "P2", "Ngày tiếp nhận": "05/03/2024", "Mã ĐVHC": "25459"},
        {"Mã hồ sơ": "c", "Mã TTHC": "P3", "Ngày tiếp nhận": "20/12/2023", "Kênh nộp": "Trực tuyến",
         "Cấp giải quyết": "Tỉnh", "Mã ĐVHC": "72"},
        {"Mã hồ sơ": "d", "Mã TTHC": "P2", "Ngày tiếp nhận": "05/03/2024", "Kênh nộp": "Trực tuyến",
         "Mã ĐVHC": "25462"},
        {"Mã hồ sơ": "e", "Mã TTHC": "X9", "Ngày tiếp nhận": "05/03/2024"},
    ])
    summary = json.loads(etl_load(db, catalogue, dossiers).stdout)  # one batch, catalogue beside dossiers
    assert summary["procedures_loaded"] == 4 and summary["rows_loaded"] == 9
    f = figures(db)
    assert (f["procedures_with_dossiers"], f["online_procedures_with_online_dossiers"]) == (2, 2)  # P1, P2
    assert figures(db, "--level", "Tỉnh")["procedures_with_dossiers"] == 0  # c is carried over, not new
    # a commune handles the Xã procedures; only its own dossiers count
    commune = figures(db, "--unit", "25459", "--units-as-of", "2024-12-31")
    assert (commune["procedures_total"], commune["procedures_with_dossiers"],
            commune["online_procedures_with_online_dossiers"]) == (2, 2, 1)
    # the dossier of a procedure the catalogue lacks: a warning, and on the data page with its count
    con = Reader(Store(db)).cursor()
    assert not_in_catalogue(con)[:2] == (1, 1)
    assert any("X9" in w for w in summary["files"][1]["warnings"])


def test_a_newer_catalogue_replaces_the_older_from_its_own_date_and_twice_changes_nothing(tmp_path):
    db = tmp_path / "wh.duckdb"
    old = write_catalogue(tmp_path / "2019.csv", [{"Mã TTHC": "P", "Cấp thực hiện": "Huyện", "Mức độ DVC": "Một phần"},
                                                  {"Mã TTHC": "Q", "Cấp thực hiện": "Tỉnh"}])
    new = write_catalogue(tmp_path / "2025.csv", [{"Mã TTHC": "P", "Cấp thực hiện": "Xã", "Mức độ DVC": "Toàn trình",
                                                   "Ngày hiệu lực": "01/07/2025"}])
    etl_load(db, old)
    etl_load(db, new)
    second = json.loads(etl_load(db, new).stdout)
    assert second["files"][0]["skipped"] and second["procedures_loaded"] == 0

    def level_counts(to: str) -> dict:
        con = Reader(Store(db)).cursor()
        rows = services_by(con, Slice(date(2025, 1, 1), date.fromisoformat(to)), "handling_level", scope=ALL)
        return {r["group_key"]: (r["procedures_total"], r["procedures_full_online"]) for r in rows}

    assert level_counts("2025-06-30") == {"Huyện": (1, 0), "Tỉnh": (1, 0)}   # 2024's structure kept
    assert level_counts("2025-12-31") == {"Xã": (1, 1), "Tỉnh": (1, 0)}      # Q, left out, stays


def test_bad_catalogue_rows_are_quarantined_with_their_reason(tmp_path):
    db = tmp_path / "wh.duckdb"
    path = write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "ok", "Cấp thực hiện": "Tỉnh"},
        {"Mã TTHC": "", "Cấp thực hiện": "Tỉnh"},
        {"Mã TTHC": "no-level", "Cấp thực hiện": "Trung ương"},
        {"Mã TTHC": "bad-online", "Cấp thực hiện": "Xã", "Mức độ DVC": "Mức 9"},
        {"Mã TTHC": "bad-date", "Cấp thực hiện": "Xã", "Ngày hiệu lực": "31/02/2024"},
        {"Mã TTHC": "backwards", "Cấp thực hiện": "Xã", "Ngày hiệu lực": "01/07/2025", "Ngày bãi bỏ": "01/01/2025"},
        {"Mã TTHC": "partly", "Cấp thực hiện": "Tỉnh, Trung ương"},
    ])
    summary = json.loads(etl_load(db, path).stdout)
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_quarantined"]) == (7, 2, 5)
    con = Reader(Store(db)).cursor()
    reasons = dict(con.execute("select row_number, reason_code from quarantined_rows").fetchall())
    assert reasons == {2: "missing_procedure_code", 3: "bad_levels", 4: "bad_online_level", 5: "bad_valid_from",
                       6: "repealed_before_valid"}
    assert any("Trung ương" in w for w in summary["files"][0]["warnings"]) or \
        con.execute("select count(*) from load_warnings where detail like '%Trung ương%'").fetchone()[0] == 1


def test_a_catalogue_missing_a_column_refuses_the_whole_batch(tmp_path):
    db = tmp_path / "wh.duckdb"
    dossiers = write_csv(tmp_path / "d.csv", [{"Mã hồ sơ": "a", "Ngày tiếp nhận": "05/03/2024"}])
    broken = tmp_path / "danh_muc.csv"
    broken.write_text("Mã TTHC,Tên TTHC,Lĩnh vực,Ngày hiệu lực\nA,Thủ tục A,Hộ tịch,\n", encoding="utf-8")
    refused = etl_load(db, dossiers, broken, check=False)
    assert refused.returncode != 0
    assert "danh_muc.csv" in refused.stderr and "Cấp thực hiện" in refused.stderr
    assert not db.exists() or Reader(Store(db)).cursor().execute("select count(*) from fct_dossiers").fetchone()[0] == 0


def test_a_file_with_a_dossier_id_is_a_dossier_export_even_with_catalogue_columns(tmp_path):
    db = tmp_path / "wh.duckdb"
    path = tmp_path / "x.csv"
    pl.DataFrame({"Mã hồ sơ": ["a"], "Lĩnh vực": ["Hộ tịch"], "Mã ĐVHC": ["25459"], "Ngày tiếp nhận": ["05/03/2024"],
                  "Trạng thái": ["2"], "Cấp thực hiện": ["Xã"], "Ngày hiệu lực": [""]}).write_csv(path)
    summary = json.loads(etl_load(db, path).stdout)
    assert summary["files"][0]["content"] == "dossiers" and summary["procedures_loaded"] == 0


def test_an_xlsx_catalogue_loads_like_a_csv(tmp_path):
    db = tmp_path / "wh.duckdb"
    path = tmp_path / "danh_muc.xlsx"
    pl.DataFrame({"Mã TTHC": ["A", "B"], "Tên TTHC": ["Thủ tục A", "Thủ tục B"], "Lĩnh vực": ["Đất đai", "Đất đai"],
                  "Cấp thực hiện": ["Tỉnh", "Xã"], "Mức độ DVC": ["4", "Toàn trình"],
                  "Ngày hiệu lực": [date(2020, 1, 1), None]}).write_excel(path)
    report = load_files(db, [path])
    assert (report.procedures_loaded, report.rows_quarantined) == (2, 0)
    con = Reader(Store(db)).cursor()
    assert services(con, YEAR_2024, scope=ALL)["procedures_full_online"] == 2


def test_a_level_that_is_not_a_level_exits_2(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_catalogue(tmp_path / "c.csv", [{"Mã TTHC": "A", "Cấp thực hiện": "Tỉnh"}]))
    bad = cli_services(db, "--from", "2024-01-01", "--to", "2024-12-31", "--level", "Bộ", check=False)
    assert bad.returncode == 2 and "Tỉnh, Huyện" in bad.stderr


@pytest.mark.parametrize("levels,expected", [
    ("Tỉnh", ["Tỉnh"]), ("Cấp xã; Cấp tỉnh", ["Tỉnh", "Xã"]), ("tinh/huyen/xa", ["Tỉnh", "Huyện", "Xã"]),
    ("", []), ("Trung ương", []),
])
def test_levels_are_read_as_people_write_them(levels, expected):
    from etl.validate_catalogue import parse_levels

    assert parse_levels(levels)[0] == expected


def test_grouped_by_unit_each_unit_has_the_figures_it_has_alone(tmp_path):
    """The figures grouped by child unit (the 766 ranking asks them so) are each child's own figures, in
    today's view (communes: Xã procedures) and before 1 July 2025 (a district: Huyện and Xã), also by level."""
    db = tmp_path / "wh.duckdb"
    catalogue = write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "T", "Cấp thực hiện": "Tỉnh", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "H", "Cấp thực hiện": "Huyện", "Mức độ DVC": "Một phần"},
        {"Mã TTHC": "X", "Cấp thực hiện": "Xã", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "HX", "Cấp thực hiện": "Huyện; Xã", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "ALL", "Cấp thực hiện": "Tỉnh, Huyện, Xã"},
    ])
    rows = [("X", "25459", "Trực tuyến"), ("HX", "25459", ""), ("H", "25462", "Trực tuyến"), ("T", "25585", ""),
            ("HX", "25585", "Trực tuyến"), ("ALL", "", "")]
    dossiers = write_csv(tmp_path / "d.csv", [
        {"Mã hồ sơ": f"d{i}", "Lĩnh vực": "Hộ tịch", "Mã TTHC": code, "Mã ĐVHC": unit, "Kênh nộp": channel,
         "Ngày tiếp nhận": "05/03/2024", "Trạng thái": "2"} for i, (code, unit, channel) in enumerate(rows)])
    load_files(db, [catalogue, dossiers])
    con = Reader(Store(db)).cursor()
    for parent, units_as_of in ((None, None), (None, date(2025, 6, 30)), ("703", date(2025, 6, 30))):
        s = Slice(date(2024, 1, 1), date(2024, 12, 31), unit=parent, units_as_of=units_as_of)
        for level in (None, "Xã", "Huyện"):
            sliced = Slice(s.date_from, s.date_to, unit=parent, units_as_of=units_as_of, handling_level=level)
            grouped = services_by(con, sliced, "unit_child", scope=ALL)
            assert len(grouped) > 1
            for row in grouped:
                if row["group_key"] == (parent or "80"):  # the dossiers coded at the parent itself: not a child
                    continue
                alone = services(con, Slice(s.date_from, s.date_to, unit=row["group_key"], units_as_of=units_as_of,
                                            handling_level=level), scope=ALL)
                assert {k: row[k] for k in SERVICE_KEYS} == alone, (parent, units_as_of, level, row["group_key"])
