"""Produk: what the villages make — by category, by kecamatan, legality and market reach — and the searchable list."""

import streamlit as st

from ovop_data import charts, export, recorded
from ovop_data.fmt import angka
from ovop_ui.tables import download_buttons, show_table
from ovop_ui.view import current_view

#: Columns of the product list, in order (never `kontak`).
KOLOM = [
    "nama_produk",
    "kategori",
    "pelaku_usaha",
    "jenis_pelaku",
    "desa",
    "kecamatan",
    "unggulan",
    "legalitas",
    "pemasaran",
    "tahun",
    "bintang",
    "kode_desa",
]
CARI = ["nama_produk", "pelaku_usaha", "desa"]

view = current_view()
produk = view.produk
st.title("Produk unggulan desa")

unik = produk.drop_duplicates("id_produk")
pelaku, pelaku_note = recorded.pelaku_figure(view.headline)
cards = {
    "Produk": (angka(len(unik)), None),
    "Produk unggulan": (angka(int(unik["unggulan"].eq(True).sum())), None),
    "Desa dengan produk": (angka(produk["kode_desa"].nunique()), None),
    "Pelaku usaha": (pelaku, pelaku_note),
}
for column, (label, (value, note)) in zip(st.columns(4), cards.items(), strict=True):
    column.metric(label, value, note, delta_color="off", delta_arrow="off", border=True)

if produk.empty:
    st.info("Tidak ada produk untuk saringan ini. Longgarkan saringan di samping.")
    st.stop()

left, right = st.columns(2)
left.plotly_chart(charts.produk_per_kategori(produk), key="grafik_kategori")
right.plotly_chart(charts.tangga_legalitas(produk), key="grafik_legalitas")
right.plotly_chart(charts.jangkauan_pemasaran(produk), key="grafik_pemasaran")
kecamatan = view.villages.sort_values("kecamatan")["kecamatan"].unique()
st.plotly_chart(charts.produk_kategori_kecamatan(produk, kecamatan), key="grafik_heatmap")
st.plotly_chart(charts.produk_treemap(produk), key="grafik_treemap")

st.subheader("Daftar produk")
query = st.text_input("Cari nama produk, pelaku usaha atau desa", key="cari_produk", placeholder="mis. keripik")
daftar = export.search_rows(produk, query, CARI).reindex(columns=KOLOM).sort_values(["kecamatan", "desa"])
st.caption(
    f"{angka(len(daftar))} baris"
    + (" cocok dengan pencarian" if query.strip() else "")
    + ". Produk yang tercatat di beberapa desa muncul sekali per desa."
)
show_table(daftar.drop(columns="kode_desa"), key="tabel_produk")  # the code only in the downloads
download_buttons(daftar, "produk_ovop", key="unduh_produk", sheet="Produk")
