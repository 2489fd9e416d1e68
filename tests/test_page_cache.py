"""What a cached page or screen holds: the same JSON Dash would send, with figures as plain dicts."""
from __future__ import annotations

import pickle

import plotly.graph_objects as go
from dash import dcc, html
from plotly.utils import PlotlyJSONEncoder

from dashboards.data import plain_figures


def _json(value) -> str:
    import json

    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def _page() -> tuple:
    fig = go.Figure(go.Bar(x=["Đất đai", "Hộ tịch"], y=[3, 4]))
    fig.update_layout(template="plotly", height=300, separators=",.")
    layout = html.Div([html.H1("Tổng quan"), dcc.Graph(id="g", figure=fig),
                       html.Div([dcc.Graph(id="h", figure=go.Figure())])])
    return layout, [fig, "chữ"], None


def test_a_page_with_its_figures_as_dicts_sends_the_same_json():
    original, converted = _page(), plain_figures(_page())
    assert _json(converted) == _json(original)
    graph = converted[0].children[1]
    assert isinstance(graph.figure, dict) and graph.figure["layout"]["height"] == 300
    assert isinstance(converted[1][0], dict) and converted[1][1] == "chữ"


def test_a_cached_page_unpickles_without_a_figure_to_validate():
    restored = pickle.loads(pickle.dumps(plain_figures(_page())))
    assert not any(isinstance(v, go.Figure) for v in (restored[0].children[1].figure, restored[1][0]))
    assert _json(restored) == _json(_page())
