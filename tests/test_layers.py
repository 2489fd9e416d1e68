"""Loads that write only what they change (warehouse/layers.py): a version of several files reads exactly as
the one file it folds into, a load leaves the files below it untouched, and what must rewrite whole tables
publishes a full version."""
from __future__ import annotations

import os

from etl.load import load_files
from tests.support import cli_kpi, run, write_catalogue, write_csv
from warehouse import layers
from warehouse.store import Reader, Store

PERIOD = ("--from", "2024-01-01", "--to", "2024-12-31")


def dossier(i: int, **cells) -> dict:
    return {"Mã hồ sơ": f"D-{i}", "Ngày tiếp nhận": "04/03/2024 08:00", "Ngày hẹn trả": "08/03/2024 17:00", **cells}


DONE = {"Ngày có kết quả": "06/03/2024 09:00", "Trạng thái": "Đã trả kết quả"}
LATE = {"Ngày có kết quả": "12/03/2024 09:00", "Trạng thái": "Đã trả kết quả", "Kênh nộp": "Trực tuyến"}


def batches(tmp_path) -> list[list]:
    """Loads that add dossiers, bring new states of earlier ones (twice), a new field, a catalogue, a row
    the contract refuses and a file already loaded."""
    first = write_csv(tmp_path / "a.csv", [dossier(i) for i in range(6)])
    return [
        [first],
        [write_csv(tmp_path / "b.csv", [dossier(1, **DONE), dossier(2, **LATE), dossier(10, **{"Lĩnh vực": "Đất đai"})])],
        [write_catalogue(tmp_path / "c.csv", [{"Mã TTHC": "1.000001.000.00.00.H56", "Cấp thực hiện": "Xã",
                                                "Mức độ DVC": "Toàn trình"}])],
        [write_csv(tmp_path / "d.csv", [dossier(2, **DONE), dossier(11, **{"Ngày tiếp nhận": "không rõ"})]), first],
        [write_csv(tmp_path / "e.csv", [dossier(3, **LATE), dossier(12, **{"Mã ĐVHC": "99999"})])],
    ]


def tables(db) -> dict[str, list]:
    """Every table's rows as the readers see them, in one order (the publish log differs by a row)."""
    con = Reader(Store(db)).cursor()
    names = [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = "
                                       "current_database() or database_name = 'l0'").fetchall()]
    names = sorted({*names} - {"publish_log", "layer_hidden", "layer_chain"})
    return {name: sorted(map(repr, con.execute(f"select * from {name}").fetchall())) for name in names}


def stack(db) -> list[str]:
    return [f.name for f in layers.chain_of(Store(db).current_file())]


def test_a_stack_of_layers_reads_exactly_as_the_version_it_folds_into(tmp_path):
    db = tmp_path / "wh.duckdb"
    for n, files in enumerate(batches(tmp_path)):
        load_files(db, files, meta={"note": str(n % 3)} if n else None)  # a setting replaced in the layer twice
    assert len(stack(db)) == 2  # the first load wrote the base, each later one the layer over it
    layered, figures = tables(db), cli_kpi(db, *PERIOD)
    assert figures["received_new"] == 8 and figures["resolved_late"] == 1

    run("-m", "warehouse", "migrate", "--db", str(db))  # a full version: the layers folded into a base
    assert len(stack(db)) == 1
    assert tables(db) == layered
    assert cli_kpi(db, *PERIOD) == figures


def test_a_layer_holds_only_the_change_and_leaves_the_files_below_untouched(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "a.csv", [dossier(i, **DONE) for i in range(20_000)])])
    base = Store(db).current_file()
    before = os.stat(base)
    load_files(db, [write_csv(tmp_path / "b.csv", [dossier(i, **LATE) for i in range(3)])])
    top = Store(db).current_file()
    assert stack(db) == [base.name, top.name]
    assert (os.stat(base).st_mtime_ns, os.stat(base).st_size) == (before.st_mtime_ns, before.st_size)
    assert top.stat().st_size < 4 << 20  # a block or so per table it writes, whatever the base's size
    figures = cli_kpi(db, *PERIOD)
    assert (figures["received_new"], figures["resolved_late"]) == (20_000, 3)


def test_a_new_year_publishes_a_full_version(tmp_path):
    """A load that starts a year rebuilds the KPI mart's yearly carries whole, so it writes a full version."""
    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "a.csv", [dossier(1)])])
    load_files(db, [write_csv(tmp_path / "b.csv", [dossier(2)])])
    assert len(stack(db)) == 2
    told = []  # the load is applied twice (a layer first, then a full version): its progress says so
    new_year = [dossier(3, **{"Ngày tiếp nhận": "04/03/2026 08:00", "Ngày hẹn trả": "08/03/2026 17:00"}), dossier(4)]
    load_files(db, [write_csv(tmp_path / "c.csv", new_year)], progress=told.append)
    assert len(stack(db)) == 1
    assert told == [2, 2]  # rows read so far, each time: the bar never counts a row twice
    assert cli_kpi(db, "--from", "2026-01-01", "--to", "2026-12-31")["received_new"] == 1
    assert cli_kpi(db, *PERIOD)["received_new"] == 3


def test_each_load_rewrites_the_one_layer_and_a_heavy_layer_is_folded(tmp_path, monkeypatch):
    """A version is at most a base and one layer (readers pay for one, whatever the loads since the base);
    once the layer outweighs IOC_MAX_LAYER_MB the next load writes a full version."""
    from common.settings import get_settings

    db = tmp_path / "wh.duckdb"
    stacks = []
    for i in range(4):
        load_files(db, [write_csv(tmp_path / f"{i}.csv", [dossier(i), dossier(0, **DONE)])])
        stacks.append(stack(db))
    assert [len(s) for s in stacks] == [1, 2, 2, 2]
    assert len({s[0] for s in stacks}) == 1 and len({s[1] for s in stacks[1:]}) == 3
    monkeypatch.setenv("IOC_MAX_LAYER_MB", "0")
    get_settings.cache_clear()
    try:
        load_files(db, [write_csv(tmp_path / "4.csv", [dossier(4)])])
    finally:
        get_settings.cache_clear()
    assert len(stack(db)) == 1 and stack(db)[0] != stacks[0][0]
    figures = cli_kpi(db, *PERIOD)
    assert (figures["received_new"], figures["resolved_total"]) == (5, 1)
    kept = {p.name for p in Store(db).versions_dir.glob("v*.duckdb")}
    assert kept == {stacks[-1][1], stack(db)[0], stacks[0][0]}  # the last version's files, and the new one
