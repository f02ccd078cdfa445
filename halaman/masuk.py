"""Masuk: sign in to a built-in account (or through the identity provider), change a one-time password, sign out."""

import streamlit as st

from ovop_ui import akun
from ovop_ui.pages import page

st.title("Masuk")
user = akun.current_user()
if not user.signed_in:
    st.caption(
        "Untuk OPD, Sekretariat OVOP dan Pimpinan. Pengunjung umum tidak perlu masuk: semua halaman lain terbuka."
    )
    akun.sign_in_form()
    st.stop()

st.success(f"Anda masuk sebagai {user.nama} ({akun.LABEL_PERAN[user.peran]}{f' · {user.opd}' if user.opd else ''}).")
if user.wajib_ganti:
    st.warning("Ganti kata sandi sekali pakai Anda sebelum melanjutkan.", icon="🔑")
if user.lewat == "sandi":
    with st.expander("Ganti kata sandi", expanded=user.wajib_ganti):
        akun.change_password_form(user)
if not user.wajib_ganti:
    st.page_link(page("tindak_lanjut"), label="Buka Tindak Lanjut", icon="📝")
st.button("Keluar", key="keluar_halaman", on_click=akun.sign_out, icon="🚪")
