"""The Kelola page's pieces: accounts (sekretariat) and the audit view (sekretariat, pimpinan).

What a session may do is asked of the store on every run (`allowed_account`): the account's role and agency
as the store has them now, never as the session remembers them. Adding and disabling an account also name
the acting account to the store, which checks it once more. A one-time password is shown in the run that
made it and kept nowhere else (not in the session state, not in a log).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ovop_data import audit, followup, store
from ovop_data.escape import markdown_text
from ovop_data.fmt import angka

from .akun import LABEL_PERAN, User
from .tables import show_table, xlsx_button

_NOTICE = "_kelola_pesan"  # what the last disabling did, shown once after the rerun that refreshes the list
#: Rows of each audit log drawn on the page (newest first); the XLSX, built only when clicked, has them all.
#: scripts/bench_kelola.py, 5,000 rows per log on a busy 2-core machine: a first run ~4.2 s drawing every row,
#: ~2.7 s drawing 500 (most of the rest is reading the logs from the store).
SHOWN_ROWS = 500
#: Roles an account can be given (the public role is nobody signed in).
PERAN_AKUN = tuple(p for p in followup.ROLES if p != "publik")


def allowed_account(user: User, action: str) -> store.Account | None:
    """The session's account as the store has it, when it is active and may take `action`; else None."""
    if not user.signed_in or user.wajib_ganti:
        return None
    found = store.account(user.nama)
    if found is None or not found.aktif or not followup.may(found.peran, found.opd, action):
        return None
    return found


def accounts_section(manager: store.Account) -> None:
    """Add an account (its one-time password shown once), the list of accounts, and disabling one."""
    st.header("Akun")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.success(notice)
    st.subheader("Tambah akun")
    _add_form(manager)
    st.subheader("Daftar akun")
    accounts = store.accounts_table()
    show_table(audit.accounts_view(accounts), key="tabel_akun", public=False, empty="Belum ada akun.")
    st.subheader("Nonaktifkan akun")
    _disable_form(manager, accounts)


def _add_form(manager: store.Account) -> None:
    with st.form("form_akun_baru"):
        nama = st.text_input("Nama akun (satu kata) atau e-mail", key="akun_nama")
        peran = st.selectbox("Peran", PERAN_AKUN, format_func=LABEL_PERAN.get, key="akun_peran")
        opd = st.selectbox(
            "OPD (hanya untuk peran OPD)",
            sorted(followup.opd_labels()),
            index=None,
            placeholder="Pilih nama OPD baku",
            key="akun_opd",
        )
        penyedia = st.checkbox(
            "Masuk lewat penyedia identitas (nama akun = e-mail; tanpa kata sandi di dasbor)", key="akun_penyedia"
        )
        sent = st.form_submit_button("Tambah akun", type="primary")
    if not sent:
        return
    try:
        password = store.add_account(nama, peran, opd if peran == "opd" else None, penyedia=penyedia, oleh=manager.nama)
    except store.AccountError as err:
        st.error(markdown_text(str(err), limit=None))
        return
    st.success(f"Akun {markdown_text(nama.strip().lower())} ({LABEL_PERAN[peran]}) dibuat.")
    if password is None:
        st.caption("Akun ini masuk lewat penyedia identitas; perannya diambil dari daftar ini.")
        return
    st.warning(
        "Kata sandi sekali pakai di bawah ini hanya ditampilkan sekarang: serahkan kepada pemilik akun. "
        "Ia wajib menggantinya saat masuk pertama.",
        icon="🔑",
    )
    st.code(password, language=None)


def _disable_form(manager: store.Account, accounts: pd.DataFrame) -> None:
    others = accounts.loc[accounts["aktif"] & (accounts["nama"] != manager.nama), "nama"].tolist()
    if not others:
        st.caption("Tidak ada akun lain yang aktif.")
        return
    with st.form("form_nonaktif"):
        nama = st.selectbox("Akun", others, index=None, placeholder="Pilih akun", key="nonaktif_nama")
        yakin = st.checkbox(
            "Ya, nonaktifkan: akun ini tidak bisa masuk lagi dan sesinya yang terbuka berakhir.", key="nonaktif_yakin"
        )
        sent = st.form_submit_button("Nonaktifkan akun")
    if not sent:
        return
    if not nama or not yakin:
        st.error("Pilih akunnya dan centang konfirmasi dulu.")
        return
    try:
        store.disable_account(nama, oleh=manager.nama)
    except store.AccountError as err:
        st.error(markdown_text(str(err), limit=None))
        return
    st.session_state[_NOTICE] = f"Akun {markdown_text(nama)} dinonaktifkan; sesinya berakhir."
    st.rerun()  # the list above shows it inactive


def audit_section() -> None:
    """The uploads log, failed sign-ins and every follow-up event, newest first, each downloadable as XLSX."""
    st.header("Audit")
    st.caption("Waktu dalam WIB. Berkas bukti tidak ikut diunduh: unduh satu per satu di halaman Tindak Lanjut.")
    for title, frame, key in (
        ("Unggahan buku kerja", audit.uploads_view(store.upload_log()), "audit_unggahan"),
        ("Gagal masuk", audit.signin_failures_view(store.signin_failures()), "audit_gagal_masuk"),
        ("Tindak lanjut", audit.events_view(store.all_events()), "audit_tindak_lanjut"),
    ):
        st.subheader(f"{title} ({angka(len(frame))})")
        xlsx_button(
            {title: frame},
            f"{key}.xlsx",
            key=f"{key}_unduh",
            label=f"⬇️ Unduh {title.lower()} (XLSX)",
            disabled=frame.empty,
            public=False,
        )
        if len(frame) > SHOWN_ROWS:
            st.caption(f"{angka(SHOWN_ROWS)} terbaru ditampilkan; unduhan berisi semuanya.")
        show_table(frame.head(SHOWN_ROWS), key=key, public=False, empty="Belum ada catatan.")
