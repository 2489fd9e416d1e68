"""Tables (AG Grid) with Vietnamese headers, sorting, filtering, paging, and CSV and XLSX export."""
from __future__ import annotations

import io
import re
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import xlsxwriter
from dash import Input, Output, State, callback, dcc, html

from access.web import current_principal, record_export
from common.labels import label

AG_GRID_VI = {
    "page": "Trang", "of": "của", "to": "đến", "next": "Sau", "previous": "Trước", "first": "Đầu", "last": "Cuối",
    "filterOoo": "Lọc…", "contains": "Chứa", "notContains": "Không chứa", "equals": "Bằng",
    "notEqual": "Khác", "startsWith": "Bắt đầu bằng", "endsWith": "Kết thúc bằng", "noRowsToShow": "Không có dòng",
    "andCondition": "VÀ", "orCondition": "HOẶC", "blank": "Trống", "notBlank": "Không trống",
    "pageSizeSelectorLabel": "Số dòng/trang:", "ariaPageSizeSelectorLabel": "Số dòng/trang",
}


NARROW = {"flex": 0, "width": 100, "minWidth": 80}
WIDE = {"flex": 3}


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
    of many dossiers."""
    column_defs = [{"field": c[0], "headerName": label(c[1], lang)} | (c[2] if len(c) > 2 else {})
                   | ({"tooltipField": c[0]} if compact else {}) for c in columns]
    return dag.AgGrid(
        id=grid_id, rowData=rows, columnDefs=column_defs,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "wrapText": not compact,
                       "autoHeight": not compact, "flex": 1, "minWidth": 90, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        dashGridOptions={"pagination": True, "paginationPageSize": page_size, "domLayout": "autoHeight",
                         "localeText": AG_GRID_VI if lang == "vi" else {},
                         "paginationPageSizeSelector": sorted({page_size, 15, 50, 200})},
        csvExportParams={"fileName": file_name},
        style={} if height == "auto" else {"height": height},
    )


def export_buttons(grid_id: str, lang: str) -> html.Div:
    """The CSV and XLSX buttons of the table ``grid_id`` (with the XLSX download); ``export_on_click`` wires them."""
    if not current_principal().may_export:  # leaders and wall displays: no buttons (and refused if crafted)
        return html.Div(className="card-header-tools")
    button = {"size": "sm", "color": "secondary", "outline": True, "className": "text-nowrap"}
    return html.Div([dbc.Button(label("export_csv", lang), id=f"{grid_id}-csv", **button),
                     dbc.Button(label("export_xlsx", lang), id=f"{grid_id}-xlsx", **button),
                     dcc.Download(id=f"{grid_id}-download")], className="card-header-tools")


def export_on_click(grid_id: str) -> None:
    """Register the exports of ``grid_id``: both hold exactly what the table shows (its columns and headers,
    its rows as filtered and sorted, and its pinned total row). CSV is written by the browser; XLSX by the
    server from the same rows, keeping numbers as numbers so a spreadsheet can add them up."""

    @callback(Output(grid_id, "exportDataAsCsv"), Input(f"{grid_id}-csv", "n_clicks"), prevent_initial_call=True)
    def export_csv(_clicks):
        record_export(f"{grid_id}.csv")  # the rows are the browser's: their count is not known here  # refused (403) for roles that may not export; audited otherwise
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
    """One sheet: the visible columns' headers in bold, frozen, then ``rows``; rates as ``0.00%``."""
    buffer = io.BytesIO()
    # Text stays text: a cell reading "=HYPERLINK(...)" in a quarantined row must not become a formula.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        sheet = book.add_worksheet()
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        percent = book.add_format({"num_format": "0.00%"})
        for col, column in enumerate(c for c in columns if not c.get("hide")):
            sheet.write(0, col, column.get("headerName", column["field"]), header)
            style = percent if "ioc-percent" in str(column.get("cellClass", "")) else None
            sheet.set_column(col, col, 14 if column.get("type") == "rightAligned" else 28, style)
            for row, record in enumerate(rows, start=1):
                sheet.write(row, col, record.get(column["field"]))
        sheet.freeze_panes(1, 0)
    return buffer.getvalue()
