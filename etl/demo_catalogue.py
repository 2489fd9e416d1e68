"""The demo's service catalogue (DATA-CONTRACT.md shape C): Tây Ninh's procedures, in two editions.

A real province publishes its list of procedures (danh mục TTHC) and republishes it when its structure
changes. The demo does the same, so the services page and every Decision 766 item the data allows are
filled, and the ordinary ETL loads it beside the dossier exports:

- ``danh_muc_tthc_2019.csv``: the old Tây Ninh's list as it was published for 2018, 1,884 procedures
  (1,446 provincial, 290 district, 148 commune: KPI.md's reference figures), in force always;
- ``danh_muc_tthc_2025-07.xlsx``: the merged province's list from 1 July 2025 (REFORM): no district
  level, so the district procedures go to the communes (land registration to the province's land
  registry branches, as the dossiers do), a few procedures of the districts are repealed and a few new
  commune procedures appear. Every row is in force from 1 July 2025, so 2024's figures keep the 2019
  list (the catalogue keeps its history).

The demo's dossiers are drawn on the 106 procedures of ``demo_data.FIELDS``. The other procedures of the
list each take a share of one of those (a *donor* of the same field, level and online level): a dossier
keeps everything it was drawn with but may be shown under such a sibling procedure (``shown_procedure``,
a function of its id, so every state of a dossier names the same procedure). Most procedures are
therefore used, many rarely, and a few never: the ones a province reviews for simplification.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_data as d

EDITION_2019 = "danh_muc_tthc_2019.csv"
EDITION_2025 = "danh_muc_tthc_2025-07.xlsx"
LEVEL_TARGETS_2019 = {"Tỉnh": 1446, "Huyện": 290, "Xã": 148}  # Tây Ninh 2018 (KPI.md)
REPEALED_AT_REFORM = 12      # district procedures with no successor
NEW_AT_REFORM = 25           # commune procedures the reform created
MULTI_LEVEL_AT_REFORM = 40   # provincial procedures also handled by the communes from REFORM
UNPUBLISHED = 2             # rarely used FIELDS procedures the province forgot to publish
NEVER_USED_SHARE = 0.03      # procedures with a donor that still get no dossier
BASE_SHARE = 0.5             # of a donor's dossiers, the share it keeps under its own name
ONLINE_TEXT = {4: "Toàn trình", 3: "Một phần", 2: "Cung cấp thông tin", None: ""}
HEADERS = ("Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cấp thực hiện", "Mức độ DVC", "Cơ quan thực hiện",
           "Thời hạn giải quyết", "Phí, lệ phí", "Thanh toán trực tuyến", "Ngày hiệu lực", "Ngày bãi bỏ")

# What a province's procedures are about, by field: (actions, objects). A procedure's name is an action
# and an object, as in the national database ("Cấp lại giấy phép ...", "Gia hạn giấy phép ...").
_LICENCE = ("Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn")
_REGISTER = ("Đăng ký", "Đăng ký thay đổi", "Xác nhận")
_APPROVE = ("Thẩm định", "Phê duyệt", "Điều chỉnh")
_RECOGNISE = ("Công nhận", "Công nhận lại")
TOPICS: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "LV475": ((_REGISTER, ("việc nuôi con nuôi trong nước", "giám hộ", "chấm dứt giám hộ", "nhận cha, mẹ, con",
                           "thay đổi, cải chính, bổ sung thông tin hộ tịch", "khai tử lưu động",
                           "kết hôn lưu động", "khai sinh lưu động")),),
    "LV785": ((("Chứng thực",), ("hợp đồng, giao dịch liên quan đến nhà ở", "di chúc", "văn bản từ chối nhận di sản",
                                 "văn bản thỏa thuận phân chia di sản", "việc sửa đổi, bổ sung, hủy bỏ hợp đồng",
                                 "chữ ký người dịch", "bản sao điện tử từ bản chính")),),
    "LV254": ((("Đăng ký", "Đăng ký biến động", "Xóa đăng ký"), (
        "thế chấp quyền sử dụng đất", "quyền sử dụng đất lần đầu", "chuyển mục đích sử dụng đất",
        "gia hạn sử dụng đất", "tách thửa, hợp thửa đất", "đất đai do đổi tên, thay đổi địa chỉ",
        "góp vốn bằng quyền sử dụng đất", "quyền sở hữu tài sản gắn liền với đất")),
        (("Thẩm định", "Điều chỉnh"), ("phương án sử dụng đất", "nhu cầu sử dụng đất", "hồ sơ giao đất, cho thuê đất",
                                       "hồ sơ thu hồi đất", "giá đất cụ thể"))),
    "LV372": ((("Đăng ký thành lập", "Đăng ký thay đổi nội dung", "Thông báo", "Giải thể"), (
        "doanh nghiệp tư nhân", "công ty trách nhiệm hữu hạn một thành viên", "công ty trách nhiệm hữu hạn hai "
        "thành viên trở lên", "công ty cổ phần", "công ty hợp danh", "chi nhánh, văn phòng đại diện",
        "hợp tác xã", "liên hiệp hợp tác xã", "địa điểm kinh doanh", "hộ kinh doanh")),),
    "LV175": ((_LICENCE, ("giấy phép xây dựng công trình", "giấy phép xây dựng nhà ở riêng lẻ",
                          "giấy phép xây dựng có thời hạn", "giấy phép di dời công trình",
                          "chứng chỉ hành nghề hoạt động xây dựng", "chứng chỉ năng lực hoạt động xây dựng",
                          "giấy phép hoạt động xây dựng cho nhà thầu nước ngoài")),
              (_APPROVE, ("báo cáo nghiên cứu khả thi đầu tư xây dựng", "thiết kế cơ sở", "quy hoạch chi tiết xây dựng",
                          "nhiệm vụ quy hoạch", "dự án đầu tư xây dựng nhà ở thương mại"))),
    "LV312": ((("Giải quyết", "Điều chỉnh", "Thôi hưởng"), (
        "trợ cấp xã hội hằng tháng", "hỗ trợ kinh phí chăm sóc, nuôi dưỡng", "chế độ trợ giúp xã hội khẩn cấp",
        "hỗ trợ chi phí mai táng", "trợ cấp thất nghiệp", "hỗ trợ học nghề")),
              (_LICENCE, ("giấy phép hoạt động dịch vụ việc làm", "giấy phép lao động cho người nước ngoài",
                          "giấy phép cho thuê lại lao động", "giấy phép hoạt động cơ sở trợ giúp xã hội"))),
    "LV101": ((_LICENCE, ("thẻ công chứng viên", "giấy đăng ký hoạt động văn phòng công chứng",
                          "chứng chỉ hành nghề luật sư", "giấy đăng ký hoạt động của tổ chức hành nghề luật sư",
                          "thẻ giám định viên tư pháp", "giấy đăng ký hoạt động trung tâm trọng tài",
                          "giấy đăng ký hoạt động của tổ chức đấu giá tài sản", "phiếu lý lịch tư pháp")),),
    "LV220": ((_LICENCE, ("quyết định cho phép hoạt động giáo dục", "giấy phép thành lập trường trung học phổ thông",
                          "giấy phép hoạt động trung tâm ngoại ngữ, tin học", "giấy phép tổ chức dạy thêm, học thêm",
                          "giấy phép hoạt động giáo dục nghề nghiệp", "văn bằng, chứng chỉ (bản sao)")),
              (_RECOGNISE, ("trường đạt chuẩn quốc gia", "trường mầm non đạt chuẩn", "xã đạt chuẩn phổ cập giáo dục"))),
    "LV330": ((_LICENCE, ("chứng chỉ hành nghề khám bệnh, chữa bệnh", "giấy phép hoạt động phòng khám đa khoa",
                          "giấy phép hoạt động phòng khám chuyên khoa", "chứng chỉ hành nghề dược",
                          "giấy chứng nhận đủ điều kiện kinh doanh dược", "giấy chứng nhận cơ sở đủ điều kiện an toàn "
                          "thực phẩm", "giấy phép quảng cáo mỹ phẩm", "giấy phép hoạt động cơ sở dịch vụ thẩm mỹ",
                          "giấy chứng nhận đạt thực hành tốt phân phối thuốc")),),
    "LV410": ((_LICENCE, ("giấy phép kinh doanh vận tải bằng xe ô tô", "phù hiệu xe ô tô kinh doanh vận tải",
                          "giấy phép lái xe", "giấy phép đào tạo lái xe", "giấy phép thi công công trình đường bộ",
                          "giấy chứng nhận đăng ký phương tiện thủy nội địa", "giấy phép hoạt động bến thủy nội địa",
                          "giấy phép lưu hành xe quá tải trọng", "giấy phép xe tập lái")),),
    "LV455": ((_LICENCE, ("giấy phép khai thác nước mặt", "giấy phép khai thác nước dưới đất",
                          "giấy phép xả nước thải vào nguồn nước", "giấy phép thăm dò nước dưới đất",
                          "giấy phép hành nghề khoan nước dưới đất")),),
    "LV520": ((_LICENCE, ("giấy phép môi trường", "giấy phép xử lý chất thải nguy hại",
                          "giấy xác nhận đủ điều kiện nhập khẩu phế liệu")),
              (_APPROVE, ("báo cáo đánh giá tác động môi trường", "phương án cải tạo, phục hồi môi trường",
                          "kế hoạch bảo vệ môi trường"))),
    "LV601": ((_LICENCE, ("giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản",
                          "giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
                          "giấy chứng nhận đủ điều kiện buôn bán phân bón", "giấy phép khai thác thủy sản",
                          "giấy chứng nhận kiểm dịch động vật", "giấy chứng nhận cơ sở an toàn dịch bệnh",
                          "giấy chứng nhận vùng trồng", "mã số cơ sở đóng gói")),
              (_RECOGNISE, ("làng nghề", "doanh nghiệp nông nghiệp ứng dụng công nghệ cao", "vùng nông nghiệp "
                            "ứng dụng công nghệ cao"))),
    "LV640": ((_LICENCE, ("giấy phép bán lẻ sản phẩm rượu", "giấy phép bán lẻ sản phẩm thuốc lá",
                          "giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", "giấy phép kinh doanh khí",
                          "giấy phép hoạt động điện lực", "giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất",
                          "giấy phép sử dụng vật liệu nổ công nghiệp", "giấy phép tổ chức khuyến mại",
                          "giấy phép lập cơ sở bán lẻ", "giấy xác nhận đăng ký hoạt động bán hàng đa cấp")),),
    "LV705": ((_LICENCE, ("giấy phép tổ chức biểu diễn nghệ thuật", "giấy phép kinh doanh karaoke",
                          "giấy phép tổ chức lễ hội", "giấy phép kinh doanh lữ hành nội địa",
                          "giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", "thẻ hướng dẫn viên du lịch",
                          "giấy phép thành lập thư viện", "giấy phép khai quật khảo cổ")),
              (_RECOGNISE, ("cơ sở lưu trú du lịch đạt tiêu chuẩn", "gia đình văn hóa", "khu dân cư văn hóa"))),
    "LV740": ((_LICENCE, ("giấy phép xuất bản bản tin", "giấy phép hoạt động in", "giấy phép nhập khẩu xuất bản "
                          "phẩm", "giấy phép thiết lập trang thông tin điện tử tổng hợp",
                          "giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm")),),
    "LV760": ((("Thẩm định", "Công nhận", "Cho phép"), (
        "thành lập, tổ chức lại đơn vị sự nghiệp công lập", "thành lập hội", "điều lệ hội", "giải thể hội",
        "thành lập quỹ xã hội, quỹ từ thiện", "đề án vị trí việc làm", "thi tuyển công chức",
        "xét tuyển viên chức")),),
    "LV770": ((_REGISTER, ("hoạt động tín ngưỡng", "sinh hoạt tôn giáo tập trung", "người được bổ nhiệm, bầu cử chức "
                           "việc", "thuyên chuyển chức sắc, chức việc", "tổ chức cuộc lễ ngoài cơ sở tôn giáo",
                           "giảng đạo ngoài địa bàn")),),
    "LV780": ((("Tặng", "Xét tặng", "Truy tặng"), ("Bằng khen của Chủ tịch UBND tỉnh", "danh hiệu Chiến sĩ thi đua "
                                                    "cấp tỉnh", "Cờ thi đua của UBND tỉnh", "Giấy khen của Chủ tịch "
                                                    "UBND cấp xã", "danh hiệu Lao động tiên tiến",
                                                    "danh hiệu Tập thể lao động xuất sắc")),),
    "LV380": ((("Cấp", "Điều chỉnh", "Chấm dứt", "Gia hạn"), (
        "giấy chứng nhận đăng ký đầu tư", "quyết định chủ trương đầu tư", "dự án đầu tư theo phương thức PPP",
        "hoạt động dự án đầu tư", "ưu đãi đầu tư")),),
    "LV390": ((("Đăng ký", "Thẩm định", "Quyết toán"), (
        "mã số đơn vị có quan hệ với ngân sách", "giá tài sản công", "dự án hoàn thành sử dụng vốn nhà nước",
        "phương án sắp xếp nhà, đất công")),),
    "LV815": ((_LICENCE, ("giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "giấy phép tiến hành công việc "
                          "bức xạ", "chứng chỉ nhân viên bức xạ", "giấy chứng nhận doanh nghiệp khoa học và công nghệ",
                          "giấy chứng nhận đăng ký chuyển giao công nghệ", "quyết định chỉ định tổ chức đánh giá "
                          "sự phù hợp")),),
    "LV850": ((("Đăng ký", "Khai", "Hoàn", "Miễn, giảm"), ("thuế thu nhập cá nhân", "lệ phí trước bạ",
                                                          "thuế sử dụng đất phi nông nghiệp", "thuế khoán hộ kinh doanh",
                                                          "thuế giá trị gia tăng")),),
    "LV870": ((("Đăng ký", "Điều chỉnh", "Giải quyết"), (
        "tham gia bảo hiểm xã hội tự nguyện", "cấp lại sổ bảo hiểm xã hội", "hưởng chế độ ốm đau",
        "hưởng chế độ thai sản", "hưởng lương hưu", "hưởng trợ cấp một lần")),),
    "LV880": ((("Giải quyết", "Công nhận", "Điều chỉnh"), (
        "chế độ ưu đãi người hoạt động kháng chiến", "chế độ thương binh", "chế độ thờ cúng liệt sĩ",
        "trợ cấp người có công với cách mạng", "chế độ Bà mẹ Việt Nam anh hùng", "di chuyển hồ sơ người có công")),),
}
QUALIFIERS = ("", " trường hợp thay đổi thông tin", " đối với tổ chức", " đối với cá nhân", " có yếu tố nước ngoài",
              " trong khu công nghiệp", " theo thủ tục rút gọn", " trường hợp bị mất, hư hỏng")


@dataclass(frozen=True)
class Entry:
    """One procedure of the demo catalogue; ``donor`` is the FIELDS procedure whose dossiers it shares."""

    code: str
    name: str
    field_code: str
    field: str
    level_2019: str
    levels_2025: tuple[str, ...]
    online_level: int | None
    agency: str
    days: int
    fee: int
    donor: int | None          # index into the demo's procedures (demo_data FIELDS order)
    repealed: bool = False     # repealed on REFORM
    new: bool = False          # in force from REFORM only
    unpublished: bool = False  # used by dossiers but missing from the published list (a data-quality warning)


@dataclass(frozen=True)
class DemoCatalogue:
    entries: list[Entry]       # the FIELDS procedures first, in their order (so index = proc), then the rest

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.entries]

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]


def build(seed: int) -> DemoCatalogue:
    """The demo catalogue: deterministic for a seed."""
    rng = np.random.default_rng([seed, 766])
    base = [(f, p) for f in d.FIELDS for p in f.procedures]
    entries = [Entry(p.code, p.name, f.code, f.name, p.level, (d.LEVELS[d._level_after_reform(f, p)],), p.online_level,
                     _agency(f, p.level), p.days, p.fee, donor=i) for i, (f, p) in enumerate(base)]
    rare = sorted(range(len(base)), key=lambda i: base[i][0].share * base[i][1].weight
                  / sum(p.weight for p in base[i][0].procedures))[:UNPUBLISHED]
    entries = [_replace(e, unpublished=True) if i in rare else e for i, e in enumerate(entries)]
    names = {f.code: _names(f.code) for f in d.FIELDS}
    taken = {e.name for e in entries}
    serial = itertools.count(100_001)
    for level, target in LEVEL_TARGETS_2019.items():
        need = target - sum(1 for e in entries if e.level_2019 == level and not e.unpublished)
        fields = [f for f in d.FIELDS if any(p.level == level for p in f.procedures)]
        weights = np.array([len(TOPICS[f.code]) + (f.share if level != "Tỉnh" else 0) for f in fields], dtype=float)
        for _ in range(need):
            left = np.array([any(n not in taken for n in names[f.code]) for f in fields])
            field = fields[rng.choice(len(fields), p=weights * left / (weights * left).sum())]
            name = _next_name(names[field.code], taken)
            donors = [i for i, (f, p) in enumerate(base) if f is field and p.level == level]
            donor = int(rng.choice(donors)) if donors else None
            proc = base[donor][1] if donor is not None else None
            online = proc.online_level if proc else int(rng.choice([4, 3, 2], p=[0.45, 0.45, 0.1]))
            after = (d.LEVELS[d._level_after_reform(field, proc)],) if proc else (("Xã",) if level == "Huyện" else (level,))
            entries.append(Entry(f"1.{next(serial):06d}.000.00.00.H56", name, field.code, field.name, level, after,
                                 online, _agency(field, level), proc.days if proc else int(rng.choice([3, 5, 10, 15, 20])),
                                 proc.fee if proc else 0, donor))
    entries = _reform(entries, rng, names, taken, serial)
    return DemoCatalogue(entries)


def _reform(entries: list[Entry], rng: np.random.Generator, names: dict[str, list[str]], taken: set[str],
            serial: itertools.count) -> list[Entry]:
    """Repeal a few district procedures, give a few provincial ones to the communes too, add new commune
    ones, and take the donor from a few procedures (never used)."""
    n_base = sum(len(f.procedures) for f in d.FIELDS)
    tail = np.arange(n_base, len(entries))
    district = [i for i in tail if entries[i].level_2019 == "Huyện"]
    provincial = [i for i in tail if entries[i].level_2019 == "Tỉnh"]
    repealed = set(rng.choice(district, REPEALED_AT_REFORM, replace=False).tolist())
    shared = set(rng.choice(provincial, MULTI_LEVEL_AT_REFORM, replace=False).tolist())
    unused = set(rng.choice(tail, int(NEVER_USED_SHARE * len(tail)), replace=False).tolist())
    out = []
    for i, e in enumerate(entries):
        if i in repealed:
            e = _replace(e, repealed=True)
        if i in shared:
            e = _replace(e, levels_2025=("Tỉnh", "Xã"))
        if i in unused:
            e = _replace(e, donor=None)
        out.append(e)
    local = [f for f in d.FIELDS if any(p.level == "Xã" for p in f.procedures)]
    for k in range(NEW_AT_REFORM):
        open_fields = [f for f in local if any(n not in taken for n in names[f.code])]
        field = open_fields[k % len(open_fields)]
        name = _next_name(names[field.code], taken)
        out.append(Entry(f"1.{next(serial):06d}.000.00.00.H56", name, field.code, field.name, "Xã", ("Xã",),
                         int(rng.choice([4, 3])), "UBND cấp xã", 5, 0, None, new=True))
    return out


def _next_name(names: list[str], taken: set[str]) -> str:
    name = next(n for n in names if n not in taken)
    taken.add(name)
    return name


def _replace(e: Entry, **changes) -> Entry:
    from dataclasses import replace
    return replace(e, **changes)


def _names(field_code: str) -> list[str]:
    """Every name the field's topics make, plain first, then with qualifiers."""
    plain = [f"{action} {obj}" for actions, objects in TOPICS[field_code] for obj in objects for action in actions]
    return [n + q for q in QUALIFIERS for n in plain]


def _agency(field: d.Field, level: str) -> str:
    if level == "Tỉnh":
        return field.province_agency.replace(" {p}", "").replace("{p}", "")
    return "UBND cấp huyện" if level == "Huyện" else "UBND cấp xã"


# -- the files -------------------------------------------------------------------------------

def generate_catalogues(out_dir: Path, *, seed: int) -> list[Path]:
    """Write both editions of the demo catalogue into ``out_dir``; their paths, in the order to load them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return write(out_dir, build(seed))


def write(out_dir: Path, catalogue: DemoCatalogue) -> list[Path]:
    """Both editions, oldest first (the order they must be loaded in)."""
    published = [e for e in catalogue.entries if not e.unpublished]
    old = [e for e in published if not e.new]
    first = _frame(old, lambda e: e.level_2019, valid_from=None, repealed=lambda e: False)
    path_2019 = out_dir / EDITION_2019
    first.write_csv(path_2019, include_bom=True, null_value="")
    second = _frame(published, lambda e: ", ".join(e.levels_2025) if not e.repealed else e.level_2019,
                    valid_from=d.REFORM, repealed=lambda e: e.repealed)
    path_2025 = out_dir / EDITION_2025
    second.write_excel(path_2025, worksheet="Danh mục TTHC", autofit=False)
    return [path_2019, path_2025]


def _frame(entries: list[Entry], levels, *, valid_from: date | None, repealed) -> pl.DataFrame:
    def date_text(day: date | None) -> str:
        return f"{day:%d/%m/%Y}" if day else ""

    fields = {f.code: f for f in d.FIELDS}
    rows = [(e.code, e.name, e.field, levels(e), ONLINE_TEXT[e.online_level],
             _agency(fields[e.field_code], levels(e).split(", ")[0]),
             f"{e.days} ngày làm việc" if e.days else "Trong ngày", d._thousands(e.fee) if e.fee else "",
             "Có" if e.fee and e.online_level == 4 else "Không",
             "" if repealed(e) else date_text(valid_from), date_text(d.REFORM) if repealed(e) else "")
            for e in entries]
    return pl.DataFrame(rows, schema=list(HEADERS), orient="row")


# -- which procedure a dossier is shown under ------------------------------------------------------

def shown_procedure(view: pl.DataFrame, catalogue: DemoCatalogue, seed: int) -> pl.Series:
    """For each row (``proc``, ``dossier_id``, ``received``): the catalogue entry it is shown under.

    The donor keeps BASE_SHARE of its dossiers; the rest go to the procedures it donates to, with weights
    falling by rank (some get many, some few). From REFORM, procedures repealed then get none."""
    u = (view["dossier_id"].hash(seed=seed).to_numpy() >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    proc = view["proc"].to_numpy()
    after = view["received"].to_numpy() >= d._minutes(d.REFORM)
    shown = proc.astype(np.int64).copy()
    for donor, (before_table, after_table) in _tables(catalogue).items():
        for table, when in ((before_table, ~after), (after_table, after)):
            rows = (proc == donor) & when
            if table is None or not rows.any():
                continue
            targets, cumulative = table
            shown[rows] = targets[np.searchsorted(cumulative, u[rows], side="right").clip(max=len(targets) - 1)]
    return pl.Series("shown", shown)


def _tables(catalogue: DemoCatalogue) -> dict[int, tuple]:
    """donor → (cumulative weights before REFORM, after REFORM), each (targets, cumulative) or None."""
    by_donor: dict[int, list[int]] = {}
    for i, e in enumerate(catalogue.entries):
        if e.donor is not None and e.donor != i:
            by_donor.setdefault(e.donor, []).append(i)

    def table(donor: int, others: list[int]):
        if not others:
            return None
        weights = np.array([1 / (k + 1) ** 1.3 for k in range(len(others))])
        weights = weights / weights.sum() * (1 - BASE_SHARE)
        return np.array([donor] + others), np.cumsum(np.concatenate([[BASE_SHARE], weights]))

    return {donor: (table(donor, others), table(donor, [i for i in others if not catalogue.entries[i].repealed]))
            for donor, others in by_donor.items()}
