"""Where the village boundaries come from: the downloaded cache, the regency's own file, or a schematic.

`boundaries(area)` returns what the maps draw, trying in order:

1. **berkas sendiri** — the file named by the environment variable
   ``OVOP_BATAS_DESA`` (GeoJSON, GeoPackage or zipped Shapefile, e.g. BIG's
   "Batas Desa"); the Kemendagri code column is detected, otherwise villages are
   joined by name and kecamatan through the same matcher as the spreadsheets;
2. **unduhan** — the cache written by `fetch_boundaries()` (``python -m
   ovop_data fetch-geo``) from three pinned files of cahyadsn/wilayah_boundaries
   (MIT), each checked against its sha256. The dashboard downloads a missing cache
   in the background (`download_boundaries`: one download at a time, a lock file
   across processes, a deadline for the whole download) and draws the schematic
   map until it is there, so no visitor waits on a slow server;
3. **skematis** — no network and no file: each village a square tile, grouped by
   kecamatan around the kecamatan's real centre, with a note saying how to load
   the real boundaries. The dashboard never ends up without a map.

The cache is one GeoParquet file, ``data/geo/batas_wilayah.parquet`` (folder:
``OVOP_GEO_DIR``, default ``geo/`` inside the data folder). GeoParquet rather than
GeoJSON because one file holds all three levels (desa, kecamatan, kabupaten),
so replacing it with ``os.replace`` is atomic — a failed or tampered download
never leaves half a cache; it reads in milliseconds instead of re-parsing text;
it keeps the CRS and the column types; and pyarrow already comes with Streamlit.
The village layer is stored already cleaned into an edge-matched coverage (the
slow step, see simplify.py; column ``bersih``), so a start only simplifies it.
The maps draw kecamatan and kabupaten outlines dissolved from the villages:
the published kecamatan and kabupaten files are separate surveys whose lines
drift ~100 m from the village borders. The kabupaten file supplies the enclave
(Kota Blitar, 35.72, inside Kabupaten Blitar).

The package is split by job; this file only re-exports the entry points that
pages, the CLI, benchmarks and tests use (``from ovop_data.geo import X``):

- ``layers``    — the Boundaries type, source labels, boundary findings;
- ``cache``     — the GeoParquet cache file (folder, read, atomic write);
- ``download``  — the pinned source files, download with deadline, background job;
- ``sqldump``   — parsing the published MySQL dump into polygons;
- ``own_file``  — the regency's own boundary file matched to the gazetteer;
- ``enclave``   — land inside the outline that is not the area (Kota Blitar);
- ``schematic`` — the tile map drawn when no real boundaries are there;
- ``choose``    — ``boundaries()``: own file, else cache/download, else schematic.
"""

from __future__ import annotations

from .cache import CACHE_COLUMNS, CACHE_FILE, ENV_CACHE_DIR, cache_dir, read_cache, write_cache
from .choose import boundaries
from .download import (
    DEFAULT_BASE_URL,
    DEFAULT_DEADLINE,
    DEFAULT_WAIT,
    ENV_BASE_URL,
    ENV_DEADLINE,
    ENV_WAIT,
    LOCK_FILE,
    MAX_SOURCE_BYTES,
    PENDING_NOTE,
    READ_TIMEOUT,
    RETRY_AFTER,
    SOURCE_COMMIT,
    SOURCE_FILES,
    SOURCE_REPOSITORY,
    GeoFetchError,
    base_url,
    download_boundaries,
    download_deadline,
    download_sources,
    download_status,
    fetch_boundaries,
    visitor_wait,
)
from .layers import DESA_COLUMNS, SOURCE_BERKAS, SOURCE_SKEMATIS, SOURCE_UNDUHAN, Boundaries, polygonal
from .own_file import ENV_OWN_FILE, own_boundaries_path, read_own_boundaries
from .schematic import HOW_TO_LOAD, KECAMATAN_CENTRES, schematic_boundaries
from .sqldump import parse_boundaries_sql

__all__ = [
    "CACHE_COLUMNS",
    "CACHE_FILE",
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_WAIT",
    "DESA_COLUMNS",
    "ENV_BASE_URL",
    "ENV_CACHE_DIR",
    "ENV_DEADLINE",
    "ENV_OWN_FILE",
    "ENV_WAIT",
    "HOW_TO_LOAD",
    "KECAMATAN_CENTRES",
    "LOCK_FILE",
    "MAX_SOURCE_BYTES",
    "PENDING_NOTE",
    "READ_TIMEOUT",
    "RETRY_AFTER",
    "SOURCE_BERKAS",
    "SOURCE_COMMIT",
    "SOURCE_FILES",
    "SOURCE_REPOSITORY",
    "SOURCE_SKEMATIS",
    "SOURCE_UNDUHAN",
    "Boundaries",
    "GeoFetchError",
    "base_url",
    "boundaries",
    "cache_dir",
    "download_boundaries",
    "download_deadline",
    "download_sources",
    "download_status",
    "fetch_boundaries",
    "own_boundaries_path",
    "parse_boundaries_sql",
    "polygonal",
    "read_cache",
    "read_own_boundaries",
    "schematic_boundaries",
    "visitor_wait",
    "write_cache",
]
