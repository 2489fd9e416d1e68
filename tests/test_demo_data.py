"""The demo export generator writes files a real province could have sent (DATA-CONTRACT.md).

The checks parse the files themselves (Polars for shape A, ``json`` for shape B)
rather than going through the ETL, so a fault in either side shows up as itself.
The range 2022-11 .. 2023-02 covers both shapes, both CSV delimiters and both
JSON layouts in four small files, and two months with deliberately bad rows
(BAD_ROWS): the contract checks run on the other rows, and the bad ones are
checked to be exactly the planned few. The 1 July 2025 reorganisation is
tested in test_demo_units.py.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from etl.demo_data import (BAD_ROWS, CSV_HEADERS, EXTRA_SEQUENCE, FIELDS, UNITS_2024_CSV, generate_exports,
                            last_full_month_end)

RUN = {"start": date(2022, 11, 1), "today": date(2023, 3, 15), "scale": 0.07}  # ~50 dossiers a day
EXPECTED_FILES = ["mot_cua_2022-11.csv", "mot_cua_2022-12.csv", "dong_bo_2023-01.ndjson", "dong_bo_2023-02.json"]
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "shared" / "spec" / "samples" / "mot_cua_mau.csv"
STATUS_CODES = {"Mới đăng ký": 1, "Đã tiếp nhận": 2, "Không được tiếp nhận": 3, "Đang xử lý": 4, "Chờ bổ sung": 5,
                "Chờ thực hiện nghĩa vụ tài chính": 6, "Công dân rút": 7, "Dừng xử lý": 8, "Đã có kết quả": 9,
                "Đã trả kết quả": 10}
PORTAL_KEYS = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "DonViXuLy", "CapGiaiQuyet", "MaDiaBan",
               "KenhThucHien", "MucDo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo",
               "DanhSachLePhi", "DuocThanhToanTrucTuyen", "HoSoCoThanhPhanSoHoa"]
PORTAL_OPTIONAL = ["HinhThucThanhToan", "MucDoHaiLong"]
ID_PATTERN = r"^H(72|80)\.(\d{2}|\d{3}|\d{5})-\d{6}-\d{4,}$"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[Path]:
    calls: list[tuple[int, int]] = []
    paths = generate_exports(tmp_path_factory.mktemp("demo"), progress=lambda d, t: calls.append((d, t)), **RUN)
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    return paths


@pytest.fixture(scope="module")
def all_rows(exports) -> pl.DataFrame:
    """Every row of every file, typed the way the contract reads it, with its file's position."""
    return read_rows(exports)


@pytest.fixture(scope="module")
def rows(all_rows) -> pl.DataFrame:
    """The rows without the deliberately bad ones (extra rows and repeats)."""
    return all_rows.filter(~pl.col("extra") & ~pl.col("repeat"))


# -- files -----------------------------------------------------------------------------

def test_files_are_named_and_ordered_by_month(exports):
    assert [p.name for p in exports] == EXPECTED_FILES
    assert all(p.stat().st_size > 10_000 for p in exports)


def test_same_arguments_give_identical_bytes(exports, tmp_path):
    again = generate_exports(tmp_path, **RUN)
    assert [p.name for p in again] == [p.name for p in exports]
    for first, second in zip(exports, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_a_shorter_run_writes_the_same_months_byte_for_byte(exports, tmp_path):
    """Each month has its own random stream: how far a run goes does not change earlier files."""
    shorter = generate_exports(tmp_path, **(RUN | {"today": date(2023, 2, 10)}))
    assert [p.name for p in shorter] == EXPECTED_FILES[:3]
    for mine, theirs in zip(shorter, exports):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_another_seed_gives_other_data(exports, tmp_path):
    other = generate_exports(tmp_path, seed=7, **RUN)
    assert other[0].read_bytes() != exports[0].read_bytes()


def test_nothing_to_write_before_start(tmp_path):
    assert generate_exports(tmp_path, start=date(2024, 5, 1), today=date(2024, 5, 20)) == []


# -- shape A ---------------------------------------------------------------------------

def test_csv_files_look_like_the_one_stop_shop_export(exports):
    comma, semicolon = exports[0].read_bytes(), exports[1].read_bytes()
    for raw, delimiter in ((comma, ","), (semicolon, ";")):
        assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
        text = raw.decode("utf-8-sig")
        header = next(csv.reader([text.split("\r\n", 1)[0]], delimiter=delimiter))
        assert header == list(CSV_HEADERS)
        assert text.count("\r\n") == text.count("\n"), "CRLF line ends"
    if SAMPLE_CSV.exists():
        assert comma.split(b"\r\n", 1)[0] == SAMPLE_CSV.read_bytes().split(b"\r\n", 1)[0]


def test_csv_values_use_the_contract_formats(exports):
    frame = pl.concat([_raw_csv(p) for p in exports[:2]]).filter(~is_extra(pl.col("Mã hồ sơ")))
    datetime_text = r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$"
    for column in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả"):
        values = frame[column].drop_nulls()
        assert values.str.contains(datetime_text).all(), column
    fees = frame["Phí, lệ phí"].drop_nulls()
    assert fees.len() > 0 and fees.str.contains(r"^\d{1,3}(\.\d{3})+$").all()
    assert set(frame["Kênh nộp"].unique()) == {"Trực tiếp", "Trực tuyến", "Bưu chính công ích"}
    assert set(frame["Mức độ DVC"].drop_nulls().unique()) <= {"Toàn trình", "Một phần"}
    assert set(frame["Trạng thái"].unique()) <= set(STATUS_CODES)
    assert set(frame["Hình thức thanh toán"].drop_nulls().unique()) <= {"Tiền mặt", "Chuyển khoản", "Trực tuyến", "Thẻ"}
    assert set(frame["Số hóa"].unique()) == {"Có", "Không"}
    assert set(frame["Mức độ hài lòng"].drop_nulls().unique()) <= {"Rất hài lòng", "Hài lòng", "Không hài lòng"}
    assert set(frame["Cấp giải quyết"].unique()) == {"Tỉnh", "Huyện", "Xã"}


# -- shape B ---------------------------------------------------------------------------

def test_portal_files_are_ndjson_and_json_array(exports):
    ndjson, array = exports[2].read_text(encoding="utf-8"), exports[3].read_text(encoding="utf-8")
    assert ndjson.startswith("{") and all(json.loads(line) for line in ndjson.splitlines())
    assert array.startswith("[") and isinstance(json.loads(array), list)


def test_portal_records_match_the_national_sync_format(exports):
    records = _portal_records(exports[2]) + _portal_records(exports[3])
    for record in records:
        keys = list(record)
        assert keys[:len(PORTAL_KEYS)] == PORTAL_KEYS
        assert set(keys[len(PORTAL_KEYS):]) <= set(PORTAL_OPTIONAL)
        assert record["KenhThucHien"] in (1, 2, 3) and record["MucDo"] in (2, 3, 4)
        assert record["TrangThaiHoSo"] in range(1, 11)
        assert record["DuocThanhToanTrucTuyen"] in (0, 1, 2) and record["HoSoCoThanhPhanSoHoa"] in (0, 1)
        for key in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
            assert re.fullmatch(r"(\d{14})?", record[key]), key
        for fee in record["DanhSachLePhi"]:
            assert set(fee) == {"TenPhiLePhi", "Gia", "HinhThucThu"} and fee["Gia"] > 0
        paid = sum(f["Gia"] for f in record["DanhSachLePhi"]) > 0
        assert ("HinhThucThanhToan" in record) == paid
        if record["DuocThanhToanTrucTuyen"]:
            assert record["HinhThucThanhToan"] == "Trực tuyến"
    field_codes = {(r["MaLinhVuc"], r["TenLinhVuc"]) for r in records}
    assert len({code for code, _ in field_codes}) == len(field_codes), "one code per field"


def test_portal_text_is_what_json_dumps_writes(exports):
    """The records are assembled column-wise; they must still be canonical JSON."""
    for line in exports[2].read_text(encoding="utf-8").splitlines()[:500]:
        assert json.dumps(json.loads(line), ensure_ascii=False) == line


# -- every row obeys the contract ----------------------------------------------------------

def test_every_row_is_loadable(rows):
    assert rows.height > 5_000
    assert rows["dossier_id"].str.contains(ID_PATTERN).all()
    assert rows["received"].null_count() == 0
    for column in ("due", "end", "returned"):
        assert (rows[f"{column}_text"].is_null() == rows[column].is_null()).all(), f"unreadable {column}"
    assert rows.filter(pl.col("end") < pl.col("received")).is_empty()
    assert rows.filter(pl.col("returned") < pl.col("end")).is_empty()
    assert rows["status"].is_in(list(range(1, 11))).all()
    assert rows.filter(pl.col("status").is_in([9, 10]) & pl.col("end").is_null()).is_empty()
    assert rows.filter(pl.col("status").is_in([2, 4, 5, 6]) & pl.col("end").is_not_null()).is_empty()
    assert (rows["fee"] >= 0).all()


def test_ids_are_unique_within_a_file_and_name_their_province_unit_and_day(rows):
    assert rows.select(pl.struct("file", "dossier_id").is_unique().all()).item()
    parts = rows["dossier_id"].str.extract_groups(r"^H(\d+)\.(\d+)-(\d{6})-")
    reference = read_units(UNITS_2024_CSV)
    assert (parts.struct.field("1") == rows["unit"].map_elements(lambda u: root(reference, u), pl.String)).all()
    assert (parts.struct.field("2") == rows["unit"]).all()
    assert (parts.struct.field("3") == rows["received"].dt.strftime("%y%m%d")).all()


def test_units_are_units_of_the_two_old_provinces_at_their_level(rows):
    reference = read_units(UNITS_2024_CSV)
    for unit, level in rows.select("unit", "level").unique().iter_rows():
        assert unit in reference, unit
        assert LEVEL_OF[reference[unit]["level"]] == level
        assert root(reference, unit) in ("72", "80")
    provinces = rows["unit"].map_elements(lambda u: root(reference, u), pl.String).value_counts(sort=True)
    assert provinces["unit"].to_list() == ["80", "72"], "old Long An is the bigger one"


def test_agencies_are_those_of_each_old_province(rows):
    """Two old provinces: their departments and districts are distinct agencies, however alike their names."""
    reference = read_units(UNITS_2024_CSV)
    province_name = {"72": "tỉnh Tây Ninh", "80": "tỉnh Long An"}
    for unit, level, agency in rows.select("unit", "level", "agency").unique().iter_rows():
        name = reference[unit]["name"]
        if level == "Tỉnh":
            assert agency.endswith(province_name[unit]), (unit, agency)
        else:
            assert name[0].lower() + name[1:] in agency, (unit, agency)
            assert level == "Huyện" or agency.startswith("UBND "), (unit, agency)
    agencies = set(rows["agency"])
    assert {"Sở Tư pháp tỉnh Tây Ninh", "Sở Tư pháp tỉnh Long An", "UBND huyện Bến Lức"} <= agencies
    assert "UBND huyện Châu Thành, tỉnh Long An" in agencies, "names that repeat are qualified"


def test_the_bad_rows_are_the_planned_few(all_rows):
    assert_bad_rows_as_planned(all_rows, expected=5)


def assert_bad_rows_as_planned(all_rows: pl.DataFrame, *, expected: int) -> None:
    """The deliberately bad rows are those BAD_ROWS plans for the files' months, and break nothing else."""
    bad = all_rows.filter(pl.col("extra") | pl.col("repeat"))
    found = sorted((row["file"], bad_kind(row)) for row in bad.iter_rows(named=True))
    planned = sorted((name, kind) for name in all_rows["file"].unique()
                     for kind, count in BAD_ROWS.get(month_of(name), ()) for _ in range(count))
    assert found == planned and len(found) == expected
    extra_ids = all_rows.filter(pl.col("extra"))["dossier_id"].to_list()
    assert len(set(extra_ids)) == len(extra_ids), "each extra row has an id of its own"
    assert not set(extra_ids) & set(all_rows.filter(~pl.col("extra"))["dossier_id"]), "no other row has it"
    twice = all_rows.filter(pl.struct("file", "dossier_id").is_duplicated())
    assert twice.height == 2 * bad["repeat"].sum()
    assert twice.drop("repeat").unique().height == twice.height // 2, "a repeat is an exact copy"


def test_later_files_hold_newer_states_of_older_dossiers(rows):
    month_start = rows["file"].str.extract(r"(\d{4}-\d{2})").str.to_date("%Y-%m")
    rows = rows.with_columns(month_start.alias("month"))
    updates = rows.filter(pl.col("received").dt.date() < pl.col("month"))
    assert updates.height > 100, "pending dossiers reappear once their state changes"
    first = rows.sort("file_index").group_by("dossier_id").first()
    earlier = updates.join(first, on="dossier_id", suffix="_first")
    assert (earlier["file_index_first"] < earlier["file_index"]).all(), "an update follows the dossier's first row"
    history = rows.sort("file_index").group_by("dossier_id").agg("status", "end")
    history = history.filter(pl.col("status").list.len() > 1).select("status", "end")
    assert history["status"].list.len().sum() - history.height == updates.height, "every update has a first row"
    for statuses, ends in history.iter_rows():
        for i in range(1, len(statuses)):
            assert statuses[i - 1] != statuses[i], "a dossier reappears only when its state changed"
            assert statuses[i - 1] not in (1, 3, 7, 8), "final states do not change"
            assert ends[i - 1] is None or ends[i - 1] == ends[i], "an end once given stays"


def test_the_data_looks_like_a_province(rows):
    final = rows.sort("file_index").group_by("dossier_id").last()
    counted = final.filter(~pl.col("status").is_in([1, 3]))
    resolved = counted.filter(pl.col("end").is_not_null() & pl.col("due").is_not_null())
    late = resolved.filter(pl.col("end").dt.date() > pl.col("due").dt.date())
    early = resolved.filter(pl.col("end").dt.date() < pl.col("due").dt.date())
    assert late.height / resolved.height < 0.02
    assert 0.35 < early.height / resolved.height < 0.6
    assert late.filter(pl.col("field") == "Đất đai").height > late.height / 3, "late dossiers cluster in land"
    assert final["field"].n_unique() >= 20
    assert counted["status"].is_in([2, 4, 5, 6]).any(), "some dossiers are still pending"
    online = (counted["channel"] == 2).mean()
    assert 0.25 < online < 0.6


def test_catalogue_codes_are_unique():
    procedures = [p.code for f in FIELDS for p in f.procedures]
    assert len(procedures) == len(set(procedures))
    assert len({f.code for f in FIELDS}) == len({f.name for f in FIELDS}) == len(FIELDS) >= 25
    assert all(re.fullmatch(r"\d\.\d{6}\.000\.00\.00\.H56", code) for code in procedures)


# -- last_full_month_end -----------------------------------------------------------------------

@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 4, 15), date(2024, 3, 31)),
    (date(2024, 4, 1), date(2024, 3, 31)),     # the 1st: yesterday closed the month
    (date(2024, 4, 30), date(2024, 3, 31)),
    (date(2024, 3, 10), date(2024, 2, 29)),    # leap year
    (date(2025, 1, 1), date(2024, 12, 31)),    # January: December of the year before
    (date(2025, 1, 31), date(2024, 12, 31)),
])
def test_last_full_month_end(today, expected):
    assert last_full_month_end(today) == expected


# -- reading the files the way the contract describes them ---------------------------------------

LEVEL_OF = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}


def read_rows(paths: list[Path]) -> pl.DataFrame:
    """Every row of every file with its file's name and position; ``extra`` marks the deliberately broken
    extra rows (numbered from EXTRA_SEQUENCE), ``repeat`` the later copy of a row repeated in its file."""
    frames = [_read_tabular(p) if p.suffix == ".csv" else _read_portal(p) for p in paths]
    rows = pl.concat([f.with_columns(pl.lit(i).alias("file_index"), pl.lit(p.name).alias("file"))
                      for i, (f, p) in enumerate(zip(frames, paths))])
    return rows.with_columns(is_extra(pl.col("dossier_id")).alias("extra"),
                             (~pl.struct("file", "dossier_id").is_first_distinct()).alias("repeat"))


def is_extra(dossier_id: pl.Expr) -> pl.Expr:
    return dossier_id.str.extract(r"-(\d+)$").cast(pl.Int64) >= EXTRA_SEQUENCE


def read_units(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {r["code"]: r for r in csv.DictReader(handle)}


def root(reference: dict[str, dict[str, str]], code: str) -> str:
    """The province of a unit in one list."""
    while reference[code]["parent_code"]:
        code = reference[code]["parent_code"]
    return code


def month_of(file_name: str) -> date:
    year, month = re.search(r"(\d{4})-(\d{2})", file_name).groups()
    return date(int(year), int(month), 1)


def bad_kind(row: dict) -> str:
    """Which of BAD_ROWS' kinds a deliberately bad row is."""
    if row["repeat"]:
        return "repeated"
    if row["received"] is None:
        return "unreadable_received"
    if row["fee"] < 0:
        return "negative_fee"
    if row["unit"] == "99999":
        return "unknown_unit"
    assert row["status"] in (9, 10) and row["end"] is None and row["returned"] is None, row
    return "resolved_without_end"


def _raw_csv(path: Path) -> pl.DataFrame:
    header = path.read_text(encoding="utf-8-sig").split("\r\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return pl.read_csv(path, separator=delimiter, infer_schema=False, encoding="utf8")


def _read_tabular(path: Path) -> pl.DataFrame:
    frame = _raw_csv(path)
    when = lambda c: pl.col(c).str.to_datetime("%d/%m/%Y %H:%M:%S", strict=False)  # noqa: E731
    return frame.select(
        pl.col("Mã hồ sơ").alias("dossier_id"), pl.col("Mã TTHC").alias("procedure"), pl.col("Lĩnh vực").alias("field"),
        pl.col("Cơ quan giải quyết").alias("agency"), pl.col("Cấp giải quyết").alias("level"),
        pl.col("Mã ĐVHC").alias("unit"),
        pl.col("Kênh nộp").replace_strict({"Trực tiếp": 1, "Trực tuyến": 2, "Bưu chính công ích": 3},
                                         return_dtype=pl.Int64).alias("channel"),
        when("Ngày tiếp nhận").alias("received"),
        when("Ngày hẹn trả").alias("due"), pl.col("Ngày hẹn trả").alias("due_text"),
        when("Ngày có kết quả").alias("end"), pl.col("Ngày có kết quả").alias("end_text"),
        when("Ngày trả kết quả").alias("returned"), pl.col("Ngày trả kết quả").alias("returned_text"),
        pl.col("Trạng thái").replace_strict(STATUS_CODES, return_dtype=pl.Int64).alias("status"),
        pl.col("Phí, lệ phí").str.replace_all(".", "", literal=True).cast(pl.Int64).fill_null(0).alias("fee"),
    )


def _portal_records(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines()]


def _read_portal(path: Path) -> pl.DataFrame:
    records = _portal_records(path)
    text = {key: [r[key] or None for r in records] for key in ("NgayHenTra", "NgayKetThucXuLy", "NgayTra")}
    frame = pl.DataFrame({
        "dossier_id": [r["MaHoSo"] for r in records], "procedure": [r["MaTTHC"] for r in records],
        "field": [r["TenLinhVuc"] for r in records], "agency": [r["DonViXuLy"] for r in records],
        "level": [r["CapGiaiQuyet"] for r in records], "unit": [r["MaDiaBan"] for r in records],
        "channel": [r["KenhThucHien"] for r in records], "received_text": [r["NgayTiepNhan"] for r in records],
        "due_text": text["NgayHenTra"], "end_text": text["NgayKetThucXuLy"], "returned_text": text["NgayTra"],
        "status": [r["TrangThaiHoSo"] for r in records],
        "fee": [sum(f["Gia"] for f in r["DanhSachLePhi"]) for r in records],
    }, schema_overrides={c: pl.String for c in ("due_text", "end_text", "returned_text")})
    when = lambda c: pl.col(f"{c}_text").str.to_datetime("%Y%m%d%H%M%S", strict=False).alias(c)  # noqa: E731
    return frame.select(
        "dossier_id", "procedure", "field", "agency", "level", "unit", pl.col("channel").cast(pl.Int64),
        when("received"), when("due"), "due_text", when("end"), "end_text", when("returned"), "returned_text",
        pl.col("status").cast(pl.Int64), pl.col("fee").cast(pl.Int64),
    )
