"""WSGI entry point for gunicorn: ``gunicorn 'dashboards.wsgi:server'``.

Creating the app opens no database (readers connect on first request, after the fork)
and starts no scheduler: that runs once, as ``python -m etl schedule``.
"""
from __future__ import annotations

from access.cli import announce_first_admin
from access.store import AccessStore
from common.settings import get_settings
from dashboards import create_app

from warehouse import reference

# A bad unit list or assignment file stops the workers at start, naming the line; a changed one is applied
# before serving (the store's write lock serialises the workers; later ones find it done).
reference.bring_up_to_date(get_settings().db_path)
announce_first_admin(AccessStore.beside(get_settings().db_path))  # into gunicorn's log, by one worker only
app = create_app(get_settings().db_path)
server = app.server
if get_settings().warm_after_load:  # each worker watches; with the shared cache one warms each version
    from dashboards import warm

    warm.start(server, get_settings().warm_poll_seconds)
