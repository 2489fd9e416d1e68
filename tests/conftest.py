from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SAMPLES, AppProcess, etl_load


@pytest.fixture(scope="session")
def samples() -> Path:
    assert SAMPLES.exists(), f"spec samples not found at {SAMPLES}"
    return SAMPLES


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, samples) -> Path:
    """A warehouse holding the 200 sample dossiers (shape A CSV), loaded by the real CLI."""
    db = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    etl_load(db, samples / "mot_cua_mau.csv")
    return db


@pytest.fixture(scope="session")
def sample_app(sample_db):
    """A real ``python app.py`` on the sample warehouse."""
    app = AppProcess(sample_db).wait_ready()
    yield app
    app.stop()
