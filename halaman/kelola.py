"""Kelola (Akun & Audit): the sekretariat manages accounts; the sekretariat and pimpinan read the audit logs."""

import streamlit as st

from ovop_ui import akun
from ovop_ui.kelola import accounts_section, allowed_account, audit_section
from ovop_ui.pages import page

st.title("Akun & Audit")
user = akun.current_user()
# Asked of the store on every run: a role written into the session state is not believed.
manager = allowed_account(user, "kelola_akun")
auditor = allowed_account(user, "audit")
if manager is None and auditor is None:
    if user.signed_in and not user.wajib_ganti:
        st.info(
            "Peran Anda tidak membuka halaman ini: akun dikelola Sekretariat OVOP, "
            "audit untuk Sekretariat dan Pimpinan."
        )
    else:
        st.info(
            "Halaman ini untuk Sekretariat OVOP (akun dan audit) dan Pimpinan (audit): masuk dulu, "
            "dan ganti kata sandi sekali pakai."
        )
        st.page_link(page("masuk"), label="Masuk", icon="🔑")
    st.stop()

if manager is not None:
    accounts_section(manager)
if auditor is not None:
    audit_section()
