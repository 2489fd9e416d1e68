"""How a KPI is shown, the same on the pages, the wall and the email: its value, its target,
whether it meets it, and the change against a comparison period."""
from __future__ import annotations

from common import formats
from common.labels import LOWER_IS_BETTER, label
from common.settings import get_settings
from warehouse.kpi import COUNT_KEYS


def is_count(key: str) -> bool:
    return key in COUNT_KEYS


def target_of(key: str, level: str | None = None) -> float | None:
    """The target for a slice at ``level`` (its handling-level filter; None = all levels): the level's
    override where the province sets one, else the province's (pending overdue: none should be;
    dossiers received: no target)."""
    if key == "pending_overdue":
        return 0
    return get_settings().targets.of(key, level)


def meets_target(key: str, value: float | None, level: str | None = None) -> bool | None:
    """Whether ``value`` meets the target for ``level``; None when either is unknown."""
    target = target_of(key, level)
    if value is None or target is None:
        return None
    return value <= target if key in LOWER_IS_BETTER else value >= target


def change_text(key: str, value, previous, lang: str) -> tuple[str, str]:
    """The signed change and its tone: 'better', 'worse' or 'same' (more dossiers is neither)."""
    if value is None or previous is None:
        return formats.DASH, "same"
    delta = value - previous
    text = formats.signed_number(delta, lang) if is_count(key) else formats.points(delta, lang)
    if delta == 0 or key == "received_new":
        return text, "same"
    better = (delta < 0) if key in LOWER_IS_BETTER else (delta > 0)
    return text, "better" if better else "worse"


def format_value(key: str, value, lang: str) -> str:
    return formats.number(value, lang) if is_count(key) else formats.percent(value, lang)


def target_text(key: str, lang: str, *, whole: bool = False, level: str | None = None) -> str:
    """``Mục tiêu: ≥ 99,00%`` (``whole``: ``Mục tiêu ≥ 99%``, for the wall); "no target" when none is set."""
    target = target_of(key, level)
    if target is None:
        return label("no_target", lang)
    comparator = "≤" if key in LOWER_IS_BETTER else "≥"
    if not whole:
        return f"{label('target', lang)}: {comparator} {format_value(key, target, lang)}"
    shown = formats.number(target, lang) if is_count(key) else \
        formats.percent(target, lang, digits=0 if abs(target * 100 - round(target * 100)) < 1e-9 else 1)
    return f"{label('target', lang)} {comparator} {shown}"
