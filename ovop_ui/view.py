"""The shared sidebar and the filtered view every page starts from.

app.py calls `build_view()` once per run (it draws the sidebar and keeps the
URL in step with the filters); pages call `current_view()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ovop_data import followup, store
from ovop_data.codes import FILE_NOT_READ
from ovop_data.config import data_dir
from ovop_data.dataset import Dataset
from ovop_data.escape import markdown_text
from ovop_data.filters import (
    Choices,
    Filters,
    filters_from_params,
    filters_summary,
    filters_to_params,
)
from ovop_data.fmt import angka, tanggal

from . import cache
from .pages import page

_KEY = "_ovop_view"


@dataclass(frozen=True)
class View:
    """Everything a page needs: the full dataset, the filters, the filtered tables and their summaries."""

    data: Dataset
    filters: Filters
    choices: Choices
    today: dt.date
    villages: pd.DataFrame  # gazetteer rows inside the kecamatan filter
    produk: pd.DataFrame
    kunjungan: pd.DataFrame
    aspirasi: pd.DataFrame
    desa: pd.DataFrame  # metrics.desa_summary of the filtered tables
    ledger: pd.DataFrame  # metrics.aspirasi_ledger of the filtered aspirations

    @property
    def headline(self) -> dict:
        return cache.area_summary(self.desa, self.produk, self.kunjungan, self.ledger)


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _sidebar(choices: Choices, start: Filters, data: Dataset) -> Filters:
    """The filter widgets, initialised from the URL; returns what the user has chosen now."""
    sb = st.sidebar
    sb.header("Saring data")
    kec_names = {v: k for k, v in choices.kecamatan.items()}
    picked_kec = sb.multiselect(
        "Kecamatan",
        list(kec_names),
        default=[choices.kecamatan[k] for k in start.kecamatan],
        placeholder="Semua kecamatan",
        key="f_kecamatan",
    )
    kategori = sb.multiselect(
        "Kategori produk",
        list(choices.kategori),
        default=list(start.kategori),
        placeholder="Semua kategori",
        key="f_kategori",
    )
    pelaku = sb.multiselect(
        "Jenis pelaku",
        list(choices.jenis_pelaku),
        default=list(start.jenis_pelaku),
        placeholder="Semua jenis",
        key="f_pelaku",
    )
    dates = pd.concat([data.kunjungan["tanggal"], data.aspirasi["tanggal"]]).dropna()
    low = dates.min().date() if len(dates) else dt.date(2020, 1, 1)
    high = dates.max().date() if len(dates) else dt.date.today()
    period = sb.date_input(
        "Periode kunjungan & aspirasi",
        value=(start.dari or low, start.sampai or high),
        min_value=min(low, start.dari or low),
        max_value=max(high, start.sampai or high),
        format="DD/MM/YYYY",
        key="f_periode",
    )
    dari, sampai = (*period, None, None)[:2] if isinstance(period, tuple) else (period, None)
    return Filters(
        kecamatan=tuple(kec_names[n] for n in picked_kec),
        kategori=tuple(kategori),
        dari=dari if dari and dari != low else None,
        sampai=sampai if sampai and sampai != high else None,
        jenis_pelaku=tuple(pelaku),
        desa=start.desa,
        notes=start.notes,
    )


def _data_health(data: Dataset) -> None:
    """A short note in the sidebar when loading found problems (or found no data), linking to the Data page."""
    if not data.files:
        st.sidebar.error(f"Belum ada buku kerja di folder data ({markdown_text(data_dir(), limit=None)}).", icon="📂")
    else:
        unreadable = int(data.findings["code"].isin(FILE_NOT_READ).sum())
        rejected = len(data.rejected)
        if not unreadable and not rejected:
            return
        parts = [f"{unreadable} berkas tidak terbaca"] if unreadable else []
        parts += [f"{angka(rejected)} baris ditolak"] if rejected else []
        note = st.sidebar.error if unreadable else st.sidebar.warning  # rejected rows leave the rest usable
        note(f"Pemeriksaan data: {', '.join(parts)}.", icon="⚠️")
    st.sidebar.page_link(page("data"), label="Lihat laporan di halaman Data", icon="📁")


def build_view() -> View:
    """Draw the shared sidebar, sync the URL, filter the data; called once per run by app.py."""
    data = cache.dataset()
    villages = cache.villages(data.area)
    choices = cache.choices_for(villages, data.produk)
    start = filters_from_params(_params(), choices)
    for note in start.notes:
        st.sidebar.info(markdown_text(note, limit=None), icon="ℹ️")  # quotes the URL: text, not Markdown
    filters = _sidebar(choices, start, data)
    wanted = filters_to_params(filters, choices)
    if wanted != _params():
        st.query_params.from_dict(wanted)
    today = cache.today(data)
    if data.is_demo:
        st.sidebar.warning(f"**DATA DEMO** — bukan data resmi. Tanggal acuan {tanggal(today)}.", icon="🧪")
    _data_health(data)
    # On a phone the sidebar is folded away: say what is being shown at the top of every page too.
    shown = filters_summary(filters, choices)
    top = [f"🧪 **Data demo** (bukan data resmi, acuan {tanggal(today)})"] if data.is_demo else []
    top += [f"Saringan: {markdown_text(shown, limit=None)}"] if shown else []  # jenis pelaku is typed text
    if top:
        st.caption(" · ".join(top))
    computed = cache.view_tables(villages, data.produk, data.kunjungan, effective_aspirasi(data), filters, today)
    tables = computed.tables
    view = View(
        data,
        filters,
        choices,
        today,
        tables["desa"],
        tables["produk"],
        tables["kunjungan"],
        tables["aspirasi"],
        computed.desa_summary,
        computed.ledger,
    )
    st.session_state[_KEY] = view
    return view


def effective_aspirasi(data: Dataset) -> pd.DataFrame:
    """The aspirations with what the agencies reported in force (status, owner, deadline), once anything was
    reported; before the first report the workbook's table unchanged, so the public view stays as it was."""
    events = store.events_if_any()
    return cache.effective_aspirasi(data, events) if len(events) else data.aspirasi


def tracked_ledger(view: View) -> pd.DataFrame:
    """The view's ledger with tracking IDs and last update dates (computed here while nothing was reported)."""
    if "id" in view.ledger:
        return view.ledger
    return followup.followup_ledger(view.aspirasi, store.events_if_any(), today=view.today)


def current_view() -> View:
    """The view app.py built for this run."""
    view = st.session_state.get(_KEY)
    return view if view is not None else build_view()


def select_desa(kode: str) -> None:
    """Open a village's profile: the selection lives in the URL like every filter."""
    st.query_params["desa"] = kode
