"""A load killed with SIGKILL at any point leaves the last good state, and the next load succeeds."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.support import ROOT, cli_kpi, env, etl_load, run, write_csv
from warehouse import layers
from warehouse.failpoints import POINTS
from warehouse.store import Store

PERIOD = ("--from", "2024-03-01", "--to", "2024-03-31")


def rows(prefix: str, n: int, **cells) -> list[dict]:
    return [{"Mã hồ sơ": f"{prefix}-{i}", "Ngày tiếp nhận": "04/03/2024", **cells} for i in range(n)]


def kill_load_at(point: str, db, export, extra_env: dict[str, str] | None = None) -> None:
    """Start a real load, wait until it reaches ``point``, and kill it without warning."""
    process = subprocess.Popen([sys.executable, "-m", "etl", "load", "--db", str(db), str(export)],
                               cwd=ROOT, env=env() | {"IOC_FAILPOINT": point} | (extra_env or {}),
                               stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True)
    try:
        for line in process.stderr:
            if line.strip() == f"FAILPOINT {point}":
                break
        else:
            raise AssertionError(f"the load ended without reaching {point} (exit {process.wait()})")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", POINTS)
def test_killed_load_leaves_the_last_good_state(tmp_path, point):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", rows("A", 3)))
    good = cli_kpi(db, *PERIOD)
    version = os.path.realpath(db)

    kill_load_at(point, db, write_csv(tmp_path / "b.csv", rows("B", 5, **{"Kênh nộp": "Trực tuyến"})))

    after = cli_kpi(db, *PERIOD)  # readable, whatever the point
    if point == "linked":  # the new version was whole and published before the kill
        assert after["received_new"] == 8
    else:
        assert after == good
        assert os.path.realpath(db) == version

    etl_load(db, write_csv(tmp_path / "c.csv", rows("C", 2)))
    assert cli_kpi(db, *PERIOD)["received_new"] == after["received_new"] + 2
    leftovers = [p.name for p in (tmp_path / "wh.duckdb.d").iterdir() if ".tmp-" in p.name]
    assert leftovers == []


@pytest.mark.parametrize("point", ["copied", "applied", "renamed"])
def test_a_load_killed_while_folding_the_layer_leaves_the_layered_version(tmp_path, point):
    """The second load writes a layer over the first's base; the third, made to fold it into a new base
    (IOC_MAX_LAYER_MB=0), is killed: base and layer are as they were, and the next load folds them."""
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", rows("A", 3)))
    etl_load(db, write_csv(tmp_path / "b.csv", rows("B", 2)))
    good, version = cli_kpi(db, *PERIOD), os.path.realpath(db)
    assert good["received_new"] == 5

    kill_load_at(point, db, write_csv(tmp_path / "c.csv", rows("C", 4)), {"IOC_MAX_LAYER_MB": "0"})

    assert cli_kpi(db, *PERIOD) == good and os.path.realpath(db) == version
    run("-m", "etl", "load", "--db", str(db), str(write_csv(tmp_path / "d.csv", rows("D", 1))),
        extra_env={"IOC_MAX_LAYER_MB": "0"})
    assert cli_kpi(db, *PERIOD)["received_new"] == 6
    assert len(layers.chain_of(Store(db).current_file())) == 1  # folded
    assert [p.name for p in (tmp_path / "wh.duckdb.d").iterdir() if ".tmp-" in p.name] == []
