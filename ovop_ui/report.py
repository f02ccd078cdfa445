"""The validation report (the Data page and each upload's result) and the upload for the sekretariat's account."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ovop_data import store
from ovop_data.codes import codes_label
from ovop_data.config import area, data_dir
from ovop_data.escape import markdown_text
from ovop_data.findings import grouped_findings, report_rows

from .akun import current_user
from .kelola import allowed_account
from .pages import page
from .tables import show_table, xlsx_button

TINGKAT = {"error": "galat", "warning": "peringatan"}
KOLOM_TEMUAN = ["severity", "table", "file", "sheet", "row", "column", "value", "message", "suggestion"]
#: The grouped findings as shown: plain label first; the code itself travels in the XLSX report.
KOLOM_KELOMPOK = ["severity", "temuan", "file", "sheet", "baris", "jumlah", "column", "message", "suggestion"]
KOLOM_DITOLAK = ["table", "file", "sheet", "row", "temuan", "message"]
_SELESAI = "_unggahan_selesai"  # file_id -> SaveResult: an upload is saved once, its result shown on every rerun


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


def upload_section() -> None:
    """The upload, for an account that may upload ("unggah": the sekretariat); a note with the way in for others.

    The permission is asked of the store again right before each file is saved, and every attempt, saved or
    refused, is logged with the account's name for the audit view.
    """
    if allowed_account(current_user(), "unggah") is None:
        st.info("Unggah buku kerja hanya untuk akun Sekretariat OVOP: masuk dulu (dan ganti kata sandi sekali pakai).")
        st.page_link(page("masuk"), label="Masuk", icon="🔑")
        return
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
        selesai[f.file_id] = _saved(f.name, f.getvalue())
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


def _saved(name: str, content: bytes) -> store.SaveResult:
    """Save one uploaded file if the session's account (asked of the store now) may still upload; log the attempt."""
    user = current_user()
    uploader = allowed_account(user, "unggah")
    if uploader is None:
        result = store.SaveResult(
            False,
            f"Berkas '{store.safe_file_name(name)}' tidak disimpan: akun ini tidak (lagi) boleh mengunggah.",
            store.safe_file_name(name),
            code="tidak_berwenang",
        )
        store.record_upload(user.nama or "(tidak masuk)", result.file, content, 0, 0, False, result.message)
        return result
    result = store.save_upload(name, content, data_dir(), area())
    rows = {k: sum(c.get(k, 0) for c in result.counts.values()) for k in ("accepted", "rejected")}
    store.record_upload(
        uploader.nama, result.file, content, rows["accepted"], rows["rejected"], result.ok, result.message
    )
    return result
