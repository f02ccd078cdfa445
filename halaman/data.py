"""Data: the loaded workbooks, what validation found in them, blank templates, and the password-protected upload."""

import streamlit as st

from ovop_data import recorded, store, templates
from ovop_data.config import area, data_dir
from ovop_data.escape import markdown_text
from ovop_data.schema import TABLES
from ovop_ui.report import editor_unlocked, validation_report
from ovop_ui.tables import bytes_button, show_table
from ovop_ui.view import current_view

_SELESAI = "_unggahan_selesai"  # file_id -> SaveResult: an upload is saved once, its result shown on every rerun


view = current_view()
data = view.data
st.title("Data")

st.header("Berkas yang dimuat")
show_table(store.folder_files(data_dir(), data), key="tabel_berkas")

st.header("Laporan pemeriksaan")
validation_report(data.counts, data.findings, data.rejected, key="laporan")

st.header("Kolom tercatat")
st.caption("Kolom yang kosong atau tidak ada di buku kerja tidak dihitung nol: angkanya ditulis 'tidak tercatat'.")
show_table(
    recorded.tercatat_table(data),
    key="tabel_tercatat",
    columns={"table": "Tabel", "column": "Kolom", "tercatat": "Tercatat"},
)

st.header("Templat kosong")
st.caption("Buku kerja dengan judul kolom yang benar dan daftar pilihan (kecamatan, kategori, status…).")
for column, name in zip(st.columns(len(TABLES) + 1), [*TABLES, None], strict=True):
    tables = [name] if name else list(TABLES)
    with column:
        bytes_button(
            f"⬇️ {TABLES[name].label if name else 'Semua tabel'}",
            lambda tables=tables: templates.template_bytes(tables, area()),
            templates.template_file_name(tables),
            key=f"templat_{name or 'semua'}",
        )

st.header("Unggah buku kerja baru")
if store.writes_refused():  # ephemeral disk, no database: say why before anyone picks a file
    st.warning(store.writes_refused(), icon="💾")
if not editor_unlocked():
    st.stop()
st.caption(
    "Berkas diperiksa dulu; hanya yang terbaca dan berisi tabel yang dikenali disimpan. Berkas lama dengan "
    "nama sama disimpan di arsip, dan data demo dipindahkan ke arsip saat data asli pertama diunggah."
)
unggahan = st.file_uploader(
    "Pilih buku kerja", type=["xlsx", "xlsm", "xls", "ods", "csv"], accept_multiple_files=True, key="unggah"
)
selesai = st.session_state.setdefault(_SELESAI, {})
baru = [f for f in unggahan or [] if f.file_id not in selesai]
for f in baru:
    selesai[f.file_id] = store.save_upload(f.name, f.getvalue(), data_dir(), area())
if any(selesai[f.file_id].ok for f in baru):
    st.rerun()  # the dataset cache sees the new file by its signature on the next run
for f in unggahan or []:
    hasil = selesai[f.file_id]
    (st.success if hasil.ok else st.error)(markdown_text(hasil.message, limit=None))  # names the file: text only
    if hasil.counts:
        with st.expander(
            f"Laporan pemeriksaan {markdown_text(hasil.file)}", expanded=not hasil.ok or not hasil.rejected.empty
        ):
            validation_report(hasil.counts, hasil.findings, hasil.rejected, key=f"unggah_{f.file_id}")
