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

reference.configured()  # a bad unit list or assignment file stops the workers at start, naming the line
announce_first_admin(AccessStore.beside(get_settings().db_path))  # into gunicorn's log, by one worker only
app = create_app(get_settings().db_path)
server = app.server
