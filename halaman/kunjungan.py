"""Kunjungan & Aspirasi: the visits over time and on the map, and the promise ledger the OPD answer for."""

import streamlit as st

from ovop_data import followup, metrics
from ovop_data.fmt import angka, tanggal
from ovop_ui import cache
from ovop_ui.cards import show_svg
from ovop_ui.mapview import boundaries_note, map_scope, show_map
from ovop_ui.tables import download_buttons, show_table, xlsx_button
from ovop_ui.view import current_view

# fmt: off
KOLOM_KUNJUNGAN = ["tanggal", "desa", "kecamatan", "kegiatan", "pejabat", "opd_pendamping", "produk_disorot",
                   "catatan"]
KOLOM_JANJI = ["tanggal", "desa", "kecamatan", "aspirasi", "kategori_kendala", "opd_penanggung_jawab",
               "tenggat_efektif", "tenggat_bawaan", "status", "terlambat", "hari_terlambat", "tindak_lanjut",
               "id_aspirasi"]
KOLOM_TERLAMBAT = ["opd_penanggung_jawab", "hari_terlambat", "tenggat_efektif", "tenggat_bawaan", "status", "desa",
                   "kecamatan", "tanggal", "aspirasi", "kategori_kendala", "tindak_lanjut", "id_aspirasi"]
# fmt: on

view = current_view()
ledger = view.ledger
st.title("Kunjungan & Aspirasi")
KARTU = {
    "Kunjungan": "kunjungan_total",
    "Desa dikunjungi": "desa_dikunjungi",
    "Aspirasi": "aspirasi_total",
    "Aspirasi terbuka": "aspirasi_terbuka",
    "Aspirasi terlambat": "aspirasi_terlambat",
}
for column, (label, name) in zip(st.columns(len(KARTU)), KARTU.items(), strict=True):
    column.metric(label, angka(view.headline[name]), border=True)

shown = ledger.assign(status=metrics.status_shown(ledger))  # a blank status reads "Belum ada laporan"
shown = followup.with_update_text(shown)  # the last report's date, "belum ada laporan" for none (once any exists)
tab_kunjungan, tab_janji, tab_terlambat = st.tabs(["Kunjungan", "Janji tindak lanjut", "Tindak lanjut terlambat"])
with tab_kunjungan:
    # Charts are inline SVG, not plotly: its 4.7 MB script, parsed beside the map's frame, held the map back.
    boundaries = cache.boundaries()
    boundaries_note(boundaries)
    peta = cache.metric_map(boundaries, view.desa, "kunjungan_total", **map_scope(view))
    show_map(peta, key="peta_kunjungan", height=480)
    st.subheader("Kunjungan per bulan")
    show_svg(cache.kunjungan_per_bulan_svg(view.kunjungan))
    kunjungan = view.kunjungan.reindex(columns=KOLOM_KUNJUNGAN).sort_values("tanggal", ascending=False)
    show_table(kunjungan, key="tabel_kunjungan")
    download_buttons(kunjungan, "kunjungan_ovop", key="unduh_kunjungan", sheet="Kunjungan")

with tab_janji:
    st.caption(
        f"Tenggat efektif: kolom Tenggat, atau bila kosong tanggal aspirasi + "
        f"{metrics.DEFAULT_TENGGAT_HARI} hari (ditandai “Tenggat bawaan”). Terlambat: lewat tenggat efektif "
        f"per {tanggal(view.today)} dan belum Selesai."
    )
    st.subheader("Janji tindak lanjut per OPD")
    show_svg(cache.aspirasi_per_opd_svg(ledger))
    left, right = st.columns([2, 3])
    with left:
        st.subheader("Aspirasi per status")
        show_svg(cache.aspirasi_per_status_svg(ledger))
    per_opd = metrics.aspirasi_by_opd(ledger)
    with right:
        show_table(per_opd, key="tabel_opd")
    status = st.segmented_control(
        "Status", metrics.STATUS_URUT, selection_mode="multi", default=list(metrics.STATUS_URUT), key="status_janji"
    )
    # Once an agency has reported, when each promise was last updated (absent before: the public view is unchanged).
    kolom = KOLOM_JANJI + [c for c in ["terakhir_diperbarui"] if c in ledger]
    janji = shown.loc[ledger["status"].isin(status or metrics.STATUS_URUT)].reindex(columns=kolom)
    show_table(janji.sort_values("tanggal", ascending=False), key="tabel_janji")
    download_buttons(janji, "janji_tindak_lanjut", key="unduh_janji", sheet="Janji tindak lanjut")

with tab_terlambat:
    terlambat = shown.loc[ledger["terlambat"]].reindex(columns=KOLOM_TERLAMBAT + kolom[len(KOLOM_JANJI) :])
    terlambat = terlambat.sort_values(["opd_penanggung_jawab", "hari_terlambat"], ascending=[True, False])
    st.markdown(
        f"**{angka(len(terlambat))} tindak lanjut terlambat** per {tanggal(view.today)}, "
        "dikelompokkan per OPD — bahan rapat koordinasi OPD."
    )
    xlsx_button(
        {"Terlambat": terlambat, "Rekap per OPD": per_opd},
        f"tindak_lanjut_terlambat_{view.today.isoformat()}.xlsx",
        key="unduh_terlambat",
        label="⬇️ Unduh daftar terlambat (Excel)",
        disabled=terlambat.empty,
    )
    show_table(terlambat, key="tabel_terlambat")
