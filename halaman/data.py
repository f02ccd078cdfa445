"""Data: the loaded workbooks, what validation found in them, blank templates, and the sekretariat's upload."""

import streamlit as st

from ovop_data import recorded, store, templates
from ovop_data.config import area, data_dir
from ovop_data.schema import TABLES
from ovop_ui.report import upload_section, validation_report
from ovop_ui.tables import bytes_button, show_table
from ovop_ui.view import current_view

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
upload_section()
