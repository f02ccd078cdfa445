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
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import background
from ..codes import finding
from ..config import area as configured_area
from ..config import data_dir
from ..dataset import FINDING_COLUMNS
from ..gazetteer import area_name, gazetteer, normalize_code
from ..simplify import UTM_49S, WGS84, clean_coverage, dissolve_coverage, simplify_villages, to_browser, tolerance_for
from ..text import header_key, is_blank, name_key

SOURCE_REPOSITORY = "cahyadsn/wilayah_boundaries"
SOURCE_COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
DEFAULT_BASE_URL = f"https://raw.githubusercontent.com/{SOURCE_REPOSITORY}/{SOURCE_COMMIT}"
#: level -> (path under the base URL, sha256 of the file at SOURCE_COMMIT)
SOURCE_FILES: dict[str, tuple[str, str]] = {
    "desa": (
        "db/kel/35/wilayah_boundaries_kel_35.05.sql",
        "877f76b83c2011fcff6d8c038c65d5b16cd17da1b36bddf520a98df046686ffc",
    ),
    "kecamatan": (
        "db/kec/wilayah_boundaries_kec_35.sql",
        "c2db7230dca8b4e5d45b2e64c2af831cc29e3aa0b743c651ab82c2e8b27aa5d1",
    ),
    "kabupaten": (
        "db/kab/wilayah_boundaries_kab_35.sql",
        "120a4f01539dafe82117e2b75c36859fb39bac12d9c5e227828127648b10575d",
    ),
}
CACHE_FILE = "batas_wilayah.parquet"
CACHE_COLUMNS = ("tingkat", "kode", "nama", "lat", "lng", "sumber", "bersih", "geometry")

SOURCE_UNDUHAN = "unduhan"
SOURCE_BERKAS = "berkas sendiri"
SOURCE_SKEMATIS = "skematis"

#: Environment variables: own boundary file, download address, cache folder, download deadline, visitor wait.
ENV_OWN_FILE = "OVOP_BATAS_DESA"
ENV_BASE_URL = "OVOP_GEO_BASE_URL"
ENV_CACHE_DIR = "OVOP_GEO_DIR"
ENV_DEADLINE = "OVOP_GEO_DEADLINE"
ENV_WAIT = "OVOP_GEO_WAIT"

#: Seconds the whole download of the three files may take (~2 MB: 120 s is ~17 KB/s), whatever the server does.
DEFAULT_DEADLINE = 120.0
#: Seconds a page waits for a download the first visitor started before drawing the schematic map.
DEFAULT_WAIT = 3.0
#: Seconds one socket operation may stall (connect, one read); never more than what is left of the deadline.
READ_TIMEOUT = 30.0
#: Seconds after a failed download before a visitor's page starts the next attempt.
RETRY_AFTER = 300.0
#: Bytes one source file may have (the pinned ones are 0.2–1.1 MB): a server sending endless data is cut off.
MAX_SOURCE_BYTES = 32 * 1024 * 1024
LOCK_FILE = ".batas_wilayah.lock"
_CHUNK = 64 * 1024

PENDING_NOTE = (
    "Peta batas desa yang sebenarnya sedang diunduh di latar belakang (sekali saja); "
    "muat ulang halaman ini sebentar lagi untuk melihatnya."
)

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
# Holes in an own file's outline larger than this (km²) are shown as "not part of the area".
_ENCLAVE_MIN_KM2 = 1.0

DESA_COLUMNS = ("kode_desa", "desa", "jenis", "kode_kecamatan", "kecamatan", "geometry")

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


class GeoFetchError(RuntimeError):
    """A download, checksum or parse failure of `fetch_boundaries`; the message is for the user."""


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


# ---------------------------------------------------------------- settings


def base_url() -> str:
    """Address the source files are downloaded from (OVOP_GEO_BASE_URL, default the pinned GitHub commit)."""
    return os.environ.get(ENV_BASE_URL, "").strip() or DEFAULT_BASE_URL


def cache_dir() -> Path:
    """Folder of the boundary cache (OVOP_GEO_DIR, default geo/ inside the data folder)."""
    configured = os.environ.get(ENV_CACHE_DIR, "").strip()
    return Path(configured) if configured else data_dir() / "geo"


def own_boundaries_path() -> Path | None:
    """The regency's own boundary file named by OVOP_BATAS_DESA, or None when unset."""
    configured = os.environ.get(ENV_OWN_FILE, "").strip()
    return Path(configured).expanduser() if configured else None


def download_deadline() -> float:
    """Seconds the whole boundary download may take (OVOP_GEO_DEADLINE, default 120)."""
    return _seconds(ENV_DEADLINE, DEFAULT_DEADLINE)


def visitor_wait() -> float:
    """Seconds a page waits for the boundary download before showing the schematic map (OVOP_GEO_WAIT, default 3)."""
    return _seconds(ENV_WAIT, DEFAULT_WAIT, allow_zero=True)


def _seconds(name: str, default: float, *, allow_zero: bool = False) -> float:
    configured = os.environ.get(name, "").strip()
    if not configured:
        return default
    try:
        value = float(configured)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and (value >= 0 if allow_zero else value > 0)):
        raise ValueError(f"{name} harus berupa jumlah detik{' ≥ 0' if allow_zero else ' > 0'}, bukan {configured!r}.")
    return value


# ---------------------------------------------------------------- download and cache


def download_sources(
    url: str | None = None,
    *,
    deadline: float | None = None,
    timeout: float = READ_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """The three source files, each verified against its pinned sha256; raises GeoFetchError.

    ``deadline`` (seconds, default `download_deadline()`) bounds the whole download:
    a server that trickles bytes forever is given up when it passes. ``timeout``
    bounds one stalled socket operation and never exceeds what is left of the deadline.
    """
    root = (url or base_url()).rstrip("/")
    say = progress or (lambda _msg: None)
    seconds = download_deadline() if deadline is None else deadline
    ends = time.monotonic() + seconds
    contents: dict[str, bytes] = {}
    for level, (path, expected) in SOURCE_FILES.items():
        address = f"{root}/{path}"
        say(f"Mengunduh batas {level}: {address}")
        content = _download(address, ends, seconds, timeout)
        actual = hashlib.sha256(content).hexdigest()
        if actual != expected:
            raise GeoFetchError(
                f"Checksum {path} tidak cocok (sha256 {actual[:16]}…, seharusnya {expected[:16]}…): "
                "berkas rusak atau telah diubah, jadi tidak dipakai."
            )
        contents[level] = content
    return contents


def _download(address: str, ends: float, seconds: float, timeout: float) -> bytes:
    """One file, read in chunks until the monotonic time `ends`; raises GeoFetchError."""
    request = urllib.request.Request(address, headers={"User-Agent": "ovop-blitar (fetch-geo)"})
    received = bytearray()
    too_slow = GeoFetchError(
        f"Unduhan {address} melewati batas waktu {seconds:g} detik (server terlalu lambat); "
        "bagian yang sudah diterima dibuang."
    )
    try:
        if time.monotonic() >= ends:
            raise too_slow
        with urllib.request.urlopen(request, timeout=min(timeout, ends - time.monotonic())) as response:
            # read1 returns what one socket read brings, so a trickle cannot hold a read open past the deadline
            while chunk := response.read1(_CHUNK):
                received += chunk
                if time.monotonic() >= ends:
                    raise too_slow
                if len(received) > MAX_SOURCE_BYTES:
                    raise GeoFetchError(
                        f"Unduhan {address} lebih dari {MAX_SOURCE_BYTES // 2**20} MB: bukan berkas batas wilayah "
                        "yang dipatok, jadi dihentikan."
                    )
            if response.length:  # bytes the Content-Length promised that never came
                raise http.client.IncompleteRead(bytes(received), response.length)
    except urllib.error.HTTPError as err:
        raise GeoFetchError(f"Gagal mengunduh {address}: HTTP {err.code} {err.reason}.") from err
    except (urllib.error.URLError, OSError) as err:
        if time.monotonic() >= ends:
            raise too_slow from err
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            reason = f"server tidak menjawab selama {timeout:.0f} detik"
        raise GeoFetchError(f"Gagal mengunduh {address}: {reason}. Periksa sambungan internet.") from err
    except http.client.HTTPException as err:  # e.g. the server closed the connection mid-file
        raise GeoFetchError(
            f"Gagal mengunduh {address}: sambungan terputus setelah {len(received) // 1024} KB ({err!r})."
        ) from err
    return bytes(received)


def fetch_boundaries(
    url: str | None = None,
    *,
    cache_folder: Path | None = None,
    deadline: float | None = None,
    timeout: float = READ_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Download, verify, parse and cache the boundaries; returns features per level. Raises GeoFetchError.

    Everything is downloaded (in memory, within ``deadline`` seconds) and checked
    before the cache is touched, and the cache file is replaced atomically, so
    any failure keeps the previous cache and a partial download never becomes one.
    """
    contents = download_sources(url, deadline=deadline, timeout=timeout, progress=progress)
    layers = []
    for level, (path, _sha) in SOURCE_FILES.items():
        try:
            layer = parse_boundaries_sql(contents[level].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise GeoFetchError(f"Berkas {path} tidak dapat dibaca sebagai dump batas wilayah: {err}") from err
        layer = layer.assign(
            tingkat=level, sumber=f"{SOURCE_REPOSITORY}@{SOURCE_COMMIT[:7]}/{path}", bersih=level == "desa"
        )
        if level == "desa":  # cleaned once here, so every start of the dashboard skips the slow step
            layer = layer.set_geometry(clean_coverage(layer.geometry.to_crs(UTM_49S)).to_crs(WGS84).values)
        layers.append(layer)
    table = gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs=WGS84).loc[:, list(CACHE_COLUMNS)]
    try:
        target = write_cache(table, cache_folder)
    except OSError as err:
        raise GeoFetchError(f"Cache batas wilayah tidak dapat ditulis: {err}") from err
    if progress:
        progress(f"Cache batas wilayah ditulis: {target}")
    return table.groupby("tingkat").size().reindex(list(SOURCE_FILES)).astype(int).to_dict()


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


# ---------------------------------------------------------------- the MySQL dump

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


# ---------------------------------------------------------------- bring your own


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
        findings.append(_finding(file, None, code_col or kab_col or "", "", "batas_di_luar_wilayah", message))
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
    findings.extend(_missing_villages(villages, desa["kode_desa"], file))
    out = gpd.GeoDataFrame(desa.loc[:, list(DESA_COLUMNS)], geometry="geometry", crs=WGS84)
    return out, _findings_frame(findings)


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
        findings.append(_finding(file, int(row) + 1, "", "", "batas_bukan_poligon", message))
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
            _finding(file, int(idx) + 1, column, label, "batas_tidak_cocok", message, suggestion=suggestion)
        )
    return resolved


def _one_shape_per_village(joined: gpd.GeoDataFrame, file: str, column: str, findings: list[dict]) -> pd.DataFrame:
    """kode_desa, geometry: several polygons of one village (a split or multipart export) are merged."""
    joined = joined.loc[joined["kode_desa"] != ""]
    counts = joined["kode_desa"].value_counts()
    for kode in sorted(counts.index[counts > 1]):
        message = f"{counts[kode]} poligon untuk desa {kode}; digabung menjadi satu."
        findings.append(_finding(file, None, column, kode, "batas_ganda", message))
    several = joined["kode_desa"].isin(counts.index[counts > 1])
    merged = joined.loc[several].groupby("kode_desa").geometry.agg(lambda s: polygonal(shapely.union_all(s.values)))
    return pd.concat(
        [
            pd.DataFrame({"kode_desa": joined.loc[~several, "kode_desa"], "geometry": joined.loc[~several].geometry}),
            pd.DataFrame({"kode_desa": merged.index, "geometry": merged.values}),
        ],
        ignore_index=True,
    )


def _missing_villages(villages: pd.DataFrame, found: pd.Series, file: str) -> list[dict]:
    """One finding naming (the first ten) villages of the gazetteer that have no polygon."""
    missing = villages.loc[~villages["kode_desa"].isin(found)]
    if missing.empty:
        return []
    names = ", ".join(
        f"{d} ({k})" for d, k in zip(missing["desa"].head(10), missing["kecamatan"].head(10), strict=True)
    )
    more = f" dan {len(missing) - 10} lainnya" if len(missing) > 10 else ""
    message = f"{len(missing)} desa tidak punya poligon di {file}: {names}{more}; desa ini tidak tampil di peta."
    return [_finding(file, None, "", "", "desa_tanpa_batas", message)]


def _to_wgs84(frame: gpd.GeoDataFrame, file: str, findings: list[dict]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        west, south, east, north = frame.total_bounds
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError(
                f"berkas {file} tidak menyebut sistem koordinatnya (CRS) dan koordinatnya "
                "bukan derajat; simpan ulang dengan CRS (mis. EPSG:4326)"
            )
        findings.append(
            _finding(
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


def _finding(
    file: str, row: int | None, column: str, value: str, code: str, message: str, *, suggestion: str = ""
) -> dict:
    # boundary findings are warnings: they never stop the map
    return finding("batas_desa", file, "", row, str(column), value, "warning", code, message, suggestion)


def _findings_frame(findings: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    return frame.astype({"row": "Int64"})


# ---------------------------------------------------------------- what the app uses

# What broken or unexpected boundary data raises (pyogrio's errors are RuntimeErrors); shown as a note.
_BROKEN_DATA = (OSError, ValueError, RuntimeError, shapely.errors.ShapelyError)


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
    cache, cache_note = _cache_or_note(cache_folder)
    if own is not None:
        try:
            desa, findings = read_own_boundaries(own, area)
            if len(desa):
                return _assemble(area, desa, cache, SOURCE_BERKAS, findings)
            notes.append(f"Berkas batas desa sendiri ({own.name}) tidak memuat satu pun desa wilayah ini.")
        except _BROKEN_DATA as err:
            notes.append(f"Berkas batas desa sendiri ({own.name}) tidak dapat dipakai: {err}.")
    pending = False
    if cache is None and fetch_missing:
        status = download_boundaries(base, cache_folder=cache_folder, wait=wait, progress=progress)
        if status.running:
            pending = True
            notes.append(PENDING_NOTE)
        else:
            cache, cache_note = _cache_or_note(cache_folder)
            if cache is None and status.error:
                notes.append(
                    f"Batas wilayah belum dapat diunduh: {status.error} Unduhan dicoba lagi bila halaman "
                    f"dimuat ulang lebih dari {RETRY_AFTER / 60:.0f} menit kemudian."
                )
    if cache_note and not pending:
        notes.append(cache_note)
    if cache is not None:
        desa, cleaned = _cached_villages(cache, area)
        findings = _findings_frame(_missing_villages(gazetteer(area), desa["kode_desa"], "cache batas wilayah"))
        try:
            if len(desa):
                return _assemble(area, desa, cache, SOURCE_UNDUHAN, findings, cleaned=cleaned)
            notes.append(f"Batas wilayah yang diunduh tidak memuat desa wilayah {area_name(area)}.")
        except _BROKEN_DATA as err:
            notes.append(
                f"Cache batas wilayah tidak dapat dipakai ({err}); jalankan ulang `python -m ovop_data fetch-geo`."
            )
    advice = "" if pending else HOW_TO_LOAD
    return schematic_boundaries(area, note=" ".join(notes), centres=_cached_centres(cache), advice=advice)


def download_boundaries(
    base: str | None = None,
    *,
    cache_folder: Path | None = None,
    wait: float | None = None,
    deadline: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> background.JobStatus:
    """Start the download of a missing cache in the background (once); wait until `wait` s after it started.

    One download per cache folder runs at a time in this process; a lock file in
    the folder makes other processes (replicas) wait for it and then use its
    cache instead of downloading again. A failure is the returned status's
    ``error``; a later call after `RETRY_AFTER` seconds tries again.
    """
    folder = Path(cache_folder or cache_dir())
    seconds = download_deadline() if deadline is None else deadline

    def fetch_unless_cached() -> None:
        # Another replica may have written the cache while this one waited for the lock.
        if _cache_or_note(folder)[0] is None:
            fetch_boundaries(base, cache_folder=folder, deadline=seconds, progress=progress)

    return background.run_once(
        _job_name(folder),
        fetch_unless_cached,
        wait=wait,
        lock_file=folder / LOCK_FILE,
        lock_timeout=2 * seconds,  # the other process gives up at its own deadline, then parses for a while
        retry_after=RETRY_AFTER,
        expected=(GeoFetchError,),
    )


def download_status(cache_folder: Path | None = None) -> background.JobStatus:
    """Where this process's download of the cache stands (a cache key that changes when it starts or ends)."""
    return background.job_status(_job_name(Path(cache_folder or cache_dir())))


def _job_name(folder: Path) -> str:
    return f"batas-wilayah:{folder.resolve()}"


def _cached_centres(cache: gpd.GeoDataFrame | None) -> dict[str, tuple[float, float]]:
    """Kecamatan centres (lat, lng) published with the downloaded kecamatan file (all of Jawa Timur)."""
    if cache is None:
        return {}
    kec = cache.loc[(cache["tingkat"] == "kecamatan") & cache["lat"].notna() & cache["lng"].notna()]
    return {k: (float(lat), float(lng)) for k, lat, lng in zip(kec["kode"], kec["lat"], kec["lng"], strict=True)}


def _cache_or_note(cache_folder: Path | None) -> tuple[gpd.GeoDataFrame | None, str]:
    try:
        return read_cache(cache_folder), ""
    except _BROKEN_DATA as err:
        return None, f"Cache batas wilayah rusak ({err}); jalankan ulang `python -m ovop_data fetch-geo`."


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
    enclave = _enclaves(area, kab, cache, tolerance_for(len(villages)))
    return Boundaries(
        area=area,
        desa=to_browser(simplified.loc[:, list(DESA_COLUMNS)]).reset_index(drop=True),
        kecamatan=to_browser(kec.loc[:, ["kode_kecamatan", "kecamatan", "geometry"]]),
        kabupaten=to_browser(kab.loc[:, ["kode_kabupaten", "kabupaten", "geometry"]]),
        enclave=to_browser(enclave),
        source=source,
        findings=findings,
    )


def _enclaves(
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


# ---------------------------------------------------------------- schematic fallback


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
