"""DATA-CONTRACT.md as data: the columns of each export shape and the accepted values.

Everything the ETL knows about the export format is written here once; readers
and validators look it up.
"""
from __future__ import annotations

from dataclasses import dataclass

from etl.text import match_key


@dataclass(frozen=True)
class Column:
    """One canonical column and the headers that name it in shape A."""

    name: str
    headers: tuple[str, ...]
    required: bool = False


# Shape A (CSV / XLSX). The first header is the one shown to people.
TABULAR_COLUMNS: tuple[Column, ...] = (
    Column("dossier_id", ("Mã hồ sơ", "ma_ho_so"), required=True),
    Column("procedure_code", ("Mã TTHC", "ma_tthc")),
    Column("procedure_name", ("Tên TTHC", "ten_tthc")),
    Column("field", ("Lĩnh vực", "linh_vuc"), required=True),
    Column("agency", ("Cơ quan giải quyết", "co_quan")),
    Column("handling_level", ("Cấp giải quyết", "cap_giai_quyet")),
    Column("unit_code", ("Mã ĐVHC", "ma_dvhc"), required=True),
    Column("channel", ("Kênh nộp", "kenh_nop")),
    Column("service_level", ("Mức độ DVC", "muc_do")),
    Column("received_at", ("Ngày tiếp nhận", "ngay_tiep_nhan"), required=True),
    Column("due_at", ("Ngày hẹn trả", "ngay_hen_tra")),
    Column("processed_at", ("Ngày có kết quả", "ngay_co_ket_qua")),
    Column("returned_at", ("Ngày trả kết quả", "ngay_tra_ket_qua")),
    Column("status", ("Trạng thái", "trang_thai"), required=True),
    Column("fee", ("Phí, lệ phí", "le_phi")),
    Column("payment_method", ("Hình thức thanh toán", "hinh_thuc_thanh_toan")),
    Column("digitised", ("Số hóa", "so_hoa")),
    Column("rating", ("Mức độ hài lòng", "muc_do_hai_long")),
)

# Shape C (the service catalogue, CSV / XLSX): a file with these required columns and no "Mã hồ sơ".
CATALOGUE_COLUMNS: tuple[Column, ...] = (
    Column("procedure_code", ("Mã TTHC", "ma_tthc"), required=True),
    Column("procedure_name", ("Tên TTHC", "ten_tthc"), required=True),
    Column("field", ("Lĩnh vực", "linh_vuc"), required=True),
    Column("levels", ("Cấp thực hiện", "cap_thuc_hien"), required=True),
    Column("online_level", ("Mức độ DVC", "muc_do")),
    Column("agency", ("Cơ quan thực hiện", "co_quan")),
    Column("duration", ("Thời hạn giải quyết", "thoi_han")),
    Column("fee", ("Phí, lệ phí", "le_phi")),
    Column("pays_online", ("Thanh toán trực tuyến", "thanh_toan_truc_tuyen")),
    Column("valid_from", ("Ngày hiệu lực", "ngay_hieu_luc")),
    Column("repealed_from", ("Ngày bãi bỏ", "ngay_bai_bo")),
)

COLUMN_BY_NAME = {c.name: c for c in TABULAR_COLUMNS}


def header_keys(columns: tuple[Column, ...]) -> dict[str, str]:
    """Matched header (``etl.text.match_key``) → canonical column, for one shape."""
    return {match_key(h): c.name for c in columns for h in c.headers}


HEADER_KEYS: dict[str, str] = header_keys(TABULAR_COLUMNS)
CATALOGUE_HEADER_KEYS: dict[str, str] = header_keys(CATALOGUE_COLUMNS)
# Headers only a catalogue has: a file with one of them and no "Mã hồ sơ" is read as a catalogue, so a
# catalogue missing a required column is refused as a catalogue (naming that column).
CATALOGUE_ONLY_KEYS = frozenset(CATALOGUE_HEADER_KEYS) - frozenset(HEADER_KEYS)
CATALOGUE_CANONICAL = tuple(c.name for c in CATALOGUE_COLUMNS)

# Canonical string columns every reader produces (before typing); field_code and
# paid_online come only from shape B and are blank in shape A.
CANONICAL = tuple(c.name for c in TABULAR_COLUMNS) + ("field_code", "paid_online")

# Shape B (national-portal sync JSON) field → canonical column.
PORTAL_FIELDS: dict[str, str] = {
    "MaHoSo": "dossier_id",
    "MaTTHC": "procedure_code",
    "TenTTHC": "procedure_name",
    "MaLinhVuc": "field_code",
    "TenLinhVuc": "field",
    "DonViXuLy": "agency",
    "CapGiaiQuyet": "handling_level",
    "MaDiaBan": "unit_code",
    "KenhThucHien": "channel",
    "MucDo": "service_level",
    "NgayTiepNhan": "received_at",
    "NgayHenTra": "due_at",
    "NgayKetThucXuLy": "processed_at",
    "NgayTra": "returned_at",
    "TrangThaiHoSo": "status",
    "DuocThanhToanTrucTuyen": "paid_online",
    "HoSoCoThanhPhanSoHoa": "digitised",
    "HinhThucThanhToan": "payment_method",
    "MucDoHaiLong": "rating",
}
PORTAL_REQUIRED = ("MaHoSo", "TenLinhVuc", "MaDiaBan", "NgayTiepNhan", "TrangThaiHoSo")
PORTAL_FEES = "DanhSachLePhi"


def _keys(mapping: dict[str, object]) -> dict[str, object]:
    return {match_key(k): v for k, v in mapping.items()}


STATUS_CODES: dict[str, int] = _keys({
    "Mới đăng ký": 1, "Đã tiếp nhận": 2, "Không được tiếp nhận": 3, "Đang xử lý": 4,
    "Chờ bổ sung": 5, "Chờ thực hiện nghĩa vụ tài chính": 6, "Công dân rút": 7,
    "Dừng xử lý": 8, "Tạm dừng": 8, "Đã có kết quả": 9, "Đã xử lý xong": 9, "Đã trả kết quả": 10,
    **{str(n): n for n in range(1, 11)},
})
RESOLVED_STATUSES = (9, 10)

CHANNELS: dict[str, int] = _keys({
    "": 1, "Trực tiếp": 1, "Trực tuyến": 2, "Bưu chính công ích": 3, "BCCI": 3, "1": 1, "2": 2, "3": 3,
})
SERVICE_LEVELS: dict[str, int] = _keys({"Toàn trình": 4, "Một phần": 3, "4": 4, "3": 3, "2": 2})
PAYMENT_METHODS: dict[str, str] = _keys({
    "Tiền mặt": "cash", "Chuyển khoản": "transfer", "Trực tuyến": "online", "Thẻ": "card",
})
DIGITISED: dict[str, bool] = _keys({"Có": True, "1": True, "x": True, "Không": False, "0": False, "": False})
RATINGS: dict[str, int] = _keys({"Rất hài lòng": 3, "Hài lòng": 2, "Không hài lòng": 1})
HANDLING_LEVELS: dict[str, str] = _keys({"Tỉnh": "Tỉnh", "Huyện": "Huyện", "Xã": "Xã"})
# A catalogue's "Cấp thực hiện": one or more levels, separated by , ; or /, each also as "Cấp tỉnh".
CATALOGUE_LEVELS: dict[str, str] = HANDLING_LEVELS | _keys({
    "Cấp tỉnh": "Tỉnh", "Cấp huyện": "Huyện", "Cấp xã": "Xã", "Tỉnh/Thành phố": "Tỉnh",
})
LEVEL_SEPARATORS = r"[,;/]"
# A catalogue's "Mức độ DVC": 4 fully online, 3 partly online, 2 information only (not online); blank = not
# online. Legacy digits as in shape A; "Mức độ 4" as older catalogues print it.
CATALOGUE_ONLINE_LEVELS: dict[str, int] = SERVICE_LEVELS | _keys({
    "Cung cấp thông tin": 2, "Mức độ 4": 4, "Mức độ 3": 3, "Mức độ 2": 2, "Mức độ 1": 2, "1": 2,
    "DVC trực tuyến toàn trình": 4, "DVC trực tuyến một phần": 3,
})
PAID_ONLINE: dict[str, bool] = _keys({"0": False, "1": True, "2": True, "": False})
