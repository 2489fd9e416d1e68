"""Tỉnh › Xã (and before 1 July 2025 Tỉnh › Tỉnh cũ › Huyện › Xã): the path to the unit being looked at,
each step a link back up, in the slice's unit view."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dash import dcc, html

from dashboards import data
from warehouse.slice import Slice


def unit_breadcrumb(s: Slice, href_for: Callable[[Slice], str]) -> html.Nav:
    """``href_for(slice)`` gives the URL of the same view for another unit (the province: unit None)."""
    path = data.unit_path(s)
    steps = []
    for i, (code, name) in enumerate(path):
        steps.append(html.Span(name, className="crumb-current") if i == len(path) - 1
                     else dcc.Link(name, href=href_for(replace(s, unit=code)), className="crumb-link"))
        if i < len(path) - 1:
            steps.append(html.Span(" › ", className="crumb-sep"))
    return html.Nav(steps, className="unit-breadcrumb", id="unit-breadcrumb")
