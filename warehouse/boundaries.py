"""Commune boundaries for the map: reference data read from a GeoJSON file, matched to today's unit list.

A boundary file is supplied by the province (``IOC_BOUNDARIES_FILE``); the demo's ships in
``reference/boundaries`` (see its SOURCE.md). Shapes and units are matched on the 2025 commune code in
``properties.code``. A file that is missing or unreadable gives no shapes and a reason, never an error a
page would show: the map then gives way to the ranking.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from warehouse import units


@dataclass(frozen=True)
class Boundaries:
    """The shapes of one file: GeoJSON keyed by commune code, with what the map needs to place them."""

    geojson: dict
    names: dict[str, str]                                    # code → name in the file
    centres: dict[str, tuple[float, float]]                  # code → (lon, lat), the middle of its outline
    bounds: tuple[float, float, float, float] | None         # west, south, east, north
    problem: str | None = None                               # why there are no shapes, when there are none
    source: str = ""
    repeated: tuple[str, ...] = field(default_factory=tuple)  # codes of more than one shape (first kept)


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon (holes do not move a centre or a bounding box)."""
    if geometry.get("type") == "Polygon":
        return geometry["coordinates"][:1]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _centre(rings: list[list[list[float]]]) -> tuple[float, float]:
    """The middle of the largest ring's bounding box: good enough to pin a label inside a commune."""
    ring = max(rings, key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def parse(text: str, source: str = "") -> Boundaries:
    """Boundaries from GeoJSON text; features without a code or a polygon are skipped (they have no code
    a commune could match, so no list can name them)."""
    try:
        document = json.loads(text)
        features = document["features"]
        if not isinstance(features, list):
            raise TypeError("features is not a list")
    except (ValueError, KeyError, TypeError) as error:
        return empty(f"tệp ranh giới không đọc được / unreadable boundary file {source}: {error}", source)
    kept, names, centres, repeated = [], {}, {}, []
    for feature in features:
        if not isinstance(feature, dict):
            continue
        code = str((feature.get("properties") or {}).get("code") or feature.get("id") or "").strip()
        rings = _rings(feature.get("geometry") or {})
        if not code or not rings:
            continue
        if code in names:
            repeated.append(code)
            continue
        names[code] = str((feature.get("properties") or {}).get("name") or code)
        centres[code] = _centre(rings)
        kept.append({"type": "Feature", "id": code, "properties": {"code": code, "name": names[code]},
                     "geometry": feature["geometry"]})
    if not kept:
        return empty(f"tệp ranh giới không có vùng nào / no shapes in {source}", source)
    points = [p for f in kept for ring in _rings(f["geometry"]) for p in ring]
    bounds = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
              max(p[1] for p in points))
    return Boundaries({"type": "FeatureCollection", "features": kept}, names, centres, bounds,
                      source=source, repeated=tuple(repeated))


def empty(problem: str, source: str = "") -> Boundaries:
    return Boundaries({"type": "FeatureCollection", "features": []}, {}, {}, None, problem, source)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Boundaries:
    return parse(Path(path).read_text(encoding="utf-8"), Path(path).name)


def load(path: Path) -> Boundaries:
    """The file's boundaries, read once per version of the file (a province that replaces it sees the new
    one at the next request)."""
    try:
        return _load(str(path), path.stat().st_mtime_ns)
    except OSError as error:
        return empty(f"không mở được tệp ranh giới / cannot open the boundary file {path.name}: "
                     f"{error.strerror or error}", path.name)


def todays_communes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """code → name of the communes (and wards) of today's province in the newest unit list."""
    view = units.views(con)[-1]
    top = units.find(con, None, view)
    return {code: name for code, name, depth in units.tree(con, top)[1:] if code and depth == top.depth + 1}


def mismatches(boundaries: Boundaries, communes: dict[str, str]) -> dict[str, list[dict]]:
    """Communes of today's list with no shape, and shapes whose code is no commune of it: what the data
    page lists so a province can fix its boundary file."""
    return {
        "without_shape": [{"code": c, "name": n} for c, n in sorted(communes.items()) if c not in boundaries.names],
        "without_commune": [{"code": c, "name": n} for c, n in sorted(boundaries.names.items()) if c not in communes],
    }
