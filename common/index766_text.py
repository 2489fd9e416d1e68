"""How the Decision 766 estimate is said, the same on the page, the wall and the email: the points
computed, the points not computable and the most still reachable, never one total hiding which is which."""
from __future__ import annotations

from common import formats
from common.labels import label
from warehouse.index766 import FULL_MARKS, NOT_COMPUTABLE, Estimate


def points(value: float, lang: str) -> str:
    """Points with two decimals where they have any (``32,5`` → ``32,50``; ``42`` stays ``42``)."""
    return formats.number(value, lang) if float(value).is_integer() else formats.decimal(value, lang, 2)


def summary(e: Estimate, lang: str) -> str:
    """``32,50 / 58 điểm tính được · 42 điểm chưa tính được · tối đa 74,50``."""
    return label("index766_summary", lang).format(
        points=points(e.points_computed, lang), pmax=points(e.pmax_computed, lang),
        missing=points(e.pmax_not_computable, lang), reachable=points(e.reachable, lang))


def band_line(e: Estimate, lang: str) -> str:
    """The portal's band when the score is complete; else why there is none."""
    if e.complete:
        from warehouse.index766 import band
        return label("index766_band", lang).format(band=band(e.points_computed, lang))
    return label("index766_no_band", lang).format(points=points(e.pmax_not_computable, lang))


def status(item: dict, lang: str) -> str:
    if item["status"] == NOT_COMPUTABLE:
        return label(f"status_not_computable_{item['reason']}", lang)
    return label("status_full_marks" if item["status"] == FULL_MARKS else "status_computed", lang)
