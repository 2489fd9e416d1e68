"""The weekly email as HTML (inline styles, tables, ≤ 700 px, no script) and plain text.

Charts are Plotly figures exported to PNG by kaleido with Debian's Chromium, one browser
start per email; the HTML references them as ``cid:`` images.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go

from common import formats
from common.kpi_text import change_text, format_value, meets_target
from common.labels import kpi_label, label
from common.settings import get_settings
from common.index766_text import band_line, summary
from warehouse.units import display_name
from dashboards.components.charts import index766_groups, ranked_bar
from reports.weekly import Weekly, week_range

WIDTH = 640
HEADLINE = ("on_time_rate", "late_rate", "online_rate", "cashless_rate", "satisfaction_rate", "digitised_rate",
            "received_new", "pending_overdue")
GOOD, BAD, MUTED = "#1a7f37", "#c62828", "#57606a"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    images: dict[str, bytes]  # cid → PNG


def week_label(week: str) -> str:
    year, number = week.split("-W")
    return f"{int(number)}/{year}"


def subject(w: Weekly, lang: str) -> str:
    return label("mail_subject", lang).format(
        province=get_settings().province_name, week=week_label(w.week),
        on_time=formats.percent(w.current["on_time_rate"], lang, digits=1),
        online=formats.percent(w.current["online_rate"], lang, digits=0))


TONE_COLOUR = {"better": GOOD, "worse": BAD, "same": MUTED}
TARGET_COLOUR = {True: GOOD, False: BAD, None: "#1f2328"}


# -- charts ----------------------------------------------------------------------

def trend_figure(w: Weekly, lang: str) -> go.Figure:
    weeks = [f"{p['period_from']:%d/%m}" for p in w.trend]
    fig = go.Figure()
    fig.add_bar(x=weeks, y=[p["received_new"] for p in w.trend], name=kpi_label("received_new", lang, short=True),
                marker_color="#c9d7e8")
    for key, colour in (("on_time_rate", GOOD), ("online_rate", "#0b5cad")):
        fig.add_scatter(x=weeks, y=[p[key] for p in w.trend], name=kpi_label(key, lang, short=True), yaxis="y2",
                        mode="lines+markers", line=dict(color=colour, width=3))
    fig.update_layout(width=WIDTH, height=300, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
                      separators=",." if lang == "vi" else ".,", legend=dict(orientation="h", y=1.15),
                      yaxis=dict(tickformat=",.0f", showgrid=False),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.05], dtick=0.25, gridcolor="#eef1f4"),
                      font=dict(family="Noto Sans, Arial, sans-serif", size=13))
    return fig


def fields_figure(w: Weekly, lang: str) -> go.Figure:
    items = [(r["group_key"], r["late_rate"], r["resolved_total"]) for r in w.fields[:10]]
    fig = ranked_bar(items, lang, metric="late_rate", reference=(w.unit_name, w.current["late_rate"]))
    return fig.update_layout(width=WIDTH, height=max(220, 28 * (len(items) + 1) + 60),
                             font=dict(family="Noto Sans, Arial, sans-serif", size=13))


def index766_figure(w: Weekly, lang: str) -> go.Figure:
    return index766_groups(w.index766.groups(), lang, height=260).update_layout(
        width=WIDTH, font=dict(family="Noto Sans, Arial, sans-serif", size=13))


def chart_images(figures: dict[str, go.Figure]) -> dict[str, bytes]:
    """PNG bytes per chart id, with one Chromium for the whole email (kaleido's sync server)."""
    import kaleido

    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    kaleido.start_sync_server(silence_warnings=True)
    try:
        return {cid: kaleido.calc_fig_sync(fig, opts={"format": "png", "scale": 2}) for cid, fig in figures.items()}
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


# -- HTML and text -----------------------------------------------------------------

CELL = "padding:6px 8px;border-bottom:1px solid #eef1f4;font-size:14px;"
HEAD = "padding:6px 8px;border-bottom:2px solid #d0d7de;font-size:13px;color:#57606a;text-align:left;"


def table(headers: list[str], rows: list[list[str]], align_right_from: int = 1) -> str:
    head = "".join(f'<th style="{HEAD}{"text-align:right;" if i >= align_right_from else ""}">{escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(
        f'<td style="{CELL}{"text-align:right;" if i >= align_right_from else ""}">{cell}</td>'
        for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
            f'style="border-collapse:collapse;margin:8px 0 20px;">{head and "<tr>" + head + "</tr>"}{body}</table>')


def section(title: str) -> str:
    return f'<h2 style="font-size:17px;margin:24px 0 6px;color:#1f2328;">{escape(title)}</h2>'


def render(w: Weekly, lang: str = "vi", images: bool = True) -> Rendered:
    start, end = week_range(w.week)
    heading = label("mail_heading", lang).format(week=week_label(w.week))
    period = label("mail_period", lang).format(unit=w.unit_name, start=formats.day(start, lang),
                                               end=formats.day(end, lang))
    headline_rows = []
    text_lines = [heading, period, ""]
    for key in HEADLINE:
        delta, tone = change_text(key, w.current.get(key), w.previous.get(key), lang)
        v = format_value(key, w.current.get(key), lang)
        colour = TARGET_COLOUR[meets_target(key, w.current.get(key))]
        headline_rows.append([escape(kpi_label(key, lang, short=True)),
                              f'<b style="color:{colour};font-size:16px;">{v}</b>',
                              f'<span style="color:{TONE_COLOUR[tone]};">{delta}</span>'])
        text_lines.append(f"{kpi_label(key, lang, short=True)}: {v} ({delta} {label('mail_vs_week', lang).lower()})")
    figures = {"trend": trend_figure(w, lang), "fields": fields_figure(w, lang), "index766": index766_figure(w, lang)}
    i766_title = f"{label('index766_wall', lang)}, {formats.day(w.index766_from, lang)} – {formats.day(end, lang)}"
    i766_lines = [summary(w.index766, lang), band_line(w.index766, lang)]
    pngs = chart_images(figures) if images else {}
    worst_late = [[escape(u.name), formats.percent(u.figures["late_rate"], lang),
                   formats.number(u.figures["resolved_total"], lang)] for u in w.worst_late]
    worst_online = [[escape(u.name), formats.percent(u.figures["online_rate"], lang),
                     formats.number(u.figures["received_new"], lang)] for u in w.worst_online]
    worsened = [[escape(u.name), escape(kpi_label(key, lang, short=True)),
                 f'<span style="color:{BAD};">{formats.points(delta, lang)}</span>'] for u, key, delta in w.worsened]
    link = f"{get_settings().public_url}/canh-bao?unit={w.slice.unit}&to={end.isoformat()}"
    overdue = [[escape(r["dossier_id"]), escape(r["field"] or ""), escape(r["agency"] or ""),
                escape(display_name(r["unit_name"], r["unit_code"], lang)), formats.number(r["days_overdue"], lang)]
               for r in w.overdue]
    as_of = formats.moment(w.freshness.last_load, lang)
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{escape(heading)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f9;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f9;"><tr><td align="center">
<table role="presentation" width="{WIDTH + 40}" cellpadding="0" cellspacing="0"
 style="max-width:{WIDTH + 40}px;width:100%;background:#ffffff;font-family:Arial,'Noto Sans',sans-serif;color:#1f2328;">
<tr><td style="padding:20px;">
<h1 style="font-size:21px;margin:0 0 4px;">{escape(heading)}</h1>
<div style="color:#57606a;font-size:14px;">{escape(period)}</div>
{section(label("mail_vs_week", lang))}
{table(["", label("col_value", lang), label("col_change", lang)], headline_rows)}
{section(label("mail_trend", lang))}
<img src="cid:trend" width="{WIDTH}" alt="{escape(label('mail_trend', lang))}" style="display:block;width:100%;max-width:{WIDTH}px;">
{section(label("late_by_field", lang))}
<img src="cid:fields" width="{WIDTH}" alt="{escape(label('late_by_field', lang))}" style="display:block;width:100%;max-width:{WIDTH}px;">
{section(i766_title)}
<p style="font-size:14px;margin:4px 0;">{"<br>".join(escape(x) for x in i766_lines)}</p>
<img src="cid:index766" width="{WIDTH}" alt="{escape(i766_title)}" style="display:block;width:100%;max-width:{WIDTH}px;">
{section(label("mail_worst_late", lang))}
{table([label("col_unit", lang), kpi_label("late_rate", lang, short=True), kpi_label("resolved_total", lang)], worst_late)}
{section(label("mail_worst_online", lang))}
{table([label("col_unit", lang), kpi_label("online_rate", lang, short=True), kpi_label("received_new", lang, short=True)],
       worst_online)}
{section(label("mail_worsened", lang))}
<div style="font-size:12px;color:#57606a;">{escape(label("mail_worsened_rule", lang))}</div>
{table([label("col_unit", lang), label("rate", lang), label("col_change", lang)], worsened) if worsened
 else f'<p style="font-size:14px;">{escape(label("mail_none", lang))}</p>'}
{section(label("mail_overdue", lang).format(count=formats.number(w.current["pending_overdue"], lang)))}
{table([label("col_dossier", lang), label("col_field", lang), label("col_agency", lang), label("col_unit", lang),
        label("col_days_overdue", lang)], overdue, align_right_from=4)}
<p style="font-size:14px;"><a href="{escape(link)}" style="color:#0b5cad;">{escape(link)}</a></p>
<p style="font-size:12px;color:#57606a;margin-top:24px;">{escape(label("mail_footer", lang).format(as_of=as_of))}</p>
</td></tr></table></td></tr></table></body></html>"""
    text_lines += ["", i766_title + ":"] + [f"  {x}" for x in i766_lines]
    text_lines += ["", label("mail_worst_late", lang) + ":"]
    text_lines += [f"  {u.name}: {formats.percent(u.figures['late_rate'], lang)}" for u in w.worst_late]
    text_lines += ["", label("mail_worst_online", lang) + ":"]
    text_lines += [f"  {u.name}: {formats.percent(u.figures['online_rate'], lang)}" for u in w.worst_online]
    text_lines += ["", label("mail_worsened", lang) + ":"]
    text_lines += [f"  {u.name}: {kpi_label(k, lang, short=True)} {formats.points(d, lang)}" for u, k, d in w.worsened] \
        or ["  " + label("mail_none", lang)]
    text_lines += ["", label("mail_overdue", lang).format(count=formats.number(w.current["pending_overdue"], lang)) + ":"]
    text_lines += [f"  {r['dossier_id']} – {r['field']} – {r['agency']} – {r['unit_name'] or r['unit_code']}: "
                   f"{r['days_overdue']} {label('days_overdue', lang)}" for r in w.overdue]
    text_lines += ["  " + link, "", label("mail_footer", lang).format(as_of=as_of)]
    return Rendered(subject(w, lang), "\n".join(text_lines) + "\n", html, pngs)
