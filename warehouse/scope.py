"""Whose figures a caller may see: the whole province, or one unit and everything below it.

Every query of the query layer takes a scope and narrows its slice with it before
any SQL runs, so a district officer cannot reach a neighbour's figures through a
crafted URL, callback or API call: the page, the API, the email and the CLI all
pass the caller's scope, and a slice outside it is refused, never answered.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from warehouse.slice import Slice


class OutOfScope(PermissionError):
    """The slice asks for units the caller may not see (HTTP 403)."""


@dataclass(frozen=True)
class Scope:
    """``unit`` None: every unit (the province, and dossiers whose unit code is unknown)."""

    unit: str | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @property
    def is_everything(self) -> bool:
        return self.unit is None

    def covers(self, con: duckdb.DuckDBPyConnection, code: str | None) -> bool:
        """True when the unit ``code`` (None: the whole province) is this scope's unit or lies below it."""
        if self.unit is None:
            return True
        if code is None:
            return False
        row = con.execute("select list_contains(path, ?) from unit_paths where code = ?", [self.unit, code]).fetchone()
        return bool(row and row[0])

    def narrow(self, con: duckdb.DuckDBPyConnection, s: Slice) -> Slice:
        """``s`` limited to this scope: no unit means the scope's own unit; a unit outside it is refused."""
        if self.unit is None:
            return s
        if s.unit is None:
            return replace(s, unit=self.unit)
        if not self.covers(con, s.unit):
            raise OutOfScope(f"unit {s.unit!r} is outside this account's scope ({self.unit})")
        return s
