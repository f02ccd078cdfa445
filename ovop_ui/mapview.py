"""Streamlit glue for maps and the few display pieces several pages share.

`show_map` wraps streamlit-folium. A map that opens a village on click asks
only for ``last_active_drawing`` (Leaflet's ``layer.toGeoJSON()`` of the
clicked village: its properties carry ``kode_desa``) and reacts in an
``on_change`` callback, so a click is acted on once — the value the component
keeps after the click never re-opens the profile on a later rerun.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NoReturn

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ovop_data.filters import filters_to_params
from ovop_data.fmt import angka, persen, tanggal
from ovop_data.geo import Boundaries
from ovop_data.profile import VillageProfile

from .pages import page
from .view import View, select_desa

#: st.badge colour of each coverage status (close to the maps' colours).
STATUS_BADGE = {
    "Produk & dikunjungi": "green",
    "Produk, belum dikunjungi": "orange",
    "Dikunjungi, belum ada produk": "blue",
    "Belum ada produk & belum dikunjungi": "violet",
}
_CLICKED = "_ovop_desa_diklik"
_URL_DESA = "_ovop_desa_url"  # the ?desa= the select box was last put in step with
_LAST_DESA = "_ovop_desa_terakhir"


def show_map(
    m: folium.Map,
    *,
    key: str,
    returned_objects: Sequence[str] = (),
    height: int = 560,
    open_on_click: bool = False,
) -> dict | None:
    """Draw a folium map full width; display-only unless `open_on_click` (then a village click is remembered)."""
    on_change = None
    if open_on_click:
        returned_objects = ("last_active_drawing",)

        def on_change() -> None:
            kode = clicked_desa(st.session_state.get(key))
            if kode:
                st.session_state[_CLICKED] = kode

    return st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        on_change=on_change,
    )


def clicked_desa(value: Mapping | None) -> str:
    """The kode_desa of the village feature in st_folium's value ('' when nothing or no village was clicked)."""
    feature = (value or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    return str(props.get("kode_desa") or feature.get("id") or "")


def take_clicked_desa() -> str:
    """The village clicked since the last run (once; '' when none)."""
    return st.session_state.pop(_CLICKED, "")


def open_profile(kode_desa: str, view: View) -> NoReturn:
    """Switch to the Profil Desa page for a village, keeping the filters in the URL (switch_page clears them)."""
    params = filters_to_params(view.filters, view.choices)
    params["desa"] = [kode_desa]
    st.switch_page(page("profil_desa"), query_params=params)


def desa_label(villages: pd.DataFrame) -> dict[str, str]:
    """kode_desa -> 'Balerejo (Kec. Wlingi)' for select boxes (names repeat across kecamatan)."""
    return {
        k: f"{d} (Kec. {c})"
        for k, d, c in zip(villages["kode_desa"], villages["desa"], villages["kecamatan"], strict=True)
    }


def show_table(frame: pd.DataFrame, empty: str, **spec: tuple[str, int]) -> None:
    """The named columns (name=(label, width in px)) in that order, dates the Indonesian way; `empty` if no rows."""
    if frame.empty:
        st.caption(empty)
        return
    dates = {c: frame[c].map(tanggal) for c in spec if c in frame and pd.api.types.is_datetime64_any_dtype(frame[c])}
    config = {name: st.column_config.TextColumn(label, width=width) for name, (label, width) in spec.items()}
    st.dataframe(frame.assign(**dates), hide_index=True, column_order=list(spec), column_config=config)


def profile_figures(profile: VillageProfile) -> None:
    """Coverage status as a badge, then four cards: products, visits, open promises, priority in the kecamatan."""
    r, pos = profile.ringkasan, profile.posisi
    st.badge(r["status_cakupan"], color=STATUS_BADGE.get(r["status_cakupan"], "gray"))
    terakhir = f"terakhir {tanggal(r['kunjungan_terakhir'])}" if r["kunjungan_terakhir"] else "belum pernah"
    cards = [
        ("Produk (unggulan)", f"{angka(r['produk_total'])} ({angka(r['produk_unggulan'])})", None),
        ("Kunjungan", angka(r["kunjungan_total"]), terakhir),
        ("Aspirasi terbuka (terlambat)", f"{angka(r['aspirasi_terbuka'])} ({angka(r['aspirasi_terlambat'])})", None),
        (
            "Prioritas di kecamatan",
            f"{pos['peringkat_kecamatan']} / {pos['desa_kecamatan']}",
            f"skor {angka(pos['skor'])}",
        ),
    ]
    for column, (label, value, delta) in zip(st.columns(4), cards, strict=True):
        column.metric(label, value, delta, delta_color="off", delta_arrow="off", border=True)


def profile_tables(profile: VillageProfile) -> None:
    """The village's products with their ladder, its visits, and its aspirations with their state."""
    st.subheader("Produk dan tangga legalitas")
    show_table(
        profile.produk,
        "Belum ada produk tercatat.",
        nama_produk=("Produk", 150),
        kategori=("Kategori", 120),
        pelaku_usaha=("Pelaku usaha", 200),
        tangga_teks=("Tangga legalitas", 150),
        langkah=("Langkah berikut (OPD)", 220),
    )
    st.subheader("Kunjungan")
    show_table(
        profile.kunjungan,
        "Belum pernah dikunjungi.",
        tanggal=("Tanggal", 110),
        kegiatan=("Kegiatan", 150),
        pejabat=("Pejabat", 110),
        opd_pendamping=("OPD pendamping", 240),
        produk_disorot=("Produk disorot", 240),
    )
    st.subheader("Aspirasi dan tindak lanjut")
    show_table(
        profile.aspirasi,
        "Belum ada aspirasi tercatat.",
        tanggal=("Tanggal", 100),
        aspirasi=("Aspirasi", 220),
        opd_penanggung_jawab=("OPD", 150),
        tenggat_efektif=("Tenggat", 110),
        keadaan=("Status", 160),
        tindak_lanjut=("Tindak lanjut", 180),
    )


def single_kecamatan(view: View) -> str | None:
    """The kode_kecamatan to zoom the map to when exactly one is filtered."""
    return view.filters.kecamatan[0] if len(view.filters.kecamatan) == 1 else None


def boundaries_note(boundaries: Boundaries) -> None:
    """A visible note when the map is schematic or a boundary source could not be used."""
    if boundaries.is_schematic:
        st.warning(
            "**Peta skematis** — setiap kotak adalah satu desa, bukan batas sebenarnya. " + boundaries.note, icon="🗺️"
        )
    elif boundaries.note:
        st.caption(boundaries.note)


_BIG_FIGURES = """<style>
[data-testid="stMetricValue"] { font-size: 2.6rem; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
</style>"""


def headline_figures(headline: Mapping[str, float]) -> None:
    """The six figures of the briefing (metrics.area_summary) as large cards, in Indonesian number format."""
    st.markdown(_BIG_FIGURES, unsafe_allow_html=True)
    total = headline["desa_total"]
    cards = [
        (
            "Desa punya produk unggulan",
            f"{angka(headline['desa_dengan_produk_unggulan'])} / {angka(total)}",
            persen(headline["persen_produk_unggulan"]),
            "Desa/kelurahan dengan minimal satu produk unggulan.",
        ),
        (
            "Desa sudah dikunjungi",
            f"{angka(headline['desa_dikunjungi'])} / {angka(total)}",
            persen(headline["persen_dikunjungi"]),
            "Desa/kelurahan dengan minimal satu kunjungan OVOP.",
        ),
        ("Produk", angka(headline["produk_total"]), None, None),
        ("Pelaku usaha", angka(headline["pelaku_total"]), None, None),
        ("Aspirasi terbuka", angka(headline["aspirasi_terbuka"]), None, "Status Belum atau Proses."),
        (
            "Aspirasi terlambat",
            angka(headline["aspirasi_terlambat"]),
            None,
            "Belum selesai dan melewati tenggat (tanpa tenggat: 90 hari sejak aspirasi disampaikan).",
        ),
    ]
    for row in (cards[:3], cards[3:]):
        for column, (label, value, delta, help_text) in zip(st.columns(3), row, strict=True):
            column.metric(label, value, delta, delta_color="off", delta_arrow="off", help=help_text, border=True)


def desa_picker(view: View, villages: pd.DataFrame, *, key: str = "pilih_desa") -> str:
    """Select box of every village, in step with ?desa= both ways; returns the chosen kode_desa ('' if none).

    A new ?desa= (a link, a map click) wins over the box; without one (the sidebar's page links drop
    the URL parameters) the village opened last in this session comes back. Choosing writes ?desa=.
    """
    url = view.filters.desa
    if key not in st.session_state or st.session_state.get(_URL_DESA, "") != url:
        st.session_state[key] = url or st.session_state.get(_LAST_DESA) or None
        st.session_state[_URL_DESA] = url
    labels = desa_label(villages)
    kode = (
        st.selectbox(
            "Pilih desa", list(labels), format_func=labels.get, index=None, key=key, placeholder="Ketik nama desa…"
        )
        or ""
    )
    if kode != url:
        if kode:
            select_desa(kode)
        else:
            st.query_params.pop("desa", None)
        st.session_state[_URL_DESA] = kode
    st.session_state[_LAST_DESA] = kode
    return kode


def unknown_desa_note(view: View) -> str:
    """The sidebar's note about a ?desa= value that matched no village ('' when there is none)."""
    return next((note for note in view.filters.notes if note.startswith("Desa ")), "")


# Checked by printing to PDF in chromium: with the chart left out (its sentences stay) and the content at 65 %,
# the demo villages fit one A4 sheet. CSS zoom does not reach into the map's iframe, so the map is cropped.
_PRINT_CSS = """<style>
@media print {
  @page { size: A4 portrait; margin: 8mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], .stSelectbox, .stDownloadButton,
  [data-testid="stElementContainer"]:has(.stPlotlyChart) { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; zoom: 0.65; }
}
</style>"""


def print_one_page() -> None:
    """Print CSS: the browser's print of this page is one A4 sheet without sidebar, header and controls."""
    st.markdown(_PRINT_CSS, unsafe_allow_html=True)
