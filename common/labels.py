"""Every label people read, in Vietnamese and English, in one place."""
from __future__ import annotations

LANGUAGES = ("vi", "en")

KPI_LABELS: dict[str, tuple[str, str]] = {
    "received_new": ("Mới tiếp nhận trong kỳ", "Newly received"),
    "received_carried_over": ("Tồn kỳ trước chuyển sang", "Carried over"),
    "received_total": ("Tổng số tiếp nhận", "Total received"),
    "received_online": ("Tiếp nhận trực tuyến", "Received online"),
    "resolved_total": ("Đã giải quyết", "Resolved"),
    "resolved_early": ("Trước hạn", "Early"),
    "resolved_on_time": ("Đúng hạn", "On time"),
    "resolved_late": ("Trễ hạn", "Late"),
    "pending_total": ("Đang giải quyết", "Pending"),
    "pending_overdue": ("Đang giải quyết quá hạn", "Pending overdue"),
    "pending_on_track": ("Đang giải quyết trong hạn", "Pending on track"),
    "on_time_rate": ("Tỷ lệ đúng và trước hạn", "On-time rate"),
    "early_rate": ("Tỷ lệ trước hạn", "Early rate"),
    "late_rate": ("Tỷ lệ trễ hạn", "Late rate"),
    "online_rate": ("Tỷ lệ hồ sơ trực tuyến", "Online rate"),
    "full_online_rate": ("Tỷ lệ trực tuyến toàn trình", "Full-online rate"),
    "cashless_rate": ("Tỷ lệ thanh toán không dùng tiền mặt", "Cashless payment rate"),
    "online_payment_rate": ("Tỷ lệ thanh toán trực tuyến", "Online payment rate"),
    "digitised_rate": ("Tỷ lệ số hóa hồ sơ", "Digitisation rate"),
    "satisfaction_rate": ("Tỷ lệ hài lòng", "Satisfaction rate"),
}

# Short labels for cards and chart axes.
KPI_SHORT: dict[str, tuple[str, str]] = {
    "on_time_rate": ("Đúng hạn", "On time"),
    "late_rate": ("Trễ hạn", "Late"),
    "online_rate": ("Trực tuyến", "Online"),
    "cashless_rate": ("Không tiền mặt", "Cashless"),
    "satisfaction_rate": ("Hài lòng", "Satisfaction"),
    "digitised_rate": ("Số hóa", "Digitised"),
    "received_new": ("Hồ sơ tiếp nhận", "Dossiers received"),
    "pending_overdue": ("Đang quá hạn", "Pending overdue"),
}

# Rates where a lower figure is better (colour and arrows flip).
LOWER_IS_BETTER = frozenset({"late_rate", "pending_overdue", "resolved_late"})

CHANNEL_LABELS: dict[int, tuple[str, str]] = {
    1: ("Trực tiếp", "In person"), 2: ("Trực tuyến", "Online"), 3: ("Bưu chính công ích", "Postal service"),
}

UI: dict[str, tuple[str, str]] = {
    "app_title": ("Trung tâm điều hành – Dịch vụ công", "Operations centre – Public services"),
    # Log-in, roles and the administration page (access/).
    "login_title": ("Đăng nhập", "Sign in"),
    "login_username": ("Tên đăng nhập", "User name"),
    "login_password": ("Mật khẩu", "Password"),
    "login_submit": ("Đăng nhập", "Sign in"),
    "login_failed": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user name or password."),
    "login_throttled": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.",
                        "Too many failed sign-ins. Please try again in a few minutes."),
    "login_expired": ("Phiên đăng nhập đã hết hạn, vui lòng thử lại.", "The form expired; please try again."),
    "login_note": ("Dữ liệu nội bộ của tỉnh – chỉ dành cho người được cấp tài khoản.",
                   "Internal provincial data – for account holders only."),
    "login_language": ("English", "Tiếng Việt"),
    "refused_title": ("Không có quyền truy cập", "Access refused"),
    "refused_text": ("Tài khoản của bạn không được xem trang này.", "Your account may not open this page."),
    "refused_home": ("Về trang chủ", "Back to the overview"),
    "logout": ("Đăng xuất", "Sign out"),
    "admin_page": ("Quản trị", "Administration"),
    "admin_users": ("Tài khoản", "Users"),
    "admin_audit": ("Nhật ký truy cập", "Audit log"),
    "admin_note": ("Quản lý tài khoản bằng dòng lệnh: python app.py user add|list|disable|passwd, "
                   "python app.py token create|list|revoke.",
                   "Manage users from the command line: python app.py user add|list|disable|passwd, "
                   "python app.py token create|list|revoke."),
    "col_user": ("Tài khoản", "User"),
    "col_role": ("Vai trò", "Role"),
    "col_status": ("Trạng thái", "Status"),
    "col_created": ("Tạo lúc", "Created"),
    "col_at": ("Thời điểm", "At"),
    "col_event": ("Sự kiện", "Event"),
    "col_address": ("Địa chỉ", "Address"),
    "col_actor": ("Người thực hiện", "By"),
    "status_active": ("Đang dùng", "Active"),
    "status_disabled": ("Đã khóa", "Disabled"),
    "overview": ("Tổng quan", "Overview"),
    "province": ("Toàn tỉnh", "Whole province"),
    "simulated": ("Dữ liệu mô phỏng", "Simulated data"),
    "period": ("Kỳ báo cáo", "Period"),
    "target": ("Mục tiêu", "Target"),
    "vs_previous": ("so với kỳ trước", "vs previous period"),
    "vs_last_year": ("so với cùng kỳ năm trước", "vs same period last year"),
    "no_data": ("Không có dữ liệu", "No data"),
    "trend_title": ("Xu hướng 12 tháng đến {month}", "12-month trend to {month}"),
    "no_target": ("Không đặt mục tiêu", "No target set"),
    "late_by_field": ("Tỷ lệ trễ hạn theo lĩnh vực", "Late rate by field"),
    "units_ranked": ("Xếp hạng đơn vị", "Units ranked"),
    "unknown_unit": ("Không xác định", "Unknown unit"),
    "unit_itself_province": ("Các sở, ngành cấp tỉnh", "Provincial departments"),
    "new_units": ("Theo đơn vị mới", "In new units"),
    "estimate_mark": ("ước tính", "estimate"),
    "estimate_note": ("Gồm {count} hồ sơ của xã cũ bị chia tách, tính vào một xã mới theo quy tắc: số liệu ước tính",
                      "Includes {count} dossiers of split old communes, counted in one new commune by rule: an estimate"),
    "more_units": ("… và {count} đơn vị khác (xem tất cả ở bảng Biểu II.06a theo đơn vị, trang Trễ hạn)",
                   "… and {count} more units (all of them in the II.06a table by unit, on the Late page)"),
    "units_view": ("Đơn vị hành chính", "Administrative units"),
    "units_view_current": ("Hiện hành (từ {date})", "Current (from {date})"),
    "units_view_before": ("Trước {date}", "Before {date}"),
    "reform_marker": ("Sắp xếp ĐVHC {date}", "Reorganisation {date}"),
    "unit_itself": ("Trực thuộc {name}", "{name} itself"),
    "average": ("Trung bình", "Average"),
    "data_as_of": ("Dữ liệu đến", "Data as of"),
    "dossiers": ("hồ sơ", "dossiers"),
    "rate": ("Tỷ lệ", "Rate"),
    "month": ("Tháng", "Month"),
    "language": ("English", "Tiếng Việt"),
    "ranking_metric": ("Chỉ số xếp hạng", "Ranking metric"),
    "points": ("điểm %", "pp"),
    "data_quality": ("Chất lượng dữ liệu", "Data quality"),
    "mail_subject": ("[IOC {province}] Tuần {week}: {on_time} đúng hạn, {online} trực tuyến",
                     "[IOC {province}] Week {week}: {on_time} on time, {online} online"),
    "mail_heading": ("Tình hình giải quyết thủ tục hành chính tuần {week}",
                     "Public-service delivery, week {week}"),
    "mail_period": ("{unit}, từ {start} đến {end}", "{unit}, {start} to {end}"),
    "mail_vs_week": ("So với tuần trước", "vs previous week"),
    "mail_trend": ("12 tuần gần nhất", "Last 12 weeks"),
    "mail_worst_late": ("Đơn vị có tỷ lệ trễ hạn cao nhất", "Highest late rates"),
    "mail_worst_online": ("Đơn vị có tỷ lệ trực tuyến thấp nhất", "Lowest online uptake"),
    "mail_worsened": ("Đơn vị giảm rõ so với tuần trước", "Units markedly worse than last week"),
    "mail_worsened_rule": ("Quy tắc: trễ hạn tăng từ 1 điểm % (có ít nhất 10 hồ sơ giải quyết) hoặc trực tuyến "
                           "giảm từ 5 điểm % (có ít nhất 20 hồ sơ tiếp nhận).",
                           "Rule: late rate up 1 point or more (10+ resolved) or online rate down 5 points or "
                           "more (20+ received)."),
    "mail_none": ("Không có.", "None."),
    "mail_overdue": ("Hồ sơ quá hạn ({count} hồ sơ; xem toàn bộ trên trang Cảnh báo)",
                     "Overdue dossiers ({count}; see them all on the early-warning page)"),
    "mail_footer": ("Số liệu đến {as_of}. Thư tự động từ Bảng điều hành dịch vụ công.",
                    "Data as of {as_of}. Automatic email from the public-service dashboard."),
    "col_unit": ("Đơn vị", "Unit"),
    "col_field": ("Lĩnh vực", "Field"),
    "col_agency": ("Cơ quan", "Agency"),
    "col_change": ("Thay đổi", "Change"),
    "col_value": ("Giá trị", "Value"),
    "col_dossier": ("Mã hồ sơ", "Dossier"),
    "col_days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "early_warning": ("Cảnh báo sớm", "Early warning"),
    "late_page": ("Hồ sơ trễ hạn", "Late dossiers"),
    "unit_dossiers": ("Hồ sơ của {unit} trong kỳ ({count})", "Dossiers of {unit} in the period ({count})"),
    "col_end": ("Ngày kết thúc", "Ended"),
    "col_outcome": ("Kết quả", "Outcome"),
    "not_found": ("Không tìm thấy trang", "Page not found"),
    "index766": ("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766) – ước tính",
                 "Citizen-service index (Decision 766) – estimate"),
    "nav_766": ("Chỉ số 766", "Index 766"),
    "index766_total": ("Điểm ước tính", "Estimated points"),
    "index766_note": ("Ước tính các tiêu chí có dữ liệu từ hệ thống một cửa; điểm = điểm tối đa × min(1, R / mục tiêu).",
                      "Estimated for the criteria the one-stop-shop data covers; points = max × min(1, R / target)."),
    "col_criterion": ("Tiêu chí", "Criterion"),
    "col_r": ("Kết quả (R)", "Result (R)"),
    "col_points": ("Điểm", "Points"),
    "col_pmax": ("Tối đa", "Max"),
    "units_766": ("Đơn vị theo điểm ước tính", "Units by estimated points"),
    "back_home": ("Về trang Tổng quan", "Back to the overview"),
    "topic_online": ("Dịch vụ công trực tuyến", "Online services"),
    "topic_payment": ("Thanh toán không dùng tiền mặt", "Cashless payment"),
    "topic_satisfaction": ("Mức độ hài lòng", "Satisfaction"),
    "topic_digitisation": ("Số hóa hồ sơ", "Digitisation"),
    "nav_online": ("Trực tuyến", "Online"),
    "nav_payment": ("Thanh toán", "Payment"),
    "nav_satisfaction": ("Hài lòng", "Satisfaction"),
    "nav_digitisation": ("Số hóa", "Digitisation"),
    "by_unit_click": ("{metric} theo đơn vị (bấm để xem chi tiết)", "{metric} by unit (click to drill down)"),
    "by_field": ("{metric} theo lĩnh vực", "{metric} by field"),
    "table_06a": ("Biểu II.06a theo {dimension}", "Form II.06a by {dimension}"),
    "group_by": ("Nhóm theo", "Group by"),
    "dim_field": ("lĩnh vực", "field"),
    "dim_agency": ("cơ quan", "agency"),
    "dim_procedure": ("thủ tục", "procedure"),
    "dim_unit_child": ("đơn vị", "unit"),
    "late_by_unit": ("Tỷ lệ trễ hạn theo đơn vị (bấm để xem chi tiết)", "Late rate by unit (click to drill down)"),
    "total": ("Tổng cộng", "Total"),
    "col_group": ("Nhóm", "Group"),
    "overdue_now_title": ("Hồ sơ quá hạn", "Overdue dossiers"),
    "due_soon_title": ("Sắp đến hạn trong {hours} giờ", "Due within {hours} hours"),
    "as_of_label": ("Tính đến", "As of"),
    "unit": ("Đơn vị", "Unit"),
    "field": ("Lĩnh vực", "Field"),
    "all_fields": ("Tất cả lĩnh vực", "All fields"),
    "level": ("Cấp giải quyết", "Handling level"),
    "all_levels": ("Tất cả các cấp", "All levels"),
    "channel": ("Kênh nộp", "Channel"),
    "all_channels": ("Tất cả các kênh", "All channels"),
    "col_procedure": ("Thủ tục", "Procedure"),
    "col_received": ("Ngày tiếp nhận", "Received"),
    "col_due": ("Hạn trả", "Due"),
    "col_hours_left": ("Còn (giờ)", "Hours left"),
    "wall_title": ("Tình hình giải quyết thủ tục hành chính", "Public-service delivery"),
    "vs_last_month": ("so với tháng trước", "vs last month"),
    "received_month": ("Tiếp nhận trong tháng", "Received this month"),
    "overdue_now": ("Đang quá hạn", "Overdue now"),
    "overdue_list": ("Hồ sơ quá hạn lâu nhất", "Most overdue dossiers"),
    "days_overdue": ("ngày", "days"),
    "today_intake": ("Tiếp nhận ngày {day}", "Received on {day}"),
    "units_by_kpi_12m": ("Đơn vị theo chỉ số, 12 tháng", "Units by indicator, 12 months"),
    "trend_12m": ("Xu hướng 12 tháng", "12-month trend"),
    "late_by_field_12m": ("Tỷ lệ trễ hạn theo lĩnh vực, 12 tháng", "Late rate by field, 12 months"),
    "updated_at": ("Cập nhật dữ liệu", "Data updated"),
    "connection_lost": ("Mất kết nối máy chủ – đang thử lại; số liệu hiển thị có thể đã cũ",
                        "Server unreachable – retrying; figures shown may be out of date"),
    "stale_data": ("Dữ liệu cũ", "Stale data"),
    "freshness": ("Độ mới của dữ liệu", "Data freshness"),
    "newest_received": ("Hồ sơ tiếp nhận mới nhất", "Newest dossier received"),
    "last_load": ("Lần nạp gần nhất", "Last load"),
    "stale_warning": ("Dữ liệu đã cũ: lần nạp gần nhất cách đây {hours} giờ (ngưỡng {limit} giờ). "
                      "Kiểm tra hộp thư nạp dữ liệu và hệ thống một cửa.",
                      "Data is stale: the last load was {hours} hours ago (limit {limit} h). "
                      "Check the inbox and the one-stop-shop exports."),
    "fresh_ok": ("Dữ liệu được cập nhật trong {limit} giờ qua.", "Data updated within the last {limit} hours."),
    "no_load": ("Chưa có lần nạp nào.", "No load yet."),
    "loads": ("Các lần nạp gần đây", "Recent loads"),
    "quarantine": ("Dòng bị cách ly", "Quarantined rows"),
    "warnings": ("Cảnh báo dữ liệu", "Data warnings"),
    "export_csv": ("Xuất CSV", "Export CSV"),
    "export_xlsx": ("Xuất Excel", "Export Excel"),
    "export_cap": ("Xuất cả danh sách theo thứ tự đang sắp xếp, tối đa {rows} dòng",
                   "Exports the whole list in the current sort order, at most {rows} rows"),
    "mail_failures": ("Thư tuần gửi không thành công", "Weekly emails that failed"),
    "col_week": ("Tuần", "Week"),
    "col_recipient": ("Người nhận", "Recipient"),
    "col_attempts": ("Số lần thử", "Attempts"),
    "col_error": ("Lỗi", "Error"),
    "col_batch": ("Lần nạp", "Batch"),
    "col_started": ("Bắt đầu", "Started"),
    "col_duration": ("Thời gian (giây)", "Duration (s)"),
    "col_files": ("Tệp", "Files"),
    "col_file": ("Tệp", "File"),
    "col_row": ("Dòng", "Row"),
    "col_reason": ("Lý do", "Reason"),
    "col_raw": ("Giá trị gốc", "Original values"),
    "col_read": ("Đọc", "Read"),
    "col_loaded": ("Nạp", "Loaded"),
    "col_quarantined": ("Cách ly", "Quarantined"),
    "col_kind": ("Loại", "Kind"),
    "col_detail": ("Chi tiết", "Detail"),
    "rating_distribution": ("Đánh giá của hồ sơ giải quyết trong kỳ", "Ratings of dossiers resolved in the period"),
    "ratings_by_agency": ("Mức độ hài lòng theo cơ quan", "Ratings by agency"),
    "col_rated": ("Có đánh giá", "Rated"),
    "none_quarantined": ("Không có dòng nào bị cách ly.", "No quarantined rows."),
}


def label(key: str, lang: str = "vi", table: dict | None = None) -> str:
    """The label of ``key`` in ``lang`` (Vietnamese by default): from ``table``, else the UI's, a KPI's or a
    rating value's."""
    entry = (table or UI).get(key) or KPI_LABELS.get(key) or RATING_LABELS.get(key) or (key, key)
    return entry[1] if lang == "en" else entry[0]


def kpi_label(key: str, lang: str = "vi", short: bool = False) -> str:
    table = KPI_SHORT if short and key in KPI_SHORT else KPI_LABELS
    return label(key, lang, table)


WARNING_KINDS: dict[str, tuple[str, str]] = {
    "unknown_unit": ("Mã ĐVHC lạ", "Unknown unit code"),
    "new_field": ("Lĩnh vực mới", "New field"),
    "new_agency": ("Cơ quan mới", "New agency"),
    "duplicate_in_file": ("Trùng mã trong tệp", "Repeated id in a file"),
    "unknown_value": ("Giá trị lạ", "Unknown value"),
}


# The rating values of DATA-CONTRACT.md's "Mức độ hài lòng" (warehouse.kpi.RATING_KEYS).
RATING_LABELS: dict[str, tuple[str, str]] = {
    "very_satisfied": ("Rất hài lòng", "Very satisfied"), "satisfied": ("Hài lòng", "Satisfied"),
    "dissatisfied": ("Không hài lòng", "Dissatisfied"), "not_rated": ("Chưa đánh giá", "Not rated"),
}


OUTCOME_LABELS: dict[str | None, tuple[str, str]] = {
    "early": ("Trước hạn", "Early"), "on_time": ("Đúng hạn", "On time"), "late": ("Trễ hạn", "Late"),
    None: ("Đang giải quyết", "Pending"),
}


ROLE_LABELS: dict[str, tuple[str, str]] = {
    "admin": ("Quản trị", "Administrator"), "leader": ("Lãnh đạo", "Leader"),
    "analyst": ("Chuyên viên phân tích", "Analyst"), "unit": ("Đơn vị", "Unit"), "wall": ("Màn hình lớn", "Wall"),
}

AUDIT_EVENTS: dict[str, tuple[str, str]] = {
    "login_ok": ("Đăng nhập", "Signed in"), "login_failed": ("Đăng nhập sai", "Failed sign-in"),
    "login_throttled": ("Đăng nhập bị chặn tạm thời", "Sign-in throttled"), "logout": ("Đăng xuất", "Signed out"),
    "export": ("Xuất dữ liệu", "Export"), "user_added": ("Thêm tài khoản", "User added"),
    "user_disabled": ("Khóa tài khoản", "User disabled"), "user_enabled": ("Mở khóa tài khoản", "User enabled"),
    "password_changed": ("Đổi mật khẩu", "Password changed"), "token_created": ("Tạo mã truy cập", "Token created"),
    "token_revoked": ("Thu hồi mã truy cập", "Token revoked"),
    "refused": ("Bị từ chối", "Refused"),
}
