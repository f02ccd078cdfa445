"""Peta: the coverage map or one metric per village, product points, and a click that opens a village's profile."""

import streamlit as st

from ovop_data import maps
from ovop_ui import cache
from ovop_ui.mapview import (
    boundaries_note,
    desa_label,
    map_scope,
    open_profile,
    show_map,
    take_clicked_desa,
)
from ovop_ui.view import current_view

view = current_view()
if kode := take_clicked_desa() or st.session_state.get("peta_desa"):
    open_profile(kode, view)

st.title("Peta cakupan")
UKURAN = {"cakupan": "Status cakupan (produk unggulan × kunjungan)"} | {k: m.label for k, m in maps.METRICS.items()}
pilih, produk, dasar = st.columns([3, 1, 1], vertical_alignment="bottom")
ukuran = pilih.selectbox("Warna desa menurut", list(UKURAN), format_func=UKURAN.get, key="peta_ukuran")
with_produk = produk.toggle("Titik produk", value=True, key="peta_produk")
with_tiles = dasar.toggle(
    "Peta dasar OSM", value=True, key="peta_osm", help="Matikan bila tidak ada internet: batas desa tetap tampil."
)

boundaries = cache.boundaries()
boundaries_note(boundaries)
options = {
    "produk": view.produk if with_produk else None,
    "tiles": maps.TILES_OSM if with_tiles else None,
    **map_scope(view),
}
if ukuran == "cakupan":
    m = cache.coverage_map(boundaries, view.desa, **options)
else:
    m = cache.metric_map(boundaries, view.desa, ukuran, **options)
st.caption("Klik sebuah desa di peta untuk membuka profilnya.")
show_map(m, key="peta_klik", height=640, open_on_click=True)

labels = desa_label(view.villages)
st.selectbox(
    "Atau pilih desa untuk membuka profilnya",
    list(labels),
    format_func=labels.get,
    index=None,
    placeholder="Ketik nama desa…",
    key="peta_desa",
)
