"""Land inside the area's outline that is not part of it (Kota Blitar inside Kabupaten Blitar)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from ..gazetteer import area_name
from ..simplify import UTM_49S
from .layers import polygonal

# Holes in an own file's outline larger than this (km²) are shown as "not part of the area".
_ENCLAVE_MIN_KM2 = 1.0


def enclaves(
    area: str, outline: gpd.GeoDataFrame, cache: gpd.GeoDataFrame | None, tolerance: float
) -> gpd.GeoDataFrame:
    """Other kabupaten/kota lying inside the area's outer ring (Kota Blitar), clipped to the hole.

    Taken from the cached kabupaten file when there is one; otherwise every
    large hole in the outline is shown as land that is not part of the area.
    """
    empty = gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs=UTM_49S)
    if "." not in area or outline.empty:
        return empty
    whole = shapely.union_all(outline.geometry.values)
    shell = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(whole)])
    if cache is not None:
        kab = cache.loc[(cache["tingkat"] == "kabupaten") & (cache["kode"] != area)].to_crs(UTM_49S)
        inside = kab.loc[shapely.within(kab.geometry.representative_point().values, shell)]
        # Simplified first, then cut by the villages, so the enclave never overlaps them.
        geoms = [polygonal(shapely.difference(shapely.simplify(g, tolerance), whole)) for g in inside.geometry]
        return gpd.GeoDataFrame(
            {"kode": inside["kode"].to_list(), "nama": inside["nama"].to_list()}, geometry=geoms, crs=UTM_49S
        )
    holes = [shapely.Polygon(ring) for p in shapely.get_parts(whole) for ring in p.interiors]
    holes = [h for h in holes if h.area >= _ENCLAVE_MIN_KM2 * 1e6]
    label = f"Bukan wilayah {area_name(area)}"
    return gpd.GeoDataFrame({"kode": [""] * len(holes), "nama": [label] * len(holes)}, geometry=holes, crs=UTM_49S)
