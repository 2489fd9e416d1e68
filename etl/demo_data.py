"""Simulated one-stop-shop exports for Tây Ninh: the data behind the demo warehouse.

A fresh clone must show a living dashboard without anyone supplying data, so this
module writes the export files a real province would hand over (DATA-CONTRACT.md)
and the ordinary ETL loads them. Nothing here touches the warehouse: if these
files load, real ones will too.

The province as it really was. Today's Tây Ninh (80 in the 2025 list) was made on
1 July 2025 (REFORM) from the old Tây Ninh (72) and the old Long An (80 in the
2024 list: the code was reused), and the files say so:

- until 30 June 2025 a dossier is coded in the old units (2024 list) of its old
  province, by handling level: the province (2 digits), a district (3) or a
  commune (5); the agencies are those of its own province and district, so
  "Sở Tư pháp tỉnh Long An" and "Sở Tư pháp tỉnh Tây Ninh" are two agencies;
- from 1 July 2025 it is coded in one of the 96 new communes or at province
  level (80); there is no Huyện level any more. District-level procedures go to
  the commune's UBND, except land registration, which the branches of the
  provincial land registry took over ("Chi nhánh Văn phòng Đăng ký đất đai khu
  vực <old district>"): those dossiers are coded at Tỉnh level in 80, where
  district-coded dossiers count anyway once old units are read as current ones,
  so land figures stay in the same place across the date;
- every dossier has a home commune, drawn from commune weights, and its handling
  level codes it in that commune, its district or its province. A new commune's
  weight is the sum of its predecessors' (a split old commune's shared among its
  successors, most of it to the one the conversion rule below picks), so its
  share of the province runs on across the date. Its commune-level volume still
  rises in July 2025 by the procedures it took over from the district, as real
  communes' did;
- dossiers still open on 30 June 2025 are carried across: same id, dates and unit
  code (read, as every code, in the list in force on the received date, so they
  count in the old unit's successor today and where they were received in the
  old units' view), handled from then on by the agency that took the work over;
- an old system keeps running for a while: in July–September 2025 some communes
  send a small share of their dossiers with an old commune code the 2025 list
  lacks, and a handful of province-level dossiers still say 72 (LATE_CODES);
- a few dozen rows in a few months (BAD_ROWS) are broken the way real exports
  are, so the data page has quarantine and warnings to show: an unreadable
  received date, a negative fee, an unknown unit, a dossier repeated in its file,
  a resolved status without an end date. They are extra rows with ids of their
  own, or exact repeats later in the same file, so none is ever the only state
  of a dossier that later files update.

What the files look like:

- one file per month, 2019-01 up to the last full month; shape A (CSV) until
  2022, shape B (national-portal sync JSON) from 2023, as a province that moved
  to the national portal would have;
- each file holds the dossiers received that month in their state at the end of
  the month, then a newer state of older dossiers whose state changed during the
  month (resolved, returned, paused, taken up). A later file's row for the same
  dossier id is the newer state, so loading the files in order leaves every
  dossier in its latest state.

How it stays deterministic and fast:

- every month draws from its own random stream, seeded by ``(seed, year,
  month)`` (late codes and bad rows from streams of their own), so a month's
  file does not depend on how far the run goes: the files of a later run start
  with byte-identical copies of an earlier run's files;
- a month is one vectorised draw (numpy) of its dossiers' whole life cycle
  (received, due, paused, resolved, returned); a month-end state is a handful of
  Polars expressions over those instants; the files are formatted column-wise
  and written by Polars.

The numbers are calibrated to published figures (KPI.md): ~300 dossiers a day in
the old Tây Ninh and ~450 in the old Long An, late rate about 0.5% overall and
several percent in land, online filing rising from ~10% (2019) to ~60% (2025).
The data are simulated and must be labelled so wherever they are shown.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

PROVINCE_CODE = "80"  # today's Tây Ninh, in the 2025 list
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "warehouse" / "reference"
UNITS_2024_CSV = REFERENCE_DIR / "admin_units_2024.csv"    # before REFORM: province → district → commune
UNITS_2025_CSV = REFERENCE_DIR / "admin_units_2025.csv"    # from REFORM: province → commune
UNIT_CHANGES_CSV = REFERENCE_DIR / "unit_changes_2025.csv"  # one row per edge old commune → new commune
REFORM = date(2025, 7, 1)  # Decision 19/2025/QĐ-TTg: 34 provinces, no districts
OLD_DAILY_MEAN = {"72": 300.0, "80": 450.0}  # dossiers a calendar day in each old province (2024 list codes)


# -- the field and procedure catalogue -----------------------------------------

class Procedure(NamedTuple):
    """One administrative procedure (thủ tục hành chính) as the demo uses it."""

    code: str                # national procedure code
    name: str
    level: str               # handling level: "Tỉnh", "Huyện" or "Xã"
    weight: float            # relative volume within its field
    days: int                # statutory processing time in working days (0 = same day)
    online_level: int        # 4 toàn trình, 3 một phần, 2 other
    fee: int = 0             # đồng; 0 = free
    agency: str | None = None  # overrides the field's agency at the procedure's level ({d} district, {p} province)


class Field(NamedTuple):
    """One field (lĩnh vực) with the figures that make it look like itself."""

    code: str                # MaLinhVuc
    name: str                # TenLinhVuc / Lĩnh vực
    share: float             # % of all dossiers
    online_bias: float       # log-odds of filing online, relative to the average procedure
    late_rate: float         # P(resolved late) in 2022 in an average unit
    province_agency: str     # who handles it at Tỉnh level ({p} = province, appended when absent)
    district_agency: str     # who handles it at Huyện level ({d} = district)
    procedures: tuple[Procedure, ...]


P = Procedure
UBND_D = "UBND {d}"
FIELDS: tuple[Field, ...] = (
    Field("LV475", "Hộ tịch", 23.0, 0.9, 0.0008, "Sở Tư pháp", UBND_D, (
        P("1.001193.000.00.00.H56", "Đăng ký khai sinh", "Xã", 30, 1, 4),
        P("1.000894.000.00.00.H56", "Đăng ký kết hôn", "Xã", 10, 3, 3),
        P("1.000656.000.00.00.H56", "Đăng ký khai tử", "Xã", 8, 1, 4),
        P("2.000635.000.00.00.H56", "Cấp bản sao trích lục hộ tịch", "Xã", 25, 0, 4, 10_000),
        P("1.004873.000.00.00.H56", "Cấp giấy xác nhận tình trạng hôn nhân", "Xã", 15, 3, 4),
        P("1.000593.000.00.00.H56", "Đăng ký lại khai sinh", "Xã", 3, 5, 3),
        P("1.001695.000.00.00.H56", "Đăng ký khai sinh có yếu tố nước ngoài", "Huyện", 2, 15, 3, 100_000),
    )),
    Field("LV785", "Chứng thực", 21.0, -0.6, 0.0002, "Sở Tư pháp", "Phòng Tư pháp {d}", (
        P("2.000815.000.00.00.H56", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Xã", 40, 0, 2, 10_000),
        P("2.000884.000.00.00.H56", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Xã", 14, 0, 2, 10_000),
        P("2.001035.000.00.00.H56",
          "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở",
          "Xã", 12, 2, 2, 50_000),
        P("2.002164.000.00.00.H56", "Chứng thực bản sao điện tử từ bản chính", "Xã", 16, 0, 3, 10_000),
        P("2.000908.000.00.00.H56",
          "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp",
          "Huyện", 6, 0, 2, 10_000),
        P("2.000913.000.00.00.H56", "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật",
          "Huyện", 3, 0, 2, 10_000),
    )),
    Field("LV254", "Đất đai", 9.5, -0.6, 0.040, "Văn phòng Đăng ký đất đai {p}",
          "Chi nhánh Văn phòng Đăng ký đất đai {d}", (
        P("1.004227.000.00.00.H56",
          "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, "
          "tặng cho, thừa kế", "Huyện", 40, 10, 3, 100_000),
        P("1.002255.000.00.00.H56", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Huyện", 15, 30, 3, 300_000),
        P("1.001045.000.00.00.H56", "Cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất", "Huyện", 15, 7, 3, 50_000),
        P("2.000889.000.00.00.H56", "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "Huyện",
          18, 1, 4, 80_000),
        P("1.004203.000.00.00.H56", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền",
          "Huyện", 8, 15, 3, agency=UBND_D),
        P("1.004269.000.00.00.H56", "Giao đất, cho thuê đất cho tổ chức", "Tỉnh", 2, 20, 2,
          agency="Sở Tài nguyên và Môi trường"),
        P("1.003554.000.00.00.H56", "Hòa giải tranh chấp đất đai", "Xã", 3, 30, 2),
    )),
    Field("LV372", "Đăng ký kinh doanh", 5.5, 1.6, 0.001, "Sở Kế hoạch và Đầu tư", UBND_D, (
        P("2.001610.000.00.00.H56", "Đăng ký thành lập công ty TNHH một thành viên", "Tỉnh", 10, 3, 4, 50_000),
        P("2.002043.000.00.00.H56", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Tỉnh", 25, 3, 4, 50_000),
        P("1.005287.000.00.00.H56", "Đăng ký thành lập doanh nghiệp tư nhân", "Tỉnh", 4, 3, 4, 50_000),
        P("2.001040.000.00.00.H56", "Thông báo tạm ngừng kinh doanh", "Tỉnh", 6, 3, 4),
        P("2.000720.000.00.00.H56", "Đăng ký thành lập hộ kinh doanh", "Huyện", 20, 3, 4, 100_000),
        P("2.000575.000.00.00.H56", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Huyện", 8, 3, 4, 100_000),
    )),
    Field("LV175", "Xây dựng", 3.5, -0.2, 0.008, "Sở Xây dựng", UBND_D, (
        P("1.009994.000.00.00.H56", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Huyện", 40, 15, 3, 75_000),
        P("1.009993.000.00.00.H56", "Cấp giấy phép sửa chữa, cải tạo công trình", "Huyện", 8, 15, 3, 75_000),
        P("1.009982.000.00.00.H56", "Cấp giấy phép xây dựng mới đối với công trình cấp II, III", "Tỉnh",
          5, 20, 3, 150_000),
        P("1.009972.000.00.00.H56", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "Tỉnh", 4, 30, 2, 500_000),
        P("1.009931.000.00.00.H56", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, III", "Tỉnh",
          4, 20, 4, 300_000),
    )),
    Field("LV312", "Lao động - Thương binh và Xã hội", 4.5, 0.0, 0.004, "Sở Lao động - Thương binh và Xã hội",
          UBND_D, (
        P("1.001776.000.00.00.H56", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "Huyện",
          20, 17, 3),
        P("1.001739.000.00.00.H56", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Huyện", 8, 5, 3),
        P("1.000077.000.00.00.H56", "Đăng ký hộ nghèo, hộ cận nghèo phát sinh trong năm", "Xã", 8, 10, 3),
        P("2.000134.000.00.00.H56", "Giải quyết hưởng trợ cấp thất nghiệp", "Tỉnh", 25, 20, 4,
          agency="Trung tâm Dịch vụ việc làm {p}"),
        P("1.000459.000.00.00.H56",
          "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "Tỉnh", 10, 5, 4, 400_000),
    )),
    Field("LV101", "Tư pháp", 2.5, 0.8, 0.002, "Sở Tư pháp", "Phòng Tư pháp {d}", (
        P("2.000488.000.00.00.H56",
          "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
          "Tỉnh", 60, 10, 4, 200_000),
        P("2.000505.000.00.00.H56", "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị - xã hội",
          "Tỉnh", 5, 10, 3),
        P("2.001457.000.00.00.H56", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "Tỉnh", 1, 10, 3),
        P("2.000930.000.00.00.H56", "Công nhận tuyên truyền viên pháp luật", "Xã", 3, 5, 3),
    )),
    Field("LV220", "Giáo dục và Đào tạo", 2.5, 0.3, 0.001, "Sở Giáo dục và Đào tạo",
          "Phòng Giáo dục và Đào tạo {d}", (
        P("1.005099.000.00.00.H56", "Chuyển trường đối với học sinh trung học cơ sở", "Huyện", 25, 3, 4),
        P("1.005095.000.00.00.H56", "Chuyển trường đối với học sinh trung học phổ thông", "Tỉnh", 10, 3, 4),
        P("1.005092.000.00.00.H56", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Tỉnh", 15, 1, 4),
        P("1.005088.000.00.00.H56", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "Tỉnh", 3, 5, 3),
        P("1.004492.000.00.00.H56", "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", "Xã", 2, 15, 3),
    )),
    Field("LV330", "Y tế", 2.0, 0.0, 0.004, "Sở Y tế", UBND_D, (
        P("1.003003.000.00.00.H56", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Tỉnh", 15, 30, 3, 360_000),
        P("1.001624.000.00.00.H56", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Tỉnh",
          15, 20, 3, 500_000),
        P("1.004616.000.00.00.H56", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Tỉnh", 10, 30, 3, 500_000),
        P("2.000591.000.00.00.H56", "Cấp Giấy xác nhận kiến thức về an toàn thực phẩm", "Huyện", 15, 5, 4, 30_000),
    )),
    Field("LV410", "Giao thông vận tải", 3.5, 0.7, 0.001, "Sở Giao thông vận tải", UBND_D, (
        P("1.002809.000.00.00.H56", "Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp", "Tỉnh",
          60, 5, 4, 135_000),
        P("1.002804.000.00.00.H56", "Cấp lại Giấy phép lái xe", "Tỉnh", 10, 10, 3, 135_000),
        P("1.002856.000.00.00.H56", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "Tỉnh", 15, 2, 4),
        P("1.001023.000.00.00.H56", "Đăng ký phương tiện thủy nội địa lần đầu", "Huyện", 5, 3, 3, 70_000),
        P("1.001046.000.00.00.H56",
          "Cấp phép thi công công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
          "Huyện", 5, 7, 3),
    )),
    Field("LV455", "Tài nguyên nước", 0.4, -0.3, 0.010, "Sở Tài nguyên và Môi trường", UBND_D, (
        P("1.004232.000.00.00.H56", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "Tỉnh", 3, 30, 3, 200_000),
        P("1.004228.000.00.00.H56", "Cấp giấy phép thăm dò nước dưới đất", "Tỉnh", 2, 30, 3, 200_000),
        P("1.001662.000.00.00.H56", "Đăng ký khai thác nước dưới đất", "Huyện", 3, 10, 3),
    )),
    Field("LV520", "Môi trường", 0.8, -0.2, 0.008, "Sở Tài nguyên và Môi trường", UBND_D, (
        P("1.010727.000.00.00.H56", "Cấp giấy phép môi trường", "Tỉnh", 4, 30, 3, 500_000),
        P("1.010733.000.00.00.H56", "Thẩm định báo cáo đánh giá tác động môi trường", "Tỉnh", 2, 30, 2, 500_000),
        P("1.010736.000.00.00.H56", "Đăng ký môi trường", "Xã", 4, 15, 4),
    )),
    Field("LV601", "Nông nghiệp", 2.0, 0.3, 0.002, "Sở Nông nghiệp và Phát triển nông thôn", UBND_D, (
        P("1.003619.000.00.00.H56",
          "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
          "Tỉnh", 20, 1, 4, 40_000),
        P("1.003029.000.00.00.H56",
          "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản", "Tỉnh", 5, 15, 3, 350_000),
        P("1.003472.000.00.00.H56", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", "Xã",
          5, 10, 2),
        P("1.000043.000.00.00.H56", "Cấp Giấy chứng nhận đạt tiêu chí kinh tế trang trại", "Huyện", 4, 5, 3),
    )),
    Field("LV640", "Công thương", 1.4, 0.2, 0.002, "Sở Công Thương", UBND_D, (
        P("2.000633.000.00.00.H56", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Huyện", 10, 10, 4, 200_000),
        P("2.000191.000.00.00.H56", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", "Tỉnh",
          5, 15, 3, 400_000),
        P("2.000181.000.00.00.H56", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Tỉnh", 4, 15, 4, 300_000),
    )),
    Field("LV705", "Văn hóa", 1.0, -0.3, 0.002, "Sở Văn hóa, Thể thao và Du lịch", UBND_D, (
        P("1.001029.000.00.00.H56", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Tỉnh", 3, 5, 3, 500_000),
        P("1.001008.000.00.00.H56", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Tỉnh", 3, 5, 4),
        P("1.000954.000.00.00.H56", "Thông báo tổ chức lễ hội cấp huyện", "Huyện", 3, 15, 3),
        P("1.000933.000.00.00.H56", "Xét tặng danh hiệu Gia đình văn hóa", "Xã", 10, 5, 2),
    )),
    Field("LV740", "Thông tin và Truyền thông", 0.4, 0.5, 0.001, "Sở Thông tin và Truyền thông", UBND_D, (
        P("1.003827.000.00.00.H56", "Cấp giấy phép xuất bản bản tin", "Tỉnh", 2, 15, 4),
        P("1.004618.000.00.00.H56", "Cấp giấy phép hoạt động in", "Tỉnh", 2, 7, 4),
        P("1.004679.000.00.00.H56",
          "Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
          "Huyện", 3, 10, 4, 200_000),
    )),
    Field("LV760", "Nội vụ", 0.9, -0.5, 0.003, "Sở Nội vụ", "Phòng Nội vụ {d}", (
        P("1.003822.000.00.00.H56", "Thủ tục phê duyệt điều lệ hội", "Tỉnh", 2, 30, 3),
        P("1.005384.000.00.00.H56", "Thủ tục thẩm định thành lập đơn vị sự nghiệp công lập", "Tỉnh", 2, 20, 2),
        P("2.000305.000.00.00.H56", "Thủ tục công nhận ban vận động thành lập hội", "Huyện", 3, 30, 3),
        P("2.000331.000.00.00.H56", "Thủ tục thành lập tổ dân phố mới", "Xã", 1, 30, 2),
    )),
    Field("LV770", "Tôn giáo", 0.3, -0.8, 0.003, "Sở Nội vụ", "Phòng Nội vụ {d}", (
        P("1.001078.000.00.00.H56", "Thủ tục đăng ký sinh hoạt tôn giáo tập trung", "Xã", 3, 20, 3),
        P("1.001085.000.00.00.H56", "Thủ tục thông báo danh mục hoạt động tôn giáo bổ sung", "Xã", 3, 15, 3),
        P("1.001098.000.00.00.H56", "Thủ tục đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo", "Huyện", 3, 20, 3),
        P("1.001109.000.00.00.H56", "Thủ tục thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo", "Tỉnh",
          1, 15, 3),
    )),
    Field("LV780", "Thi đua khen thưởng", 1.3, -1.0, 0.006, "Ban Thi đua - Khen thưởng {p}",
          "Phòng Nội vụ {d}", (
        P("1.000775.000.00.00.H56", "Thủ tục tặng Giấy khen của Chủ tịch UBND cấp huyện", "Huyện", 15, 20, 2),
        P("1.000748.000.00.00.H56", "Thủ tục tặng Giấy khen của Chủ tịch UBND cấp xã", "Xã", 8, 20, 2),
        P("1.000804.000.00.00.H56", "Thủ tục tặng Bằng khen của Chủ tịch UBND cấp tỉnh", "Tỉnh", 6, 20, 2),
    )),
    Field("LV380", "Kế hoạch và Đầu tư", 0.8, -0.3, 0.006, "Sở Kế hoạch và Đầu tư", "Phòng Tài chính - Kế hoạch {d}", (
        P("1.009645.000.00.00.H56", "Chấp thuận chủ trương đầu tư của UBND cấp tỉnh", "Tỉnh", 2, 35, 2),
        P("1.009646.000.00.00.H56", "Điều chỉnh dự án đầu tư thuộc thẩm quyền chấp thuận chủ trương đầu tư", "Tỉnh",
          3, 25, 3),
        P("1.005277.000.00.00.H56", "Đăng ký thành lập hợp tác xã", "Huyện", 4, 5, 4, 100_000),
    )),
    Field("LV390", "Tài chính", 0.7, 0.2, 0.002, "Sở Tài chính", "Phòng Tài chính - Kế hoạch {d}", (
        P("1.005436.000.00.00.H56", "Đăng ký mã số đơn vị có quan hệ với ngân sách", "Tỉnh", 6, 2, 4),
        P("1.005422.000.00.00.H56", "Quyết toán vốn đầu tư dự án hoàn thành", "Tỉnh", 3, 30, 2),
        P("1.005445.000.00.00.H56", "Thẩm tra quyết toán dự án sử dụng vốn ngân sách cấp huyện", "Huyện", 2, 30, 2),
    )),
    Field("LV815", "Khoa học và Công nghệ", 0.3, 0.0, 0.002, "Sở Khoa học và Công nghệ", UBND_D, (
        P("1.003954.000.00.00.H56", "Cấp giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán "
          "trong y tế", "Tỉnh", 3, 20, 3, 500_000),
        P("1.003936.000.00.00.H56", "Đăng ký hợp đồng chuyển giao công nghệ", "Tỉnh", 1, 15, 3),
        P("1.003963.000.00.00.H56", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "Tỉnh", 1, 15, 3),
    )),
    Field("LV850", "Thuế", 3.5, 1.2, 0.0015, "Cục Thuế {p}", "Chi cục Thuế {d}", (
        P("1.007725.000.00.00.H56", "Đăng ký thuế lần đầu đối với hộ kinh doanh, cá nhân kinh doanh", "Huyện",
          20, 3, 4),
        P("1.007736.000.00.00.H56", "Khai lệ phí trước bạ nhà, đất", "Huyện", 25, 5, 4),
        P("1.007760.000.00.00.H56", "Hoàn thuế giá trị gia tăng", "Tỉnh", 5, 6, 4),
        P("1.007741.000.00.00.H56", "Cấp lại Giấy chứng nhận đăng ký thuế", "Tỉnh", 4, 3, 4),
    )),
    Field("LV870", "Bảo hiểm xã hội", 3.5, 0.9, 0.0015, "Bảo hiểm xã hội {p}", "Bảo hiểm xã hội {d}", (
        P("1.011780.000.00.00.H56", "Cấp lại, đổi, điều chỉnh thông tin trên sổ bảo hiểm xã hội, thẻ bảo hiểm y tế",
          "Huyện", 35, 5, 4),
        P("1.011810.000.00.00.H56", "Giải quyết hưởng bảo hiểm xã hội một lần", "Huyện", 15, 10, 4),
        P("1.011816.000.00.00.H56", "Giải quyết hưởng chế độ thai sản", "Huyện", 15, 6, 4),
        P("1.011822.000.00.00.H56", "Giải quyết hưởng lương hưu", "Tỉnh", 8, 20, 3),
    )),
    Field("LV880", "Người có công", 1.2, -0.6, 0.004, "Sở Lao động - Thương binh và Xã hội", UBND_D, (
        P("1.010813.000.00.00.H56", "Giải quyết chế độ mai táng phí đối với cựu chiến binh", "Huyện", 8, 12, 3),
        P("1.010805.000.00.00.H56", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Tỉnh", 4, 20, 3),
        P("1.010821.000.00.00.H56", "Hỗ trợ người có công với cách mạng cải thiện nhà ở", "Xã", 3, 30, 2),
        P("1.010824.000.00.00.H56", "Giải quyết trợ cấp một lần đối với người được tặng huân chương, huy chương",
          "Tỉnh", 5, 20, 3),
    )),
)
LAND_FIELD = "Đất đai"
FINANCIAL_OBLIGATION_FIELDS = ("Đất đai", "Thuế")  # where a pause is often "Chờ thực hiện nghĩa vụ tài chính"


# -- time trends, calendar and unit character ----------------------------------

class Trend(NamedTuple):
    """Province-wide shares in one year (values are interpolated month by month)."""

    online: float      # share of dossiers filed online
    gateway: float     # share of paid dossiers paid through an online gateway
    cashless: float    # share of paid dossiers paid without cash (gateway included)
    digitised: float   # share of dossiers whose components were digitised
    rated: float       # share of resolved dossiers with a satisfaction rating
    late: float        # multiplier of every field's late rate (2022 = 1)
    volume: float      # dossier volume relative to the daily mean (holidays take ~4% off again)


TRENDS: dict[int, Trend] = {
    2019: Trend(0.10, 0.01, 0.05, 0.05, 0.00, 1.60, 0.91),
    2020: Trend(0.14, 0.03, 0.09, 0.10, 0.00, 1.35, 0.93),
    2021: Trend(0.24, 0.08, 0.18, 0.22, 0.30, 1.10, 0.98),
    2022: Trend(0.36, 0.15, 0.28, 0.40, 0.40, 1.00, 1.03),
    2023: Trend(0.47, 0.24, 0.40, 0.60, 0.40, 0.85, 1.07),
    2024: Trend(0.55, 0.32, 0.50, 0.74, 0.40, 0.75, 1.11),
    2025: Trend(0.60, 0.40, 0.58, 0.80, 0.42, 0.70, 1.15),
    2026: Trend(0.63, 0.43, 0.62, 0.83, 0.42, 0.70, 1.18),
}
RATINGS_FROM = date(2021, 1, 1)  # the satisfaction survey starts with the 2021 portal upgrade

# Month volume: a pre-Tết and year-end rush, a quiet summer; COVID-19 social
# distancing in April 2020 and in Tây Ninh's third wave (July–October 2021).
SEASON = (1.04, 0.97, 1.02, 0.98, 1.00, 0.97, 0.95, 0.97, 0.99, 1.01, 1.03, 1.08)
DISRUPTIONS = {(2020, 4): 0.55, (2021, 7): 0.70, (2021, 8): 0.45, (2021, 9): 0.55, (2021, 10): 0.85}
WEEKDAY_VOLUME = (1.08, 1.02, 1.00, 0.98, 0.92, 0.15, 0.03)  # Monday .. Sunday

# First day of the lunar new year, and the Hùng Kings' day (10/3 lunar).
TET = {2019: "02-05", 2020: "01-25", 2021: "02-12", 2022: "02-01", 2023: "01-22", 2024: "02-10",
       2025: "01-29", 2026: "02-17", 2027: "02-06", 2028: "01-26", 2029: "02-13", 2030: "02-03"}
HUNG_KINGS = {2019: "04-14", 2020: "04-02", 2021: "04-21", 2022: "04-10", 2023: "04-29", 2024: "04-18",
              2025: "04-07", 2026: "04-26", 2027: "04-16", 2028: "04-04", 2029: "04-23", 2030: "04-12"}
FIXED_HOLIDAYS = ("01-01", "04-30", "05-01", "09-02")
TET_BREAK = range(-3, 5)          # days around the first day of Tết with (almost) no service
TET_RUSH, TET_RUSH_DAYS = 1.25, range(-8, -3)
TET_RESTART, TET_RESTART_DAYS = 0.75, range(5, 10)
HOLIDAY_VOLUME = 0.01

# District character: population weight within its old province, and how late/early its units are.
# Tây Ninh: Hòa Thành runs a model one-stop shop; Bến Cầu and Tân Châu lag, in land above all.
# Long An: the industrial belt by Hồ Chí Minh City (Đức Hòa, Bến Lức, Cần Giuộc) is busy and behind in
# land; Thủ Thừa and Tân An are quick. A new commune inherits the traits of its predecessors' districts.
DISTRICTS: dict[str, tuple[float, float, float]] = {
    #       weight, late ×, early ×
    "703": (1.35, 1.0, 1.05),   # Thành phố Tây Ninh
    "705": (0.85, 1.1, 0.95),   # Huyện Tân Biên
    "706": (0.95, 1.8, 0.85),   # Huyện Tân Châu
    "707": (0.95, 1.0, 1.00),   # Huyện Dương Minh Châu
    "708": (1.00, 0.9, 1.00),   # Huyện Châu Thành
    "709": (1.25, 0.3, 1.20),   # Thị xã Hòa Thành
    "710": (1.10, 1.0, 1.00),   # Huyện Gò Dầu
    "711": (0.60, 2.4, 0.80),   # Huyện Bến Cầu
    "712": (1.40, 1.1, 1.00),   # Thị xã Trảng Bàng
    "794": (1.30, 0.8, 1.10),   # Thành phố Tân An
    "795": (0.55, 0.6, 1.05),   # Thị xã Kiến Tường
    "796": (0.50, 1.2, 0.90),   # Huyện Tân Hưng
    "797": (0.50, 1.0, 1.00),   # Huyện Vĩnh Hưng
    "798": (0.35, 0.9, 1.00),   # Huyện Mộc Hóa
    "799": (0.70, 0.7, 1.10),   # Huyện Tân Thạnh
    "800": (0.55, 1.1, 0.95),   # Huyện Thạnh Hóa
    "801": (0.55, 1.4, 0.85),   # Huyện Đức Huệ
    "802": (2.20, 1.9, 0.90),   # Huyện Đức Hòa
    "803": (1.60, 1.3, 0.95),   # Huyện Bến Lức
    "804": (0.85, 0.5, 1.15),   # Huyện Thủ Thừa
    "805": (0.60, 1.0, 1.00),   # Huyện Tân Trụ
    "806": (1.50, 1.2, 1.00),   # Huyện Cần Đước
    "807": (1.65, 1.5, 0.95),   # Huyện Cần Giuộc
    "808": (0.90, 0.8, 1.00),   # Huyện Châu Thành
}
PROVINCE_LATE, PROVINCE_EARLY = 0.6, 1.0
URBAN_COMMUNE_WEIGHT = 1.6  # phường and thị trấn serve more people than a rural xã

# The 1 July 2025 reorganisation.
SPLIT_KEEP = 0.6  # of a split old commune's people, the share the successor picked by the conversion rule takes
LAND_BRANCH = "Chi nhánh Văn phòng Đăng ký đất đai"  # district agencies that become branches of the province's
LAND_BRANCH_AFTER = LAND_BRANCH + " khu vực {a}"      # land registry, named after their old district's area
# An old system still running: per month, the share of the late communes' commune-level dossiers sent with an
# old commune code, and how many province-level dossiers still say the old province code (72).
LATE_CODES: dict[date, tuple[float, int]] = {
    date(2025, 7, 1): (0.010, 6), date(2025, 8, 1): (0.0075, 4), date(2025, 9, 1): (0.005, 2),
}
LATE_COMMUNES = 24  # of the 96 new communes, those whose old software lingers

# Broken rows, a few dozen in all (DATA-CONTRACT.md, "What a load must do with every row"): the first three
# kinds and the last are quarantined, unknown units and repeats load with a warning.
BAD_ROWS: dict[date, tuple[tuple[str, int], ...]] = {
    date(2020, 3, 1): (("unreadable_received", 3),),
    date(2021, 11, 1): (("negative_fee", 2),),
    date(2022, 6, 1): (("unknown_unit", 4),),
    date(2022, 12, 1): (("unreadable_received", 1), ("negative_fee", 1), ("resolved_without_end", 1)),
    date(2023, 2, 1): (("repeated", 2),),
    date(2024, 4, 1): (("resolved_without_end", 3),),
    date(2025, 5, 1): (("resolved_without_end", 2), ("negative_fee", 1)),
    date(2025, 8, 1): (("unreadable_received", 2), ("unknown_unit", 3), ("repeated", 2)),
}
UNKNOWN_UNIT = "99999"   # in no list
EXTRA_SEQUENCE = 9001    # broken extra rows are numbered from here, past any unit's real count of a day
LATE_STREAM, BAD_STREAM = 1, 2  # their random streams: (seed, year, month, stream)

# Outcome probabilities (per dossier).
P_NO_DUE = 0.015               # no statutory deadline recorded
P_WITHDRAWN, P_STOPPED = 0.003, 0.0015
P_REFUSED_ONLINE, P_REFUSED_OFFLINE = 0.015, 0.002  # "Không được tiếp nhận"
P_DRAFT_ONLINE = 0.004         # "Mới đăng ký": submitted online, never taken up
P_EARLY = 0.64                 # of dossiers that can be resolved before their due day
P_POSTAL = 0.03                # of offline dossiers, sent by public postal service (BCCI)
P_PAUSE, P_PAUSE_LAND = 0.08, 0.25
P_RETURNED, P_RETURN_RECORDED = 0.85, 0.6
P_DISSATISFIED, P_DISSATISFIED_LATE, P_VERY_SATISFIED = 0.08, 0.45, 0.65
P_GATEWAY_NATIONAL, P_CARD = 0.65, 0.25
LATE_EXTRA_DAYS_MEAN, LATE_EXTRA_DAYS_MEAN_LAND = 3.0, 8.0
P_STUCK, STUCK_EXTRA_DAYS = 0.35, (20, 180)  # late dossiers stuck for months: the overdue stock
ONLINE_LEVEL_BIAS = {4: 0.5, 3: 0.0, 2: -3.0}
SAME_DAY_CUTOFF = 15 * 60      # same-day procedures received later are due the next working day
DUE_MINUTE, OFFICE_END = 17 * 60, 17 * 60 + 30

# What the exports say.
LEVELS = ("Tỉnh", "Huyện", "Xã")
TINH, HUYEN, XA = range(3)  # indices into LEVELS
LEVEL_OF = {"province": TINH, "district": HUYEN, "commune": XA}  # the reference lists' `level`
STATUS_TEXT = {1: "Mới đăng ký", 2: "Đã tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Chờ bổ sung",
               6: "Chờ thực hiện nghĩa vụ tài chính", 7: "Công dân rút", 8: "Dừng xử lý", 9: "Đã có kết quả",
               10: "Đã trả kết quả"}
CHANNEL_TEXT = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
SERVICE_LEVEL_TEXT = {4: "Toàn trình", 3: "Một phần", 2: ""}
LEGACY_SERVICE_LEVEL_UNTIL = date(2022, 1, 1)  # before Decree 42/2022 exports said "mức độ 4/3/2"
PAYMENT_TEXT = ("", "Tiền mặt", "Chuyển khoản", "Thẻ", "Trực tuyến")  # index = payment code
PAY_NONE, PAY_CASH, PAY_TRANSFER, PAY_CARD, PAY_GATEWAY = range(5)
RATING_TEXT = ("", "Rất hài lòng", "Hài lòng", "Không hài lòng")
FEE_ITEM = {"TenPhiLePhi": "Lệ phí", "HinhThucThu": "Thu trước"}

CSV_HEADERS = ("Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Cấp giải quyết", "Mã ĐVHC",
               "Kênh nộp", "Mức độ DVC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả",
               "Trạng thái", "Phí, lệ phí", "Hình thức thanh toán", "Số hóa", "Mức độ hài lòng")
PORTAL_FROM = date(2023, 1, 1)     # first month exported in shape B
SEMICOLON_MONTHS = (3, 6, 9, 12)   # quarter-end exports come from a reporting tool using ";"
CSV_DATETIME, PORTAL_DATETIME = "%d/%m/%Y %H:%M:%S", "%Y%m%d%H%M%S"

NEVER = np.int64(2**62)  # an instant after every other, in minutes


# -- public API ------------------------------------------------------------------

def last_full_month_end(today: date) -> date:
    """The last day of the last calendar month that has fully ended before ``today``."""
    return today.replace(day=1) - timedelta(days=1)


def generate_exports(out_dir: Path, *, today: date | None = None, seed: int = 72, start: date = date(2019, 1, 1),
                     scale: float = 1.0, progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write export files into out_dir and return their paths in the order they must be loaded.

    One file per month from ``start``'s month to the last full month before
    ``today``: ``mot_cua_YYYY-MM.csv`` before PORTAL_FROM, then
    ``dong_bo_YYYY-MM.ndjson`` (odd months) or ``.json`` (even months). Existing
    files of the same names are overwritten. ``scale`` multiplies every volume
    (OLD_DAILY_MEAN; tests use a small one). ``progress(done, total)`` is called
    after each month is written, ``total`` being the number of months.
    """
    end = last_full_month_end(today or date.today())
    months = _months(start, end)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    from etl import demo_catalogue  # local: it builds on this module's FIELDS

    catalogue = _Catalogue.build(seed)
    services = demo_catalogue.build(seed)
    calendar = _Calendar(range(start.year - 1, end.year + 3))
    open_dossiers = _empty_dossiers()
    paths: list[Path] = []
    for done, month in enumerate(months, start=1):
        previous_end, month_end = _minutes(month) - 1, _minutes(_next_month(month)) - 1
        if month == REFORM:
            open_dossiers = _carried_across(catalogue, open_dossiers)
        new = _draw_month(catalogue, calendar, month, seed, scale)
        new = new.filter(pl.col("received") >= _minutes(start))
        rows = pl.concat([_changed_since(open_dossiers, previous_end, month_end), new])
        view = rows.with_columns(_state_at(month_end)).sort("received", "dossier_id")
        view = view.with_columns(demo_catalogue.shown_procedure(view, services, seed))
        paths.append(_write_month(out_dir, month, view, catalogue, seed, (services.codes, services.names)))
        open_dossiers = pl.concat([open_dossiers, new]).filter(pl.col("last_change") > month_end)
        if progress:
            progress(done, len(months))
    return paths


# -- catalogue and calendar ----------------------------------------------------------

@dataclass(frozen=True)
class _Catalogue:
    """FIELDS and the reference units flattened into arrays, for vectorised draws.

    Every dossier carries a procedure index (into the ``proc_*`` arrays), a home
    commune and the unit it is coded in (slots into the ``unit_*`` arrays, see
    _Units), and a handling level. Arrays indexed by era take 0 before REFORM
    and 1 from it.
    """

    proc_codes: list[str]
    proc_names: list[str]
    proc_field_codes: list[str]
    proc_field_names: list[str]
    proc_p: np.ndarray            # probability of each procedure
    proc_level: np.ndarray        # [era, procedure] → index into LEVELS
    proc_days: np.ndarray
    proc_online_level: np.ndarray
    proc_fee: np.ndarray
    proc_logit: np.ndarray        # online log-odds before the month's offset
    proc_late: np.ndarray         # the field's late rate
    proc_land: np.ndarray         # bool
    proc_branch: np.ndarray       # bool: handled by a land-registry branch (Huyện level, the province's from REFORM)
    proc_obligation: np.ndarray   # bool: pauses may be "Chờ thực hiện nghĩa vụ tài chính"
    unit_codes: list[str]
    id_prefixes: list[str]        # "H<code of the unit's province>."
    unit_late: np.ndarray         # late-rate multiplier of the unit (its district's, or its predecessors')
    unit_early: np.ndarray        # early-rate multiplier of the unit
    unit_new: np.ndarray          # bool: a unit of the 2025 list
    successor: np.ndarray         # slot → the slot that takes it over on REFORM
    unit_of: np.ndarray           # [level, home slot] → the slot a dossier of that level is coded in
    home_slots: tuple[np.ndarray, np.ndarray]  # [era]: the communes dossiers come from
    home_p: tuple[np.ndarray, np.ndarray]      # [era]: how many come from each
    daily_mean: float             # dossiers a calendar day, before trends and seasons
    late_communes: np.ndarray     # new communes whose old software sends some old codes (LATE_CODES)
    stale_code: np.ndarray        # new commune slot → the old commune whose code it sends late (-1: none)
    stale_province: np.ndarray    # new commune slot → its seat's old province when that code is gone (-1: none)
    agency_names: list[str]
    agency_of: np.ndarray         # [procedure, home slot] → index into agency_names (-1: no commune)
    carried_agency_of: np.ndarray  # [procedure, old home slot] → agency after REFORM of a dossier open then

    @classmethod
    def build(cls, seed: int) -> _Catalogue:
        procedures = [(f, p) for f in FIELDS for p in f.procedures]
        units = _Units.load()
        agency_names, agency_of, carried_agency_of = _agencies(procedures, units)
        return cls(**_procedure_arrays(procedures), **_unit_arrays(units, seed), **_late_code_arrays(units, seed),
                   agency_names=agency_names, agency_of=agency_of, carried_agency_of=carried_agency_of)

    def online_offset(self, target: float) -> float:
        """The log-odds shift that makes the expected online share equal ``target``.

        Fields differ a lot (business registration mostly online, certification
        hardly), so the province-wide curve of TRENDS is met by solving for one
        shift per month rather than by hand-tuning every field.
        """
        low, high = -15.0, 15.0
        for _ in range(60):
            mid = (low + high) / 2
            share = float(self.proc_p @ _sigmoid(self.proc_logit + mid))
            low, high = (mid, high) if share < target else (low, mid)
        return (low + high) / 2


def _procedure_arrays(procedures: list[tuple[Field, Procedure]]) -> dict[str, object]:
    """The ``proc_*`` columns of the catalogue."""
    field_total = sum(f.share for f in FIELDS)
    share = np.array([f.share / field_total * p.weight / sum(q.weight for q in f.procedures) for f, p in procedures])
    return {
        "proc_codes": [p.code for _, p in procedures],
        "proc_names": [p.name for _, p in procedures],
        "proc_field_codes": [f.code for f, _ in procedures],
        "proc_field_names": [f.name for f, _ in procedures],
        "proc_p": share / share.sum(),
        "proc_level": np.array([[LEVELS.index(p.level) for _, p in procedures],
                                [_level_after_reform(f, p) for f, p in procedures]], dtype=np.int8),
        "proc_days": np.array([p.days for _, p in procedures]),
        "proc_online_level": np.array([p.online_level for _, p in procedures]),
        "proc_fee": np.array([p.fee for _, p in procedures], dtype=np.int64),
        "proc_logit": np.array([f.online_bias + ONLINE_LEVEL_BIAS[p.online_level] for f, p in procedures]),
        "proc_late": np.array([f.late_rate for f, _ in procedures]),
        "proc_land": np.array([f.name == LAND_FIELD for f, _ in procedures]),
        "proc_branch": np.array([_is_land_branch(f, p) for f, p in procedures]),
        "proc_obligation": np.array([f.name in FINANCIAL_OBLIGATION_FIELDS for f, _ in procedures]),
    }


def _is_land_branch(field: Field, proc: Procedure) -> bool:
    """A district-level procedure of a land-registry branch (one of the province's since REFORM)."""
    return proc.level == "Huyện" and (proc.agency or field.district_agency).startswith(LAND_BRANCH)


def _level_after_reform(field: Field, proc: Procedure) -> int:
    """No Huyện level from REFORM: land-registry branches are the province's, the rest is the commune's."""
    if proc.level != "Huyện":
        return LEVELS.index(proc.level)
    return TINH if _is_land_branch(field, proc) else XA


@dataclass(frozen=True)
class _Units:
    """The province's units in both lists, one slot each.

    Slots: the old provinces (2024 list) the new one was made from, their
    districts, their communes, in list order; then the new province (2025 list)
    and its communes. A code may sit in two slots (80; a commune code a new
    commune took over), so a slot, not a code, is a unit.
    """

    codes: list[str]
    names: list[str]          # as an agency name quotes the unit ("huyện Bến Lức"), qualified where names repeat
    areas: list[str]          # districts: the area a land-registry branch is named after ("Bến Lức")
    urban: np.ndarray         # bool: not a rural xã (phường, thị trấn; meaningful for communes)
    level: np.ndarray         # index into LEVELS
    new: np.ndarray           # bool: a unit of the 2025 list
    province: np.ndarray      # slot of the unit's province
    district: np.ndarray      # slot of an old unit's district (-1: none)
    successor: np.ndarray     # slot that takes the unit over on REFORM (new units: themselves)
    seat: np.ndarray          # new communes: the old commune whose code they took, else their first part
    part_old: np.ndarray      # the conversion's edges old commune slot → new commune slot,
    part_new: np.ndarray      # each with the share of the old commune's people it carries
    part_share: np.ndarray
    vanished: np.ndarray      # bool: an old unit whose code the 2025 list does not have

    @classmethod
    def load(cls) -> _Units:
        old_list, new_list = _read_reference(UNITS_2024_CSV), _read_reference(UNITS_2025_CSV)
        old_by_code, new_by_code = {r["code"]: r for r in old_list}, {r["code"]: r for r in new_list}
        old_rows, new_rows, edges = _province_rows(old_by_code, new_by_code, _read_reference(UNIT_CHANGES_CSV))
        rows, n_old, n_new = old_rows + new_rows, len(old_rows), len(new_rows)
        old_slot = {r["code"]: i for i, r in enumerate(old_rows)}
        new_slot = {r["code"]: n_old + i for i, r in enumerate(new_rows)}
        new_province = new_slot[PROVINCE_CODE]
        chosen, parts = _conversion(edges, old_slot, new_slot)
        seat: dict[int, int] = {}
        for old, new, _ in parts:  # the part whose code the new commune took, else its first
            if new not in seat or rows[old]["code"] == rows[new]["code"]:
                seat[new] = old
        old_names, old_areas = _qualified_names(old_rows, old_by_code)
        new_names, new_areas = _qualified_names(new_rows, new_by_code)
        return cls(
            codes=[r["code"] for r in rows], names=old_names + new_names, areas=old_areas + new_areas,
            urban=np.array([not r["name"].startswith("Xã ") for r in rows]),
            level=np.array([LEVEL_OF[r["level"]] for r in rows], dtype=np.int8),
            new=np.array([False] * n_old + [True] * n_new),
            province=np.array([old_slot[_root(old_by_code, r["code"])] for r in old_rows] + [new_province] * n_new),
            district=np.array([old_slot[r["code"]] if r["level"] == "district" else old_slot.get(r["parent_code"], -1)
                               for r in old_rows] + [-1] * n_new),
            successor=np.array([chosen.get(i, new_province) for i in range(n_old)] + list(new_slot.values())),
            seat=np.array([seat.get(i, -1) for i in range(len(rows))]),
            part_old=np.array([o for o, _, _ in parts]), part_new=np.array([n for _, n, _ in parts]),
            part_share=np.array([s for _, _, s in parts]),
            vanished=np.array([r["code"] not in new_by_code for r in old_rows] + [False] * n_new),
        )


def _province_rows(old_by_code: dict[str, dict[str, str]], new_by_code: dict[str, dict[str, str]],
                   changes: list[dict[str, str]]) -> tuple[list[dict], list[dict], list[dict]]:
    """The reference rows of PROVINCE_CODE: the old units it was made of, its new units, the edges between.

    The old provinces are those of the old communes the conversion table sends
    to it (read in the 2024 list, whatever the table says of their province).
    """
    edges = [r for r in changes if r["new_province_code"] == PROVINCE_CODE and r["old_code"] in old_by_code]
    old_provinces = sorted({_root(old_by_code, e["old_code"]) for e in edges})
    districts = [r for r in old_by_code.values() if r["parent_code"] in old_provinces]
    district_codes = {r["code"] for r in districts}
    communes = [r for r in old_by_code.values() if r["parent_code"] in district_codes]
    new_communes = [r for r in new_by_code.values() if r["parent_code"] == PROVINCE_CODE]
    if not districts or not communes or not new_communes or PROVINCE_CODE not in new_by_code:
        raise ValueError(f"the reference lists do not describe province {PROVINCE_CODE} and what it was made of")
    return ([old_by_code[c] for c in old_provinces] + districts + communes,
            [new_by_code[PROVINCE_CODE]] + new_communes, edges)


def _read_reference(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _root(by_code: dict[str, dict[str, str]], code: str) -> str:
    """The province a unit of a list belongs to, however deep the list."""
    row = by_code[code]
    while row["parent_code"]:
        row = by_code[row["parent_code"]]
    return row["code"]


def _conversion(edges: list[dict[str, str]], old_slot: dict[str, int],
                new_slot: dict[str, int]) -> tuple[dict[int, int], list[tuple[int, int, float]]]:
    """The conversion table in slots: each old commune's successor, and every edge with the share it carries.

    An old commune split between several new communes is succeeded by the one
    that took its code if there is one, else by the first listed (the rule the
    warehouse states too); that one gets SPLIT_KEEP of its people, the others
    the rest in equal parts.
    """
    targets: dict[int, list[tuple[int, bool]]] = {}
    for edge in edges:
        if edge["new_code"] not in new_slot:
            continue
        news = targets.setdefault(old_slot[edge["old_code"]], [])
        if all(n != new_slot[edge["new_code"]] for n, _ in news):
            news.append((new_slot[edge["new_code"]], edge["new_code"] == edge["old_code"]))
    chosen: dict[int, int] = {}
    parts: list[tuple[int, int, float]] = []
    for old, news in targets.items():
        chosen[old] = next((n for n, same_code in news if same_code), news[0][0])
        for new, _ in news:
            rest = (1.0 - SPLIT_KEEP) / max(len(news) - 1, 1)
            parts.append((old, new, 1.0 if len(news) == 1 else SPLIT_KEEP if new == chosen[old] else rest))
    return chosen, parts


def _qualified_names(rows: list[dict[str, str]], by_code: dict[str, dict[str, str]]) -> tuple[list[str], list[str]]:
    """How agency names quote the units of one list, and the areas land-registry branches are named after.

    "huyện Bến Lức"; a name two units of the same level share is qualified by
    the unit above, as people write it: "phường 1, thành phố Tân An", "huyện
    Châu Thành, tỉnh Long An". A district's area is its name without its kind
    ("Bến Lức", "Châu Thành (Long An)").
    """
    repeated = {key for key, n in Counter((r["level"], r["name"]) for r in rows).items() if n > 1}
    quoted: dict[str, str] = {}
    names, areas = [], []
    for row in rows:
        name, parent = _as_common_noun(row["name"]), by_code.get(row["parent_code"])
        if (row["level"], row["name"]) in repeated and parent is not None:
            name = f"{name}, {quoted.get(parent['code'], _as_common_noun(parent['name']))}"
        quoted[row["code"]] = name
        names.append(name)
        area = _without_kind(row["name"]) if row["level"] == "district" else ""
        if area and (row["level"], row["name"]) in repeated and parent is not None:
            area = f"{area} ({_without_kind(parent['name'])})"
        areas.append(area)
    return names, areas


def _unit_arrays(units: _Units, seed: int) -> dict[str, object]:
    """Where dossiers come from and how units behave, for the catalogue.

    An old commune's weight (dossiers a day) follows its district's weight in
    DISTRICTS, within its old province's OLD_DAILY_MEAN; within a district,
    wards and towns draw more than rural communes, with some seeded variety. A
    new commune's weight is what its parts carry of their old communes' weights,
    and its late and early traits are their average, by weight.
    """
    n = len(units.codes)
    rng = np.random.default_rng([seed, 0])
    old_home = np.flatnonzero((units.level == XA) & ~units.new)
    new_home = np.flatnonzero((units.level == XA) & units.new)
    traits = np.ones((n, 3))
    traits[units.level == TINH] = (1.0, PROVINCE_LATE, PROVINCE_EARLY)
    in_district = units.district >= 0
    traits[in_district] = [DISTRICTS.get(units.codes[d], (1.0, 1.0, 1.0)) for d in units.district[in_district]]
    weight = np.zeros(n)
    weight[old_home] = rng.lognormal(0.0, 0.3, len(old_home)) * np.where(units.urban[old_home],
                                                                         URBAN_COMMUNE_WEIGHT, 1.0)
    district, province = units.district[old_home], units.province[old_home]
    weight[old_home] *= traits[old_home, 0] / np.bincount(district, weight[old_home], minlength=n)[district]
    daily_mean = np.array([OLD_DAILY_MEAN[units.codes[p]] for p in province])
    weight[old_home] *= daily_mean / np.bincount(province, weight[old_home], minlength=n)[province]
    carried = units.part_share * weight[units.part_old]
    weight[new_home] = np.bincount(units.part_new, carried, minlength=n)[new_home]
    for trait in (1, 2):
        by_part = np.bincount(units.part_new, carried * traits[units.part_old, trait], minlength=n)
        traits[new_home, trait] = by_part[new_home] / weight[new_home]
    unit_of = np.stack([units.province, np.where(in_district, units.district, units.province), np.arange(n)])
    return {
        "unit_codes": units.codes, "id_prefixes": [f"H{units.codes[p]}." for p in units.province],
        "unit_late": traits[:, 1], "unit_early": traits[:, 2], "unit_new": units.new,
        "successor": units.successor, "unit_of": unit_of, "home_slots": (old_home, new_home),
        "home_p": (weight[old_home] / weight[old_home].sum(), weight[new_home] / weight[new_home].sum()),
        "daily_mean": float(weight[old_home].sum()),
    }


def _late_code_arrays(units: _Units, seed: int) -> dict[str, object]:
    """The communes whose old software still sends old codes after REFORM, and which codes (LATE_CODES).

    A late commune sends the code of one of its parts that the 2025 list lacks,
    so a reader can tell it is stale; a province-level dossier from a commune
    whose seat was in an old province whose code is gone (72) sends that code.
    """
    n = len(units.codes)
    rng = np.random.default_rng([seed, LATE_STREAM])
    stale_code = np.full(n, -1)
    for new in np.unique(units.part_new):
        gone = units.part_old[(units.part_new == new) & units.vanished[units.part_old]]
        if len(gone):
            stale_code[new] = gone[rng.integers(len(gone))]
    candidates = np.flatnonzero(stale_code >= 0)
    late = np.sort(rng.choice(candidates, min(LATE_COMMUNES, len(candidates)), replace=False))
    stale_province = np.full(n, -1)
    seated = units.seat >= 0
    old_province = units.province[units.seat[seated]]
    stale_province[seated] = np.where(units.vanished[old_province], old_province, -1)
    return {"late_communes": late, "stale_code": stale_code, "stale_province": stale_province}


def _agencies(procedures: list[tuple[Field, Procedure]],
              units: _Units) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Name who handles each procedure for a dossier from each home commune (see _agency)."""
    names: list[str] = []
    index: dict[str, int] = {}

    def interned(name: str) -> int:
        if name not in index:
            index[name] = len(names)
            names.append(name)
        return index[name]

    agency_of = np.full((len(procedures), len(units.codes)), -1, dtype=np.int64)
    carried_agency_of = agency_of.copy()
    homes = np.flatnonzero(units.level == XA)
    for p_i, (field, proc) in enumerate(procedures):
        for home in homes:
            agency_of[p_i, home] = interned(_agency(field, proc, units, home, carried=False))
            if not units.new[home]:
                carried_agency_of[p_i, home] = interned(_agency(field, proc, units, home, carried=True))
    return names, agency_of, carried_agency_of


def _agency(field: Field, proc: Procedure, units: _Units, home: int, *, carried: bool) -> str:
    """Who handles ``proc`` for a dossier from ``home``, a commune of either list.

    Before REFORM: the agency of the procedure's level in the home's own
    province, district or commune. From REFORM (a new home, or a dossier
    ``carried`` across from an old one): the new province's agencies; the new
    commune's UBND for commune- and district-level work, except the land
    registry's branches. A district-level dossier carried across is coded at
    province level, so when no branch takes it the field's provincial agency does.
    """
    if not units.new[home] and not carried:
        if proc.level == "Tỉnh":
            return _province_agency(proc.agency or field.province_agency, units.names[units.province[home]])
        if proc.level == "Huyện":
            return (proc.agency or field.district_agency).format(d=units.names[units.district[home]])
        return f"UBND {units.names[home]}"
    successor = units.successor[home]
    province = units.names[units.province[successor]]
    if proc.level == "Tỉnh":
        return _province_agency(proc.agency or field.province_agency, province)
    if _is_land_branch(field, proc):
        return LAND_BRANCH_AFTER.format(a=units.areas[units.district[home if carried else units.seat[home]]])
    if proc.level == "Huyện" and carried:
        return _province_agency(field.province_agency, province)
    return f"UBND {units.names[successor]}"


def _province_agency(template: str, province: str) -> str:
    """``Sở Tư pháp`` → ``Sở Tư pháp tỉnh Long An``; ``Cục Thuế {p}`` → ``Cục Thuế tỉnh Long An``."""
    return template.format(p=province) if "{p}" in template else f"{template} {province}"


UNIT_KINDS = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Phường", "Xã", "Tỉnh", "Đặc khu")


def _as_common_noun(unit_name: str) -> str:
    """``Huyện Tân Biên`` → ``huyện Tân Biên``, as inside an agency name."""
    for kind in UNIT_KINDS:
        if unit_name.startswith(kind + " "):
            return kind.lower() + unit_name[len(kind):]
    return unit_name


def _without_kind(unit_name: str) -> str:
    """``Huyện Bến Lức`` → ``Bến Lức``."""
    for kind in UNIT_KINDS:
        if unit_name.startswith(kind + " "):
            return unit_name[len(kind) + 1:]
    return unit_name


class _Calendar:
    """Public holidays, Tết, and working days (Monday to Friday, not a holiday)."""

    def __init__(self, years: range) -> None:
        holidays: list[np.datetime64] = []
        self.volume: dict[np.datetime64, float] = {}
        for year in years:
            for day in FIXED_HOLIDAYS + ((HUNG_KINGS[year],) if year in HUNG_KINGS else ()):
                holidays.append(np.datetime64(f"{year}-{day}"))
            if year in TET:
                tet = np.datetime64(f"{year}-{TET[year]}")
                holidays += [tet + k for k in TET_BREAK]
                self.volume.update({tet + k: TET_RUSH for k in TET_RUSH_DAYS})
                self.volume.update({tet + k: TET_RESTART for k in TET_RESTART_DAYS})
        self.volume.update({day: HOLIDAY_VOLUME for day in holidays})
        self.busdays = np.busdaycalendar(weekmask="1111100", holidays=holidays)

    def day_volume(self, days: np.ndarray) -> np.ndarray:
        """Relative dossier volume of each day: weekday rhythm, holidays, the Tết rush."""
        volume = np.array(WEEKDAY_VOLUME)[_weekday(days)]
        special = np.array([self.volume.get(d, 1.0) for d in days])
        return np.where(special < 1.0, np.minimum(volume, special), volume * special)

    def add_working_days(self, days: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The working day ``n`` working days after ``days`` (rolled forward to a working day first)."""
        return np.busday_offset(days, n, roll="forward", busdaycal=self.busdays)

    def count_working_days(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Working days in ``[first, last)``."""
        return np.busday_count(first, last, busdaycal=self.busdays)


# -- drawing one month of dossiers -------------------------------------------------

# Outcome of a dossier, drawn before its dates are placed.
DRAFT, REFUSED, WITHDRAWN, STOPPED, LATE, REGULAR = range(6)

_SCHEMA = {"dossier_id": pl.String, "proc": pl.Int32, "home": pl.Int32, "slot": pl.Int32, "level": pl.Int8,
           "agency": pl.Int32, "channel": pl.Int8, "received": pl.Int64, "due": pl.Int64, "end": pl.Int64,
           "returned": pl.Int64, "return_recorded": pl.Boolean, "t_processing": pl.Int64, "pause_start": pl.Int64,
           "pause_end": pl.Int64, "pause_status": pl.Int8, "final_status": pl.Int8, "static_status": pl.Int8,
           "fee": pl.Int64, "payment": pl.Int8, "paid_online": pl.Int8, "digitised": pl.Boolean, "rating": pl.Int8,
           "last_change": pl.Int64}


def _empty_dossiers() -> pl.DataFrame:
    return pl.DataFrame(schema=_SCHEMA)


def _draw_month(cat: _Catalogue, cal: _Calendar, month: date, seed: int, scale: float) -> pl.DataFrame:
    """The dossiers received in ``month``, each with its whole life cycle (instants in minutes).

    The month has its own random stream, so it comes out the same whatever range
    the run covers. A dossier's home commune (of the month's list) and its
    procedure's level give the unit it is coded in.
    """
    rng = np.random.default_rng([seed, month.year, month.month])
    era = int(month >= REFORM)
    trend = _trend(month)
    day = _draw_days(rng, cal, month, trend, scale * cat.daily_mean)
    n = len(day)
    proc = rng.choice(len(cat.proc_p), size=n, p=cat.proc_p)
    home = rng.choice(cat.home_slots[era], size=n, p=cat.home_p[era])
    level = cat.proc_level[era, proc]
    slot = cat.unit_of[level, home]
    # How quick a dossier's handlers are: its unit's, but a land-registry branch keeps its district's character
    # when it becomes the province's (a new home commune inherits it).
    character = np.where(cat.proc_branch[proc] & (level == TINH), home, slot)
    received = day.astype(np.int64) * 1440 + _receipt_minute(rng, day)
    channel = _draw_channels(rng, cat, proc, trend)
    outcome = _draw_outcome(rng, cat, proc, character, channel, trend)
    due, end = _place_dates(rng, cat, cal, proc, character, day, received, outcome)
    t_processing, pause_start, pause_end, pause_status = _draw_pauses(rng, cat, proc, received, end)
    returned, return_recorded = _draw_returns(rng, cal, end, outcome)
    static = np.isin(outcome, (DRAFT, REFUSED))
    fee = np.where(static, 0, cat.proc_fee[proc])
    payment, paid_online = _draw_payments(rng, fee, channel, trend)
    rating = _draw_ratings(rng, outcome, month, trend)
    digitised = rng.random(n) < trend.digitised
    coded = _late_codes(cat, month, seed, slot, level, home)
    return pl.DataFrame({
        "dossier_id": _dossier_ids(cat, coded, day, received),
        "proc": proc, "home": home, "slot": coded, "level": level, "agency": cat.agency_of[proc, home],
        "channel": channel, "received": received, "due": due, "end": end, "returned": returned,
        "return_recorded": return_recorded, "t_processing": t_processing, "pause_start": pause_start,
        "pause_end": pause_end, "pause_status": pause_status,
        "final_status": np.select([outcome == WITHDRAWN, outcome == STOPPED], [7, 8], default=9),
        "static_status": np.select([outcome == DRAFT, outcome == REFUSED], [1, 3], default=0),
        "fee": fee, "payment": payment, "paid_online": paid_online, "digitised": digitised, "rating": rating,
        # After this instant the dossier never changes again, and no later file mentions it.
        "last_change": np.select([static, returned < NEVER], [received, returned], default=end),
    }, schema=_SCHEMA)


def _late_codes(cat: _Catalogue, month: date, seed: int, slot: np.ndarray, level: np.ndarray,
                home: np.ndarray) -> np.ndarray:
    """The codes dossiers are sent with, once the late communes' old software has had its say (LATE_CODES).

    Drawn from a stream of its own, so the rest of the month is the same with or
    without it.
    """
    if month not in LATE_CODES:
        return slot
    share, province_rows = LATE_CODES[month]
    rng = np.random.default_rng([seed, month.year, month.month, LATE_STREAM])
    coded = slot.copy()
    communal = np.flatnonzero((level == XA) & np.isin(slot, cat.late_communes))
    late = rng.choice(communal, min(len(communal), max(1, round(share * len(communal)))), replace=False)
    coded[late] = cat.stale_code[slot[late]]
    provincial = np.flatnonzero((level == TINH) & (cat.stale_province[home] >= 0))
    late = rng.choice(provincial, min(len(provincial), province_rows), replace=False)
    coded[late] = cat.stale_province[home[late]]
    return coded


def _carried_across(cat: _Catalogue, dossiers: pl.DataFrame) -> pl.DataFrame:
    """Dossiers open on the eve of REFORM as the systems carried them across: same id, dates and unit code,
    a new handler.

    The unit code stays the one the dossier was received with: a code is read in the list in force on the
    received date (KPI.md), so re-coding it with a new code would make a reused code (80, 25459) name an
    old unit it never belonged to in the old units' view. Its agency becomes the one that took the work
    over (_agency) and a district-level dossier is handled at Tỉnh level from then on.
    """
    proc, home, level, agency = (dossiers[c].to_numpy() for c in ("proc", "home", "level", "agency"))
    old = ~cat.unit_new[home]
    return dossiers.with_columns(
        pl.Series("level", np.where(level == XA, XA, TINH), dtype=pl.Int8),
        pl.Series("agency", np.where(old, cat.carried_agency_of[proc, home], agency), dtype=pl.Int32),
    )


def _draw_days(rng: np.random.Generator, cal: _Calendar, month: date, trend: Trend,
               daily_mean: float) -> np.ndarray:
    """Receipt day of every dossier of the month (sorted), from the month's daily volumes."""
    days = np.arange(np.datetime64(month, "D"), np.datetime64(_next_month(month), "D"))
    level = daily_mean * len(WEEKDAY_VOLUME) / sum(WEEKDAY_VOLUME) * trend.volume * SEASON[month.month - 1]
    level *= DISRUPTIONS.get((month.year, month.month), 1.0) * rng.lognormal(0.0, 0.05)
    return np.repeat(days, rng.poisson(level * cal.day_volume(days)))


def _receipt_minute(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """Minute of the day a dossier was taken in: office hours, Saturday mornings, a little on Sundays."""
    n = len(day)
    weekday = _weekday(day)
    morning = rng.integers(7 * 60, 11 * 60 + 30, n)
    afternoon = rng.integers(13 * 60, 16 * 60 + 45, n)
    minute = np.where((rng.random(n) < 0.6) | (weekday == 5), morning, afternoon)
    return np.where(weekday == 6, rng.integers(7 * 60 + 30, 11 * 60, n), minute)


def _draw_channels(rng: np.random.Generator, cat: _Catalogue, proc: np.ndarray, trend: Trend) -> np.ndarray:
    """1 in person, 2 online, 3 public postal service, following the month's online target."""
    p_online = _sigmoid(cat.proc_logit[proc] + cat.online_offset(trend.online))
    online = rng.random(len(proc)) < p_online
    postal = rng.random(len(proc)) < P_POSTAL
    return np.select([online, postal], [2, 3], default=1)


def _draw_outcome(rng: np.random.Generator, cat: _Catalogue, proc: np.ndarray, slot: np.ndarray,
                  channel: np.ndarray, trend: Trend) -> np.ndarray:
    """DRAFT, REFUSED, WITHDRAWN, STOPPED, LATE or REGULAR for each dossier.

    The outcome is drawn first and the dates placed to match it, so the late
    rate of a field, a unit and a year is set directly by the tables above
    rather than emerging from duration noise.
    """
    n = len(proc)
    online = channel == 2
    p_late = np.minimum(cat.proc_late[proc] * trend.late * cat.unit_late[slot], 0.5)
    widths = [np.where(online, P_DRAFT_ONLINE, 0.0), np.where(online, P_REFUSED_ONLINE, P_REFUSED_OFFLINE),
              np.full(n, P_WITHDRAWN), np.full(n, P_STOPPED), p_late]
    cuts = np.cumsum(widths, axis=0)
    return (rng.random(n) >= cuts).sum(axis=0)


def _place_dates(rng: np.random.Generator, cat: _Catalogue, cal: _Calendar, proc: np.ndarray, slot: np.ndarray,
                 day: np.ndarray, received: np.ndarray, outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Due instant (-1 = none) and end instant (NEVER = none) matching each outcome.

    Due: the procedure's working days after receipt, at 17:00 (same-day
    procedures received after 15:00 are due the next working day). End: after
    the due day when late; on a working day before it when early (possible only
    when the due day is not the first working day); on it otherwise.
    """
    n = len(proc)
    minute = received % 1440
    days = cat.proc_days[proc]
    due_day = cal.add_working_days(day, days + ((days == 0) & (minute >= SAME_DAY_CUTOFF)))
    first_day = cal.add_working_days(day, np.zeros(n, dtype=np.int64))
    early_span = cal.count_working_days(first_day, due_day)
    has_due = (rng.random(n) >= P_NO_DUE) | (outcome == LATE)
    p_early = np.where(early_span > 0, np.minimum(P_EARLY * cat.unit_early[slot], 0.95), 0.0)
    early = (outcome == REGULAR) & has_due & (rng.random(n) < p_early)
    late_mean = np.where(cat.proc_land[proc], LATE_EXTRA_DAYS_MEAN_LAND, LATE_EXTRA_DAYS_MEAN)
    stuck = rng.random(n) < P_STUCK
    overrun = np.where(stuck, rng.integers(*STUCK_EXTRA_DAYS, n), rng.geometric(1 / late_mean))
    within_deadline = cal.add_working_days(first_day, rng.integers(0, np.maximum(days, 1) + 1))
    end_day = np.select(
        [outcome == LATE, np.isin(outcome, (WITHDRAWN, STOPPED)) | ~has_due, early],
        [cal.add_working_days(due_day, overrun),
         within_deadline,
         cal.add_working_days(first_day, (rng.random(n) * early_span).astype(np.int64))],
        default=due_day)
    static = np.isin(outcome, (DRAFT, REFUSED))
    due = np.where(has_due & ~static, due_day.astype(np.int64) * 1440 + DUE_MINUTE, -1)
    end = np.where(static, NEVER, _end_instant(rng, end_day, day, minute))
    return due, end


def _end_instant(rng: np.random.Generator, end_day: np.ndarray, day: np.ndarray, minute: np.ndarray) -> np.ndarray:
    """End instant in office hours of ``end_day``, after the receipt when both fall on the same day."""
    n = len(day)
    any_time = rng.integers(7 * 60 + 30, OFFICE_END, n)
    after_receipt = minute + 10 + (rng.random(n) * np.maximum(OFFICE_END - minute - 10, 0)).astype(np.int64)
    return end_day.astype(np.int64) * 1440 + np.where(end_day == day, after_receipt, any_time)


def _draw_pauses(rng: np.random.Generator, cat: _Catalogue, proc: np.ndarray, received: np.ndarray,
                 end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """When each dossier moves from "Đã tiếp nhận" (2) to "Đang xử lý" (4), and its pause if any.

    Pauses, "Chờ bổ sung" (5) or, in land and tax, often "Chờ thực hiện nghĩa vụ
    tài chính" (6), only happen to dossiers that take more than three days. They
    are what a month-end export shows for a paused dossier; they do not move the
    due date.
    """
    n = len(proc)
    t_processing = received + rng.integers(60, 26 * 60, n)
    span = np.where(end < NEVER, end - t_processing, 0)
    p_pause = np.where(cat.proc_land[proc], P_PAUSE_LAND, P_PAUSE)
    paused = (span > 3 * 1440) & (rng.random(n) < p_pause)
    start = t_processing + (rng.random(n) * 0.5 * span).astype(np.int64)
    stop = start + ((0.3 + 0.6 * rng.random(n)) * (t_processing + span - start)).astype(np.int64)
    obligation = cat.proc_obligation[proc] & (rng.random(n) < 0.6)
    status = np.where(obligation, 6, 5)
    return t_processing, np.where(paused, start, NEVER), np.where(paused, stop, NEVER), status


def _draw_returns(rng: np.random.Generator, cal: _Calendar, end: np.ndarray,
                  outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When the result was handed back (status 10), and whether the export records that date.

    Most results go back at once or within a few working days; some are never
    collected (the dossier stays at 9); systems fill "Ngày trả kết quả" only
    sometimes.
    """
    n = len(end)
    returned = np.isin(outcome, (LATE, REGULAR)) & (rng.random(n) < P_RETURNED)
    end_day = np.where(returned, end // 1440, 0).astype("datetime64[D]")
    later = cal.add_working_days(end_day, rng.geometric(0.35, n)).astype(np.int64) * 1440 \
        + rng.integers(7 * 60 + 30, OFFICE_END, n)
    at_once = end + rng.integers(0, 90, n)
    instant = np.where(rng.random(n) < 0.45, at_once, later)
    return np.where(returned, instant, NEVER), rng.random(n) < P_RETURN_RECORDED


def _draw_payments(rng: np.random.Generator, fee: np.ndarray, channel: np.ndarray,
                   trend: Trend) -> tuple[np.ndarray, np.ndarray]:
    """Payment method (index into PAYMENT_TEXT) and DuocThanhToanTrucTuyen of each dossier.

    Online gateways are open only to dossiers filed online, so their share among
    paid online filers is scaled up to meet the province-wide target.
    """
    n = len(fee)
    paid = fee > 0
    online_among_paid = float(np.mean(channel[paid] == 2)) if paid.any() else 0.0
    p_gateway = np.where(channel == 2, min(trend.gateway / max(online_among_paid, 0.05), 0.95), 0.0)
    gateway = paid & (rng.random(n) < p_gateway)
    p_other_cashless = (trend.cashless - trend.gateway) / (1 - trend.gateway)
    cashless = paid & (rng.random(n) < p_other_cashless)
    card = rng.random(n) < P_CARD
    payment = np.select([~paid, gateway, cashless & card, cashless], [PAY_NONE, PAY_GATEWAY, PAY_CARD, PAY_TRANSFER],
                        default=PAY_CASH)
    platform = np.where(rng.random(n) < P_GATEWAY_NATIONAL, 1, 2)
    return payment, np.where(gateway, platform, 0)


def _draw_ratings(rng: np.random.Generator, outcome: np.ndarray, month: date, trend: Trend) -> np.ndarray:
    """Satisfaction rating (index into RATING_TEXT) of resolved dossiers; late ones are rated worse."""
    n = len(outcome)
    if month < RATINGS_FROM:
        return np.zeros(n, dtype=np.int8)
    rated = np.isin(outcome, (LATE, REGULAR)) & (rng.random(n) < trend.rated)
    dissatisfied = rng.random(n) < np.where(outcome == LATE, P_DISSATISFIED_LATE, P_DISSATISFIED)
    very = rng.random(n) < P_VERY_SATISFIED
    return np.select([~rated, dissatisfied, very], [0, 3, 1], default=2)


def _dossier_ids(cat: _Catalogue, slot: np.ndarray, day: np.ndarray, received: np.ndarray) -> pl.Series:
    """``H<province>.<unit>-<yymmdd>-<nnnn>``, numbered from 1 per unit and day in order of receipt."""
    order = np.lexsort((received, day, slot))
    key = slot[order].astype(np.int64) * 1_000_000 + day[order].astype(np.int64)
    first = np.r_[True, key[1:] != key[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
    sequence = np.empty(len(key), dtype=np.int64)
    sequence[order] = np.arange(len(key)) - group_start + 1
    frame = pl.DataFrame({"slot": slot, "day": day, "sequence": sequence})
    return frame.select(pl.concat_str(
        _text(pl.col("slot"), cat.id_prefixes), _text(pl.col("slot"), cat.unit_codes), pl.lit("-"),
        pl.col("day").dt.strftime("%y%m%d"), pl.lit("-"), pl.col("sequence").cast(pl.String).str.zfill(4),
    )).to_series()


# -- month-end states ---------------------------------------------------------------

def _status_at(t: int) -> pl.Expr:
    """The status code a dossier shows at instant ``t`` (minutes), from its life cycle."""
    col = pl.col
    return (
        pl.when(col("static_status") > 0).then(col("static_status"))
        .when(col("returned") <= t).then(pl.lit(10, pl.Int8))
        .when(col("end") <= t).then(col("final_status"))
        .when((col("pause_start") <= t) & (col("pause_end") > t)).then(col("pause_status"))
        .when(col("t_processing") > t).then(pl.lit(2, pl.Int8))
        .otherwise(pl.lit(4, pl.Int8))
    )


def _changed_since(dossiers: pl.DataFrame, before: int, now: int) -> pl.DataFrame:
    """Dossiers whose status at ``now`` differs from their status at ``before``."""
    return dossiers.filter(_status_at(before) != _status_at(now))


def _state_at(t: int) -> list[pl.Expr]:
    """What an export taken at instant ``t`` shows: status, and the dates and rating known by then."""
    col, status = pl.col, _status_at(t)
    return [
        status.alias("status"),
        _as_datetime(col("received")).alias("received_at"),
        _as_datetime(pl.when(col("due") >= 0).then(col("due"))).alias("due_at"),
        _as_datetime(pl.when(col("end") <= t).then(col("end"))).alias("end_at"),
        _as_datetime(pl.when((col("returned") <= t) & col("return_recorded")).then(col("returned")))
        .alias("returned_at"),
        pl.when(status.is_in([9, 10])).then(col("rating")).otherwise(0).alias("rating_shown"),
    ]


# -- writing the files -----------------------------------------------------------------

def _write_month(out_dir: Path, month: date, view: pl.DataFrame, cat: _Catalogue, seed: int,
                 shown: tuple[list[str], list[str]]) -> Path:
    """Write one month's rows in the shape a province would have exported that month, bad rows included."""
    stem = f"{month:%Y-%m}"
    bad = _bad_rows(view, month, seed)
    if month < PORTAL_FROM:
        path = out_dir / f"mot_cua_{stem}.csv"
        separator = ";" if month.month in SEMICOLON_MONTHS else ","
        frame = _with_bad_rows(_tabular_frame(view, cat, shown, legacy=month < LEGACY_SERVICE_LEVEL_UNTIL), bad,
                               lambda row, kind, n: _broken(row, kind, n, TABULAR_KEYS))
        frame.write_csv(path, include_bom=True, separator=separator, line_terminator="\r\n",
                        quote_style="necessary", null_value="")
        return path
    records = _with_bad_rows(view.select(_portal_record(cat, shown).alias("record")), bad, _broken_record)
    array = month.month % 2 == 0
    path = out_dir / f"dong_bo_{stem}.{'json' if array else 'ndjson'}"
    if array:  # one record a line, each but the last followed by a comma
        last = pl.int_range(pl.len()) == pl.len() - 1
        records = records.select(pl.concat_str("record", pl.when(last).then(pl.lit("")).otherwise(pl.lit(","))))
    with open(path, "wb") as handle:  # Polars writes the lines as they are: no quoting, no copy through Python
        handle.write(b"[\n" if array else b"")
        records.write_csv(handle, include_header=False, quote_style="never")
        handle.write(b"]\n" if array else b"")
    return path


# -- bad rows -------------------------------------------------------------------------------

class _Keys(NamedTuple):
    """Where a shape keeps what bad rows change."""

    id: str
    received: str
    unit: str
    status: str
    end: str
    returned: str
    fee: str
    blank: str | None             # how the shape writes a missing date
    resolved: str | int           # status "Đã trả kết quả"
    portal: bool                  # shape B: dates yyyyMMddHHmmss, fees a list of items


TABULAR_KEYS = _Keys("Mã hồ sơ", "Ngày tiếp nhận", "Mã ĐVHC", "Trạng thái", "Ngày có kết quả", "Ngày trả kết quả",
                     "Phí, lệ phí", None, STATUS_TEXT[10], portal=False)
PORTAL_KEYS = _Keys("MaHoSo", "NgayTiepNhan", "MaDiaBan", "TrangThaiHoSo", "NgayKetThucXuLy", "NgayTra",
                    "DanhSachLePhi", "", 10, portal=True)


def _bad_rows(view: pl.DataFrame, month: date, seed: int) -> list[tuple[int, str]]:
    """(row, kind) of the rows of ``view`` to break this month (BAD_ROWS), from a stream of their own.

    Only dossiers received this month are picked, each at most once, and only
    where the kind makes sense: a fee to negate, a pending status to call
    resolved, a day above 12 so that day and month cannot be read swapped.
    """
    wanted = BAD_ROWS.get(month, ())
    if not wanted:
        return []
    rng = np.random.default_rng([seed, month.year, month.month, BAD_STREAM])
    col = pl.col
    fits = {
        "unreadable_received": col("received_at").dt.day() > 12,
        "negative_fee": col("fee") > 0,
        "unknown_unit": col("level") == XA,
        "repeated": pl.lit(True),
        "resolved_without_end": col("status").is_in([2, 4, 5, 6]),
    }
    indexed = view.with_row_index().filter(col("received") >= _minutes(month))
    bad: list[tuple[int, str]] = []
    for kind, count in wanted:
        candidates = np.setdiff1d(indexed.filter(fits[kind])["index"].to_numpy(), [i for i, _ in bad])
        bad += [(int(i), kind) for i in np.sort(rng.choice(candidates, min(count, len(candidates)), replace=False))]
    return bad


def _with_bad_rows(frame: pl.DataFrame, bad: list[tuple[int, str]],
                   broken: Callable[[dict, str, int], dict]) -> pl.DataFrame:
    """``frame`` with a broken copy of each bad row after it; repeats go at the end, as a re-sent batch would."""
    if not bad:
        return frame
    n = frame.height
    extras = [broken(frame.row(i, named=True), kind, k) for k, (i, kind) in enumerate(bad)]
    position = [2 * n + k if kind == "repeated" else 2 * i + 1 for k, (i, kind) in enumerate(bad)]
    return pl.concat([
        frame.with_columns((pl.int_range(n, dtype=pl.Int64) * 2).alias("_position")),
        pl.DataFrame(extras, schema=frame.schema).with_columns(pl.Series("_position", position, dtype=pl.Int64)),
    ]).sort("_position").drop("_position")


def _broken(row: dict, kind: str, n: int, keys: _Keys) -> dict:
    """A copy of ``row`` broken as ``kind`` says; all but repeats get an id of their own."""
    row = dict(row)
    if kind == "repeated":
        return row
    row[keys.id] = re.sub(r"-\d+$", f"-{EXTRA_SEQUENCE + n}", row[keys.id])
    if kind == "unreadable_received":  # day and month swapped, as a spreadsheet set to US dates writes them
        text = row[keys.received]
        row[keys.received] = text[:4] + text[6:8] + text[4:6] + text[8:] if keys.portal else \
            text[3:6] + text[:3] + text[6:]
    elif kind == "negative_fee":
        fee = row[keys.fee]
        row[keys.fee] = [item | {"Gia": -item["Gia"]} for item in fee] if keys.portal else "-" + fee
    elif kind == "unknown_unit":
        row[keys.unit] = UNKNOWN_UNIT
        row[keys.id] = re.sub(r"^(H\d+\.)\d+", rf"\g<1>{UNKNOWN_UNIT}", row[keys.id])
    elif kind == "resolved_without_end":
        row[keys.status], row[keys.end], row[keys.returned] = keys.resolved, keys.blank, keys.blank
    return row


def _broken_record(row: dict, kind: str, n: int) -> dict:
    """_broken for a shape B record, kept as its JSON text."""
    return {"record": json.dumps(_broken(json.loads(row["record"]), kind, n, PORTAL_KEYS), ensure_ascii=False)}


# -- formatting -------------------------------------------------------------------------------

def _tabular_frame(view: pl.DataFrame, cat: _Catalogue, shown: tuple[list[str], list[str]], *,
                   legacy: bool) -> pl.DataFrame:
    """Shape A columns, as text the way the one-stop-shop software prints them; the procedure as
    ``shown`` (codes, names) names the row's ``shown`` index (``etl.demo_catalogue.shown_procedure``)."""
    col = pl.col
    service_text = {4: "4", 3: "3", 2: "2"} if legacy else SERVICE_LEVEL_TEXT
    fees = {int(f): _thousands(int(f)) for f in view["fee"].unique()} | {0: ""}
    columns = view.select(
        col("dossier_id").alias("Mã hồ sơ"),
        _text(col("shown"), shown[0]).alias("Mã TTHC"),
        _text(col("shown"), shown[1]).alias("Tên TTHC"),
        _text(col("proc"), cat.proc_field_names).alias("Lĩnh vực"),
        _text(col("agency"), cat.agency_names).alias("Cơ quan giải quyết"),
        _text(col("level"), LEVELS).alias("Cấp giải quyết"),
        _text(col("slot"), cat.unit_codes).alias("Mã ĐVHC"),
        col("channel").replace_strict(CHANNEL_TEXT, return_dtype=pl.String).alias("Kênh nộp"),
        _text(col("proc"), [service_text[level] for level in cat.proc_online_level]).alias("Mức độ DVC"),
        *[col(c).dt.strftime(CSV_DATETIME).alias(h) for c, h in (
            ("received_at", "Ngày tiếp nhận"), ("due_at", "Ngày hẹn trả"), ("end_at", "Ngày có kết quả"),
            ("returned_at", "Ngày trả kết quả"))],
        col("status").replace_strict(STATUS_TEXT, return_dtype=pl.String).alias("Trạng thái"),
        col("fee").replace_strict(fees, return_dtype=pl.String).alias("Phí, lệ phí"),
        _text(col("payment"), PAYMENT_TEXT).alias("Hình thức thanh toán"),
        pl.when(col("digitised")).then(pl.lit("Có")).otherwise(pl.lit("Không")).alias("Số hóa"),
        _text(col("rating_shown"), RATING_TEXT).alias("Mức độ hài lòng"),
    )
    # Blank cells are written empty, not as "" (which is how Polars writes an empty string).
    return columns.select(pl.all().replace("", None))


def _portal_record(cat: _Catalogue, shown: tuple[list[str], list[str]]) -> pl.Expr:
    """One shape B record per row as a JSON text, keys in the national portal's order.

    Built column-wise from pre-encoded pieces (catalogue texts go through
    json.dumps once) because encoding hundreds of thousands of dicts one by one
    would dominate the run time. Optional keys are left out, as the portal does.
    """
    col = pl.col
    fee_list = pl.when(col("fee") > 0).then(pl.concat_str(
        pl.lit('[{"TenPhiLePhi": ' + _json(FEE_ITEM["TenPhiLePhi"]) + ', "Gia": '), col("fee").cast(pl.String),
        pl.lit(', "HinhThucThu": ' + _json(FEE_ITEM["HinhThucThu"]) + "}]"))).otherwise(pl.lit("[]"))
    fields = {
        "MaHoSo": _quoted(col("dossier_id")),
        "MaTTHC": _text(col("shown"), [_json(c) for c in shown[0]]),
        "TenTTHC": _text(col("shown"), [_json(c) for c in shown[1]]),
        "MaLinhVuc": _text(col("proc"), [_json(c) for c in cat.proc_field_codes]),
        "TenLinhVuc": _text(col("proc"), [_json(c) for c in cat.proc_field_names]),
        "DonViXuLy": _text(col("agency"), [_json(a) for a in cat.agency_names]),
        "CapGiaiQuyet": _text(col("level"), [_json(level) for level in LEVELS]),
        "MaDiaBan": _text(col("slot"), [_json(u) for u in cat.unit_codes]),
        "KenhThucHien": col("channel").cast(pl.String),
        "MucDo": _text(col("proc"), [str(level) for level in cat.proc_online_level]),
        "NgayTiepNhan": _portal_date(col("received_at")),
        "NgayHenTra": _portal_date(col("due_at")),
        "NgayKetThucXuLy": _portal_date(col("end_at")),
        "NgayTra": _portal_date(col("returned_at")),
        "TrangThaiHoSo": col("status").cast(pl.String),
        "DanhSachLePhi": fee_list,
        "DuocThanhToanTrucTuyen": col("paid_online").cast(pl.String),
        "HoSoCoThanhPhanSoHoa": col("digitised").cast(pl.Int8).cast(pl.String),
    }
    optional = {
        "HinhThucThanhToan": (col("payment") > 0, _text(col("payment"), [_json(p) for p in PAYMENT_TEXT])),
        "MucDoHaiLong": (col("rating_shown") > 0, _text(col("rating_shown"), [_json(r) for r in RATING_TEXT])),
    }
    pieces: list[pl.Expr] = []
    for i, (key, value) in enumerate(fields.items()):
        pieces += [pl.lit(("{" if i == 0 else ", ") + f'"{key}": '), value]
    for key, (present, value) in optional.items():
        pieces.append(pl.when(present).then(pl.concat_str(pl.lit(f', "{key}": '), value)).otherwise(pl.lit("")))
    return pl.concat_str(*pieces, pl.lit("}"))


def _quoted(text: pl.Expr) -> pl.Expr:
    """A JSON string of text known to need no escaping (ids, codes, digits)."""
    return pl.concat_str(pl.lit('"'), text, pl.lit('"'))


def _portal_date(instant: pl.Expr) -> pl.Expr:
    """``"yyyyMMddHHmmss"``, or ``""`` when there is no such date, as the portal writes it."""
    return _quoted(instant.dt.strftime(PORTAL_DATETIME).fill_null(""))


# -- small helpers ------------------------------------------------------------------------

def _as_datetime(minutes: pl.Expr) -> pl.Expr:
    """Local timestamp from minutes since 1970-01-01 00:00 (null stays null)."""
    return pl.from_epoch(minutes * 60, time_unit="s")


def _text(index: pl.Expr, values: Sequence[str]) -> pl.Expr:
    """Look an index column up in a list of texts."""
    return index.replace_strict(list(range(len(values))), list(values), return_dtype=pl.String)


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _thousands(amount: int) -> str:
    """``150000`` → ``150.000``, as Vietnamese software prints money."""
    return f"{amount:,}".replace(",", ".")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days.astype(np.int64) + 3) % 7


def _trend(month: date) -> Trend:
    """TRENDS interpolated at the middle of ``month`` (held flat outside the table)."""
    years = sorted(TRENDS)
    x = month.year + (month.month - 0.5) / 12
    anchors = [y + 0.5 for y in years]
    return Trend(*(float(np.interp(x, anchors, [getattr(TRENDS[y], f) for y in years])) for f in Trend._fields))


def _months(start: date, end: date) -> list[date]:
    """First days of the months from ``start``'s month to ``end``'s month."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _minutes(day: date) -> int:
    """Minutes from 1970-01-01 00:00 to the start of ``day`` (local time)."""
    return (day - date(1970, 1, 1)).days * 1440
