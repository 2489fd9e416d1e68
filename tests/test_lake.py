"""The Parquet lake (warehouse/lake.py) through ``python -m warehouse export``: its layout and manifest, exports
that replace and never duplicate, a small load rewriting only what it changed, two provinces side by side,
refusals, and the same KPIs from DuckDB over the lake as from the warehouse."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import sqlglot

from tests.support import SAMPLES, etl_load, run, write_csv
from warehouse import kpi, lake
from warehouse.scope import Scope
from warehouse.slice import Slice, local_now
from warehouse.store import Reader, Store

ALL = Scope.everything()
HANOI = {"IOC_PROVINCE_CODE": "01"}
FMT = "%d/%m/%Y %H:%M:%S"


def export(db: Path, out: Path, *, check: bool = True, extra_env: dict | None = None):
    result = run("-m", "warehouse", "export", "--db", str(db), "--out", str(out), "--json", check=check,
                 extra_env=extra_env)
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def hanoi_rows() -> list[dict]:
    """Hà Nội's communes have codes with leading zeros (00004 Ba Đình); due times at 23:59:59 local and
    open dossiers past due test the time-zone trap of the lake's timestamps."""
    now = local_now().replace(microsecond=0)
    rows = []
    for i in range(40):
        received = datetime(2025, 9, 1, 8) + timedelta(days=9 * i, hours=i % 7)
        if received > now - timedelta(days=1):
            received = now - timedelta(days=1, hours=i % 5)
        due = received.replace(hour=23, minute=59, second=59) + timedelta(days=3 + i % 4)
        done = received + timedelta(days=i % 9) if i % 3 else None
        rows.append({"Mã hồ sơ": f"HN.{i:05d}", "Mã ĐVHC": ("00004", "00008", "00025")[i % 3],
                     "Lĩnh vực": ("Đất đai", "Hộ tịch")[i % 2], "Ngày tiếp nhận": received.strftime(FMT),
                     "Ngày hẹn trả": due.strftime(FMT), "Kênh nộp": ("Trực tuyến", "Trực tiếp")[i % 2],
                     **({"Trạng thái": "Đã trả kết quả", "Ngày có kết quả": done.strftime(FMT)} if done else {})})
    return rows


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Tây Ninh from the spec's samples (old and new units), Hà Nội from its own rows, one lake for both."""
    root = tmp_path_factory.mktemp("lake")
    tay_ninh, hanoi = root / "80" / "w.duckdb", root / "01" / "w.duckdb"
    etl_load(tay_ninh, SAMPLES / "mot_cua_mau.csv")
    run("-m", "etl", "load", "--db", str(hanoi), str(write_csv(root / "hn.csv", hanoi_rows())), extra_env=HANOI)
    out = root / "lake"
    export(tay_ninh, out)
    export(hanoi, out, extra_env=HANOI)
    return tay_ninh, hanoi, out


def test_the_lake_holds_both_provinces_partitioned_with_their_manifests(warehouses):
    tay_ninh, hanoi, out = warehouses
    assert lake.provinces(out) == ["01", "80"]
    manifest = lake.read_manifest(out, "80")
    assert manifest["product"] == lake.PRODUCT and manifest["province_name"] == "Tỉnh Tây Ninh"
    assert [u["list_id"] for u in manifest["unit_lists"]] and all(u["edition"] for u in manifest["unit_lists"])
    assert manifest["data_version"]["version"] == Reader(Store(tay_ninh)).version
    dossiers = Reader(Store(tay_ninh)).cursor().execute("select count(*) from fct_dossiers").fetchone()[0]
    assert manifest["tables"]["dossiers"]["rows"] == dossiers
    columns = {c["name"]: c["type"] for c in manifest["tables"]["dossiers"]["columns"]}
    assert (columns["received_at"], columns["received_date"], columns["unit_code"]) == ("TIMESTAMP", "DATE", "VARCHAR")
    months = sorted(p.relative_to(out).as_posix() for p in (out / "dossiers" / "province=80").glob("*/*"))
    assert months and all(m.split("/")[2].startswith("year=") and len(m.split("month=")[1]) == 2 for m in months)
    # every engine reads the partition values alike: ASCII, never empty; codes keep their leading zeros
    con = duckdb.connect()
    rows = con.execute(f"select province, year, month, unit_code, count(*) from read_parquet('{out}/dossiers/*/*/*/*.parquet', "
                       "hive_partitioning = true, hive_types_autocast = false) group by all").fetchall()
    assert {r[0] for r in rows} == {"01", "80"} and all(r[1].isascii() and r[2].isascii() for r in rows)
    assert {r[3] for r in rows if r[0] == "01"} == {"00004", "00008", "00025"}
    assert sum(r[4] for r in rows if r[0] == "80") == dossiers


def test_local_times_come_back_as_written(warehouses):
    """No engine-side time-zone shift: the lake's timestamps are the warehouse's wall-clock times."""
    _, hanoi, out = warehouses
    here = Reader(Store(hanoi)).cursor().execute(
        "select dossier_id, received_at, due_at, end_at from fct_dossiers order by 1").fetchall()
    there = duckdb.connect().execute(
        f"select dossier_id, received_at, due_at, end_at from read_parquet('{out}/dossiers/province=01/*/*/*.parquet') "
        "order by 1").fetchall()
    assert here == there and any(r[2].time() == datetime.min.time().replace(hour=23, minute=59, second=59)
                                 for r in there)


def test_duckdb_over_the_lake_gives_the_warehouses_figures(warehouses):
    tay_ninh, hanoi, out = warehouses
    now = local_now().replace(tzinfo=None)
    today = now.date()
    cases = {
        "80": [(Slice(date(2024, 1, 1), date(2024, 12, 31)), "none"),
               (Slice(date(2024, 4, 1), date(2024, 6, 30), field="Đất đai"), "none"),
               (Slice(date(2024, 1, 1), date(2024, 12, 31)), "field"),
               (Slice(date(2024, 1, 1), date(2024, 12, 31), units_as_of=date(2025, 6, 30), unit="703"), "unit_child"),
               (Slice(date(2024, 1, 1), date(2026, 12, 31), unit="25459"), "none"),
               (Slice(today.replace(month=1, day=1), today), "unit_child")],
        "01": [(Slice(date(2025, 9, 1), today), "unit_child"), (Slice(date(2025, 10, 1), date(2025, 12, 31)), "field"),
               (Slice(today - timedelta(days=30), today, unit="00004"), "none")],
    }
    for province, db in (("80", tay_ninh), ("01", hanoi)):
        warehouse = Reader(Store(db)).cursor()
        over_lake = lake.open_lake(out, province)
        for s, group_by in cases[province]:
            for from_marts in (True, False):
                ask = dict(scope=ALL, group_by=group_by, now=now, from_marts=from_marts)
                expected = kpi.query_kpis(warehouse, [(s.date_from, s.date_to)], s, **ask)
                assert expected and kpi.query_kpis(over_lake, [(s.date_from, s.date_to)], s, **ask) == expected, \
                    (province, s, group_by, from_marts)


def test_exporting_again_replaces_and_a_small_load_rewrites_only_its_months(tmp_path):
    db, out = tmp_path / "w.duckdb", tmp_path / "lake"
    etl_load(db, SAMPLES / "mot_cua_mau.csv")
    _, first = export(db, out)
    files = {p: p.stat().st_ino for p in out.rglob("*.parquet")}
    _, again = export(db, out)
    assert again["partitions_written"] == 0 and again["partitions_kept"] == first["partitions_written"]
    assert {p: p.stat().st_ino for p in out.rglob("*.parquet")} == files  # nothing rewritten, nothing added
    con = Reader(Store(db)).cursor()
    old = con.execute("select dossier_id, strftime(received_date, '%Y/%m') from fct_dossiers "
                      "where end_date is null order by received_date limit 1").fetchone()
    etl_load(db, write_csv(tmp_path / "small.csv", [
        {"Mã hồ sơ": "MOI-1", "Mã ĐVHC": "25459", "Ngày tiếp nhận": "15/08/2026 09:00:00"}]))
    _, small = export(db, out)
    dossier_parts = sorted(p for p in small["written"] if p.startswith("dossiers/"))
    assert dossier_parts == ["dossiers/province=80/year=2026/month=08"], old
    assert "kpi_month/province=80" in small["written"] and "unit_views/province=80" not in small["written"]
    lake_count = duckdb.connect().execute(
        f"select count(*) from read_parquet('{out}/dossiers/province=80/*/*/*.parquet')").fetchone()[0]
    assert lake_count == Reader(Store(db)).cursor().execute("select count(*) from fct_dossiers").fetchone()[0]


def test_bad_targets_are_refused_and_nothing_is_written(tmp_path, sample_db):
    inside = sample_db.with_name(sample_db.name + ".d") / "lake"
    result, _ = export(sample_db, inside, check=False)
    assert result.returncode == 2 and "warehouse" in result.stderr and not inside.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result, _ = export(sample_db, blocker / "lake", check=False)
    assert result.returncode == 2 and "writable" in result.stderr
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "data.parquet").write_text("not ours")
    result, _ = export(sample_db, foreign, check=False)
    assert result.returncode == 2 and "lake" in result.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["data.parquet"]


# --- the same KPIs on Spark and ClickHouse, translated from queries/kpi.sql (warehouse/engines.py) ---------

def engine_cases(today: date) -> dict[str, list[tuple[Slice, str]]]:
    """A year; a quarter and a field; a commune across the reorganisation (in both unit views); a period
    ending today, by commune; Hà Nội (leading zeros) beside Tây Ninh in the same lake."""
    return {
        "80": [(Slice(date(2024, 1, 1), date(2024, 12, 31)), "none"),
               (Slice(date(2024, 4, 1), date(2024, 6, 30), field="Đất đai"), "none"),
               (Slice(date(2024, 1, 1), date(2024, 12, 31), unit="25459", units_as_of=date(2025, 6, 30)), "field"),
               (Slice(date(2024, 1, 1), today, unit="25459"), "none"),
               (Slice(today.replace(month=1, day=1), today), "unit_child")],
        "01": [(Slice(date(2025, 9, 1), today), "unit_child"), (Slice(date(2025, 10, 1), date(2025, 12, 31)), "field")],
    }


def same_rows(got: list[dict], expected: list[dict]) -> bool:
    """Equal row for row; rates to 1e-9 (engines round a division's last bit differently)."""
    def norm(rows):
        return sorted(({k: round(float(v), 9) if isinstance(v, float) or type(v).__name__ == "Decimal" else v
                        for k, v in r.items()} for r in rows), key=lambda r: (r["period_idx"], r["group_key"]))
    return norm(got) == norm(expected)


@pytest.fixture(scope="module")
def spark(warehouses):
    from warehouse import engines

    session = engines.spark_session()
    yield session
    session.stop()


def test_spark_in_a_two_executor_cluster_gives_the_warehouses_figures(warehouses, spark):
    from warehouse import engines

    tay_ninh, hanoi, out = warehouses
    assert spark.sparkContext.master.startswith("local-cluster[2,")  # two executor processes share the work
    now = local_now().replace(tzinfo=None)
    for province, db in (("80", tay_ninh), ("01", hanoi)):
        warehouse = Reader(Store(db)).cursor()
        engines.spark_views(spark, out, province)
        for s, group_by in engine_cases(now.date())[province]:
            params = engines.kpi_params(warehouse, [(s.date_from, s.date_to)], s, group_by=group_by, now=now)
            expected = kpi.query_kpis(warehouse, [(s.date_from, s.date_to)], s, scope=ALL, group_by=group_by, now=now)
            assert expected and same_rows(engines.spark_kpis(spark, params), expected), (province, s, group_by)


def test_clickhouse_gives_the_warehouses_figures(warehouses):
    from warehouse import engines

    tay_ninh, hanoi, out = warehouses
    now = local_now().replace(tzinfo=None)
    for province, db in (("80", tay_ninh), ("01", hanoi)):
        warehouse = Reader(Store(db)).cursor()
        for s, group_by in engine_cases(now.date())[province]:
            params = engines.kpi_params(warehouse, [(s.date_from, s.date_to)], s, group_by=group_by, now=now)
            expected = kpi.query_kpis(warehouse, [(s.date_from, s.date_to)], s, scope=ALL, group_by=group_by, now=now)
            assert expected and same_rows(engines.clickhouse_kpis(params, out, province), expected), \
                (province, s, group_by)


def test_the_translation_comes_from_the_one_definition():
    """Spark and ClickHouse run queries/kpi.sql as sqlglot writes it, parameters bound as literals: no
    hand-written copy of a formula (a change to the definition reaches every engine)."""
    from warehouse import engines

    params = {"period_from": [date(2024, 1, 1)], "period_to": [date(2024, 12, 31)],
              "as_of": [datetime(2024, 12, 31, 23, 59, 59, 999000)], "min_from": date(2024, 1, 1),
              "max_to": date(2024, 12, 31), "view": "2025", "unit": None, "unit_depth": 1, "field": "Đất đai",
              "agency": None, "handling_level": None, "channel": None, "procedure": None, "group_by": "none"}
    for dialect in ("spark", "clickhouse"):
        text = engines.kpi_sql(params, dialect)
        assert "$" not in text and "'Đất đai'" in text and "23:59:59.999000" in text
        # a value is a quoted literal wherever it goes: a line break and a quote cannot add SQL
        hostile = engines.kpi_sql(params | {"agency": "x'\n, 666 as injected --"}, dialect)
        assert "injected" not in sqlglot.parse_one(hostile, read=dialect).sql(dialect=dialect).split("'x")[0]
        assert not [c for c in sqlglot.parse_one(hostile, read=dialect).find_all(sqlglot.exp.Alias)
                    if c.alias == "injected"]
        assert text.count("resolved_late") >= 2  # the counts and the rate, as kpi_counts_from_dossiers and kpi_rates write them


# --- the national view: python app.py --lake DIR -------------------------------------------------------------

@pytest.mark.browser
def test_the_national_view_serves_each_province_of_the_lake(warehouses, tmp_path, chromium):
    """Read-only over the lake; a province picker above the unit picker; each province's figures are its own
    warehouse's (the API as the CLI on that warehouse), its units its own."""
    from tests.support import AppProcess, cli_kpi, open_settled

    tay_ninh, hanoi, out = warehouses
    accounts = tmp_path / "accounts.duckdb"  # the installation's accounts live beside --db, not in the lake
    app = AppProcess(accounts, args=("--lake", str(out))).wait_ready()
    try:
        query = {"from": "2025-09-01", "to": "2025-12-31"}
        for province, db, extra in (("01", hanoi, HANOI), ("80", tay_ninh, None)):
            answer = app.api_kpi(query | {"province": province}).json()
            assert answer == cli_kpi(db, "--from", query["from"], "--to", query["to"], extra_env=extra), province
        page = app.new_page(chromium, viewport={"width": 1366, "height": 768})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        open_settled(page, app.url + "/?province=01")
        assert "Thành phố Hà Nội" in page.locator("#shell-province").inner_text()
        assert "Thành phố Hà Nội" in page.locator("#ov-unit").inner_text()
        page.locator("#shell-province").click()
        page.locator("#shell-province-80").click()  # the other province: the page opens afresh for it
        page.wait_for_url("**/?province=80")
        page.wait_for_function("() => document.querySelector('#ov-unit')?.innerText.includes('Tây Ninh')")
        assert "Tỉnh Tây Ninh" in page.locator("#shell-province").inner_text()
        assert errors == []
    finally:
        app.stop()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        ["_ioc_lake.json", "_manifests", "dossiers"] + list(lake.SMALL_TABLES))  # nothing written into the lake


def test_a_lake_whose_manifests_disagree_is_refused_naming_the_province(warehouses, tmp_path):
    import shutil

    _, _, out = warehouses
    copy = tmp_path / "lake"
    shutil.copytree(out, copy)
    manifest = lake.manifest_path(copy, "01")
    changed = json.loads(manifest.read_text(encoding="utf-8"))
    changed["tables"]["dossiers"]["columns"].append({"name": "extra", "type": "VARCHAR"})
    manifest.write_text(json.dumps(changed), encoding="utf-8")
    refused = run("app.py", "--db", str(tmp_path / "accounts.duckdb"), "--lake", str(copy), check=False)
    assert refused.returncode == 2 and "01" in refused.stderr and "dossiers" in refused.stderr


def test_an_export_that_dies_half_way_changes_nothing_readers_see(tmp_path, monkeypatch):
    """The manifest is the switch: an export failing after it placed new files leaves the last manifest, its
    files and its figures; the next export sweeps away what the failed one left, and duplicates nothing."""
    db, out = tmp_path / "w.duckdb", tmp_path / "lake"
    etl_load(db, SAMPLES / "mot_cua_mau.csv")
    lake.export(db, out)
    s = Slice(date(2024, 1, 1), date(2024, 12, 31))
    before = kpi.kpis(lake.open_lake(out, "80"), s, scope=ALL)
    etl_load(db, write_csv(tmp_path / "more.csv", [
        {"Mã hồ sơ": f"MOI-{i}", "Mã ĐVHC": "25459", "Ngày tiếp nhận": "15/03/2024 09:00:00"} for i in range(5)]))

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lake, "_write_json", disk_full)  # dies at the switch, after every new file was placed
    with pytest.raises(OSError):
        lake.export(db, out)
    assert kpi.kpis(lake.open_lake(out, "80"), s, scope=ALL) == before
    monkeypatch.undo()
    lake.export(db, out)
    after = kpi.kpis(lake.open_lake(out, "80"), s, scope=ALL)
    assert after["received_new"] == before["received_new"] + 5
    named = {f for p in lake.provinces(out) for t in ["dossiers", *lake.SMALL_TABLES] for f in lake.lake_files(out, p, t)}
    assert set(out.rglob("*.parquet")) == named  # nothing left over, nothing read twice
