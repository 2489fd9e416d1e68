"""Access to the warehouse's ``.sql`` files by name (``staging/stg_dossier_rows``)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_INCLUDE = re.compile(r"\{\{\s*include\s+'([\w/]+)'\s*\}\}")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of ``warehouse/sql/<name>.sql``, with ``{{ include 'other/name' }}`` replaced by that
    file's text, so a shared piece (what a slice is) is written once."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: "(\n" + sql(m.group(1)) + "\n)", text)
