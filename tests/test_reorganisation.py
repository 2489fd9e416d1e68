"""The 1 July 2025 reorganisation (KPI.md "Units across the 1 July 2025 reorganisation"), through the CLI and the
query layer on real DuckDB files: two unit lists, codes reused with new meanings, split communes, late old codes.

Facts used (warehouse/reference/unit_changes_2025.csv): today's Phường Tân Ninh (25459) is old Phường 1 (25456),
Phường 3 (25459), Phường IV (25462), Hiệp Ninh (25465), Phường 2 (25468), all of Thành phố Tây Ninh (703), and
part of Xã Thái Bình (25597, of Huyện Châu Thành 708), which was split between Tân Ninh and Xã Châu Thành (25585).
Code 80 was Long An and is today's Tây Ninh; 72 is in no list since 1 July 2025.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from etl.load import load_files
from tests.support import ROOT, cli_kpi, env
from warehouse.kpi import kpis
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import Reader, Store

ALL = Scope.everything()
OLD = "2025-06-30"
TAN_NINH_WHOLE = ("25456", "25459", "25462", "25465", "25468")  # merged whole into Phường Tân Ninh
THAI_BINH = "25597"  # split: Phường Tân Ninh and Xã Châu Thành


def export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """(id, unit code, received dd/mm/yyyy) → a shape-A CSV, every dossier resolved on the day received."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Mã hồ sơ", "Lĩnh vực", "Mã ĐVHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
                      "Trạng thái", "Cấp giải quyết"])
        for id_, unit, day, *level in rows:
            out.writerow([id_, "Hộ tịch", unit, day, day, day, "Đã có kết quả", level[0] if level else "Xã"])
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reorg")
    rows = [(f"old-{code}", code, "10/03/2024") for code in TAN_NINH_WHOLE]
    rows += [("split-1", THAI_BINH, "11/03/2024"), ("split-2", THAI_BINH, "12/03/2024")]
    rows += [("long-an-district", "794", "12/03/2024", "Huyện"), ("old-province", "72", "13/03/2024", "Tỉnh"),
             ("long-an-province", "80", "13/03/2024", "Tỉnh")]
    rows += [("new-tan-ninh", "25459", "10/03/2026"), ("new-chau-thanh", "25585", "11/03/2026")]
    # an old system after the reform: a merged-away code, the old province, and Huyện level
    rows += [("late-old-code", "25456", "12/03/2026"), ("late-72", "72", "12/03/2026", "Huyện")]
    db = tmp / "wh.duckdb"
    report = load_files(db, [export(tmp / "reorg.csv", rows)])
    return db, report


def figures(db: Path, date_from: str, date_to: str, *args: str) -> dict:
    return cli_kpi(db, "--from", date_from, "--to", date_to, *args)


def test_a_new_communes_2024_figures_are_its_whole_predecessors_and_its_split_share(warehouse):
    db, _ = warehouse
    tan_ninh = figures(db, "2024-01-01", "2024-12-31", "--unit", "25459")
    # five whole predecessors, and Xã Thái Bình counted in exactly one successor: the one that kept its code,
    # else the first listed (Tân Ninh) — README "Split communes"
    assert tan_ninh["received_new"] == 5 + 2
    chau_thanh = figures(db, "2024-01-01", "2024-12-31", "--unit", "25585")
    assert chau_thanh["received_new"] == 0
    province = figures(db, "2024-01-01", "2024-12-31")
    assert province["received_new"] == 10  # every 2024 dossier exactly once in today's province


def test_across_2025_a_commune_is_its_predecessors_before_and_itself_after(warehouse):
    db, _ = warehouse
    both = figures(db, "2024-01-01", "2026-12-31", "--unit", "25459")
    assert both["received_new"] == 7 + 1 + 1  # predecessors, itself, and the late old code 25456


def test_reused_code_25459_is_old_phuong_3_in_the_old_view(warehouse):
    db, _ = warehouse
    assert figures(db, "2024-01-01", "2024-12-31", "--unit", "25459", "--units-as-of", OLD)["received_new"] == 1
    district = figures(db, "2024-01-01", "2024-12-31", "--unit", "703", "--units-as-of", OLD)
    assert district["received_new"] == 5  # Thành phố Tây Ninh's own communes, coded where they were
    assert figures(db, "2024-01-01", "2024-12-31", "--unit", "708")["received_new"] == 2  # a district: old view


def test_code_80_is_long_an_in_the_old_view_and_todays_tay_ninh_by_default(warehouse):
    db, _ = warehouse
    long_an = figures(db, "2024-01-01", "2024-12-31", "--unit", "80", "--units-as-of", OLD)
    assert long_an["received_new"] == 2  # district 794 and the province itself
    today = figures(db, "2024-01-01", "2024-12-31", "--unit", "80")
    assert today["received_new"] == 10  # old Tây Ninh included
    assert figures(db, "2024-01-01", "2024-12-31", "--unit", "72")["received_new"] == 8  # an earlier list's code


def test_a_code_with_two_meanings_says_on_stderr_which_it_used(warehouse):
    db, _ = warehouse
    run = subprocess.run([sys.executable, "-m", "warehouse", "kpi", "--db", str(db), "--from", "2024-01-01",
                          "--to", "2024-12-31", "--unit", "25459", "--json"], cwd=ROOT, env=env(),
                         capture_output=True, text=True, check=True)
    assert "Phường Tân Ninh" in run.stderr and "Phường 3" in run.stderr and "--units-as-of 2025-06-30" in run.stderr


def test_units_as_of_that_is_not_a_date_exits_2(warehouse):
    db, _ = warehouse
    run = subprocess.run([sys.executable, "-m", "warehouse", "kpi", "--db", str(db), "--from", "2024-01-01",
                          "--to", "2024-12-31", "--units-as-of", "30/06/2025"], cwd=ROOT, env=env(),
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not a date" in run.stderr


def test_late_old_codes_after_the_reform_load_with_warnings_and_count_in_the_new_unit(warehouse):
    db, report = warehouse
    assert report.rows_loaded == report.rows_read == 14 and report.rows_quarantined == 0
    warnings = " ".join(report.files[0].warnings)
    assert "25456" in warnings and "72" in warnings and "Huyện" in warnings
    after = figures(db, "2026-01-01", "2026-12-31")
    assert after["received_new"] == 4
    assert figures(db, "2026-01-01", "2026-12-31", "--unit", "25459")["received_new"] == 2
    # in the old units' view, dossiers coded only in today's units have a bucket of their own
    con = Reader(Store(db)).cursor()
    old_view = kpis(con, Slice(date(2026, 1, 1), date(2026, 12, 31), unit="_new_units",
                               units_as_of=date(2025, 6, 30)), scope=ALL)
    assert old_view["received_new"] == 2


def test_split_dossiers_are_marked_as_an_estimate_below_the_province(warehouse):
    db, _ = warehouse
    con = Reader(Store(db)).cursor()
    commune = kpis(con, Slice(date(2024, 1, 1), date(2024, 12, 31), unit="25459"), scope=ALL)
    assert commune["estimated_dossiers"] == 2
    province = kpis(con, Slice(date(2024, 1, 1), date(2024, 12, 31)), scope=ALL)
    assert province["estimated_dossiers"] == 0  # in the province total each dossier counts exactly once


def assignment(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "assignment.csv"
    path.write_text("old_code,new_code\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_province_assignment_file_moves_a_split_commune(warehouse, tmp_path):
    db, _ = warehouse
    own = assignment(tmp_path, [f"{THAI_BINH},25585"])
    extra = {"IOC_UNIT_ASSIGNMENT_FILE": str(own)}
    run = subprocess.run([sys.executable, "-m", "warehouse", "migrate", "--db", str(db)], cwd=ROOT,
                         env=env() | extra, capture_output=True, text=True, check=True)
    assert run.returncode == 0
    assert cli_kpi(db, "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "25585", extra_env=extra)["received_new"] == 2
    assert cli_kpi(db, "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "25459", extra_env=extra)["received_new"] == 5
    subprocess.run([sys.executable, "-m", "warehouse", "migrate", "--db", str(db)], cwd=ROOT, env=env(), check=True)
    assert figures(db, "2024-01-01", "2024-12-31", "--unit", "25459")["received_new"] == 7


@pytest.mark.parametrize("line, message", [
    (f"{THAI_BINH},25480", "not a successor"),
    ("99999,25459", "not a unit"),
    (f"{THAI_BINH},25459\n{THAI_BINH},25585", "assigned twice"),
    (f"{THAI_BINH},25459\n\n{THAI_BINH},25585", "line 4"),  # a blank line still counts as a line
])
def test_a_bad_assignment_file_stops_the_app_naming_the_line(tmp_path, line, message):
    bad = assignment(tmp_path, line.split("\n"))
    run = subprocess.run([sys.executable, "app.py", "--db", str(tmp_path / "wh.duckdb")], cwd=ROOT,
                         env=env() | {"IOC_UNIT_ASSIGNMENT_FILE": str(bad)}, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2
    assert message in run.stderr and "line" in run.stderr
    assert not (tmp_path / "wh.duckdb").exists()  # nothing built, nothing served
