"""Produk: the searchable list of what the villages make, then by category, kecamatan, legality and market reach."""

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
desa_unggulan = view.headline["desa_dengan_produk_unggulan"]
cards = {
    "Produk": (angka(len(unik)), None, None),
    "Produk unggulan": (angka(int(unik["unggulan"].eq(True).sum())), None, None),
    # Not the Ringkasan's coverage figure (flagship products only): the words under the number say both.
    "Desa dengan produk": (
        angka(produk["kode_desa"].nunique()),
        f"{angka(desa_unggulan)} punya produk unggulan",
        "Desa/kelurahan dengan minimal satu produk tercatat, unggulan atau bukan. Di bawahnya: yang punya produk "
        "unggulan, angka cakupan di Ringkasan dan Kesenjangan.",
    ),
    "Pelaku usaha": (pelaku, pelaku_note, None),
}
for column, (label, (value, note, help_text)) in zip(st.columns(4), cards.items(), strict=True):
    column.metric(label, value, note, delta_color="off", delta_arrow="off", help=help_text, border=True)

if produk.empty:
    st.info("Tidak ada produk untuk saringan ini. Longgarkan saringan di samping.")
    st.stop()

# The search comes first: it narrows the list and the charts under it.
st.subheader("Daftar produk")
query = st.text_input("Cari nama produk, pelaku usaha atau desa", key="cari_produk", placeholder="mis. keripik")
cocok = export.search_rows(produk, query, CARI)
daftar = cocok.reindex(columns=KOLOM).sort_values(["kecamatan", "desa"])
st.caption(
    f"{angka(len(daftar))} baris"
    + (" cocok dengan pencarian; grafik di bawah juga hanya memuat produk ini" if query.strip() else "")
    + ". Produk yang tercatat di beberapa desa muncul sekali per desa."
)
show_table(daftar.drop(columns="kode_desa"), key="tabel_produk")  # the code only in the downloads
download_buttons(daftar, "produk_ovop", key="unduh_produk", sheet="Produk")
if cocok.empty:
    st.stop()

left, right = st.columns(2)
left.plotly_chart(charts.produk_per_kategori(cocok), key="grafik_kategori")
right.plotly_chart(charts.tangga_legalitas(cocok), key="grafik_legalitas")
right.plotly_chart(charts.jangkauan_pemasaran(cocok), key="grafik_pemasaran")
kecamatan = view.villages.sort_values("kecamatan")["kecamatan"].unique()
st.plotly_chart(charts.produk_kategori_kecamatan(cocok, kecamatan), key="grafik_heatmap")
