"""boundaries(): the regency's own file, else the downloaded cache, else the schematic map; never raises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..config import area as configured_area
from ..gazetteer import area_name, gazetteer
from ..simplify import WGS84, dissolve_coverage, simplify_villages, to_browser, tolerance_for
from .cache import BROKEN_DATA, cache_or_note
from .download import PENDING_NOTE, RETRY_AFTER, download_boundaries
from .enclave import enclaves
from .layers import DESA_COLUMNS, SOURCE_BERKAS, SOURCE_UNDUHAN, Boundaries, findings_frame, missing_villages
from .own_file import own_boundaries_path, read_own_boundaries
from .schematic import HOW_TO_LOAD, schematic_boundaries


def boundaries(
    area: str | None = None,
    *,
    own_path: str | Path | None = None,
    cache_folder: Path | None = None,
    fetch_missing: bool = False,
    wait: float | None = None,
    base: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Boundaries:
    """Browser-ready boundaries of the area: own file, else the cache (downloaded first when
    ``fetch_missing``), else the schematic map; never raises for missing or broken boundary data.

    The download runs in the background (`download_boundaries`); this call waits for
    it until ``wait`` seconds after it started (None: until it ends), then draws the
    schematic map with a note that the real one is on its way, or why it could not
    be downloaded.
    """
    area = area or configured_area()
    own = Path(own_path) if own_path else own_boundaries_path()
    notes: list[str] = []
    cache, cache_note = cache_or_note(cache_folder)
    if own is not None:
        try:
            desa, findings = read_own_boundaries(own, area)
            if len(desa):
                return _assemble(area, desa, cache, SOURCE_BERKAS, findings)
            notes.append(f"Berkas batas desa sendiri ({own.name}) tidak memuat satu pun desa wilayah ini.")
        except BROKEN_DATA as err:
            notes.append(f"Berkas batas desa sendiri ({own.name}) tidak dapat dipakai: {err}.")
    pending = False
    if cache is None and fetch_missing:
        status = download_boundaries(base, cache_folder=cache_folder, wait=wait, progress=progress)
        if status.running:
            pending = True
            notes.append(PENDING_NOTE)
        else:
            cache, cache_note = cache_or_note(cache_folder)
            if cache is None and status.error:
                notes.append(
                    f"Batas wilayah belum dapat diunduh: {status.error} Unduhan dicoba lagi bila halaman "
                    f"dimuat ulang lebih dari {RETRY_AFTER / 60:.0f} menit kemudian."
                )
    if cache_note and not pending:
        notes.append(cache_note)
    if cache is not None:
        desa, cleaned = _cached_villages(cache, area)
        findings = findings_frame(missing_villages(gazetteer(area), desa["kode_desa"], "cache batas wilayah"))
        try:
            if len(desa):
                return _assemble(area, desa, cache, SOURCE_UNDUHAN, findings, cleaned=cleaned)
            notes.append(f"Batas wilayah yang diunduh tidak memuat desa wilayah {area_name(area)}.")
        except BROKEN_DATA as err:
            notes.append(
                f"Cache batas wilayah tidak dapat dipakai ({err}); jalankan ulang `python -m ovop_data fetch-geo`."
            )
    advice = "" if pending else HOW_TO_LOAD
    return schematic_boundaries(area, note=" ".join(notes), centres=_cached_centres(cache), advice=advice)


def _cached_centres(cache: gpd.GeoDataFrame | None) -> dict[str, tuple[float, float]]:
    """Kecamatan centres (lat, lng) published with the downloaded kecamatan file (all of Jawa Timur)."""
    if cache is None:
        return {}
    kec = cache.loc[(cache["tingkat"] == "kecamatan") & cache["lat"].notna() & cache["lng"].notna()]
    return {k: (float(lat), float(lng)) for k, lat, lng in zip(kec["kode"], kec["lat"], kec["lng"], strict=True)}


def _cached_villages(cache: gpd.GeoDataFrame, area: str) -> tuple[gpd.GeoDataFrame, bool]:
    """The area's villages in the cache, and whether their coverage was cleaned when cached."""
    rows = cache.loc[(cache["tingkat"] == "desa") & cache["kode"].str.startswith(area + ".")]
    shapes = pd.DataFrame({"kode_desa": rows["kode"].to_numpy(), "geometry": rows.geometry.to_numpy()})
    desa = gazetteer(area).merge(shapes, on="kode_desa")
    cleaned = "bersih" in rows.columns and bool(rows["bersih"].fillna(False).astype(bool).all())
    return gpd.GeoDataFrame(desa.loc[:, list(DESA_COLUMNS)], geometry="geometry", crs=WGS84), cleaned


def _assemble(
    area: str,
    desa: gpd.GeoDataFrame,
    cache: gpd.GeoDataFrame | None,
    source: str,
    findings: pd.DataFrame,
    *,
    cleaned: bool = False,
) -> Boundaries:
    """Simplify the villages as one coverage and derive kecamatan/kabupaten outlines and enclaves."""
    villages = desa.assign(kode_kabupaten=desa["kode_desa"].str[:5])
    simplified = simplify_villages(villages, group="kode_kabupaten", clean=not cleaned)
    names = gazetteer(area)
    kec = dissolve_coverage(simplified, "kode_kecamatan")
    kec["kecamatan"] = kec["kode_kecamatan"].map(
        names.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["kecamatan"]
    )
    kab = dissolve_coverage(simplified, "kode_kabupaten")
    kab["kabupaten"] = kab["kode_kabupaten"].map(lambda k: area_name(k))
    enclave = enclaves(area, kab, cache, tolerance_for(len(villages)))
    return Boundaries(
        area=area,
        desa=to_browser(simplified.loc[:, list(DESA_COLUMNS)]).reset_index(drop=True),
        kecamatan=to_browser(kec.loc[:, ["kode_kecamatan", "kecamatan", "geometry"]]),
        kabupaten=to_browser(kab.loc[:, ["kode_kabupaten", "kabupaten", "geometry"]]),
        enclave=to_browser(enclave),
        source=source,
        findings=findings,
    )
