"""Parsing the published MySQL dump of cahyadsn/wilayah_boundaries into valid WGS84 polygons."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import shapely

from ..simplify import WGS84
from .layers import polygonal

# ('35.05.01.2001','Jaten',-8.0084,111.9631,'[[[-7.998,111.957],...]]') — strings may hold \' or ''.
_STRING = r"'((?:[^'\\]|\\.|'')*)'"
_NUMBER = r"(NULL|-?[0-9.]+(?:[eE][-+]?[0-9]+)?)"
_ROW = re.compile(rf"\(\s*{_STRING}\s*,\s*{_STRING}\s*,\s*{_NUMBER}\s*,\s*{_NUMBER}\s*,\s*'([^']*)'\s*\)")
_MYSQL_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def parse_boundaries_sql(text: str) -> gpd.GeoDataFrame:
    """kode, nama, lat, lng, geometry (valid, WGS84) from a wilayah_boundaries INSERT dump.

    ``path`` holds rings of [lat, lng]: a Polygon nests three deep, a
    MultiPolygon four; rings are turned into (lng, lat) and repaired with make_valid.
    """
    rows = []
    for match in _ROW.finditer(text):
        kode, nama, lat, lng, path = match.groups()
        rows.append((_unescape(kode), _unescape(nama), _number(lat), _number(lng), _geometry(path)))
    if not rows:
        raise ValueError("tidak ada baris INSERT wilayah_boundaries")
    kode, nama, lat, lng, geoms = zip(*rows, strict=True)
    frame = pd.DataFrame({"kode": kode, "nama": nama, "lat": lat, "lng": lng})
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=WGS84)


def _unescape(value: str) -> str:
    value = value.replace("''", "'")
    return re.sub(r"\\(.)", lambda m: _MYSQL_ESCAPES.get(m.group(1), m.group(1)), value)


def _number(value: str) -> float:
    return float("nan") if value == "NULL" else float(value)


def _depth(value: object) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth += 1
        value = value[0]
    return depth


def _geometry(path: str) -> shapely.Geometry:
    coords = json.loads(path)
    depth = _depth(coords)
    if depth not in (2, 3, 4):
        raise ValueError(f"bentuk koordinat tidak dikenal (kedalaman {depth})")
    polygons = {2: [[coords]], 3: [coords], 4: coords}[depth]
    parts = [
        shapely.Polygon(_lnglat(rings[0]), [_lnglat(r) for r in rings[1:] if len(r) >= 4])
        for rings in polygons
        if rings and len(rings[0]) >= 4
    ]
    geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return polygonal(shapely.make_valid(geom))


def _lnglat(ring: list) -> list[tuple[float, float]]:
    return [(float(p[1]), float(p[0])) for p in ring]
