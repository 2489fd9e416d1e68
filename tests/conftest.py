from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS

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


@pytest.fixture(scope="session")
def chromium():
    """One real headless Chromium (Debian's) for all browser tests."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
