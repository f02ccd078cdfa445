"""Tindak Lanjut: an agency's inbox (overdue first, then due soon), an aspiration's history and the report form;
for the secretariat also the queue of aspirations with no agency, those to review, and the (re)assignment form."""

import streamlit as st

from ovop_data import followup, store
from ovop_data.escape import markdown_text
from ovop_data.fmt import angka, tanggal
from ovop_ui import akun
from ovop_ui.pages import page
from ovop_ui.tables import show_table
from ovop_ui.tindak_lanjut import assign_form, followup_ledger, item_of, report_form, secretariat_tables, timeline
from ovop_ui.view import current_view

KOLOM_KOTAK = {
    "kotak": "Kelompok",
    "hari_tersisa": "Hari Tersisa (negatif: terlambat)",
    "tenggat_efektif": "Tenggat Efektif",
    "status": "Status",
    "terakhir_diperbarui": "Terakhir Diperbarui",
    "desa": "Desa/Kelurahan",
    "aspirasi": "Aspirasi",
    "opd_penanggung_jawab": "OPD Penanggung Jawab",
    "id_aspirasi": "ID Aspirasi",
}

st.title("Tindak Lanjut")
user = akun.current_user()
if not user.signed_in or user.wajib_ganti:
    st.info(
        "Halaman ini untuk OPD, Sekretariat OVOP dan Pimpinan (masuk dulu, dan ganti kata sandi sekali pakai). "
        "Status janji untuk umum ada di halaman Kunjungan & Aspirasi."
    )
    st.page_link(page("masuk"), label="Masuk", icon="🔑")
    st.stop()

view = current_view()
events = store.events_if_any()
ledger = followup_ledger(view, events)
mine = followup.inbox(ledger, opd=user.opd if user.peran == "opd" else None, today=view.today)
whose = markdown_text(user.opd) if user.peran == "opd" else "semua OPD"
st.caption(f"Aspirasi {whose} per {tanggal(view.today)}: terlambat dulu, lalu yang jatuh tempo ≤ 14 hari.")
for column, name in zip(st.columns(len(followup.KOTAK)), followup.KOTAK, strict=True):
    column.metric(name, angka(int((mine["kotak"] == name).sum())), border=True)
show_table(mine, key="tabel_kotak", columns=KOLOM_KOTAK, empty="Tidak ada aspirasi.")
assigns = followup.may(user.peran, user.opd, "tugaskan")
if assigns:
    secretariat_tables(ledger, events)
if mine.empty:
    st.stop()

labels = {r.id: f"{r.kotak} · {r.desa} · {str(r.aspirasi)[:70]}" for r in mine.itertuples()}
chosen = st.selectbox("Pilih aspirasi", list(labels), format_func=lambda i: labels.get(i, i), key="tl_id")
found = mine.loc[mine["id"] == chosen]  # the list, not the whole ledger: an ID sent from elsewhere is refused
if found.empty:
    st.error("Aspirasi itu tidak ada di daftar Anda.")
    st.stop()
row = found.iloc[0]
owner = row["opd_penanggung_jawab"]
st.subheader("Riwayat")
timeline(chosen, with_internal=followup.may(user.peran, user.opd, "lihat_internal", owner))
if followup.may(user.peran, user.opd, "catat", owner):
    st.subheader("Laporkan tindak lanjut")
    report_form(item_of(row), user)
else:
    st.caption("Peran Anda hanya membaca; laporan dicatat oleh OPD penanggung jawab atau Sekretariat OVOP.")
if assigns:
    st.subheader("Tugaskan ke OPD")
    now = markdown_text(owner) if followup.owners(owner) else "belum ditetapkan"
    st.caption(f"OPD penanggung jawab sekarang: {now}.")
    assign_form(item_of(row), user)
