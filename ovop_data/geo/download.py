"""Download of the three pinned source files (checked by sha256) into the cache, in the background, once."""

from __future__ import annotations

import hashlib
import http.client
import math
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .. import background
from ..simplify import UTM_49S, WGS84, clean_coverage
from .cache import CACHE_COLUMNS, cache_dir, cache_or_note, write_cache
from .sqldump import parse_boundaries_sql

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

#: Environment variables: download address, download deadline, visitor wait.
ENV_BASE_URL = "OVOP_GEO_BASE_URL"
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


class GeoFetchError(RuntimeError):
    """A download, checksum or parse failure of `fetch_boundaries`; the message is for the user."""


def base_url() -> str:
    """Address the source files are downloaded from (OVOP_GEO_BASE_URL, default the pinned GitHub commit)."""
    return os.environ.get(ENV_BASE_URL, "").strip() or DEFAULT_BASE_URL


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
            # bytes an HTTP Content-Length promised that never came (a file:// response promises none)
            if promised := getattr(response, "length", None):
                raise http.client.IncompleteRead(bytes(received), promised)
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
        if cache_or_note(folder)[0] is None:
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
