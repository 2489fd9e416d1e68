"""HTTP API: ``GET /api/kpi`` (PRODUCT.md) and ``GET /healthz``; the same query layer as the pages."""
from __future__ import annotations

from datetime import date

from flask import Flask, jsonify, request

from dashboards import data
from warehouse.kpi import kpi_json
from warehouse.slice import Slice


class BadRequest(ValueError):
    pass


def slice_from_query(args) -> Slice:
    """A validated slice from ``from``, ``to``, ``unit``, ``field`` (and the other filters)."""
    try:
        date_from = date.fromisoformat(args["from"])
        date_to = date.fromisoformat(args["to"])
    except KeyError as exc:
        raise BadRequest(f"missing parameter: {exc.args[0]} (YYYY-MM-DD)") from exc
    except ValueError as exc:
        raise BadRequest(f"bad date: {exc}") from exc
    channel = args.get("channel")
    try:
        return Slice(date_from, date_to, unit=args.get("unit") or None, field=args.get("field") or None,
                     agency=args.get("agency") or None, handling_level=args.get("level") or None,
                     channel=int(channel) if channel else None, procedure=args.get("procedure") or None)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def register(server: Flask) -> None:
    @server.get("/api/kpi")
    def api_kpi():
        try:
            s = slice_from_query(request.args)
            return jsonify(kpi_json(data.kpis(s)))
        except ValueError as exc:  # BadRequest, or an unknown unit from the query layer
            return jsonify({"error": str(exc)}), 400

    @server.get("/healthz")
    def healthz():
        fresh = data.freshness()
        return jsonify({"status": "ok", "version": data.reader().version, "dossiers": fresh.dossiers})
