"""The boundary cache: one GeoParquet file of every level, written atomically, read in milliseconds."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely

from ..config import data_dir

CACHE_FILE = "batas_wilayah.parquet"
CACHE_COLUMNS = ("tingkat", "kode", "nama", "lat", "lng", "sumber", "bersih", "geometry")
#: Environment variable naming the cache folder (default geo/ inside the data folder).
ENV_CACHE_DIR = "OVOP_GEO_DIR"

# What broken or unexpected boundary data raises (pyogrio's errors are RuntimeErrors); shown as a note.
BROKEN_DATA = (OSError, ValueError, RuntimeError, shapely.errors.ShapelyError)


def cache_dir() -> Path:
    """Folder of the boundary cache (OVOP_GEO_DIR, default geo/ inside the data folder)."""
    configured = os.environ.get(ENV_CACHE_DIR, "").strip()
    return Path(configured) if configured else data_dir() / "geo"


def write_cache(table: gpd.GeoDataFrame, cache_folder: Path | None = None) -> Path:
    """Write the cache GeoParquet atomically (temporary file, then os.replace) and return its path."""
    folder = Path(cache_folder or cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / CACHE_FILE
    handle, name = tempfile.mkstemp(prefix=f".{CACHE_FILE}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temporary = Path(name)  # unique per call: two sessions fetching at once never share a temporary file
    try:
        table.to_parquet(temporary, index=False)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def read_cache(cache_folder: Path | None = None) -> gpd.GeoDataFrame | None:
    """The cached boundaries of every level (CACHE_COLUMNS), or None when nothing was downloaded yet."""
    path = Path(cache_folder or cache_dir()) / CACHE_FILE
    if not path.exists():
        return None
    return gpd.read_parquet(path)


def cache_or_note(cache_folder: Path | None) -> tuple[gpd.GeoDataFrame | None, str]:
    """The cache, or None and a note for the user when it is broken: a bad cache never stops the map."""
    try:
        return read_cache(cache_folder), ""
    except BROKEN_DATA as err:
        return None, f"Cache batas wilayah rusak ({err}); jalankan ulang `python -m ovop_data fetch-geo`."
