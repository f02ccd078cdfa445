"""The validation report and the editor's password gate, shared by the Data page and the upload result."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ovop_data.codes import codes_label
from ovop_data.findings import grouped_findings, report_rows

from .auth import password_accepted
from .tables import show_table, xlsx_button

TINGKAT = {"error": "galat", "warning": "peringatan"}
KOLOM_TEMUAN = ["severity", "table", "file", "sheet", "row", "column", "value", "message", "suggestion"]
#: The grouped findings as shown: plain label first; the code itself travels in the XLSX report.
KOLOM_KELOMPOK = ["severity", "temuan", "file", "sheet", "baris", "jumlah", "column", "message", "suggestion"]
KOLOM_DITOLAK = ["table", "file", "sheet", "row", "temuan", "message"]


def validation_report(counts: dict, findings: pd.DataFrame, rejected: pd.DataFrame, key: str) -> None:
    """Rows per table, names corrected, rows rejected (with Excel row numbers), findings grouped by severity,
    and the whole report (one row per finding, with its code) as an XLSX download."""
    show_table(pd.DataFrame.from_dict(counts, orient="index").rename_axis("table").reset_index(), key=f"{key}_hitung")
    xlsx_button(
        {"Temuan": report_rows(findings), "Baris ditolak": rejected},
        "laporan_pemeriksaan.xlsx",
        key=f"{key}_unduh",
        label="⬇️ Unduh laporan (XLSX)",
        disabled=findings.empty and rejected.empty,
    )
    koreksi = findings.loc[findings["code"] == "koreksi_nama", KOLOM_TEMUAN[1:]]
    st.markdown(f"**Koreksi nama** ({len(koreksi)}): nama desa/kecamatan yang dibetulkan otomatis.")
    show_table(koreksi, key=f"{key}_koreksi")
    st.markdown(f"**Baris ditolak** ({len(rejected)}): tidak dipakai di dasbor sampai diperbaiki di Excel.")
    if not rejected.empty:
        rejected = rejected.assign(temuan=rejected["codes"].map(codes_label)).loc[:, KOLOM_DITOLAK]
    show_table(rejected, key=f"{key}_ditolak")
    pilih = st.segmented_control(
        "Semua temuan",
        list(TINGKAT),
        selection_mode="multi",
        default=list(TINGKAT),
        format_func=TINGKAT.get,
        key=f"{key}_tingkat",
    )
    temuan = grouped_findings(findings.loc[findings["severity"].isin(pilih or list(TINGKAT))])
    st.caption("Temuan yang sama dalam satu sheet digabung dalam satu baris, dengan nomor baris Excel-nya.")
    show_table(temuan.assign(severity=temuan["severity"].map(TINGKAT)).loc[:, KOLOM_KELOMPOK], key=f"{key}_temuan")


def editor_unlocked() -> bool:
    """True once the editor typed the password from st.secrets["editor_password"]; explains itself otherwise.

    Without the secret, upload stays disabled: a public link must never let anyone replace the data. Wrong
    guesses are throttled per session and per address (ovop_ui.auth).
    """
    try:
        secret = str(st.secrets.get("editor_password") or "")
    except StreamlitSecretNotFoundError:
        secret = ""
    if not secret:
        st.info("Unggah dinonaktifkan: kata sandi editor belum diatur oleh administrator.", icon="🔒")
        with st.expander("Petunjuk untuk administrator"):  # set-up steps only whoever runs the server needs
            st.markdown(
                'Tambahkan baris `editor_password = "…"` ke berkas `.streamlit/secrets.toml` di folder aplikasi '
                "(berkas itu tidak ikut git), lalu mulai ulang dasbor. Buku kerja juga bisa disalin langsung ke "
                "folder data (`OVOP_DATA_DIR`) atau disimpan dengan `python -m ovop_data unggah`."
            )
        return False
    sandi = st.text_input("Kata sandi editor", type="password", key="sandi_editor")
    if not sandi:
        st.caption("Masukkan kata sandi editor untuk mengunggah.")
        return False
    return password_accepted(sandi, secret, memo="_sandi_editor_diperiksa")
