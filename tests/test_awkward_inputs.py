"""Awkward but valid real-world exports load completely, through the real CLI; broken ones are refused.

The corpus is in ``tests/fixtures/awkward/`` (see its README); the XLSX is written here with
xlsxwriter. Every file must load every row, quarantine nothing, warn about nothing, and give the
figures its rows say (March 2024, as-of the end of March).
"""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from tests.support import ROOT, cli_kpi, etl_load, run, write_csv

AWKWARD = ROOT / "tests" / "fixtures" / "awkward"
MARCH = ("--from", "2024-03-01", "--to", "2024-03-31")
BOM = b"\xef\xbb\xbf"

# file → (rows, a few KPIs, dossier id → (received_at, fee)) as the rows say them.
CORPUS = {
    "semicolon_bom_crlf.csv": (4, {
        "received_new": 4, "received_online": 2, "resolved_total": 3, "resolved_early": 1, "resolved_on_time": 1,
        "resolved_late": 1, "pending_total": 1, "pending_overdue": 1, "cashless_rate": 2 / 3,
    }, {"S-1": (datetime(2024, 3, 4), 1_500_000), "S-2": (datetime(2024, 3, 5), 1_500_000),
        "S-3": (datetime(2024, 3, 9), 0), "S-4": (datetime(2024, 3, 10), 50_000)}),
    "tab_ascii_headers.tsv": (3, {
        "received_new": 3, "received_online": 1, "resolved_total": 2, "resolved_on_time": 2, "resolved_late": 0,
        "pending_total": 1, "pending_overdue": 1, "cashless_rate": 0.5,
    }, {"T-1": (datetime(2024, 3, 4, 8), 1_500_000), "T-2": (datetime(2024, 3, 5, 9, 30), 1_500_000),
        "T-3": (datetime(2024, 3, 6), 0)}),
    "quoted_multiline.csv": (3, {
        "received_new": 3, "received_online": 2, "resolved_total": 2, "resolved_early": 1, "resolved_on_time": 1,
        "pending_total": 1, "cashless_rate": 0.5, "online_payment_rate": 0.5, "satisfaction_rate": 1.0,
    }, {"Q-1": (datetime(2024, 3, 1, 8), 1_500_000), "Q-2": (datetime(2024, 3, 2, 9, 15), 20_000),
        "Q-3": (datetime(2024, 3, 3, 14), 0)}),
    "portal_bom_blank_lines.jsonl": (3, {
        "received_new": 3, "received_online": 1, "resolved_total": 2, "resolved_early": 1, "resolved_on_time": 1,
        "pending_total": 1, "cashless_rate": 0.5, "online_payment_rate": 0.5, "digitised_rate": 1 / 3,
    }, {"J-1": (datetime(2024, 3, 4, 8), 50_000), "J-2": (datetime(2024, 3, 5, 9), 0),
        "J-3": (datetime(2024, 3, 6, 10), 15_000)}),
    "portal_array.json": (3, {
        "received_new": 3, "received_online": 2, "full_online_rate": 1.0, "resolved_total": 1,
        "resolved_on_time": 1, "pending_total": 2, "pending_overdue": 1, "cashless_rate": 0.5,
        "online_payment_rate": 0.0, "satisfaction_rate": 1.0,
    }, {"A-1": (datetime(2024, 3, 1, 8), 100_000), "A-2": (datetime(2024, 3, 2, 9, 30), 0),
        "A-3": (datetime(2024, 3, 3, 10), 5_000)}),
}


def load_alone(tmp_path: Path, export: Path) -> tuple[Path, dict]:
    db = tmp_path / "wh.duckdb"
    summary = json.loads(etl_load(db, export).stdout)
    return db, summary


def assert_fully_loaded(summary: dict, rows: int, warnings: tuple[str, ...] = ()) -> None:
    [file] = summary["files"]
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_quarantined"]) == (rows, rows, 0), summary
    # every coded value and unit code was recognised, but for the warnings expected (by their start)
    assert [w for w in file["warnings"] if not w.startswith(warnings)] == [] if warnings else file["warnings"] == []
    assert all(any(w.startswith(start) for w in file["warnings"]) for start in warnings)


def loaded_rows(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "select dossier_id, received_at, fee, unit_code, procedure_name from dossier_rows").fetchall()}
    finally:
        con.close()


def assert_figures(got: dict, expected: dict) -> None:
    assert {k: got[k] for k in expected} == pytest.approx(expected)


@pytest.mark.parametrize("name", list(CORPUS))
def test_awkward_export_loads_every_row(tmp_path, name):
    rows, figures, dossiers = CORPUS[name]
    db, summary = load_alone(tmp_path, AWKWARD / name)
    assert_fully_loaded(summary, rows)
    assert_figures(cli_kpi(db, *MARCH), figures)
    got = loaded_rows(db)
    assert {k: v[:2] for k, v in got.items()} == dossiers


def test_the_corpus_is_as_awkward_as_it_claims():
    """Guard against an editor or git normalising the bytes that make these files awkward."""
    semicolon = (AWKWARD / "semicolon_bom_crlf.csv").read_bytes()
    assert semicolon.startswith(BOM) and b"\r\n" in semicolon and b"\r\n;;;;;;;;;\r\n" in semicolon
    tab = (AWKWARD / "tab_ascii_headers.tsv").read_bytes()
    assert not tab.startswith(BOM) and b"\r" not in tab and tab.startswith(b"STT\tTRANG THAI\t")
    quoted = (AWKWARD / "quoted_multiline.csv").read_bytes()
    assert "chứng thực\r\n(".encode() in quoted and b",\nk" in quoted and b",,,,,,,,,,,\r\n" in quoted
    ndjson = (AWKWARD / "portal_bom_blank_lines.jsonl").read_bytes()
    assert ndjson.startswith(BOM) and b"\r\n\r\n" in ndjson


def test_quoted_delimiters_quotes_and_line_breaks_survive(tmp_path):
    db, _ = load_alone(tmp_path, AWKWARD / "quoted_multiline.csv")
    got = loaded_rows(db)
    assert got["Q-1"][3] == 'Cấp bản sao từ sổ gốc, chứng thực\r\n(áp dụng cho "hộ tịch")'
    assert got["Q-2"][3] == "Đăng ký khai sinh,\nkết hợp nhận cha, mẹ, con"
    assert got["Q-3"][3] == "Thủ tục; có dấu chấm phẩy\tvà tab"


def test_a_line_of_only_delimiters_is_a_blank_line_not_a_row(tmp_path):
    """Decision: ``,,,,`` (or ``;;;;``) at the end is what spreadsheets write for an empty row. The reader
    drops rows whose every cell is blank, so it is not counted in rows_read, nor quarantined."""
    base = (AWKWARD / "tab_ascii_headers.tsv").read_bytes()
    export = tmp_path / "with_blank_rows.tsv"
    export.write_bytes(base + b"\t" * 11 + b"\n" + b" \t \t\t\t\t\t\t\t\t\t\t\n\n\n")
    db, summary = load_alone(tmp_path, export)
    assert_fully_loaded(summary, 3)


def test_bom_or_not_crlf_or_not_give_the_same_figures(tmp_path):
    source = (AWKWARD / "semicolon_bom_crlf.csv").read_bytes()
    rows, figures, _ = CORPUS["semicolon_bom_crlf.csv"]
    variants = {"lf_no_bom": source[len(BOM):].replace(b"\r\n", b"\n"), "crlf_no_bom": source[len(BOM):],
                "lf_bom": source.replace(b"\r\n", b"\n")}
    for name, data in variants.items():
        (tmp_path / name).mkdir()
        export = tmp_path / name / f"{name}.csv"
        export.write_bytes(data)
        db, summary = load_alone(tmp_path / name, export)
        assert_fully_loaded(summary, rows)
        assert_figures(cli_kpi(db, *MARCH), figures)


# -- XLSX: native Excel dates and numbers mixed with text -------------------------------

def write_xlsx(path: Path) -> Path:
    """Like an export saved from Excel: some date cells native, some typed as text; numbers as numbers."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Hồ sơ")
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Mã hồ sơ", "Lĩnh vực", "Mã ĐVHC", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
                           "Ngày có kết quả", "Trạng thái", "Phí, lệ phí", "Hình thức thanh toán"])
    rows = [
        # received: native / text / text (single-digit) / native; due: native date / text / native / blank;
        # end: all native (X-2's a date without a time), so that column is a pure date column.
        ("X-1", "Hộ tịch", 25459, "Trực tuyến", datetime(2024, 3, 4, 8, 0), date(2024, 3, 8),
         datetime(2024, 3, 8, 16, 30), 10, 1500000, "Chuyển khoản"),
        ("X-2", "Hộ tịch", "25459", "Trực tiếp", "05/03/2024 09:15", "07/03/2024", date(2024, 3, 9),
         "Đã có kết quả", "1.500.000", "Tiền mặt"),
        ("X-3", "Hộ tịch", 703, "Trực tuyến", "6/3/2024", date(2024, 3, 20), None, 4, 0, None),
        ("X-4", "Hộ tịch", 1, None, datetime(2024, 3, 7, 14, 45, 30), None, None, "4", None, None),
    ]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, stamp)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, datetime.min.time()), day)
            elif value is not None:
                sheet.write(r, c, value)  # numbers as numbers, text as text
    for c in range(10):  # formatted but empty cells below the data, as Excel leaves them
        sheet.write_blank(len(rows) + 1, c, None, stamp)
        sheet.write_blank(len(rows) + 2, c, None, day)
    book.close()
    return path


def test_xlsx_with_native_and_text_dates_loads_every_row(tmp_path):
    db, summary = load_alone(tmp_path, write_xlsx(tmp_path / "mixed.xlsx"))
    # unit code 1 as a number is 01 (Hà Nội): read as such, and outside the province, so a warning
    assert_fully_loaded(summary, 4, warnings=("Mã ĐVHC 01 ",))
    province = cli_kpi(db, *MARCH, "--unit", "72")
    assert_figures(province, {
        "received_new": 3, "received_online": 2, "resolved_total": 2, "resolved_on_time": 1, "resolved_late": 1,
        "pending_total": 1, "pending_overdue": 1, "cashless_rate": 0.5,
    })
    assert cli_kpi(db, *MARCH, "--unit", "_unknown")["received_new"] == 1  # counted in the province total
    got = loaded_rows(db)
    assert {k: v[:3] for k, v in got.items()} == {
        "X-1": (datetime(2024, 3, 4, 8, 0), 1_500_000, "25459"),
        "X-2": (datetime(2024, 3, 5, 9, 15), 1_500_000, "25459"),
        "X-3": (datetime(2024, 3, 6), 0, "703"),
        "X-4": (datetime(2024, 3, 7, 14, 45, 30), 0, "01"),
    }


# -- refusals ------------------------------------------------------------------------

def write_refused(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


HEADER = "Mã hồ sơ,Lĩnh vực,Mã ĐVHC,Ngày tiếp nhận,Trạng thái\n".encode()
REFUSED = {
    "empty.csv": (b"", "empty"),
    "only_blank_lines.csv": (b"\r\n \r\n\r\n", "empty"),
    "header_only.csv": (HEADER, "no data rows"),
    "header_and_blank_rows.csv": (HEADER + b",,,,\n\n", "no data rows"),
    "truncated.json": (b'[{"MaHoSo": "A-1", "TenLinhVuc": "H\xe1\xbb\x99 t\xe1\xbb\x8bch", "MaDiaBan": 7', "truncated"),
    "truncated_line.jsonl": (b'{"MaHoSo": "A-1"}\n{"MaHoSo": "A-2", "TenLinh', "truncated"),
    "csv_named.xlsx": (HEADER + "X-1,Hộ tịch,703,04/03/2024,4\n".encode(), "not an Excel file"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_broken_file_is_refused_naming_it(tmp_path, name):
    data, problem = REFUSED[name]
    db = tmp_path / "wh.duckdb"
    result = etl_load(db, write_refused(tmp_path, name, data), check=False)
    assert result.returncode != 0
    assert name in result.stderr and problem in result.stderr, result.stderr
    assert json.loads(result.stdout)["refused"]["file"] == name
    assert not db.exists()


@pytest.mark.parametrize("name", ["export.csv", "export.json"])
def test_an_excel_file_with_a_text_extension_says_so(tmp_path, name):
    xlsx = write_xlsx(tmp_path / "real.xlsx")
    db = tmp_path / "wh.duckdb"
    result = etl_load(db, Path(shutil.copy(xlsx, tmp_path / name)), check=False)
    assert result.returncode != 0
    assert name in result.stderr
    refused = json.loads(result.stdout)["refused"]
    for problem in (refused["problem_vi"], refused["problem_en"]):
        assert "Excel" in problem and ".xlsx" in problem and "CSV" in problem, problem
    assert "not UTF-8" not in result.stderr
    assert not db.exists()


def test_a_refused_file_leaves_the_earlier_warehouse(tmp_path):
    db, _ = load_alone(tmp_path, AWKWARD / "portal_array.json")
    figures = cli_kpi(db, *MARCH)
    result = etl_load(db, AWKWARD / "tab_ascii_headers.tsv", write_refused(tmp_path, "truncated.json", b"[{"),
                      check=False)
    assert result.returncode != 0 and "truncated.json" in result.stderr
    assert cli_kpi(db, *MARCH) == figures


# -- known problems elsewhere, recorded so they are not forgotten -------------------------

def test_pending_overdue_is_zero_when_no_pending_dossier_has_a_due_date(tmp_path):
    export = write_csv(tmp_path / "no_due.csv", [{"Mã hồ sơ": "N-1", "Ngày tiếp nhận": "04/03/2024"}])
    db, _ = load_alone(tmp_path, export)  # "Ngày hẹn trả" blank = no deadline (DATA-CONTRACT.md)
    figures = cli_kpi(db, *MARCH)
    assert (figures["pending_total"], figures["pending_overdue"], figures["pending_on_track"]) == (1, 0, 1)


def test_a_row_with_more_cells_than_headers_is_not_loaded_silently(tmp_path):
    export = tmp_path / "unquoted_fee.csv"
    export.write_text("Mã hồ sơ,Lĩnh vực,Mã ĐVHC,Ngày tiếp nhận,Trạng thái,Phí lệ phí\n"
                      "R-1,Hộ tịch,703,04/03/2024,4,1,500,000\n", encoding="utf-8")
    export.write_text(export.read_text(encoding="utf-8") + 'R-2,Hộ tịch,703,04/03/2024,4,"1,500,000"\n',
                      encoding="utf-8")
    db, summary = load_alone(tmp_path, export)
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_quarantined"]) == (2, 1, 1)
    assert loaded_rows(db)["R-2"][1] == 1_500_000
    reasons = json.loads(run("-m", "etl", "quarantine", "--db", str(db), "--json").stdout)
    assert [(r["row_number"], r["reason_code"]) for r in reasons] == [(1, "extra_cells")]
