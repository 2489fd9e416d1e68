"""Reusable widgets: KPI cards, charts, the page shell and the filter bar."""
