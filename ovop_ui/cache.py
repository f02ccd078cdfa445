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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from ovop_data import charts, followup, geo, maps, metrics, profile, store
from ovop_data.config import area, data_dir
from ovop_data.dataset import Dataset
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.filters import Choices, Filters, apply_filters
from ovop_data.filters import choices_for as choices_for_tables
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.throttle import Throttle

from .mapcomponent import MapComponent, map_component

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


# ---------------------------------------------------------------- rendered maps
# A village map is rendered (folium → the strings streamlit-folium sends) once per boundaries, data and
# options, not on every run of every session: ~0.3–0.5 s of a map page's run (see scripts/loadtest.py).
# Keyed on the identity of the boundaries and tables (cached values themselves: hashing their content took
# ~15 ms a run), which is safe because each entry keeps its inputs alive, so no other object can take
# their ids while it lives; a table built anew for a run simply misses.


@dataclass(frozen=True)
class _RenderedMap:
    component: MapComponent
    inputs: tuple  # held only to keep the keyed ids unique while this entry lives


_MAP_BUILDERS = {"coverage_map": maps.coverage_map, "metric_map": maps.metric_map}


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs={geo.Boundaries: id, pd.DataFrame: id})
def _rendered_map(
    builder: str,
    boundaries: geo.Boundaries,
    desa_summary: pd.DataFrame,
    produk: pd.DataFrame | None,
    args: tuple,
    options: dict,
) -> _RenderedMap:
    m = _MAP_BUILDERS[builder](boundaries, desa_summary, *args, produk=produk, **options)
    return _RenderedMap(map_component(m), (boundaries, desa_summary, produk))


def coverage_map(
    boundaries: geo.Boundaries, desa_summary: pd.DataFrame, *, produk: pd.DataFrame | None = None, **options
) -> MapComponent:
    """`maps.coverage_map`, rendered for the browser once per boundaries, data and options."""
    return _rendered_map("coverage_map", boundaries, desa_summary, produk, (), options).component


def metric_map(
    boundaries: geo.Boundaries,
    desa_summary: pd.DataFrame,
    metric: str,
    *,
    produk: pd.DataFrame | None = None,
    **options,
) -> MapComponent:
    """`maps.metric_map`, rendered for the browser once per boundaries, data, metric and options."""
    return _rendered_map("metric_map", boundaries, desa_summary, produk, (metric,), options).component


# ---------------------------------------------------------------- the filtered view
# The filtered tables and their summaries, once per data and filter (~0.07 s of every run). Keyed on the
# tables' identity (each is a cached value, or the effective aspirations: see view.effective_aspirasi),
# kept alive by the entry as above; a table built anew for a run simply misses.


@dataclass(frozen=True)
class ViewTables:
    """What `view.build_view` computes from the data and the filters."""

    tables: dict[str, pd.DataFrame]  # filters.apply_filters: desa, produk, kunjungan, aspirasi
    desa_summary: pd.DataFrame
    ledger: pd.DataFrame
    inputs: tuple[pd.DataFrame, ...]  # held only to keep the keyed ids unique while this entry lives


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={pd.DataFrame: id})
def view_tables(
    villages: pd.DataFrame,
    produk: pd.DataFrame,
    kunjungan: pd.DataFrame,
    aspirasi: pd.DataFrame,
    filters: Filters,
    today: dt.date,
) -> ViewTables:
    """The tables narrowed to the filters, `metrics.desa_summary` and `metrics.aspirasi_ledger` of them."""
    tables = apply_filters(villages, produk, kunjungan, aspirasi, filters)
    desa = metrics.desa_summary(tables["desa"], tables["produk"], tables["kunjungan"], tables["aspirasi"], today=today)
    ledger = metrics.aspirasi_ledger(tables["aspirasi"], today=today)
    return ViewTables(tables, desa, ledger, (villages, produk, kunjungan, aspirasi))


# ---------------------------------------------------------------- figures of the filtered view
# Pure functions of the view's tables that every visitor of a page recomputed (visit_priority ~30–70 ms,
# area_summary ~10 ms, five times a Kunjungan run). Keyed on the tables' identity as above.

_OF_TABLES = {
    "area_summary": metrics.area_summary,
    "visit_priority": metrics.visit_priority,
    "produk_per_kategori_svg": charts.produk_per_kategori_svg,
    "kunjungan_per_bulan_svg": charts.kunjungan_per_bulan_svg,
    "aspirasi_per_opd_svg": charts.aspirasi_per_opd_svg,
    "aspirasi_per_status_svg": charts.aspirasi_per_status_svg,
    "choices_for": choices_for_tables,
    "village_profile": lambda *tables, kode_desa, today: profile.village_profile(kode_desa, *tables, today=today),
}


@dataclass(frozen=True)
class _Computed:
    value: object
    inputs: tuple  # held only to keep the keyed ids unique while this entry lives


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: id})
def _of_tables(name: str, tables: tuple[pd.DataFrame, ...], options: dict) -> _Computed:
    return _Computed(_OF_TABLES[name](*tables, **options), tables)


def area_summary(
    desa_summary: pd.DataFrame, produk: pd.DataFrame, kunjungan: pd.DataFrame, ledger: pd.DataFrame
) -> dict:
    """`metrics.area_summary` once per set of tables (a new dict each call: callers may keep it)."""
    return dict(_of_tables("area_summary", (desa_summary, produk, kunjungan, ledger), {}).value)


def visit_priority(desa_summary: pd.DataFrame, *, today: dt.date) -> pd.DataFrame:
    """`metrics.visit_priority` once per desa summary and date (shared between sessions: do not mutate)."""
    return _of_tables("visit_priority", (desa_summary,), {"today": today}).value


def choices_for(villages: pd.DataFrame, produk: pd.DataFrame) -> Choices:
    """`filters.choices_for` (the sidebar's choices) once per gazetteer and product table."""
    return _of_tables("choices_for", (villages, produk), {}).value


def village_profile(
    kode_desa: str,
    villages: pd.DataFrame,
    produk: pd.DataFrame,
    kunjungan: pd.DataFrame,
    aspirasi: pd.DataFrame,
    *,
    today: dt.date,
) -> profile.VillageProfile:
    """`profile.village_profile` once per village, tables and date (~0.1 s), and one table identity per profile,
    so its map (`coverage_map` of ``profile.wilayah``) is rendered once too (~0.2 s of each Profil Desa run)."""
    tables = (villages, produk, kunjungan, aspirasi)
    return _of_tables("village_profile", tables, {"kode_desa": kode_desa, "today": today}).value


def produk_per_kategori_svg(produk: pd.DataFrame) -> str:
    """`charts.produk_per_kategori_svg` once per product table."""
    return _of_tables("produk_per_kategori_svg", (produk,), {}).value


def kunjungan_per_bulan_svg(kunjungan: pd.DataFrame) -> str:
    """`charts.kunjungan_per_bulan_svg` once per visits table."""
    return _of_tables("kunjungan_per_bulan_svg", (kunjungan,), {}).value


def aspirasi_per_opd_svg(ledger: pd.DataFrame) -> str:
    """`charts.aspirasi_per_opd_svg` once per ledger."""
    return _of_tables("aspirasi_per_opd_svg", (ledger,), {}).value


def aspirasi_per_status_svg(ledger: pd.DataFrame) -> str:
    """`charts.aspirasi_per_status_svg` once per ledger."""
    return _of_tables("aspirasi_per_status_svg", (ledger,), {}).value


# ---------------------------------------------------------------- the aspirations the agencies reported on
# Read from the database on every run, so a report through any session or replica shows at once; the table
# built from it is kept per events content, so the caches above (keyed on identity) still hit.


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Dataset: id})
def _effective_aspirasi(data: Dataset, events: pd.DataFrame) -> _Computed:
    return _Computed(followup.effective_aspirasi(data.aspirasi, events), (data,))


def effective_aspirasi(data: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """`followup.effective_aspirasi` once per dataset and events (shared between sessions: do not mutate)."""
    return _effective_aspirasi(data, events).value
