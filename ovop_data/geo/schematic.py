"""The schematic fallback: every village a square tile, grouped by kecamatan around its real centre."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from ..config import area as configured_area
from ..gazetteer import gazetteer
from ..simplify import WGS84
from .layers import DESA_COLUMNS, SOURCE_SKEMATIS, Boundaries

HOW_TO_LOAD = (
    "Untuk memuat batas desa yang sebenarnya, jalankan `python -m ovop_data fetch-geo` di komputer "
    "yang tersambung ke internet, atau isi variabel lingkungan OVOP_BATAS_DESA dengan berkas batas "
    "desa milik pemerintah daerah (GeoJSON, GeoPackage, atau Shapefile dalam .zip)."
)

#: Centre (lat, lng) of each kecamatan of Kabupaten Blitar, from the public boundary files; they place
#: the schematic map's tile groups where the kecamatan really are.
KECAMATAN_CENTRES: dict[str, tuple[float, float]] = {
    "35.05.01": (-8.0531, 112.0052),
    "35.05.02": (-8.0142, 112.0322),
    "35.05.03": (-8.0835, 112.0702),
    "35.05.04": (-8.1874, 112.1087),
    "35.05.05": (-8.2719, 112.0746),
    "35.05.06": (-8.0210, 112.1201),
    "35.05.07": (-8.0890, 112.1419),
    "35.05.08": (-8.2638, 112.1759),
    "35.05.09": (-7.9979, 112.2206),
    "35.05.10": (-8.1243, 112.2079),
    "35.05.11": (-8.0412, 112.2434),
    "35.05.12": (-8.1751, 112.2283),
    "35.05.13": (-8.2678, 112.2641),
    "35.05.14": (-8.0994, 112.2738),
    "35.05.15": (-7.9964, 112.3297),
    "35.05.16": (-8.2074, 112.3353),
    "35.05.17": (-8.0212, 112.3805),
    "35.05.18": (-8.0412, 112.4052),
    "35.05.19": (-8.1267, 112.3809),
    "35.05.20": (-8.2900, 112.3438),
    "35.05.21": (-8.0963, 112.4367),
    "35.05.22": (-8.1379, 112.3114),
}
# Where a schematic of an area with no known centres is drawn (the middle of Indonesia).
_FALLBACK_CENTRE = (-2.5, 118.0)
# Side of a village tile in the schematic map, in degrees (~1.3 km: readable at kabupaten zoom).
_SCHEMATIC_TILE = 0.012


def schematic_boundaries(
    area: str | None = None,
    *,
    note: str = "",
    centres: dict[str, tuple[float, float]] | None = None,
    advice: str = HOW_TO_LOAD,
) -> Boundaries:
    """Every village as a square tile, grouped by kecamatan around the kecamatan's real centre.

    Used when neither a boundary file nor a download is available: the maps
    still show every village with its colour and tooltip, and ``note`` says why
    and how to load the real boundaries. Groups that would overlap are nudged
    apart, so positions are approximate but the arrangement stays recognisable.
    ``centres`` adds kecamatan centres (lat, lng) beyond Blitar's built-in ones;
    ``advice`` (how to load the real boundaries) ends the note.
    """
    area = area or configured_area()
    villages = gazetteer(area)
    groups = {k: g for k, g in villages.groupby("kode_kecamatan", sort=True)}
    shapes = {k: _grid_shape(len(g)) for k, g in groups.items()}
    size = _SCHEMATIC_TILE
    half = {k: (cols * size / 2 + size / 3, rows * size / 2 + size / 3) for k, (cols, rows) in shapes.items()}
    placed = _separate(_kecamatan_centres(list(groups), {**(centres or {}), **KECAMATAN_CENTRES}), half)
    tiles: dict[str, shapely.Polygon] = {}
    blocks = []
    for kode_kec, group in groups.items():
        (lat, lng), (cols, rows) = placed[kode_kec], shapes[kode_kec]
        west, north = lng - cols * size / 2, lat + rows * size / 2
        for i, kode in enumerate(group["kode_desa"]):
            x, y = west + (i % cols) * size, north - (i // cols) * size
            tiles[kode] = shapely.box(x + 0.06 * size, y - 0.94 * size, x + 0.94 * size, y - 0.06 * size)
        pad = 0.03 * size
        blocks.append(
            (
                kode_kec,
                group["kecamatan"].iloc[0],
                shapely.box(west - pad, north - rows * size - pad, west + cols * size + pad, north + pad),
            )
        )
    desa = gpd.GeoDataFrame(
        villages.loc[:, list(DESA_COLUMNS[:-1])], geometry=[tiles[k] for k in villages["kode_desa"]], crs=WGS84
    )
    kecamatan = gpd.GeoDataFrame(
        {"kode_kecamatan": [b[0] for b in blocks], "kecamatan": [b[1] for b in blocks]},
        geometry=[b[2] for b in blocks],
        crs=WGS84,
    )
    text = (
        "Peta skematis: batas desa yang sebenarnya belum dimuat, jadi setiap desa digambar sebagai "
        "kotak yang dikelompokkan per kecamatan di sekitar letak kecamatan. "
    )
    return Boundaries(
        area=area,
        desa=desa.reset_index(drop=True),
        kecamatan=kecamatan,
        kabupaten=gpd.GeoDataFrame({"kode_kabupaten": [], "kabupaten": []}, geometry=[], crs=WGS84),
        enclave=gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs=WGS84),
        source=SOURCE_SKEMATIS,
        note=(text + (note.strip() + " " if note.strip() else "") + advice).strip(),
    )


def _grid_shape(n: int) -> tuple[int, int]:
    cols = math.ceil(math.sqrt(n))
    return cols, math.ceil(n / cols)


def _kecamatan_centres(codes: list[str], centres: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Known centres (lat, lng) first; the rest on a grid beside them (or in the middle of Indonesia)."""
    known = {k: centres[k] for k in codes if k in centres}
    rest = [k for k in codes if k not in known]
    if known:
        lat0, lng0 = float(np.mean([v[0] for v in known.values()])), max(v[1] for v in known.values()) + 0.2
    else:
        lat0, lng0 = _FALLBACK_CENTRE
    cols = max(1, math.ceil(math.sqrt(len(rest))))
    for i, k in enumerate(rest):
        known[k] = (lat0 - (i // cols) * 0.1, lng0 + (i % cols) * 0.1)
    return known


def _separate(
    centres: dict[str, tuple[float, float]], half: dict[str, tuple[float, float]], rounds: int = 500
) -> dict[str, tuple[float, float]]:
    """Push overlapping rectangles (half-width, half-height in degrees) apart along their shallower overlap."""
    keys = list(centres)
    x = np.array([centres[k][1] for k in keys])
    y = np.array([centres[k][0] for k in keys])
    hw = np.array([half[k][0] for k in keys])
    hh = np.array([half[k][1] for k in keys])
    for _ in range(rounds):
        boxes = shapely.box(x - hw, y - hh, x + hw, y + hh)
        left, right = shapely.STRtree(boxes).query(boxes, predicate="intersects")
        pair = left < right
        a, b = left[pair], right[pair]
        dx, dy = x[b] - x[a], y[b] - y[a]
        ox = hw[a] + hw[b] - np.abs(dx)
        oy = hh[a] + hh[b] - np.abs(dy)
        overlapping = (ox > 0) & (oy > 0)
        if not overlapping.any():
            break
        a, b, dx, dy, ox, oy = (
            a[overlapping],
            b[overlapping],
            dx[overlapping],
            dy[overlapping],
            ox[overlapping],
            oy[overlapping],
        )
        along_x = ox < oy
        step_x = np.where(along_x, (ox / 2 + 1e-6) * np.where(dx >= 0, 1, -1), 0.0)
        step_y = np.where(along_x, 0.0, (oy / 2 + 1e-6) * np.where(dy >= 0, 1, -1))
        np.add.at(x, a, -step_x)
        np.add.at(x, b, step_x)
        np.add.at(y, a, -step_y)
        np.add.at(y, b, step_y)
    return {k: (float(y[i]), float(x[i])) for i, k in enumerate(keys)}
