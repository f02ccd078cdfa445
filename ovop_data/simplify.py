"""Village polygons light enough for a browser, with borders that stay shared.

Plain per-polygon ``simplify`` thins each village on its own, so two neighbours
drift apart and the map shows slivers and overlaps along every border. Here the
villages are treated as one *coverage*:

1. projected to UTM zone 49S (EPSG:32749, metres; Jawa Timur lies in zones 49–50,
   close enough for thinning),
2. cleaned (``shapely.coverage_clean``): the published village layer is not
   edge-matched — neighbours overlap by up to ~1 ha and leave thin gaps — so
   overlaps are given to one neighbour, gaps narrower than ``GAP_WIDTH_M`` are
   filled and shared edges get identical vertices,
3. simplified with ``GeoSeries.simplify_coverage`` (Visvalingam–Whyatt on the
   shared edges, so both sides of a border move together),
4. projected back to WGS84 and rounded to 5 decimals (~1 m); shared vertices
   round identically, so rounding opens no gaps either.

Cleaning is the slow step and grows faster than linearly with the number of
polygons, so large layers are cleaned per kabupaten in threads (GEOS releases
the GIL) and then edge-matched across kabupaten borders in one gap-free pass.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Metric CRS for cleaning and simplifying (UTM 49S covers Kabupaten Blitar).
UTM_49S = "EPSG:32749"
WGS84 = "EPSG:4326"
#: Gaps between neighbouring villages narrower than this (metres) are filled during cleaning.
GAP_WIDTH_M = 50.0
#: Simplification tolerance (metres) for one kabupaten (~250 villages): keeps Blitar's village layer
#: at ~240 KB of GeoJSON (with kode_desa, desa, kecamatan), inside the 300 KB budget, and is invisible
#: at kabupaten zoom.
BASE_TOLERANCE_M = 100.0
#: Decimal places of the coordinates sent to the browser (1e-5 degree ≈ 1.1 m).
DECIMALS = 5


def tolerance_for(n_features: int) -> float:
    """Tolerance in metres for a layer of n villages: 100 m per kabupaten, growing gently for a province.

    A province map opens zoomed out (each pixel several hundred metres), so a
    coarser tolerance costs nothing visible and keeps Jawa Timur's 8,492
    villages within a few megabytes.
    """
    return round(BASE_TOLERANCE_M * max(1.0, n_features / 250) ** (1 / 3), 1)


def clean_coverage(geometry: gpd.GeoSeries, groups: pd.Series | None = None) -> gpd.GeoSeries:
    """Edge-matched, non-overlapping, gap-filled copy of a polygon coverage (same CRS and index).

    With ``groups`` (e.g. the kabupaten part of kode_desa) each group is cleaned
    with gap filling in parallel, then the polygons along group borders are
    edge-matched without gap filling: several times faster than one big
    gap-filling pass (Jawa Timur on two cores: ~6 s instead of ~60 s).
    """
    if not hasattr(shapely, "coverage_clean"):  # shapely < 2.2: simplify the coverage as published
        return geometry.copy()
    values = np.asarray(geometry.values, dtype=object)
    if groups is None or groups.nunique() <= 1:
        cleaned = shapely.coverage_clean(values, gap_width=GAP_WIDTH_M)
    else:
        # Largest groups first, so the threads finish together.
        positions = sorted((np.flatnonzero((groups == g).to_numpy()) for g in pd.unique(groups)), key=len, reverse=True)
        with ThreadPoolExecutor(max_workers=min(len(positions), os.cpu_count() or 1)) as pool:
            parts = list(pool.map(lambda idx: shapely.coverage_clean(values[idx], gap_width=GAP_WIDTH_M), positions))
        cleaned = np.empty(len(values), dtype=object)
        for idx, part in zip(positions, parts, strict=True):
            cleaned[idx] = part
        border = _group_border(cleaned, groups.to_numpy())
        if len(border):
            cleaned[border] = shapely.coverage_clean(cleaned[border], gap_width=0.0)
    # A polygon swallowed whole by overlapping neighbours would vanish; keep it as published instead.
    lost = shapely.is_empty(cleaned) | pd.isna(cleaned)
    cleaned[lost] = values[lost]
    return gpd.GeoSeries(cleaned, index=geometry.index, crs=geometry.crs)


def _group_border(geoms: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Positions of polygons whose bounding box meets a polygon of another group (the only ones to edge-match)."""
    left, right = shapely.STRtree(geoms).query(geoms)
    across = groups[left] != groups[right]
    return np.unique(np.concatenate([left[across], right[across]]))


def simplify_villages(
    villages: gpd.GeoDataFrame, *, tolerance: float | None = None, group: str | None = None, clean: bool = True
) -> gpd.GeoDataFrame:
    """Cleaned, coverage-simplified copy of a village layer, in UTM 49S (metres).

    ``group`` names a column to clean by in parallel (kabupaten code) for large
    layers; ``clean=False`` skips cleaning for a layer cleaned before (the cache).
    """
    _check_polygonal(villages)
    tol = tolerance_for(len(villages)) if tolerance is None else tolerance
    projected = villages.to_crs(UTM_49S)
    groups = projected[group] if group else None
    cleaned = clean_coverage(projected.geometry, groups) if clean else projected.geometry
    simplified = cleaned.simplify_coverage(tol) if tol > 0 else cleaned
    return projected.set_geometry(simplified.values)


def dissolve_coverage(layer: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """One polygon per value of ``by`` (kecamatan from villages), unioned along the shared edges.

    ``coverage_union_all`` only removes shared edges, so on a clean coverage it is
    exact and far faster than an overlay union; an input that is not a clean
    coverage falls back to the general union.
    """
    keys, geoms = [], []
    for key, part in layer.groupby(by, sort=True):
        values = part.geometry.values
        try:
            union = shapely.coverage_union_all(values)
        except shapely.errors.GEOSException:
            union = shapely.union_all(shapely.make_valid(values))
        keys.append(key)
        geoms.append(union)
    return gpd.GeoDataFrame({by: keys}, geometry=geoms, crs=layer.crs)


def to_browser(layer: gpd.GeoDataFrame, decimals: int = DECIMALS) -> gpd.GeoDataFrame:
    """Copy in WGS84 with coordinates rounded to ``decimals`` places (what Leaflet receives)."""
    wgs = layer.to_crs(WGS84)
    rounded = shapely.transform(wgs.geometry.values, lambda xy: np.round(xy, decimals))
    return wgs.set_geometry(rounded)


def geojson_text(layer: gpd.GeoDataFrame, properties: Sequence[str] = ()) -> str:
    """Compact GeoJSON FeatureCollection of a WGS84 layer with only the given properties (for size budgets)."""
    geometries = shapely.to_geojson(layer.geometry.values)
    props = layer.loc[:, list(properties)].astype(object).where(layer.loc[:, list(properties)].notna(), None)
    features = [
        '{"type":"Feature","properties":'
        + json.dumps(p, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":'
        + g
        + "}"
        for p, g in zip(props.to_dict("records"), geometries, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _check_polygonal(layer: gpd.GeoDataFrame) -> None:
    kinds = set(layer.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise ValueError(f"Lapisan desa harus berisi poligon, bukan {', '.join(sorted(kinds))}.")
