"""Ringkasan: the Bupati's briefing — six large figures, the coverage map, products, latest visits, priorities."""

import pandas as pd
import streamlit as st

from ovop_data.escape import markdown_table
from ovop_data.fmt import angka, tanggal
from ovop_ui import cache
from ovop_ui.cards import headline_figures, show_svg
from ovop_ui.mapview import boundaries_note, map_scope, show_map
from ovop_ui.pages import page
from ovop_ui.view import current_view

view = current_view()
st.title("Ringkasan OVOP")
st.caption(f"Keadaan per {tanggal(view.today)} · {len(view.villages)} desa/kelurahan dalam saringan")
# The figures sit above the map but are sent after it: the map's frame starts loading while they are drawn.
figures = st.container()
boundaries = cache.boundaries()
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Cakupan desa")
    boundaries_note(boundaries)
    show_map(
        cache.coverage_map(boundaries, view.desa, **map_scope(view)),
        key="ringkasan_peta",
        returned_objects=[],
        height=520,
    )
with figures:
    headline_figures(view.headline)
    st.caption(
        "Cakupan dihitung dari produk unggulan. Dengan produk bukan unggulan, "
        f"{angka(view.produk['kode_desa'].nunique())} desa punya produk (angka “Desa dengan produk” di halaman Produk)."
    )
with right:
    if view.produk.empty:
        st.info("Belum ada produk pada saringan ini.")
    else:
        st.subheader("Produk per kategori")
        show_svg(cache.produk_per_kategori_svg(view.produk))

# Markdown tables wrap long reasons (a projector shows them whole) and, unlike st.table or plotly, load no extra
# script that would hold the map back; every cell is escaped by markdown_table.
left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader("Kunjungan terbaru")
    terbaru = view.kunjungan.sort_values("tanggal", ascending=False).head(5)
    if terbaru.empty:
        st.info("Belum ada kunjungan pada saringan ini.")
    else:
        st.markdown(
            markdown_table(
                pd.DataFrame(
                    {
                        "Tanggal": terbaru["tanggal"].map(tanggal).str.replace(" ", "\u00a0"),  # one line
                        "Desa": terbaru["desa"],
                        "Kecamatan": terbaru["kecamatan"],
                    }
                )
            )
        )
with right:
    st.subheader("Perlu dikunjungi")
    prioritas = cache.visit_priority(view.desa, today=view.today).head(5)
    st.markdown(
        markdown_table(
            pd.DataFrame(
                {
                    "No.": prioritas["peringkat"],
                    "Desa": prioritas["desa"] + " (" + prioritas["kecamatan"] + ")",
                    "Alasan": prioritas["alasan"],
                }
            )
        )
    )
    st.page_link(page("kesenjangan"), label="Daftar prioritas lengkap dan rencana kunjungan", icon="🎯")
