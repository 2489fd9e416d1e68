"""What each role may do, in one table that the web guard, the navigation and the exports ask.

- ``admin``: everything, and the users and audit page;
- ``leader`` and ``analyst``: every figure of the province; only analysts (and admins) export;
- ``unit``: the pages, limited to one unit and everything below it (scope enforced in the
  query layer, ``warehouse.scope``); exports within that scope;
- ``wall``: the ``/wall`` view only.
"""
from __future__ import annotations

from dataclasses import dataclass

from warehouse.scope import Scope

PROVINCE_ROLES = frozenset({"admin", "leader", "analyst"})
PAGE_ROLES = PROVINCE_ROLES | {"unit"}
EXPORT_ROLES = frozenset({"admin", "analyst", "unit"})
# Pages not listed are open to PAGE_ROLES.
RESTRICTED_PAGES = {
    "/du-lieu": PROVINCE_ROLES,          # quarantined rows hold raw values of every unit
    "/quan-tri": frozenset({"admin"}),   # users and the audit log
    "/wall": PAGE_ROLES | {"wall"},
}
WALL_PAGE = "/wall"


def normal_path(path: str) -> str:
    """``//Du-Lieu/`` → ``/du-lieu``: one spelling per page, whatever the request used."""
    return "/" + "/".join(part for part in path.lower().split("/") if part)


@dataclass(frozen=True)
class Principal:
    """A signed-in caller: a user, through a session or a token (``token_id``)."""

    name: str
    role: str
    unit: str | None
    epoch: int
    token_id: str | None = None
    session_id: str | None = None   # the server-side session of a browser (None for a bearer token)

    # Flask-Login's user interface.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie names: a new password or disabling the user (epoch) ends it."""
        return f"{self.name}:{self.epoch}:{self.token_id or ''}:{self.session_id or ''}"

    @property
    def scope(self) -> Scope:
        return Scope(self.unit) if self.role == "unit" else Scope.everything()

    def may_open(self, path: str) -> bool:
        return self.role in RESTRICTED_PAGES.get(normal_path(path), PAGE_ROLES)

    @property
    def may_export(self) -> bool:
        return self.role in EXPORT_ROLES
