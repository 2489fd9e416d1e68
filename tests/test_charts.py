"""Chart rules that a reader's eye depends on."""
from __future__ import annotations

from datetime import date

from dashboards.components.charts import monthly_trend, nice_step


def test_nice_steps():
    assert [nice_step(x) for x in (0, 1, 3, 11, 2400, 2600)] == [1, 1, 5, 20, 2500, 5000]


def test_the_trend_counts_ticks_sit_on_the_rates_gridlines():
    rows = [{"period_from": date(2024, m, 1), "received_total": n, "received_new": n, "on_time_rate": 0.99,
             "online_rate": 0.5, "digitised_rate": 0.8} for m, n in ((1, 9_000), (2, 12_345), (3, 11_000))]
    fig = monthly_trend(rows, "vi")
    counts, rates = fig.layout.yaxis, fig.layout.yaxis2
    assert counts.range[1] / counts.dtick == rates.range[1] / rates.dtick  # the same number of steps
    assert counts.range[1] >= 12_345
