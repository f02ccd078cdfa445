"""What every boundary source produces: the Boundaries layers, their source labels and boundary findings."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from ..codes import finding
from ..dataset import FINDING_COLUMNS

SOURCE_UNDUHAN = "unduhan"
SOURCE_BERKAS = "berkas sendiri"
SOURCE_SKEMATIS = "skematis"

DESA_COLUMNS = ("kode_desa", "desa", "jenis", "kode_kecamatan", "kecamatan", "geometry")


@dataclass(frozen=True)
class Boundaries:
    """Browser-ready layers (WGS84, simplified) of one area and where they came from.

    desa: kode_desa, desa, jenis, kode_kecamatan, kecamatan, geometry.
    kecamatan: kode_kecamatan, kecamatan, geometry (dissolved from the villages,
    so outlines follow the village borders exactly).
    kabupaten: kode_kabupaten, kabupaten, geometry (the area's outline; empty for
    a schematic). enclave: kode, nama, geometry — land inside the outline that is
    not part of the area (Kota Blitar inside Kabupaten Blitar).
    """

    area: str
    desa: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kabupaten: gpd.GeoDataFrame
    enclave: gpd.GeoDataFrame
    source: str  # SOURCE_UNDUHAN | SOURCE_BERKAS | SOURCE_SKEMATIS
    note: str = ""  # Indonesian, for the user: why a fallback is shown and how to get real boundaries
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FINDING_COLUMNS)))

    @property
    def is_schematic(self) -> bool:
        return self.source == SOURCE_SKEMATIS

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of all villages, as Leaflet's fitBounds wants it."""
        west, south, east, north = self.desa.total_bounds
        return [[float(south), float(west)], [float(north), float(east)]]


def polygonal(geom: shapely.Geometry | None) -> shapely.Geometry:
    """The polygon parts of a geometry (make_valid may add stray lines or points); empty when none."""
    if geom is None:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def boundary_finding(
    file: str, row: int | None, column: str, value: str, code: str, message: str, *, suggestion: str = ""
) -> dict:
    """A finding of the boundary data (table "batas_desa"), always a warning: it never stops the map."""
    return finding("batas_desa", file, "", row, str(column), value, "warning", code, message, suggestion)


def findings_frame(findings: list[dict]) -> pd.DataFrame:
    """Boundary findings as the findings table the Data page shows (row numbers nullable)."""
    frame = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    return frame.astype({"row": "Int64"})


def missing_villages(villages: pd.DataFrame, found: pd.Series, file: str) -> list[dict]:
    """One finding naming (the first ten) villages of the gazetteer that have no polygon."""
    missing = villages.loc[~villages["kode_desa"].isin(found)]
    if missing.empty:
        return []
    names = ", ".join(
        f"{d} ({k})" for d, k in zip(missing["desa"].head(10), missing["kecamatan"].head(10), strict=True)
    )
    more = f" dan {len(missing) - 10} lainnya" if len(missing) > 10 else ""
    message = f"{len(missing)} desa tidak punya poligon di {file}: {names}{more}; desa ini tidak tampil di peta."
    return [boundary_finding(file, None, "", "", "desa_tanpa_batas", message)]
