"""Dash pages: layout and callbacks only; content comes from ``dashboards.views``."""
