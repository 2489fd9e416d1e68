"""Tỉnh › Huyện › Xã: the path to the unit being looked at, each step a link back up."""
from __future__ import annotations

from dash import dcc, html

from dashboards import data


def unit_breadcrumb(unit: str, href_for) -> html.Nav:
    """``href_for(code)`` gives the URL of the same view for another unit."""
    path = data.unit_path(unit)
    steps = []
    for i, code in enumerate(path):
        name = data.unit(code).name if data.unit(code) else code
        steps.append(html.Span(name, className="crumb-current") if i == len(path) - 1
                     else dcc.Link(name, href=href_for(code), className="crumb-link"))
        if i < len(path) - 1:
            steps.append(html.Span(" › ", className="crumb-sep"))
    return html.Nav(steps, className="unit-breadcrumb", id="unit-breadcrumb")
