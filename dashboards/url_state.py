"""The page state lives in the URL query string (``?from=…&to=…&unit=…&field=…``): links reopen
the same view and the back button works. One parser for pages and the API, validating every value."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from common.periods import PRESETS
from warehouse.slice import Slice

FILTER_KEYS = ("from", "to", "unit", "field", "agency", "level", "channel", "procedure", "units_as_of")


class BadRequest(ValueError):
    pass


def one(args, key: str) -> str | None:
    """One text value: a repeated key (Dash hands pages a list) counts by its last value."""
    value = args.get(key)
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"bad value for {key}")
    return value or None


def _day(args, key: str, default: date | None) -> date:
    text = one(args, key)
    if not text:
        if default is None:
            raise BadRequest(f"missing parameter: {key} (YYYY-MM-DD)")
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadRequest(f"bad date for {key}: {text!r}") from exc


def _optional_day(args, key: str) -> date | None:
    text = one(args, key)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadRequest(f"bad date for {key}: {text!r}") from exc


def slice_from_query(args, default: Slice | None = None) -> Slice:
    """A validated slice; missing values fall back to ``default`` (pages) or are errors (API)."""
    try:
        channel = one(args, "channel")
        return Slice(
            _day(args, "from", default.date_from if default else None),
            _day(args, "to", default.date_to if default else None),
            unit=one(args, "unit") or (default.unit if default else None),
            field=one(args, "field"), agency=one(args, "agency"), handling_level=one(args, "level"),
            channel=int(channel) if channel else None, procedure=one(args, "procedure"),
            units_as_of=_optional_day(args, "units_as_of"))
    except BadRequest:
        raise
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def args_from_slice(s: Slice, lang: str = "vi") -> dict[str, str]:
    """The query arguments that reopen ``s`` (blank ones left out)."""
    values = {"from": s.date_from.isoformat(), "to": s.date_to.isoformat(), "unit": s.unit, "field": s.field,
              "agency": s.agency, "level": s.handling_level, "channel": s.channel, "procedure": s.procedure,
              "units_as_of": s.units_as_of.isoformat() if s.units_as_of else None,
              "lang": "en" if lang == "en" else None}
    return {k: str(v) for k, v in values.items() if v not in (None, "")}


def query_from_slice(s: Slice, lang: str = "vi") -> str:
    """The query string that reopens ``s`` (``?from=2024-01-01&to=…``)."""
    return "?" + urlencode(args_from_slice(s, lang))


def slice_for_page(query) -> Slice:
    """The slice a page shows: its URL's, or the default view when the URL asks for something invalid
    (a bad date, an unknown field): a shared link never breaks a page. A unit the caller may not see
    (or an unknown code) gives way to the caller's own unit, keeping the rest of the URL."""
    from dashboards import data

    default = data.default_slice()
    try:
        s = data.checked(slice_from_query(query, default))
    except ValueError:
        return data.visible(default)
    return data.visible(s)


PAGE_KEYS = FILTER_KEYS + ("lang", "preset", "by")


def page_state(query) -> tuple:
    """What a page's URL can change, normalised (unknown keys and repeated values dropped): what a cached
    page is keyed by, so made-up parameters do not fill the cache with copies."""
    try:
        return tuple((key, one(query, key)) for key in PAGE_KEYS)
    except BadRequest:
        return ("invalid",)  # the page shows its default view for any malformed value


def preset_of(query) -> str:
    """The period preset a page shows: the URL's, else custom when it gives dates, else the default's."""
    preset = one(query, "preset")
    if preset in PRESETS:
        return preset
    return "custom" if one(query, "from") or one(query, "to") else "year_to_date"
