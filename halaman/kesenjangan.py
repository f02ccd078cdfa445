"""Kesenjangan: which villages the programme has not reached yet, where to go next, and when all will be visited."""

from dataclasses import replace

import streamlit as st

from ovop_data import charts, export, metrics
from ovop_data.filters import apply_filters
from ovop_data.fmt import angka, persen, tanggal
from ovop_ui.tables import show_table, xlsx_button
from ovop_ui.view import current_view

# fmt: off
KOLOM_DESA = ["desa", "kecamatan", "produk_unggulan", "produk_total", "kunjungan_total", "kunjungan_terakhir",
              "aspirasi_terbuka", "kode_desa"]
KOLOM_PRIORITAS = ["peringkat", "desa", "kecamatan", "skor", "alasan", "kode_desa"]
# Short headers: the nine columns fit a laptop screen without scrolling sideways.
KOLOM_KECAMATAN = {"kecamatan": "Kecamatan", "desa_total": "Desa", "desa_dengan_produk_unggulan": "Punya unggulan",
                   "persen_produk_unggulan": "% unggulan", "desa_dikunjungi": "Dikunjungi",
                   "persen_dikunjungi": "% dikunjungi", "produk_total": "Produk",
                   "aspirasi_terbuka": "Aspirasi terbuka", "aspirasi_terlambat": "Terlambat"}
# fmt: on
# gap -> (card label, tab label short enough for three tabs side by side on a phone)
GAPS = {
    "tanpa_produk": ("Belum punya produk unggulan", "Tanpa produk unggulan"),
    "belum_dikunjungi": ("Belum pernah dikunjungi", "Belum dikunjungi"),
    "keduanya": ("Keduanya", "Keduanya"),
}

view = current_view()
desa = view.desa
st.title("Kesenjangan cakupan")

gaps = metrics.coverage_gaps(desa)
for column, (key, (label, _)) in zip(st.columns(3), GAPS.items(), strict=True):
    column.metric(
        label,
        f"{angka(len(gaps[key]))} desa",
        persen(100 * len(gaps[key]) / max(len(desa), 1)),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
for tab, key in zip(st.tabs([tab for _, tab in GAPS.values()]), GAPS, strict=True):
    with tab:
        rows = desa.loc[desa["kode_desa"].isin(gaps[key])].sort_values(["kecamatan", "desa"])
        show_table(rows.reindex(columns=KOLOM_DESA), key=f"tabel_{key}", height=320)

st.header("Cakupan per kecamatan")
kecamatan = metrics.kecamatan_summary(desa, produk=view.produk)
grafik = charts.cakupan_kecamatan(kecamatan, title="Kecamatan menurut % desa dengan produk unggulan")
st.plotly_chart(grafik, key="grafik_cakupan_kecamatan")
peringkat = kecamatan.sort_values(["persen_produk_unggulan", "persen_dikunjungi"], ascending=False)
show_table(peringkat, key="tabel_kecamatan", columns=KOLOM_KECAMATAN)

st.header("Prioritas kunjungan")
prioritas = metrics.visit_priority(desa, today=view.today)
st.caption(metrics.priority_formula())
# On screen without kode_desa (desa and kecamatan name the village); the Excel file keeps it.
show_table(
    prioritas.loc[prioritas["skor"] > 0, KOLOM_PRIORITAS].drop(columns="kode_desa"), key="tabel_prioritas", height=360
)

st.header("Rencana kunjungan")
# The pace counts every visit of the last 12 months in the chosen kecamatan, whatever period is filtered.
data, tanpa_periode = view.data, replace(view.filters, dari=None, sampai=None)
semua = apply_filters(view.villages, data.produk, data.kunjungan, data.aspirasi, tanpa_periode)
rencana, info = metrics.visit_plan(prioritas, semua["kunjungan"], today=view.today)
selesai = info["perkiraan_selesai"]
st.metric(
    "Perkiraan semua desa terkunjungi",
    tanggal(selesai) if selesai else "–",
    border=True,
    help="Dengan laju kunjungan 12 bulan terakhir; dua desa satu kecamatan per perjalanan.",
)
st.info(info["catatan"], icon="🗓️")
keterangan = export.notes_sheet(
    {
        "Dibuat per": tanggal(view.today),
        "Perkiraan semua desa terkunjungi": tanggal(selesai) if selesai else "–",
        "Laju perjalanan per bulan": angka(info["laju_kunjungan_per_bulan"], 1),
        "Catatan": info["catatan"],
    }
)
xlsx_button(
    {"Rencana kunjungan": rencana, "Prioritas": prioritas.loc[:, KOLOM_PRIORITAS], "Keterangan": keterangan},
    f"rencana_kunjungan_{view.today.isoformat()}.xlsx",
    key="unduh_rencana",
    label="⬇️ Unduh rencana kunjungan (Excel)",
    disabled=rencana.empty,
)
show_table(rencana.drop(columns="kode_desa"), key="tabel_rencana", height=420)
