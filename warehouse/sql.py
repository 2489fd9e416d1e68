"""Access to the warehouse's ``.sql`` files by name (``staging/stg_dossier_rows``)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_INCLUDE = re.compile(r"\{\{\s*include\s+'([\w/]+)'((?:\s+\w+\s*=\s*'\w+')*)\s*\}\}")
_ARGUMENT = re.compile(r"(\w+)\s*=\s*'(\w+)'")
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@lru_cache(maxsize=None)
def sql(name: str, **variables: str) -> str:
    """The text of ``warehouse/sql/<name>.sql``, with ``{{ include 'other/name' }}`` replaced by that
    file's text, so a shared piece (what a slice is) is written once. An include may name the tables
    the piece reads (``{{ include 'queries/sliced' source='mart_cells' }}``); the piece writes
    them as ``{{ source }}``."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")

    def include(match: re.Match) -> str:
        arguments = variables | dict(_ARGUMENT.findall(match.group(2)))
        return "(\n" + sql(match.group(1), **arguments) + "\n)"

    text = _INCLUDE.sub(include, text)
    return _VARIABLE.sub(lambda m: variables[m.group(1)], text)
