"""Access to the warehouse's ``.sql`` files by name (``staging/stg_dossier_rows``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of ``warehouse/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
