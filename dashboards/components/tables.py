"""Tables (AG Grid) with Vietnamese headers, sorting, filtering, paging, and CSV and XLSX export.

Two kinds: ``grid`` holds its rows in the browser (aggregated tables, a few hundred rows at most);
``paged_grid`` asks the server for one page at a time (dossier lists, up to hundreds of thousands of
rows), and ``serve_pages`` wires its pages and its exports to the query layer.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import xlsxwriter
from dash import Input, Output, State, callback, ctx, dcc, html
from werkzeug.exceptions import BadRequest

from access.web import current_principal, record_export, require_export
from common import formats
from common.labels import label
from dashboards.url_state import args_from_slice, slice_for_page
from warehouse.kpi import Sort
from warehouse.slice import Slice

AG_GRID_VI = {
    "page": "Trang", "of": "của", "to": "đến", "next": "Sau", "previous": "Trước", "first": "Đầu", "last": "Cuối",
    "filterOoo": "Lọc…", "contains": "Chứa", "notContains": "Không chứa", "equals": "Bằng",
    "notEqual": "Khác", "startsWith": "Bắt đầu bằng", "endsWith": "Kết thúc bằng", "noRowsToShow": "Không có dòng",
    "andCondition": "VÀ", "orCondition": "HOẶC", "blank": "Trống", "notBlank": "Không trống",
    "pageSizeSelectorLabel": "Số dòng/trang:", "ariaPageSizeSelectorLabel": "Số dòng/trang",
    "loadingOoo": "Đang tải…", "more": "nhiều hơn", "firstPage": "Trang đầu", "previousPage": "Trang trước",
    "nextPage": "Trang sau", "lastPage": "Trang cuối",
}
PAGE_SIZE = 50
# A server-side export holds at most this many rows of the list, in the order shown (README, the buttons' tooltip).
EXPORT_MAX_ROWS = 200_000
BLOCK_MAX = 1_000  # the most rows one getRowsRequest may ask for (pages are 20 to 200 rows)


NARROW = {"flex": 0, "width": 100, "minWidth": 80}
WIDE = {"flex": 3}
MOMENT = {"minWidth": 145}  # room for a whole "dd/mm/yyyy HH:mm"


def number_column(lang: str, digits: int = 0) -> dict:
    """Right-aligned numbers in the language's format (``1.066.440`` / ``1,066,440``), sorted as numbers."""
    locale = "vi-VN" if lang == "vi" else "en-GB"
    fmt = (f"params.value == null ? '' : params.value.toLocaleString('{locale}', "
           f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}})")
    return {"valueFormatter": {"function": fmt}, "type": "rightAligned", "filter": "agNumberColumnFilter"}


def percent_column(lang: str, digits: int = 2) -> dict:
    """Right-aligned rates (fractions) shown as ``99,66%``; the ``ioc-percent`` class tells the XLSX export."""
    locale = "vi-VN" if lang == "vi" else "en-GB"
    fmt = (f"params.value == null ? '–' : (params.value * 100).toLocaleString('{locale}', "
           f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}) + '%'")
    return {"valueFormatter": {"function": fmt}, "type": "rightAligned", "filter": "agNumberColumnFilter",
            "cellClass": "ioc-percent"}


def grid(grid_id: str, rows: list[dict], columns: list[tuple], lang: str, *,
         file_name: str, page_size: int = 15, height: str = "auto", compact: bool = False) -> dag.AgGrid:
    """``columns`` are (field, label key in common.labels.UI[, extra column options]).

    ``compact`` keeps one line per row (long text ends in … and shows whole on hover), for lists
    of many dossiers. The pager shows only when the rows do not fit one page: a table of five rows
    has nothing to page through."""
    paging = _paging(page_size, lang) if len(rows) > page_size else {
        "pagination": False, "localeText": AG_GRID_VI if lang == "vi" else {}}
    return dag.AgGrid(
        id=grid_id, rowData=rows, columnDefs=column_defs(columns, lang, compact),
        defaultColDef=_default_column(compact, filters=True),
        dashGridOptions=paging | {"domLayout": "autoHeight"},
        csvExportParams={"fileName": file_name},
        style={} if height == "auto" else {"height": height},
    )


def column_defs(columns: list[tuple], lang: str, compact: bool = True) -> list[dict]:
    """AG Grid column definitions of (field, label key[, extra options]) with headers in ``lang``."""
    return [{"field": c[0], "headerName": label(c[1], lang)} | (c[2] if len(c) > 2 else {})
            | ({"tooltipField": c[0]} if compact else {}) for c in columns]


def _default_column(compact: bool, filters: bool) -> dict:
    return {"sortable": True, "filter": filters, "resizable": True, "wrapText": not compact,
            "autoHeight": not compact, "flex": 1, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True}


def _paging(page_size: int, lang: str) -> dict:
    return {"pagination": True, "paginationPageSize": page_size, "localeText": AG_GRID_VI if lang == "vi" else {},
            "paginationPageSizeSelector": sorted({page_size, 15, 50, 200})}


# --- dossier lists paged on the server ------------------------------------------------------------------

Columns = Callable[[str], list[tuple]]
"""lang → the columns of a list, as ``grid`` takes them (the grid and its exports use the same ones)."""
Fetch = Callable[[Slice, int, int, Sort, str], tuple[list[dict], int]]
"""(slice, offset, limit, sort, lang) → (rows of that page formatted for ``lang``, the whole list's total)."""


def paged_grid(grid_id: str, columns: list[tuple], lang: str, s: Slice) -> html.Div:
    """A grid that asks the server for each page (``serve_pages``), beside the store of the page's slice
    (its URL arguments) that every request is answered for. Sorting is done by the server; column filters
    are off (the page's filter bar narrows the list), so no filter is shown that would do nothing."""
    server_side = [c[:2] + ((c[2] if len(c) > 2 else {}) | {"filter": False},) for c in columns]
    return html.Div([
        dcc.Store(id=f"{grid_id}-slice", data=args_from_slice(s, lang)),
        dag.AgGrid(
            id=grid_id, rowModelType="infinite", columnDefs=column_defs(server_side, lang),
            defaultColDef=_default_column(compact=True, filters=False),
            # One block per page of 50, one request at a time: dash-ag-grid answers only its latest request.
            dashGridOptions=_paging(PAGE_SIZE, lang) | {"domLayout": "autoHeight", "cacheBlockSize": PAGE_SIZE,
                                                       "maxConcurrentDatasourceRequests": 1,
                                                       "infiniteInitialRowCount": PAGE_SIZE},
        ),
    ])


def serve_pages(grid_id: str, columns: Columns, fetch: Fetch, file_name: str) -> None:
    """Register the callbacks of the ``paged_grid`` ``grid_id``: each page from ``fetch``, and CSV and XLSX
    exports (``export_buttons``) of the whole list in the grid's current sort, written by the server."""

    @callback(Output(grid_id, "getRowsResponse"), Input(grid_id, "getRowsRequest"), State(f"{grid_id}-slice", "data"),
              prevent_initial_call=True)
    def rows(request: dict | None, args: dict | None) -> dict:
        s, lang = _slice_and_lang(args)
        offset, limit = _window(request)
        body, total = _fetched(fetch, s, offset, limit, _sort(request), lang)
        return {"rowData": body, "rowCount": total}

    @callback(Output(f"{grid_id}-download", "data"), Input(f"{grid_id}-csv", "n_clicks"),
              Input(f"{grid_id}-xlsx", "n_clicks"), State(grid_id, "getRowsRequest"),
              State(f"{grid_id}-slice", "data"), prevent_initial_call=True)
    def export(_csv, _xlsx, request: dict | None, args: dict | None) -> dict:
        kind = "xlsx" if ctx.triggered_id == f"{grid_id}-xlsx" else "csv"
        require_export()  # refused (403) before any query for roles that may not export
        s, lang = _slice_and_lang(args)
        body, _total = _fetched(fetch, s, 0, EXPORT_MAX_ROWS, _sort(request), lang)
        record_export(f"{grid_id}.{kind}", len(body))  # audited with what it holds
        defs = column_defs(columns(lang), lang)
        content = xlsx_bytes(defs, body) if kind == "xlsx" else csv_bytes(defs, body, lang)
        return dcc.send_bytes(content, f"{file_name}.{kind}")


def _fetched(fetch: Fetch, s: Slice, offset: int, limit: int, sort: Sort, lang: str) -> tuple[list[dict], int]:
    """``fetch``, with a sort the query layer refuses (a column not in its whitelist) as a bad request (400)."""
    try:
        return fetch(s, offset, limit, sort, lang)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def _slice_and_lang(args: Any) -> tuple[Slice, str]:
    """The page's slice from its stored URL arguments, validated as the page's own URL is: a unit the caller
    may not see gives way to their own unit (and the query layer refuses anything outside their scope)."""
    args = args if isinstance(args, dict) else {}
    return slice_for_page(args), "en" if args.get("lang") == "en" else "vi"


def _window(request: Any) -> tuple[int, int]:
    """(offset, limit) of a getRowsRequest; at most ``BLOCK_MAX`` rows."""
    try:
        start, end = int(request["startRow"]), int(request["endRow"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest("bad getRowsRequest") from exc
    if start < 0 or end < start:
        raise BadRequest("bad getRowsRequest")
    return start, min(end - start, BLOCK_MAX)


def _sort(request: Any) -> Sort:
    """The sort model of the grid's last request as ((column, direction), ...); the query layer checks each
    column against its whitelist, a malformed model is a bad request."""
    model = request.get("sortModel") if isinstance(request, dict) else None
    try:
        return tuple((str(m["colId"]), str(m["sort"])) for m in model or ())
    except (KeyError, TypeError) as exc:
        raise BadRequest("bad sortModel") from exc


def export_buttons(grid_id: str, lang: str, server_side: bool = False) -> html.Div:
    """The CSV and XLSX buttons of the table ``grid_id`` (with the XLSX download); ``export_on_click`` wires them,
    or ``serve_pages`` for a ``paged_grid`` (``server_side``: the tooltip states the export's row cap)."""
    if not current_principal().may_export:  # leaders and wall displays: no buttons (and refused if crafted)
        return html.Div(className="card-header-tools")
    button = {"size": "sm", "color": "secondary", "outline": True, "className": "text-nowrap"}
    if server_side:
        button["title"] = label("export_cap", lang).format(rows=formats.number(EXPORT_MAX_ROWS, lang))
    return html.Div([dbc.Button(label("export_csv", lang), id=f"{grid_id}-csv", **button),
                     dbc.Button(label("export_xlsx", lang), id=f"{grid_id}-xlsx", **button),
                     dcc.Download(id=f"{grid_id}-download")], className="card-header-tools")


def export_on_click(grid_id: str) -> None:
    """Register the exports of ``grid_id``: both hold exactly what the table shows (its columns and headers,
    its rows as filtered and sorted, and its pinned total row). CSV is written by the browser; XLSX by the
    server from the same rows, keeping numbers as numbers so a spreadsheet can add them up."""

    @callback(Output(grid_id, "exportDataAsCsv"), Input(f"{grid_id}-csv", "n_clicks"), prevent_initial_call=True)
    def export_csv(_clicks):
        record_export(f"{grid_id}.csv")  # refused (403) for roles that may not export; audited
        return True

    @callback(Output(f"{grid_id}-download", "data"), Input(f"{grid_id}-xlsx", "n_clicks"),
              State(grid_id, "virtualRowData"), State(grid_id, "rowData"), State(grid_id, "columnDefs"),
              State(grid_id, "dashGridOptions"), State(grid_id, "csvExportParams"), prevent_initial_call=True)
    def export_xlsx(_clicks, shown, rows, columns, options, csv_params):
        body = (shown if shown is not None else rows) + (options or {}).get("pinnedBottomRowData", [])
        record_export(f"{grid_id}.xlsx", len(body))
        return dcc.send_bytes(xlsx_bytes(columns, body), safe_file_name(csv_params.get("fileName"), grid_id, "xlsx"))


def safe_file_name(asked: str | None, fallback: str, extension: str) -> str:
    """A download name from the table's settings (which the browser sends back): letters, digits, ``-_.``."""
    stem = re.sub(r"[^\w.-]", "", Path(str(asked or "")).stem) or fallback
    return f"{stem}.{extension}"


def xlsx_bytes(columns: list[dict], rows: list[dict]) -> bytes:
    """One sheet: the visible columns' headers in bold, frozen, then ``rows``; rates as ``0.00%``. Written row
    by row with constant memory, so a 200,000-row export does not hold every cell in memory."""
    buffer = io.BytesIO()
    shown = [c for c in columns if not c.get("hide")]
    # Text stays text: a cell reading "=HYPERLINK(...)" in a quarantined row must not become a formula.
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        sheet = book.add_worksheet()
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        percent = book.add_format({"num_format": "0.00%"})
        for col, column in enumerate(shown):
            style = percent if "ioc-percent" in str(column.get("cellClass", "")) else None
            sheet.set_column(col, col, 14 if column.get("type") == "rightAligned" else 28, style)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [c.get("headerName", c["field"]) for c in shown], header)
        for row, record in enumerate(rows, start=1):
            sheet.write_row(row, 0, [record.get(c["field"]) for c in shown])
    return buffer.getvalue()


def csv_bytes(columns: list[dict], rows: list[dict], lang: str) -> bytes:
    """The visible columns' headers, then ``rows``, as CSV in UTF-8 with a BOM (so Excel reads Vietnamese);
    numbers written as the grid shows them (``1.234``, ``3,5`` in Vietnamese)."""
    shown = [c for c in columns if not c.get("hide")]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([c.get("headerName", c["field"]) for c in shown])
    writer.writerows([_csv_cell(record.get(c["field"]), lang) for c in shown] for record in rows)
    return text.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any, lang: str) -> Any:
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, int):
        return formats.number(value, lang)
    if isinstance(value, float):
        return formats.decimal(value, lang, 1)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # text a spreadsheet would run as a formula stays text
    return value
