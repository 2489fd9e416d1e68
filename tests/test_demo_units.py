"""The demo province across the 1 July 2025 reorganisation (etl/demo_data.py, PRODUCT.md "The demo warehouse").

Five small months around the date (2025-05 .. 2025-09): before it, dossiers of
the old Tây Ninh (72) and the old Long An (80 in the 2024 list) in their old
units; from it, the 96 communes of today's Tây Ninh (80 in the 2025 list), the
open dossiers carried across, and for three months a few old codes an old system
still sends. The reference lists and the conversion table are read here on their
own, so the generator's reading of them is checked, not repeated.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from etl.demo_data import (FIELDS, LATE_CODES, UNIT_CHANGES_CSV, UNITS_2024_CSV, UNITS_2025_CSV, UNKNOWN_UNIT,
                           generate_exports)
from tests.test_demo_data import LEVEL_OF, assert_bad_rows_as_planned, read_rows, read_units, root

RUN = {"start": date(2025, 5, 1), "today": date(2025, 10, 15), "scale": 0.1}  # ~75 dossiers a day
FILES = ["dong_bo_2025-05.ndjson", "dong_bo_2025-06.json", "dong_bo_2025-07.ndjson", "dong_bo_2025-08.json",
         "dong_bo_2025-09.ndjson"]
REFORM = datetime(2025, 7, 1)
COMMUNE_PROCEDURES = {p.code for f in FIELDS for p in f.procedures if p.level == "Xã"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[Path]:
    return generate_exports(tmp_path_factory.mktemp("reform"), **RUN)


@pytest.fixture(scope="module")
def all_rows(exports) -> pl.DataFrame:
    return read_rows(exports).with_columns(
        pl.col("file").str.extract(r"(\d{4}-\d{2})").str.to_date("%Y-%m").alias("month"))


@pytest.fixture(scope="module")
def rows(all_rows) -> pl.DataFrame:
    return all_rows.filter(~pl.col("extra") & ~pl.col("repeat"))


@pytest.fixture(scope="module")
def old_units() -> dict[str, dict[str, str]]:
    return read_units(UNITS_2024_CSV)


@pytest.fixture(scope="module")
def new_units() -> dict[str, dict[str, str]]:
    return read_units(UNITS_2025_CSV)


@pytest.fixture(scope="module")
def successor() -> dict[str, str]:
    """Old commune → the new commune that takes it as a whole: the one with its code, else the first row."""
    changes = pl.read_csv(UNIT_CHANGES_CSV, infer_schema=False).filter(pl.col("new_province_code") == "80")
    rows: dict[str, list[str]] = {}
    for old, new in changes.select("old_code", "new_code").iter_rows():
        rows.setdefault(old, []).append(new)
    return {old: old if old in news else news[0] for old, news in rows.items()}


def before(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.filter(pl.col("month") < REFORM.date())


def after(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.filter(pl.col("month") >= REFORM.date())


# -- units on each side of the date ------------------------------------------------------------

def test_files_cover_the_reform(exports):
    assert [p.name for p in exports] == FILES


def test_before_the_reform_dossiers_are_coded_in_the_old_units_of_both_old_provinces(rows, old_units):
    earlier = before(rows)
    for unit, level in earlier.select("unit", "level").unique().iter_rows():
        assert unit in old_units, unit
        assert LEVEL_OF[old_units[unit]["level"]] == level, (unit, level)
        assert root(old_units, unit) in ("72", "80"), unit
    assert set(earlier["level"]) == {"Tỉnh", "Huyện", "Xã"}
    assert {"72", "80"} <= set(earlier["unit"]) and earlier["unit"].str.len_chars().is_in([3]).any()


def test_old_long_an_has_half_as_many_dossiers_again_as_old_tay_ninh(rows, old_units):
    fresh = before(rows).filter(pl.col("received") >= datetime(2025, 5, 1)).unique("dossier_id")
    provinces = Counter(root(old_units, unit) for unit in fresh["unit"])
    assert 1.3 < provinces["80"] / provinces["72"] < 1.7


def test_after_the_reform_dossiers_are_coded_in_the_new_province_and_its_communes(rows, old_units, new_units):
    late = 0
    fresh = after(rows).filter(pl.col("received") >= REFORM)  # dossiers carried across keep their old code
    for unit, level, received in fresh.select("unit", "level", "received").iter_rows():
        if unit in new_units:
            assert unit == "80" or new_units[unit]["parent_code"] == "80", unit
            assert LEVEL_OF[new_units[unit]["level"]] == level, (unit, level)
        else:  # an old code sent late: in the old list only, on a dossier received in July–September
            assert unit in old_units and root(old_units, unit) in ("72", "80"), unit
            assert LEVEL_OF[old_units[unit]["level"]] == level and received >= REFORM, (unit, level, received)
            late += 1
    assert late > 0
    assert "Huyện" not in set(after(rows)["level"]), "no district level from 1 July 2025"


def test_a_few_late_codes_in_july_to_september_only(rows, new_units):
    fresh = after(rows).filter(pl.col("received") >= REFORM).unique("dossier_id")
    stale = fresh.filter(~pl.col("unit").is_in(list(new_units)))
    by_month = stale.group_by(pl.col("received").dt.month().alias("month"), pl.col("unit") == "72").len()
    provincial = {m: n for m, is_72, n in by_month.iter_rows() if is_72}
    assert provincial == {d.month: count for d, (_, count) in LATE_CODES.items()}, "a handful of 72s a month"
    communal = stale.filter(pl.col("unit") != "72")
    assert communal["unit"].str.len_chars().eq(5).all() and communal["level"].eq("Xã").all()
    assert set(communal["received"].dt.month()) <= {7, 8, 9}
    july = fresh.filter((pl.col("received").dt.month() == 7) & (pl.col("level") == "Xã"))
    assert 0 < july["unit"].is_in(communal["unit"].implode()).sum() < 0.02 * july.height


def test_unit_codes_follow_the_list_in_force_in_every_file(all_rows, new_units):
    """Besides the late codes, only the deliberate unknown unit is in neither list."""
    odd = set(all_rows["unit"]) - set(new_units) - set(read_units(UNITS_2024_CSV))
    assert odd == {UNKNOWN_UNIT}


# -- dossiers open on 30 June 2025 ---------------------------------------------------------------

def test_open_dossiers_are_carried_across_with_their_id_and_their_own_code(rows):
    """They keep the code they were received with: a code is read in the list in force on the received date,
    so a new (reused) code on a June dossier would name an old unit it never belonged to."""
    first = before(rows).sort("file_index").group_by("dossier_id").last()
    later = after(rows).filter(pl.col("received") < REFORM).join(first, on="dossier_id", suffix="_before")
    assert later.height > 100, "dossiers open on 30 June change state later"
    assert (later["received"] == later["received_before"]).all()
    assert (later["procedure"] == later["procedure_before"]).all()
    for unit, level, old_unit, old_level in later.select("unit", "level", "unit_before", "level_before").iter_rows():
        assert unit == old_unit, old_unit
        assert level == ("Xã" if old_level == "Xã" else "Tỉnh"), (old_unit, old_level, level)
    assert set(later["level_before"]) == {"Tỉnh", "Huyện", "Xã"}


def test_every_later_state_of_a_pre_reform_dossier_was_open_on_30_june(rows):
    """A dossier first seen in July with a receipt before July would be one the files lost."""
    carried = after(rows).filter(pl.col("received") < REFORM)["dossier_id"]
    assert carried.is_in(before(rows)["dossier_id"].implode()).all()


# -- agencies and volumes ------------------------------------------------------------------------------

def test_agencies_are_the_merged_provinces_after_the_reform(rows):
    earlier, later = set(before(rows)["agency"]), set(after(rows)["agency"])
    assert {"Sở Tư pháp tỉnh Tây Ninh", "Sở Tư pháp tỉnh Long An", "UBND huyện Bến Lức"} <= earlier
    assert "Sở Tư pháp tỉnh Tây Ninh" in later
    assert not [a for a in later if "Long An" in a.replace("khu vực Châu Thành (Long An)", "")
                and not a.startswith("UBND ")], "the old Long An's departments are gone"
    assert not [a for a in later if "huyện" in a], "no district agency from 1 July 2025"
    branches = after(rows).filter(pl.col("agency").str.starts_with("Chi nhánh Văn phòng Đăng ký đất đai khu vực")
                                  & (pl.col("received") >= REFORM))
    assert branches.height > 50 and set(branches["level"]) == {"Tỉnh"} and set(branches["unit"]) <= {"80", "72"}


def test_a_new_commune_carries_on_its_predecessors_volume(rows, successor):
    """Commune-level procedures only (district ones move to the communes on 1 July): a new commune's share of
    them after the date follows its predecessors' share before it."""
    fresh = rows.filter(pl.col("procedure").is_in(list(COMMUNE_PROCEDURES))).unique("dossier_id")
    earlier = fresh.filter(pl.col("received") < REFORM)
    later = fresh.filter((pl.col("received") >= REFORM) & pl.col("unit").is_in(list(set(successor.values()))))
    share_before = Counter(successor[u] for u in earlier["unit"])
    share_after = Counter(later["unit"])
    communes = sorted(set(successor.values()))
    x = np.array([share_before[c] / earlier.height for c in communes])
    y = np.array([share_after[c] / later.height for c in communes])
    assert np.corrcoef(x, y)[0, 1] > 0.7
    assert 0.85 < later.height / 3 / (earlier.height / 2) < 1.25, "the same monthly volume"


# -- the run as a whole --------------------------------------------------------------------------------

def test_same_arguments_give_identical_bytes_and_a_shorter_run_the_same_months(exports, tmp_path):
    again = generate_exports(tmp_path / "again", **RUN)
    shorter = generate_exports(tmp_path / "shorter", **(RUN | {"today": date(2025, 8, 20)}))
    assert [p.name for p in again] == FILES and [p.name for p in shorter] == FILES[:3]
    for first, second in zip(exports, again):
        assert first.read_bytes() == second.read_bytes(), first.name
    for mine, theirs in zip(shorter, exports):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_the_bad_rows_are_the_planned_few(all_rows):
    assert_bad_rows_as_planned(all_rows, expected=10)


def test_the_etl_quarantines_and_warns_about_the_bad_rows_only(exports, all_rows, tmp_path):
    from etl.load import load_files

    report = load_files(tmp_path / "w.duckdb", exports)
    quarantinable = all_rows.filter(pl.col("extra") & (pl.col("unit") != UNKNOWN_UNIT))
    assert report.rows_read == all_rows.height
    assert report.rows_quarantined == quarantinable.height == 5
    warnings = " ".join(w for f in report.files for w in f.warnings)
    assert UNKNOWN_UNIT in warnings and "lần trong tệp" in warnings
