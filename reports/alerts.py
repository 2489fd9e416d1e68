"""Threshold alerts: rules from a settings file, each unit judged on its own, one message when a unit
enters breach, none while it stays (a reminder every ``remind_days`` at most), one when it recovers.

Rules are JSON (``IOC_ALERT_RULES`` names the file)::

    [{"name": "qua-han", "kpi": "pending_overdue", "op": ">", "threshold": 10,
      "period": "today", "units": "communes", "min_base": null, "remind_days": 3, "to": null}]

``units`` is "province", "communes" (each of today's communes) or a list of unit codes; ``to`` lists
addresses, or null for the unit's recipients (``IOC_MAIL_RECIPIENTS_BY_UNIT``, else
``IOC_MAIL_RECIPIENTS``). The figures come from the query layer; the state of each (rule, unit)
lives in a small SQLite store beside the warehouse (``<db>.alerts.sqlite3``), like the mail log, so a
restart changes nothing; messages go through the weekly email's SMTP code, retries and failure log.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, field_validator

from common import formats
from common.labels import kpi_label
from common.settings import Settings, get_settings
from dashboards.components.charts import value_text
from reports.mail import MailLog, compose, log_path, send_once
from reports.render import Rendered
from warehouse import kpi, units
from warehouse.boundaries import todays_communes
from warehouse.scope import Scope
from warehouse.slice import Slice, local_now
from warehouse.store import Reader, Store

ALERT_KPIS = kpi.KPI_KEYS + ("pending_overdue_per_1000",)
OPS = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
PERIODS = ("today", "last_7_days", "month_to_date")


class RuleError(ValueError):
    """A rule file that cannot run; the message names the rule."""


class Rule(BaseModel):
    name: str
    kpi: str
    op: Literal[">", ">=", "<", "<="]
    threshold: float
    period: Literal["today", "last_7_days", "month_to_date"] = "today"
    units: Literal["province", "communes"] | list[str] = "province"
    min_base: int | None = None
    remind_days: int | None = None
    to: list[str] | None = None

    @field_validator("kpi")
    @classmethod
    def _known_kpi(cls, value: str) -> str:
        if value not in ALERT_KPIS:
            raise ValueError(f"unknown KPI {value!r} (one of {', '.join(ALERT_KPIS)})")
        return value


def parse_rules(text: str) -> list[Rule]:
    """The rules of a JSON document; any bad rule refuses the whole file, naming it."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise RuleError(f"tệp quy tắc cảnh báo không phải JSON / the alert rule file is not JSON: {error}") from None
    if not isinstance(document, list):
        raise RuleError("tệp quy tắc cảnh báo phải là một danh sách / the alert rule file must be a JSON list")
    rules, names = [], set()
    for i, item in enumerate(document, start=1):
        name = item.get("name", f"#{i}") if isinstance(item, dict) else f"#{i}"
        try:
            rule = Rule.model_validate(item)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise RuleError(f"quy tắc cảnh báo {name!r} không hợp lệ / alert rule {name!r} is invalid: "
                            f"{problems}") from None
        if rule.name in names:
            raise RuleError(f"quy tắc cảnh báo {name!r} trùng tên / alert rule {name!r} is repeated")
        names.add(rule.name)
        rules.append(rule)
    return rules


def load_rules(settings: Settings) -> list[Rule]:
    """The rules of ``IOC_ALERT_RULES`` (none when it is unset)."""
    if settings.alert_rules is None:
        return []
    try:
        text = Path(settings.alert_rules).read_text(encoding="utf-8")
    except OSError as error:
        raise RuleError(f"không đọc được tệp quy tắc cảnh báo / cannot read the alert rule file "
                        f"{settings.alert_rules}: {error.strerror or error}") from None
    return parse_rules(text)


def check_units(con, rules: list[Rule]) -> None:
    """Refuse a rule naming a unit that today's list does not have."""
    view = units.views(con)[-1]
    for rule in rules:
        if isinstance(rule.units, list):
            unknown = [c for c in rule.units if units.locate(con, c, view) is None]
            if unknown:
                raise RuleError(f"quy tắc cảnh báo {rule.name!r}: mã ĐVHC không có / alert rule {rule.name!r}: "
                                f"unknown unit {', '.join(unknown)}")


def period_of(rule: Rule, day: date) -> tuple[date, date]:
    if rule.period == "today":
        return day, day
    if rule.period == "last_7_days":
        return day - timedelta(days=6), day
    return day.replace(day=1), day


@dataclass
class Judgement:
    rule: str
    unit: str | None
    unit_name: str
    kpi: str
    op: str
    threshold: float
    value: float | None
    base: int | None
    state: str            # breach | ok | not_evaluable
    reason: str | None = None
    event: str | None = None       # entered | reminder | recovered (what is due to be said)
    sent: list[str] | None = None
    failed: dict[str, str] | None = None


def judge(con, rules: list[Rule], now: datetime) -> list[Judgement]:
    """Every rule over every unit it covers, from the query layer, as of ``now``."""
    view = units.views(con)[-1]
    communes = todays_communes(con)
    province = units.find(con, None, view)
    out = []
    for rule in rules:
        start, end = period_of(rule, now.date())
        targets = ([None] if rule.units == "province" else list(communes) if rule.units == "communes"
                   else rule.units)
        # every commune of a rule in one query (the province's units grouped), not a query per commune
        by_commune = {} if rule.units == "province" else {
            r["group_key"]: r for r in kpi.kpis_by(con, Slice(start, end), "unit_child", scope=Scope(), now=now)}
        for code in targets:
            if code is None or code not in communes:
                figures = kpi.kpis(con, Slice(start, end, unit=code), scope=Scope(), now=now)
            else:
                figures = by_commune.get(code) or kpi.empty_kpis()
            value = figures.get(rule.kpi)
            base_key = kpi.BASE_KEYS.get(rule.kpi, "received_total")
            base = figures.get(base_key)
            name = province.name if code is None else (communes.get(code) or code)
            j = Judgement(rule.name, code, name, rule.kpi, rule.op, rule.threshold, value, base, "ok")
            if value is None:
                j.state, j.reason = "not_evaluable", "no_data"
            elif rule.min_base is not None and (base or 0) < rule.min_base:
                j.state, j.reason = "not_evaluable", "below_min_base"
            elif OPS[rule.op](float(value), rule.threshold):
                j.state = "breach"
            out.append(j)
    return out


class AlertStore:
    """The state of each (rule, unit) and the history of what was said."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, timeout=30)
        self.con.executescript(
            "create table if not exists states (rule text, unit text, state text, since text, last_sent text, "
            "primary key (rule, unit));"
            "create table if not exists history (at text, rule text, unit text, event text, value real, "
            "threshold real, recipients text);")

    def get(self, rule: str, unit: str) -> tuple[str, str | None, str | None]:
        row = self.con.execute("select state, since, last_sent from states where rule = ? and unit = ?",
                               (rule, unit)).fetchone()
        return row if row else ("ok", None, None)

    def put(self, rule: str, unit: str, state: str, since: str | None, last_sent: str | None) -> None:
        with self.con:
            self.con.execute("insert or replace into states values (?, ?, ?, ?, ?)", (rule, unit, state, since, last_sent))

    def log(self, j: Judgement, at: str) -> None:
        with self.con:
            self.con.execute("insert into history values (?, ?, ?, ?, ?, ?, ?)",
                             (at, j.rule, j.unit or "", j.event, j.value, j.threshold, ", ".join(j.sent or [])))

    def history(self, limit: int = 100) -> list[dict]:
        rows = self.con.execute("select at, rule, unit, event, value, threshold, recipients from history "
                                "order by at desc limit ?", (limit,)).fetchall()
        return [dict(zip(("at", "rule", "unit", "event", "value", "threshold", "recipients"), r)) for r in rows]

    def open_alerts(self) -> list[dict]:
        rows = self.con.execute("select rule, unit, since from states where state = 'breach' order by since").fetchall()
        return [dict(zip(("rule", "unit", "since"), r)) for r in rows]


def store_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".alerts.sqlite3")


def event_due(j: Judgement, previous: str, last_sent: str | None, remind_days: int | None, now: datetime) -> str | None:
    """What a change of state (or a long breach) calls for: entered, reminder, recovered, or nothing."""
    if j.state == "not_evaluable":
        return None
    if j.state == "breach" and previous != "breach":
        return "entered"
    if j.state == "ok" and previous == "breach":
        return "recovered"
    if j.state == "breach" and remind_days and last_sent and \
            now - datetime.fromisoformat(last_sent) >= timedelta(days=remind_days):
        return "reminder"
    return None


def recipients_of(rule: Rule, unit: str | None, settings: Settings) -> list[str]:
    if rule.to is not None:
        return rule.to
    return settings.mail_recipients_by_unit.get(unit or "", settings.mail_recipients)


def shown(key: str, value: float | None) -> str:
    """A figure as the pages show it: rates in percent, counts as whole numbers."""
    if key in kpi.COUNT_KEYS:
        return formats.number(value, "vi")
    return value_text(key, value, "vi")


def message(j: Judgement, worst: list[dict], settings: Settings) -> Rendered:
    """Plain text and HTML, Vietnamese first: the value against the threshold, the worst dossiers, a link."""
    what = kpi_label(j.kpi, "vi")
    value, limit = shown(j.kpi, j.value), shown(j.kpi, j.threshold)
    page = "canh-bao" if j.kpi.startswith("pending") else "tre-han"
    link = f"{settings.public_url.rstrip('/')}/{page}" + (f"?unit={j.unit}" if j.unit else "")
    if j.event == "recovered":
        subject = f"[Đã trở lại bình thường] {j.unit_name}: {what} {value} (ngưỡng {j.op} {limit})"
        lines = [f"{j.unit_name}: {what} đã trở lại bình thường: {value} (ngưỡng cảnh báo {j.op} {limit}).",
                 f"{j.unit_name}: back to normal, {j.kpi} = {value} (alert when {j.op} {limit})."]
    else:
        prefix = "Nhắc lại cảnh báo" if j.event == "reminder" else "Cảnh báo"
        subject = f"[{prefix}] {j.unit_name}: {what} {value} {j.op} {limit}"
        lines = [f"{j.unit_name}: {what} là {value}, vượt ngưỡng {j.op} {limit} (quy tắc {j.rule}).",
                 f"{j.unit_name}: {j.kpi} is {value}, beyond the threshold {j.op} {limit} (rule {j.rule})."]
    rows = [f"- {r['dossier_id']}: {r['days_overdue']} ngày quá hạn / days overdue, {r.get('agency') or '—'}, "
            f"{r.get('procedure_name') or r.get('field') or '—'}" for r in worst]
    if rows:
        lines += ["", "Hồ sơ quá hạn nhiều nhất / most overdue dossiers:", *rows]
    lines += ["", f"Xem chi tiết / details: {link}"]
    html_rows = "".join(f"<tr><td>{r['dossier_id']}</td><td style='text-align:right'>{r['days_overdue']}</td>"
                        f"<td>{r.get('agency') or '—'}</td></tr>" for r in worst)
    table = (f"<table border='1' cellpadding='4' style='border-collapse:collapse'><tr><th>Mã hồ sơ</th>"
             f"<th>Số ngày quá hạn</th><th>Cơ quan</th></tr>{html_rows}</table>") if worst else ""
    html = (f"<html><body><p><b>{lines[0]}</b></p><p style='color:#57606a'>{lines[1]}</p>{table}"
            f"<p><a href='{link}'>Xem chi tiết / details</a></p></body></html>")
    return Rendered(subject=subject, text="\n".join(lines), html=html, images={})


def run_alerts(db: Path, *, dry_run: bool = False, now: datetime | None = None,
               settings: Settings | None = None) -> list[Judgement]:
    """Judge every rule now; send what a change of state calls for (not with ``dry_run``) and keep the state."""
    settings = settings or get_settings()
    now = now or local_now()
    rules = load_rules(settings)
    con = Reader(Store(Path(db))).cursor()
    check_units(con, rules)
    by_name = {r.name: r for r in rules}
    judgements = judge(con, rules, now)
    store = AlertStore(store_path(db))
    mail_log = MailLog(log_path(db))
    stamp = now.isoformat(" ", "seconds")
    for j in judgements:
        rule = by_name[j.rule]
        previous, since, last_sent = store.get(j.rule, j.unit or "")
        j.event = event_due(j, previous, last_sent, rule.remind_days, now)
        if dry_run or j.event is None:
            continue
        start, end = period_of(rule, now.date())
        worst = kpi.overdue_dossiers(con, Slice(start, end, unit=j.unit), 10, scope=Scope(), now=now) \
            if j.kpi.startswith("pending") and j.event != "recovered" else []
        rendered = message(j, worst, settings)
        key = f"alert:{j.rule}:{j.event}:{since if j.event != 'entered' else stamp}"
        result = send_once(lambda to: compose(rendered, settings.mail_from, [to]), key, j.unit or "",
                           recipients_of(rule, j.unit, settings), settings, mail_log)
        j.sent, j.failed = result.sent, result.failed
        if j.event == "entered":
            store.put(j.rule, j.unit or "", "breach", stamp, stamp)
        elif j.event == "reminder":
            store.put(j.rule, j.unit or "", "breach", since, stamp)
        else:
            store.put(j.rule, j.unit or "", "ok", None, None)
        store.log(j, stamp)
    return judgements


def as_json(judgements: list[Judgement]) -> str:
    return json.dumps({"alerts": [asdict(j) for j in judgements]}, ensure_ascii=False, indent=2, default=str)
