"""The data-quality page's content: freshness, recent loads, quarantined rows, warnings."""
from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import html

from common import formats
from common.labels import WARNING_KINDS, label
from common.settings import get_settings
from dashboards import data
from dashboards.components.tables import NARROW, WIDE, grid, number_column
from warehouse.slice import local_now


def in_language(text: str, lang: str) -> str:
    """The Vietnamese or English half of a stored bilingual message (``vi / en``)."""
    vi, _, en = text.partition(" / ")
    return (en or vi) if lang == "en" else vi


def freshness(lang: str) -> dbc.Alert:
    """Newest received dossier and last load; a warning when the last load is older than the setting."""
    fresh = data.freshness()
    limit = get_settings().freshness_hours
    age = formats.hours_since(fresh.last_load, local_now())
    facts = html.Div([
        html.Span([html.Strong(label("newest_received", lang) + ": "), formats.moment(fresh.newest_received, lang)]),
        html.Span([html.Strong(label("last_load", lang) + ": "), formats.moment(fresh.last_load, lang)]),
    ], className="freshness-facts")
    if age is None:
        return dbc.Alert([facts, html.Div(label("no_load", lang))], color="warning", id="dq-freshness")
    stale = age > limit
    text = label("stale_warning" if stale else "fresh_ok", lang).format(hours=formats.number(round(age), lang),
                                                                          limit=limit)
    verdict = html.Div(text, className="freshness-verdict", **{"data-stale": "true" if stale else "false"})
    return dbc.Alert([facts, verdict], color="danger" if stale else "success", id="dq-freshness")


def loads_table(lang: str):
    rows = [{
        "batch_id": r["batch_id"], "started_at": formats.moment(r["started_at"], lang),
        "duration_s": round(r["duration_s"] or 0, 1), "files": formats.files_summary(r["files"], lang),
        "rows_read": r["rows_read"], "rows_loaded": r["rows_loaded"], "rows_quarantined": r["rows_quarantined"],
    } for r in data.load_history()]
    number = number_column(lang)
    columns = [("batch_id", "col_batch", NARROW), ("started_at", "col_started"), ("files", "col_files", WIDE),
               ("rows_read", "col_read", number), ("rows_loaded", "col_loaded", number),
               ("rows_quarantined", "col_quarantined", number), ("duration_s", "col_duration", number_column(lang, 1))]
    return grid("dq-loads", rows, columns, lang, file_name="lan-nap.csv", page_size=10)


def quarantine_table(lang: str):
    rows = [{
        "batch_id": r["batch_id"], "file_name": r["file_name"], "row_number": r["row_number"],
        "reason": in_language(r["reason"], lang),
        "raw": "; ".join(f"{k}: {v}" for k, v in json.loads(r["raw"]).items() if v not in (None, "")),
    } for r in data.quarantined_rows()]
    columns = [("batch_id", "col_batch", NARROW), ("file_name", "col_file"), ("row_number", "col_row", NARROW),
               ("reason", "col_reason", {"flex": 2}), ("raw", "col_raw", WIDE)]
    # one line a row (the raw row whole on hover): a wrapped raw row made every row twenty lines tall
    return grid("dq-quarantine", rows, columns, lang, file_name="dong-bi-cach-ly.csv", page_size=10, compact=True)


def warnings_table(lang: str):
    rows = [{
        "batch_id": r["batch_id"], "file_name": r["file_name"], "row_number": r["row_number"],
        "kind": label(r["kind"], lang, WARNING_KINDS),
        "detail": in_language(r["detail"], lang),
    } for r in data.load_warnings()]
    columns = [("batch_id", "col_batch", NARROW), ("kind", "col_kind"), ("detail", "col_detail", WIDE),
               ("file_name", "col_file"), ("row_number", "col_row", NARROW)]
    return grid("dq-warnings", rows, columns, lang, file_name="canh-bao-du-lieu.csv", page_size=10)


def mail_failures_table(lang: str):
    rows = data.mail_failures()
    columns = [("week", "col_week"), ("unit", "col_unit", NARROW), ("recipient", "col_recipient"),
               ("attempts", "col_attempts", NARROW), ("error", "col_error", WIDE), ("at", "col_started")]
    return grid("dq-mail-failures", rows, columns, lang, file_name="thu-tuan-loi.csv", page_size=10)


def split_communes_table(lang: str):
    """Per today's commune: the dossiers counted there because their old commune was split and assigned to it
    by the rule (README "Split communes"): the figures that include them are estimates."""
    rows = [{"commune": r["name"] or r["code"], "code": r["code"], "dossiers": r["dossiers"],
             "old_communes": ", ".join(r["old_communes"])} for r in data.split_communes()]
    columns = [("commune", "col_unit"), ("code", "col_code", NARROW), ("dossiers", "col_dossiers", number_column(lang)),
               ("old_communes", "col_old_communes", WIDE)]
    return grid("dq-split", rows, columns, lang, file_name="xa-chia-tach.csv", page_size=10)


def not_in_catalogue(lang: str):
    """Dossiers whose procedure code the service catalogue lacks (a warning, KPI.md), by code, most first."""
    dossiers, codes, rows = data.not_in_catalogue()
    if not data.has_catalogue():
        return html.P(label("services_none", lang), className="text-muted", id="dq-not-in-catalogue")
    summary = html.P(label("dq_not_in_catalogue", lang).format(dossiers=formats.number(dossiers, lang),
                                                                codes=formats.number(codes, lang)),
                     id="dq-not-in-catalogue")
    shown = [{"code": r["procedure_code"], "name": r["procedure_name"] or "", "field": r["field"] or "",
              "dossiers": r["dossiers"], "first": formats.day(r["first_received"], lang),
              "last": formats.day(r["last_received"], lang)} for r in rows]
    columns = [("code", "col_procedure_code"), ("name", "col_procedure", WIDE), ("field", "col_field"),
               ("dossiers", "col_dossiers", number_column(lang)), ("first", "col_first_received"),
               ("last", "col_last_received")]
    return [summary, grid("dq-catalogue", shown, columns, lang, file_name="tthc-ngoai-danh-muc.csv", page_size=10)]


def boundary_mismatches(lang: str):
    """Today's communes with no shape in the boundary file, and shapes whose code is no commune of today's
    list: the map cannot draw the first and ignores the second, so both are listed here."""
    shapes = data.boundaries()
    found = data.boundary_mismatches()
    rows = [{"kind": label("map_without_shape", lang), **r} for r in found["without_shape"]] + \
        [{"kind": label("map_without_commune", lang), **r} for r in found["without_commune"]]
    file_line = label("map_file", lang).format(file=shapes.source or "—", shapes=formats.number(len(shapes.names), lang))
    notes = [html.P(file_line, id="dq-boundaries-file")]
    if shapes.problem:
        notes.append(html.P(shapes.problem, className="text-danger", id="dq-boundaries-problem"))
    if not rows:
        return html.Div(notes + [html.P(label("map_all_matched", lang), className="text-muted",
                                        id="dq-boundaries-ok")])
    columns = [("kind", "col_kind"), ("code", "col_code", NARROW), ("name", "col_unit", WIDE)]
    return html.Div(notes + [grid("dq-boundaries", rows, columns, lang, file_name="ranh-gioi-khong-khop.csv",
                                  page_size=10)])


def alert_history_table(lang: str):
    """Every alert message the rules sent: a unit entering breach, a reminder, a recovery."""
    rows = [r | {"event": label(f"alert_{r['event']}", lang)} for r in data.alert_history()]
    columns = [("at", "col_started"), ("rule", "col_rule"), ("unit", "col_unit", NARROW), ("event", "col_kind"),
               ("value", "col_value", number_column(lang, 2)), ("threshold", "col_threshold", number_column(lang, 2)),
               ("recipients", "col_recipient", WIDE)]
    return grid("dq-alerts", rows, columns, lang, file_name="canh-bao-nguong.csv", page_size=10)
