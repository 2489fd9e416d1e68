"""Property-based tests of the value parsers and header matching (DATA-CONTRACT.md).

Each property renders a value the way an export might write it and checks the
parser reads it back; unreadable text must come back null (quarantined later),
never as an exception and never as a wrong value.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from etl import contract
from etl.errors import RefusedFile
from etl.readers import map_headers
from etl.values import lookup, normalise_unit_code, parse_datetime, parse_fee

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def texts(values: list[str | None]) -> pl.Series:
    return pl.Series("x", values, dtype=pl.String)


# -- dates -------------------------------------------------------------------

INSTANTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59)).map(
    lambda d: d.replace(microsecond=0))

# (render, precision kept): each textual format the contract (and the shape-B sync) accepts.
FORMATS = {
    "dd/mm/yyyy HH:MM:SS": (lambda d: d.strftime("%d/%m/%Y %H:%M:%S"), "s"),
    "dd/mm/yyyy HH:MM": (lambda d: d.strftime("%d/%m/%Y %H:%M"), "m"),
    "dd/mm/yyyy": (lambda d: d.strftime("%d/%m/%Y"), "d"),
    "d/m/yyyy H:MM (Excel)": (lambda d: f"{d.day}/{d.month}/{d.year} {d.hour}:{d.minute:02d}", "m"),
    "d/m/yyyy (Excel)": (lambda d: f"{d.day}/{d.month}/{d.year}", "d"),
    "yyyy-mm-dd HH:MM:SS": (lambda d: d.strftime("%Y-%m-%d %H:%M:%S"), "s"),
    "yyyy-mm-dd HH:MM": (lambda d: d.strftime("%Y-%m-%d %H:%M"), "m"),
    "yyyy-mm-dd": (lambda d: d.strftime("%Y-%m-%d"), "d"),
    "yyyy-mm-ddTHH:MM:SS": (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"), "s"),
    "yyyy-mm-ddTHH:MM": (lambda d: d.strftime("%Y-%m-%dT%H:%M"), "m"),
    "yyyyMMddHHmmss": (lambda d: d.strftime("%Y%m%d%H%M%S"), "s"),
}
SPACE = st.text(alphabet=" \t\u00a0", max_size=3)


def expected(d: datetime, precision: str, end_of_day: bool = False) -> datetime:
    if precision == "s":
        return d
    if precision == "m":
        return d.replace(second=0)
    day = d.replace(hour=0, minute=0, second=0)
    return day + timedelta(hours=23, minutes=59, seconds=59) if end_of_day else day


@pytest.mark.parametrize("fmt", list(FORMATS))
@FAST
@given(instants=st.lists(INSTANTS, min_size=1, max_size=12), pad=st.tuples(SPACE, SPACE),
       end_of_day=st.booleans())
def test_each_format_round_trips(fmt, instants, pad, end_of_day):
    render, precision = FORMATS[fmt]
    column = texts([pad[0] + render(d) + pad[1] for d in instants])
    got = parse_datetime(column, end_of_day=end_of_day).to_list()
    assert got == [expected(d, precision, end_of_day) for d in instants]


@FAST
@given(st.lists(st.tuples(INSTANTS, st.sampled_from(list(FORMATS)), st.booleans()), min_size=1, max_size=30))
def test_a_column_mixing_formats_and_blanks_parses_every_value(cells):
    column = texts([FORMATS[f][0](d) if present else None for d, f, present in cells])
    got = parse_datetime(column).to_list()
    assert got == [expected(d, FORMATS[f][1]) if present else None for d, f, present in cells]


@FAST
@given(year=st.integers(1990, 2100), month=st.integers(1, 12), data=st.data())
def test_impossible_dates_and_times_are_null(year, month, data):
    day = data.draw(st.integers(calendar.monthrange(year, month)[1] + 1, 99), label="day past the month's end")
    bad_month = data.draw(st.integers(13, 99), label="bad month")
    column = texts([f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}",
                    f"{year}{month:02d}{day:02d}000000", f"{day:02d}/{month:02d}/{year} 08:00",
                    f"15/{bad_month}/{year}", f"{year}-{bad_month}-15", f"99/99/{year}",
                    f"15/{month:02d}/{year} 24:00", f"15/{month:02d}/{year} 10:61", f"{year}-{month:02d}-15 10:30:60"])
    assert parse_datetime(column).null_count() == len(column)


@pytest.mark.parametrize("impossible", ["31/02/2024", "30/02/2024", "29/02/2023", "31/04/2024 08:00", "99/99/2024",
                                        "00/03/2024", "2024-02-30", "2024-13-01 08:00", "20240231000000",
                                        "20240304250000", "04/03/2024 23:60", "04/03/2024 23:59:60"])
def test_impossible_dates_listed(impossible):
    assert parse_datetime(texts([impossible, " " + impossible]), end_of_day=True).to_list() == [None, None]


# The contract's textual shapes, written independently of etl/values.py: a four-digit year,
# day/month/hour with one or two digits, the compact form with exactly 8 or 14 digits.
CONTRACT_SHAPE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{1,2}(:\d{1,2})?)?"
    r"|\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{1,2}(:\d{1,2})?)?"
    r"|\d{8}|\d{14}", re.ASCII)
# Surrounding whitespace as Polars' strip_chars sees it (Python's str.strip also drops \x1c-\x1f).
EDGE_SPACE = re.compile(r"^[^\S\x1c-\x1f]+|[^\S\x1c-\x1f]+$")
PY_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
              "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y%m%d%H%M%S", "%Y%m%d")


def reference(text: str) -> datetime | None:
    """What the contract says ``text`` means, by Python's own strptime."""
    text = EDGE_SPACE.sub("", text)
    if not CONTRACT_SHAPE.fullmatch(text):
        return None
    for fmt in PY_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def mutated(base: str) -> st.SearchStrategy[str]:
    """``base`` with a few characters deleted, inserted or replaced (near-miss dates)."""
    alphabet = "0123456789/-: T+"
    edit = st.tuples(st.sampled_from("dir"), st.integers(0, len(base)), st.sampled_from(alphabet))

    def apply(edits):
        s = list(base)
        for op, i, ch in edits:
            if op == "i":
                s.insert(min(i, len(s)), ch)
            elif s:
                i = min(i, len(s) - 1)
                if op == "d":
                    del s[i]
                else:
                    s[i] = ch
        return "".join(s)
    return st.lists(edit, min_size=1, max_size=3).map(apply)


NEAR_DATES = st.sampled_from(["04/03/2024 08:05:09", "2024-03-04 08:05", "20240304080509", "2024-03-04T08:05",
                              "04/03/2024", "2024-03-04"]).flatmap(mutated)
DATEISH = st.text(alphabet="0123456789/-: T", max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NEAR_DATES, DATEISH, st.text(max_size=20)), min_size=1, max_size=20))
def test_other_text_is_null_never_a_wrong_date(values):
    got = parse_datetime(texts(values))
    # Out-of-range years (chrono reads "-2024-03-04") would not even convert to Python datetimes.
    years = got.dt.year().drop_nulls()
    assert years.is_between(1, 9999).all(), f"impossible years {years.to_list()} from {values}"
    assert got.to_list() == [reference(v) for v in values]


@pytest.mark.parametrize("two_digit_year", ["04/03/24", "4/3/24 08:00", "24-03-04", "-2024-03-04", "+2024-03-04",
                                            "04/03/-2024", "2 3 8", "04/ 3/2024"])
def test_short_or_signed_years_are_not_read_as_ancient_dates(two_digit_year):
    # chrono's %Y alone reads these as the year 24 (or -2024); the contract wants dd/mm/yyyy.
    assert parse_datetime(texts([two_digit_year])).to_list() == [None]


# -- fees --------------------------------------------------------------------

AMOUNTS = st.integers(0, 10**12)
FEE_RENDERINGS = {
    "plain": str,
    "dots": lambda n: f"{n:,}".replace(",", "."),
    "commas": lambda n: f"{n:,}",
    "excel float": lambda n: f"{n}.0",
}
SUFFIXES = ["", " đ", "đ", " VNĐ", "VNĐ", " vnđ", " VND", " đồng", " Đồng"]


@FAST
@given(n=AMOUNTS, rendering=st.sampled_from(list(FEE_RENDERINGS)), suffix=st.sampled_from(SUFFIXES), pad=SPACE,
       negative=st.booleans())
def test_fee_renderings_parse_to_the_amount(n, rendering, suffix, pad, negative):
    text = ("-" if negative else "") + FEE_RENDERINGS[rendering](n) + suffix
    assert parse_fee(texts([pad + text + pad])).to_list() == [-n if negative else n]


@FAST
@given(st.lists(st.tuples(st.integers(0, 10**9), st.sampled_from(list(FEE_RENDERINGS))), min_size=1, max_size=5))
def test_fee_sums_add_up(parts):
    text = "+".join(FEE_RENDERINGS[r](n) for n, r in parts)
    assert parse_fee(texts([text])).to_list() == [sum(n for n, _ in parts)]


def test_blank_fee_is_zero():
    assert parse_fee(texts([None, "", "   ", "\t"])).to_list() == [0, 0, 0, 0]


@FAST
@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12), SPACE)
def test_letters_are_not_a_fee(letters, pad):
    assert parse_fee(texts([pad + letters + pad, f"{letters}+100"])).to_list() == [None, None]


@pytest.mark.parametrize("unit_only", ["đ", "VNĐ", "vnd", "đồng"])
def test_a_currency_word_alone_is_not_a_fee_of_zero(unit_only):
    assert parse_fee(texts([unit_only])).to_list() == [None]


# -- statuses and coded values -------------------------------------------------

# DATA-CONTRACT.md's status table, copied here so the test does not read the code's own table.
STATUS_TEXTS = {
    "Mới đăng ký": 1, "Đã tiếp nhận": 2, "Không được tiếp nhận": 3, "Đang xử lý": 4, "Chờ bổ sung": 5,
    "Chờ thực hiện nghĩa vụ tài chính": 6, "Công dân rút": 7, "Dừng xử lý": 8, "Tạm dừng": 8,
    "Đã có kết quả": 9, "Đã xử lý xong": 9, "Đã trả kết quả": 10,
}
CODED = {  # column table → (contract text, value)
    "channel": (contract.CHANNELS, {"Trực tiếp": 1, "Trực tuyến": 2, "Bưu chính công ích": 3, "BCCI": 3}),
    "service_level": (contract.SERVICE_LEVELS, {"Toàn trình": 4, "Một phần": 3}),
    "payment_method": (contract.PAYMENT_METHODS, {"Tiền mặt": "cash", "Chuyển khoản": "transfer",
                                                  "Trực tuyến": "online", "Thẻ": "card"}),
    "rating": (contract.RATINGS, {"Rất hài lòng": 3, "Hài lòng": 2, "Không hài lòng": 1}),
    "digitised": (contract.DIGITISED, {"Có": True, "Không": False}),
    "handling_level": (contract.HANDLING_LEVELS, {"Tỉnh": "Tỉnh", "Huyện": "Huyện", "Xã": "Xã"}),
}
SEPARATORS = st.sampled_from([" ", "  ", "_", "-", ".", " - ", "\u00a0"])
PUNCT = st.text(alphabet=" .,;:!?()-_*\"'\t", max_size=3)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@st.composite
def typed_like_people(draw, text: str) -> str:
    """``text`` with random case, diacritics maybe dropped, spaces replaced, punctuation around it."""
    if draw(st.booleans()):
        text = strip_diacritics(text)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)  # decomposed accents, as some Mac tools write
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    text = "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    text = re.sub(" ", lambda _: draw(SEPARATORS), text)
    return draw(PUNCT) + text + draw(PUNCT)


@SOME
@given(data=st.data())
def test_every_status_text_maps_to_its_code_however_typed(data):
    variants = [(data.draw(typed_like_people(t)), code) for t, code in STATUS_TEXTS.items()]
    variants += [(data.draw(PUNCT) + str(n) + data.draw(PUNCT), n) for n in range(1, 11)]
    values, unknown = lookup(texts([v for v, _ in variants]), contract.STATUS_CODES)
    assert values.to_list() == [code for _, code in variants], variants
    assert not unknown.any()


@pytest.mark.parametrize("column", list(CODED))
@SOME
@given(data=st.data())
def test_coded_values_map_however_typed(column, data):
    table, meanings = CODED[column]
    variants = [(data.draw(typed_like_people(t)), value) for t, value in meanings.items()]
    values, unknown = lookup(texts([v for v, _ in variants]), table)
    assert values.to_list() == [value for _, value in variants], variants
    assert not unknown.any()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=25), min_size=1, max_size=20))
def test_other_text_is_an_unknown_status_never_a_wrong_code(values):
    keys = {strip_diacritics(t).lower().replace(" ", ""): code for t, code in STATUS_TEXTS.items()}
    keys |= {str(n): n for n in range(1, 11)}

    def meant(text: str) -> int | None:
        # Only text that *is* a contract status once case, accents and punctuation are ignored;
        # digits kept apart by punctuation ("1.0", "1 0") are not one number.
        folded = strip_diacritics(text).lower()
        if re.search(r"[0-9][^0-9a-z]+[0-9]", folded):
            return None
        return keys.get(re.sub(r"[^0-9a-z]", "", folded))
    got, unknown = lookup(texts(values), contract.STATUS_CODES)
    assert got.to_list() == [meant(v) for v in values]
    assert unknown.to_list() == [meant(v) is None for v in values]


@pytest.mark.parametrize("text", ["1.0", "1,0", "1 0", "1/0", "1-0", "0.9", "2.0", "10.0", "4 .0"])
def test_numbers_with_punctuation_do_not_merge_into_another_code(text):
    got, unknown = lookup(texts([text]), contract.STATUS_CODES)
    assert got.to_list() == [None] and unknown.to_list() == [True]


# -- headers ---------------------------------------------------------------------

ALL_HEADERS = [(h, c.name) for c in contract.TABULAR_COLUMNS for h in c.headers]
HEADER_SEPARATORS = st.sampled_from([" ", "_", "-", ".", "  ", "__"])
WHITESPACE = st.text(alphabet=" \t", max_size=2)


@st.composite
def header_like(draw, header: str) -> str:
    if draw(st.booleans()):
        header = strip_diacritics(header)
    flips = draw(st.lists(st.booleans(), min_size=len(header), max_size=len(header)))
    header = "".join(c.upper() if f else c.lower() for c, f in zip(header, flips, strict=True))
    header = re.sub("[ _]", lambda _: draw(HEADER_SEPARATORS), header)
    return draw(WHITESPACE) + header + draw(WHITESPACE)


@SOME
@given(data=st.data(), alias=st.lists(st.booleans(), min_size=len(contract.TABULAR_COLUMNS),
                                      max_size=len(contract.TABULAR_COLUMNS)), bom=st.booleans())
def test_every_header_and_alias_maps_to_its_column(data, alias, bom):
    chosen = [(c.headers[1 if a else 0], c.name) for c, a in zip(contract.TABULAR_COLUMNS, alias, strict=True)]
    chosen += [("Ghi chú", None), ("STT", None)]  # unknown extra columns are ignored
    chosen = data.draw(st.permutations(chosen))
    headers = [data.draw(header_like(h)) for h, _ in chosen]
    assume(len(set(headers)) == len(headers))
    if bom:
        headers[0] = "\ufeff" + headers[0]
    mapping = map_headers("x.csv", headers).mapping
    assert mapping == {h: name for h, (_, name) in zip(headers, chosen, strict=True) if name}


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_a_catalogue_is_recognised_by_its_headers_however_they_are_written(data):
    """Shape C: its headers or aliases, in any case, with or without diacritics, in any order."""
    alias = data.draw(st.lists(st.booleans(), min_size=len(contract.CATALOGUE_COLUMNS),
                               max_size=len(contract.CATALOGUE_COLUMNS)))
    chosen = [(c.headers[1 if a else 0], c.name) for c, a in zip(contract.CATALOGUE_COLUMNS, alias, strict=True)]
    chosen = data.draw(st.permutations(chosen + [("Ghi chú", None)]))
    headers = [data.draw(header_like(h)) for h, _ in chosen]
    assume(len(set(headers)) == len(headers))
    found = map_headers("danh_muc.csv", headers)
    assert found.content == "catalogue"
    assert found.mapping == {h: name for h, (_, name) in zip(headers, chosen, strict=True) if name}


@pytest.mark.parametrize("missing", [c for c in contract.CATALOGUE_COLUMNS if c.required], ids=lambda c: c.name)
def test_a_catalogue_missing_a_required_column_is_refused_naming_it(missing):
    headers = [c.headers[0] for c in contract.CATALOGUE_COLUMNS if c is not missing]
    if missing.name == "levels":
        headers.append("Ngày hiệu lực")  # still a catalogue by its other columns
    with pytest.raises(RefusedFile) as refused:
        map_headers("danh_muc.csv", headers)
    assert f"'{missing.headers[0]}'" in refused.value.problem_vi and "danh mục" in refused.value.problem_vi


@pytest.mark.parametrize("missing", [c for c in contract.TABULAR_COLUMNS if c.required], ids=lambda c: c.name)
def test_a_missing_required_column_is_named(missing):
    headers = [c.headers[0] for c in contract.TABULAR_COLUMNS if c is not missing] + ["Ghi chú"]
    with pytest.raises(RefusedFile) as refused:
        map_headers("thieu_cot.csv", headers)
    assert refused.value.file == "thieu_cot.csv"
    assert f"'{missing.headers[0]}'" in refused.value.problem_vi
    assert f"'{missing.headers[0]}'" in refused.value.problem_en
    others = [c.headers[0] for c in contract.TABULAR_COLUMNS if c.required and c is not missing]
    assert not any(f"'{o}'" in refused.value.problem_en for o in others)


# -- unit codes --------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "code"), [("1", "01"), ("01", "01"), ("72", "72"), ("703", "703"),
                                           ("25459", "25459"), ("2546", "02546"), ("703.0", "703"), ("1.0", "01"),
                                           (" 703 ", "703"), ("25459.00", "25459")])
def test_unit_codes(raw, code):
    assert normalise_unit_code(texts([raw])).to_list() == [code]


@FAST
@given(st.integers(1, 99999), st.booleans(), SPACE)
def test_unit_codes_pad_to_their_level(n, excel_float, pad):
    digits = str(n)
    width = 2 if len(digits) <= 2 else 3 if len(digits) == 3 else 5
    raw = pad + digits + (".0" if excel_float else "") + pad
    assert normalise_unit_code(texts([raw])).to_list() == [digits.zfill(width)]


# -- the UTF-8 check of a whole file -------------------------------------------

def _reference_error_at(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


@FAST
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
       junk=st.sampled_from([b"", b"\xff", b"\xc3", b"\xe1\xba", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"]),
       at=st.integers(min_value=0, max_value=200), block=st.integers(min_value=1, max_value=9))
def test_the_file_check_finds_the_first_byte_that_is_not_utf8(tmp_path_factory, text, junk, at, block):
    """inspect_file's UTF-8 check names the byte Python's decoder names, wherever its blocks are cut
    (here every 1 to 9 bytes, through Vietnamese letters of two and three bytes), and None for valid text."""
    from etl.readers import inspect_file

    encoded = text.encode("utf-8")
    cut = min(at, len(encoded))
    data = encoded[:cut] + junk + encoded[cut:]
    path = tmp_path_factory.mktemp("utf8") / "export.csv"
    path.write_bytes(data)
    assert inspect_file(path, block_bytes=block).utf8_error_at == _reference_error_at(data)
