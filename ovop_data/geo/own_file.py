"""The regency's own boundary file (OVOP_BATAS_DESA): its code or name columns matched to the gazetteer."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..gazetteer import area_name, gazetteer, normalize_code
from ..simplify import WGS84
from ..text import header_key, is_blank, name_key
from .layers import DESA_COLUMNS, boundary_finding, findings_frame, missing_villages, polygonal

#: Environment variable naming the regency's own boundary file.
ENV_OWN_FILE = "OVOP_BATAS_DESA"

# Header keys of columns in own boundary files (BIG's Batas Desa uses KDEPUM, WADMKD, WADMKC, WADMKK).
_CODE_HEADERS = (
    "kdepum",
    "kodedesa",
    "kodekemendagri",
    "kdkemendagri",
    "kodedesakel",
    "kodekel",
    "kodewilayah",
    "kode",
    "kddesa",
    "iddesa",
    "kdepumdesa",
)
_DESA_HEADERS = (
    "wadmkd",
    "desa",
    "namadesa",
    "nmdesa",
    "desakelurahan",
    "namadesakel",
    "kelurahan",
    "namobj",
    "nama",
    "village",
)
_KECAMATAN_HEADERS = ("wadmkc", "kecamatan", "namakec", "namakecamatan", "nmkec", "kec", "district")
_KABUPATEN_HEADERS = ("wadmkk", "kabupaten", "kabkota", "namakab", "nmkab", "kabupatenkota")


def own_boundaries_path() -> Path | None:
    """The regency's own boundary file named by OVOP_BATAS_DESA, or None when unset."""
    configured = os.environ.get(ENV_OWN_FILE, "").strip()
    return Path(configured).expanduser() if configured else None


def read_own_boundaries(path: str | Path, area: str) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Villages (DESA_COLUMNS, WGS84, full detail) of the area from an own boundary file, and findings.

    Reads GeoJSON (also .geojson.gz), GeoPackage or a zipped Shapefile; reprojects to WGS84. The
    Kemendagri code column (KDEPUM, KODE_DESA, kode…; 10 digits or dotted) is
    detected from the values; without one, features are joined on village and
    kecamatan names (WADMKD/WADMKC…) through the spreadsheets' matcher.
    Polygons that match no village, and villages without a polygon, are findings.
    """
    path = Path(path)
    file = path.name
    findings: list[dict] = []
    # A gzipped GeoJSON is read through GDAL's virtual file system; .zip (Shapefile) GDAL opens itself.
    raw = gpd.read_file(f"/vsigzip/{path}" if path.suffix.lower() == ".gz" else path)
    if raw.empty:
        raise ValueError(f"berkas {file} tidak berisi fitur")
    raw = _polygons_only(_to_wgs84(raw.reset_index(drop=True), file, findings), file, findings)
    columns = [c for c in raw.columns if c != raw.geometry.name]
    code_col = _code_column(raw, columns)
    desa_col = _column(columns, _DESA_HEADERS, exclude=code_col)
    kec_col = _column(columns, _KECAMATAN_HEADERS, exclude=code_col)
    kab_col = _column(columns, _KABUPATEN_HEADERS, exclude=code_col)
    if code_col is None and desa_col is None:
        raise ValueError(
            f"berkas {file} tidak punya kolom kode desa (mis. KDEPUM, KODE_DESA) maupun nama desa "
            f"(mis. WADMKD, DESA); kolom yang ada: {', '.join(map(str, columns))}"
        )
    codes = raw[code_col].map(_code_text) if code_col else pd.Series("", index=raw.index)
    inside = _inside_area(raw, codes, kab_col, area)
    if (~inside).any():
        message = f"{int((~inside).sum())} poligon berada di luar wilayah {area_name(area)} dan dilewati."
        findings.append(boundary_finding(file, None, code_col or kab_col or "", "", "batas_di_luar_wilayah", message))
    raw, codes = raw.loc[inside], codes.loc[inside]
    villages = gazetteer(area)
    names = pd.DataFrame(
        {
            "desa_input": raw[desa_col].map(_text) if desa_col else "",
            "kecamatan_input": raw[kec_col].map(_text) if kec_col else "",
            "kode_input": codes,
        },
        index=raw.index,
    )
    resolved = _resolve_villages(names, villages, area, file, desa_col or code_col or "", findings)
    shapes = _one_shape_per_village(raw.assign(kode_desa=resolved), file, code_col or desa_col or "", findings)
    desa = villages.merge(shapes, on="kode_desa")
    findings.extend(missing_villages(villages, desa["kode_desa"], file))
    out = gpd.GeoDataFrame(desa.loc[:, list(DESA_COLUMNS)], geometry="geometry", crs=WGS84)
    return out, findings_frame(findings)


def _polygons_only(raw: gpd.GeoDataFrame, file: str, findings: list[dict]) -> gpd.GeoDataFrame:
    """Repaired polygon parts of each feature; features without any become findings and are dropped."""
    repaired = shapely.make_valid(raw.geometry.values)
    odd = ~np.isin(shapely.get_type_id(repaired), (3, 6))  # not a Polygon or MultiPolygon (or missing)
    repaired[odd] = [polygonal(g) for g in repaired[odd]]
    frame = gpd.GeoDataFrame(
        raw.drop(columns=raw.geometry.name), geometry=gpd.GeoSeries(repaired, index=raw.index, crs=WGS84)
    )
    keep = ~frame.geometry.is_empty
    for row in frame.index[~keep]:
        message = "Fitur tanpa poligon (titik, garis atau kosong) dilewati."
        findings.append(boundary_finding(file, int(row) + 1, "", "", "batas_bukan_poligon", message))
    return frame.loc[keep]


def _resolve_villages(
    names: pd.DataFrame, villages: pd.DataFrame, area: str, file: str, column: str, findings: list[dict]
) -> pd.Series:
    """kode_desa of each feature ('' when none): a code in the gazetteer directly, the rest via the matcher."""
    from ..matching import match_villages  # the same matcher as the spreadsheets

    # A code in the gazetteer is the village (the matcher's first rule); only the rest need the matcher.
    direct = names["kode_input"].isin(set(villages["kode_desa"]))
    resolved = names["kode_input"].where(direct, "")
    requests = names.loc[~direct]
    if requests.empty:
        return resolved
    matched = match_villages(requests, villages, area)
    resolved.loc[matched.index] = matched["kode_desa"]
    for idx in matched.index[matched["kode_desa"] == ""]:
        r, m = requests.loc[idx], matched.loc[idx]
        label = ", ".join(x for x in (r["kode_input"], r["desa_input"], r["kecamatan_input"]) if x) or "tanpa nama"
        message = f"Poligon '{label}' tidak cocok dengan desa mana pun: {m['message']}".strip()
        suggestion = str(m.get("suggestion", "") or "")
        findings.append(
            boundary_finding(file, int(idx) + 1, column, label, "batas_tidak_cocok", message, suggestion=suggestion)
        )
    return resolved


def _one_shape_per_village(joined: gpd.GeoDataFrame, file: str, column: str, findings: list[dict]) -> pd.DataFrame:
    """kode_desa, geometry: several polygons of one village (a split or multipart export) are merged."""
    joined = joined.loc[joined["kode_desa"] != ""]
    counts = joined["kode_desa"].value_counts()
    for kode in sorted(counts.index[counts > 1]):
        message = f"{counts[kode]} poligon untuk desa {kode}; digabung menjadi satu."
        findings.append(boundary_finding(file, None, column, kode, "batas_ganda", message))
    several = joined["kode_desa"].isin(counts.index[counts > 1])
    merged = joined.loc[several].groupby("kode_desa").geometry.agg(lambda s: polygonal(shapely.union_all(s.values)))
    return pd.concat(
        [
            pd.DataFrame({"kode_desa": joined.loc[~several, "kode_desa"], "geometry": joined.loc[~several].geometry}),
            pd.DataFrame({"kode_desa": merged.index, "geometry": merged.values}),
        ],
        ignore_index=True,
    )


def _to_wgs84(frame: gpd.GeoDataFrame, file: str, findings: list[dict]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        west, south, east, north = frame.total_bounds
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError(
                f"berkas {file} tidak menyebut sistem koordinatnya (CRS) dan koordinatnya "
                "bukan derajat; simpan ulang dengan CRS (mis. EPSG:4326)"
            )
        findings.append(
            boundary_finding(
                file,
                None,
                "",
                "",
                "batas_tanpa_crs",
                "Berkas tidak menyebut CRS; koordinat dianggap WGS84 (EPSG:4326).",
            )
        )
        return frame.set_crs(WGS84)
    return frame.to_crs(WGS84)


def _code_text(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    code = normalize_code(str(value).strip())
    return code if len(code) == 13 else ""


def _code_column(frame: pd.DataFrame, columns: list) -> str | None:
    """The column whose values are village codes (≥ 80% of filled cells); known names first."""
    known = sorted(
        (c for c in columns if header_key(c) in _CODE_HEADERS), key=lambda c: _CODE_HEADERS.index(header_key(c))
    )
    for col in [*known, *(c for c in columns if c not in known)]:
        values = frame[col]
        filled = values[~values.map(is_blank)]
        if len(filled) and (filled.map(_code_text) != "").mean() >= 0.8:
            return col
    return None


def _column(columns: list, headers: tuple[str, ...], exclude: str | None) -> str | None:
    keyed = {header_key(c): c for c in columns if c != exclude}
    return next((keyed[h] for h in headers if h in keyed), None)


def _text(value: object) -> str:
    return "" if is_blank(value) else str(value).strip()


def _inside_area(frame: pd.DataFrame, codes: pd.Series, kab_col: str | None, area: str) -> pd.Series:
    """Rows that may belong to the area: by code prefix, else by kabupaten name, else all."""
    by_code = codes.str.startswith(area + ".")
    if (codes != "").any():
        return by_code | (codes == "")
    if kab_col and "." in area:
        wanted = name_key(area_name(area))
        keys = frame[kab_col].map(name_key)
        if (keys == wanted).any():
            return keys == wanted
    return pd.Series(True, index=frame.index)
