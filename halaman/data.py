"""Data: the loaded workbooks, what validation found in them, blank templates, and the password-protected upload."""

import hmac

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ovop_data import store, templates
from ovop_data.config import area, data_dir
from ovop_data.schema import TABLES
from ovop_ui.downloads import bytes_button, show_table
from ovop_ui.view import current_view

TINGKAT = {"error": "galat", "warning": "peringatan"}
KOLOM_TEMUAN = ["severity", "table", "file", "sheet", "row", "column", "value", "message", "suggestion"]
_SELESAI = "_unggahan_selesai"  # file_id -> SaveResult: an upload is saved once, its result shown on every rerun


def laporan(counts: dict, findings: pd.DataFrame, rejected: pd.DataFrame, key: str) -> None:
    """Rows per table, names corrected, rows rejected (with Excel row numbers), all findings by severity."""
    show_table(pd.DataFrame.from_dict(counts, orient="index").rename_axis("table").reset_index(), key=f"{key}_hitung")
    koreksi = findings.loc[findings["code"] == "koreksi_nama", KOLOM_TEMUAN[1:]]
    st.markdown(f"**Koreksi nama** ({len(koreksi)}): nama desa/kecamatan yang dibetulkan otomatis.")
    show_table(koreksi, key=f"{key}_koreksi")
    st.markdown(f"**Baris ditolak** ({len(rejected)}): tidak dipakai di dasbor sampai diperbaiki di Excel.")
    show_table(rejected, key=f"{key}_ditolak")
    pilih = st.segmented_control(
        "Semua temuan",
        list(TINGKAT),
        selection_mode="multi",
        default=list(TINGKAT),
        format_func=TINGKAT.get,
        key=f"{key}_tingkat",
    )
    temuan = findings.loc[findings["severity"].isin(pilih or list(TINGKAT)), KOLOM_TEMUAN]
    show_table(temuan.assign(severity=temuan["severity"].map(TINGKAT)), key=f"{key}_temuan")


view = current_view()
data = view.data
st.title("Data")

st.header("Berkas yang dimuat")
show_table(store.folder_files(data_dir(), data), key="tabel_berkas")

st.header("Laporan pemeriksaan")
laporan(data.counts, data.findings, data.rejected, key="laporan")

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
try:
    secret = str(st.secrets.get("editor_password") or "")
except StreamlitSecretNotFoundError:
    secret = ""
if not secret:
    st.info(
        "Unggah dinonaktifkan: kata sandi editor belum diatur. Administrator menambahkan baris "
        '`editor_password = "…"` ke berkas `.streamlit/secrets.toml` di folder aplikasi (berkas itu tidak ikut '
        "git), lalu memulai ulang dasbor.",
        icon="🔒",
    )
    st.stop()
sandi = st.text_input("Kata sandi editor", type="password", key="sandi_editor")
if not sandi:
    st.caption("Masukkan kata sandi editor untuk mengunggah.")
    st.stop()
if not hmac.compare_digest(sandi.encode(), secret.encode()):
    st.error("Kata sandi salah.")
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
    (st.success if hasil.ok else st.error)(hasil.message)
    if hasil.counts:
        with st.expander(f"Laporan pemeriksaan {hasil.file}", expanded=not hasil.ok or not hasil.rejected.empty):
            laporan(hasil.counts, hasil.findings, hasil.rejected, key=f"unggah_{f.file_id}")
