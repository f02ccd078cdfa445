"""The only place with Streamlit caches: spreadsheets and boundaries are read once per change.

The dataset is keyed on each file's path, size and modification time, so a
filter change never re-reads a workbook but a new upload is picked up at once.
With a database configured (OVOP_DATABASE_URL) the workbooks live there and
the key is the store's data version instead (one small query per run, no
timer): an upload through one replica is picked up by every other replica on
its next run. Cached values are shared between sessions: callers must not mutate them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from ovop_data import geo, store
from ovop_data.config import area, data_dir
from ovop_data.dataset import Dataset
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.throttle import Throttle

FileSignature = tuple[tuple[str, int, int], ...]


def files_signature(folder: Path | None = None) -> FileSignature:
    """(path, size, mtime) of every workbook in the data folder: the dataset cache key.

    A broken symlink or a file that vanished since the listing gets (-1, -1), never an error: the
    loader then reports that one file and the rest of the folder still loads.
    """
    return tuple(_stamp(p) for p in workbook_paths(folder or data_dir()))


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:  # broken link, vanished, no permission: load_dataset turns it into a finding
        return str(path), -1, -1
    return str(path), info.st_size, info.st_mtime_ns


@st.cache_resource(show_spinner="Membaca dan memeriksa buku kerja…", max_entries=4)
def _dataset(signature: FileSignature, wilayah: str) -> Dataset:
    return load_dataset([path for path, _, _ in signature], wilayah)


@st.cache_resource(show_spinner="Membaca dan memeriksa buku kerja…", max_entries=4)
def _database_dataset(url: str, version: tuple[int, int], wilayah: str) -> Dataset:
    # `url` and `version` are only the key: the files are this replica's copies of the database's active workbooks
    return load_dataset(store.workbook_files(), wilayah)


def dataset() -> Dataset:
    """The validated data: the database's workbooks when one is configured, else the data folder's.

    Re-read only when the data changes: a file's size or time in the folder, the data version in the database.
    """
    if store.shared_database():
        version = store.data_version()
        if not version.workbooks[0]:  # a database never used: seeded from the data folder first, so the key holds
            store.workbook_files()
            version = store.data_version()
        return _database_dataset(store.database_url(), version.workbooks, area())
    return _dataset(files_signature(), area())


@st.cache_resource(max_entries=2)
def villages(wilayah: str):
    """The gazetteer of the area (never changes while the app runs)."""
    return gazetteer(wilayah)


# (cache file's mtime or 0, download state, attempt): changes when a download starts, ends or the cache appears.
CacheStamp = tuple[int, str, int]


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(wilayah: str, own_file: str, cache_stamp: CacheStamp) -> geo.Boundaries:
    # wait=0: the download was started (and briefly waited for) outside the cache, see boundaries()
    return geo.boundaries(wilayah, own_path=own_file or None, fetch_missing=True, wait=0)


def boundaries() -> geo.Boundaries:
    """Village boundaries: own file, cache, or the schematic map while the first download runs in the background.

    No visitor waits more than a few seconds (OVOP_GEO_WAIT) for a download: the
    page draws the schematic map saying the real one is on its way, and the first
    run after the download finished keys on the new cache file and draws it.
    """
    cache = geo.cache_dir() / geo.CACHE_FILE
    own = geo.own_boundaries_path()
    if not cache.exists() and own is None:
        with st.spinner("Mengunduh batas wilayah desa (sekali saja, ±2 MB)…"):
            geo.download_boundaries(wait=geo.visitor_wait())
    return _boundaries(area(), str(own or ""), cache_stamp(cache))


def cache_stamp(cache: Path) -> CacheStamp:
    """The key that makes a schematic map give way to the real one once the download has written the cache."""
    status = geo.download_status()
    mtime = cache.stat().st_mtime_ns if cache.exists() else 0
    return mtime, status.state, status.attempt


def today(data: Dataset) -> dt.date:
    """The reference date: the demo's own (its visits end in 2024) or the real date."""
    return TANGGAL_ACUAN if data.is_demo else dt.date.today()


@st.cache_resource
def login_throttle() -> Throttle:
    """The failed password attempts of this server process, one record shared by every session."""
    return Throttle()
