"""Tables (AG Grid) with Vietnamese headers, sorting, filtering, paging and CSV export."""
from __future__ import annotations

import dash_ag_grid as dag
from dash import Input, Output, callback

from access.web import record_export
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


def export_on_click(button_id: str, grid_id: str) -> None:
    """Register: clicking ``button_id`` downloads ``grid_id`` as CSV, exactly as filtered and sorted on screen."""

    @callback(Output(grid_id, "exportDataAsCsv"), Input(button_id, "n_clicks"), prevent_initial_call=True)
    def export(_clicks):
        record_export(f"{grid_id}.csv")  # refused (403) for roles that may not export; audited otherwise
        return True
