"""``GET /api/kpi`` on a real ``python app.py`` equals ``python -m warehouse kpi`` for the same slice."""
from __future__ import annotations

import pytest

from tests.support import cli_kpi

SLICES = [
    {"from": "2024-03-01", "to": "2024-04-30", "unit": "72"},
    {"from": "2024-03-01", "to": "2024-04-30", "unit": "703"},
    {"from": "2024-02-01", "to": "2024-06-30", "unit": "72", "field": "Đất đai"},
    {"from": "2024-01-01", "to": "2024-12-31"},
]


@pytest.mark.parametrize("query", SLICES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_api_equals_cli(sample_app, sample_db, query):
    response = sample_app.api_kpi(query, timeout=30)
    assert response.status_code == 200
    args = [a for k, v in query.items() for a in (f"--{k}", v)]
    assert response.json() == cli_kpi(sample_db, *args)
    assert list(response.json()) == list(cli_kpi(sample_db, *args))  # same keys, same order


@pytest.mark.parametrize("query", [{"from": "2024-03-01"}, {"from": "2024-13-01", "to": "2024-12-31"},
                                   {"from": "2024-03-01", "to": "2024-02-01"},
                                   {"from": "2024-03-01", "to": "2024-03-31", "unit": "1' or '1'='1"}])
def test_bad_requests_are_refused_with_a_reason(sample_app, query):
    response = sample_app.api_kpi(query, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]
