"""HTTP API: ``GET /api/kpi`` (PRODUCT.md), ``GET /api/services`` (the catalogue figures, same parameters
and access rules) and ``GET /healthz``; the same query layer as the pages."""
from __future__ import annotations

import os

from flask import Flask, jsonify, request

from dashboards import data, warm
from dashboards.url_state import slice_from_query
from warehouse.kpi import kpi_json


def register(server: Flask) -> None:
    @server.get("/api/kpi")
    def api_kpi():
        try:
            s = data.checked(slice_from_query(request.args))
            return jsonify(kpi_json(data.kpis(s)))  # a unit outside the caller's scope: 403 (OutOfScope)
        except ValueError as exc:  # BadRequest, or an unknown unit from the query layer
            return jsonify({"error": str(exc)}), 400

    @server.get("/api/services")
    def api_services():
        try:
            s = data.checked(slice_from_query(request.args))
            return jsonify(data.services(s))
        except ValueError as exc:
            return jsonify({"error": str(exc)}), 400

    @server.get("/healthz")
    def healthz():
        data.freshness()  # the warehouse answers (no figure is shown to callers without a log-in)
        version = data.reader().version
        warmed = warm.status(version)
        # worker and computed_answers: which process answered and how many answers it computed rather than
        # found in the (shared) cache: how an operator sees that gunicorn's workers share one
        return jsonify({"status": "ok", "version": version, "worker": os.getpid(),
                        "computed_answers": data.computed_count(),
                        "warmed": None if warmed is None else {"views": warmed.views, "seconds": warmed.seconds,
                                                                "failures": warmed.failures}})
