"""Whose figures a caller may see: the whole province, or one unit and everything below it.

Every query of the query layer takes a scope and narrows its slice with it before
any SQL runs, so a commune officer cannot reach a neighbour's figures through a
crafted URL, callback or API call: the page, the API, the email and the CLI all
pass the caller's scope, and a slice outside it is refused, never answered.

A scope's unit is a code read like any code a user gives (today's list first, else the latest list
that has it): a scope on a new commune sees its predecessors' history in today's view; an account
still scoped to an old code (a district) keeps working, in the view of the list that has it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from warehouse import units
from warehouse.units import Resolved


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

    def home(self, con: duckdb.DuckDBPyConnection) -> units.Located:
        """The scope's own unit, where its pages start (the province for everything)."""
        return units.find(con, self.unit, units.view_on(con, None))

    def covers(self, con: duckdb.DuckDBPyConnection, located: units.Located, home: units.Located | None = None) -> bool:
        """True when ``located`` is this scope's unit or lies below it, in the same view."""
        if self.unit is None:
            return True
        home = home or self.home(con)
        return located.view == home.view and located.path[:home.depth] == home.path

    def narrow(self, con: duckdb.DuckDBPyConnection, r: Resolved) -> Resolved:
        """``r`` limited to this scope: no unit means the scope's own unit (in its view); a unit outside
        it, or a view the scope's unit is not in, is refused."""
        if self.unit is None:
            return r
        home = self.home(con)
        if r.slice.unit is None:
            return Resolved(replace(r.slice, unit=home.code, units_as_of=home.view.as_of), home)
        if not self.covers(con, r.unit, home):
            raise OutOfScope(f"unit {r.slice.unit!r} is outside this account's scope ({self.unit})")
        return r
