"""Who is using the dashboard: sign-in (built-in accounts or the identity provider), sign-out, forced password change.

The signed-in user lives in this browser session's state with the session generation it started at; every run
asks the store whether that generation is still current, so disabling an account or changing its password ends
its sessions at their next run. Nobody signed in is the public role. Role and agency always come from the
store's account, never from the identity provider or from anything the browser sends.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

import streamlit as st
from streamlit.errors import StreamlitAuthError, StreamlitSecretNotFoundError

from ovop_data import store
from ovop_data.escape import markdown_text

from . import auth, cache
from .pages import page

_LOG = logging.getLogger("ovop.akun")
_USER = "_ovop_akun"
_NOTICE = "_ovop_akun_pesan"  # why the session ended, shown once on the next run
_OIDC = "oidc"
_REFUSED = "_ovop_akun_ditolak"  # why the identity provider's person has no account (shown in the sidebar)
_PROVIDER_FAILED = "_ovop_akun_oidc_gagal"  # why st.login could not start (shown under its button once)
_REFUSAL_LOGGED = "_ovop_akun_ditolak_dicatat"  # (e-mail, reason) already in the sign-in log for this session


@dataclass(frozen=True)
class User:
    """The user of this session: account name, role, agency, the session generation, and whether a new
    password is still owed (one-time password not yet changed)."""

    nama: str
    peran: str
    opd: str | None = None
    generasi_sesi: int = 0
    wajib_ganti: bool = False
    lewat: str = "sandi"  # "sandi" (built-in account) or "oidc" (identity provider)

    @property
    def signed_in(self) -> bool:
        return self.peran != "publik"


PUBLIK = User(nama="", peran="publik")
LABEL_PERAN = {"publik": "Publik", "opd": "OPD", "sekretariat": "Sekretariat OVOP", "pimpinan": "Pimpinan"}


def provider_configured() -> bool:
    """Whether `[auth]` (OIDC) is set in .streamlit/secrets.toml, so st.login can be offered."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def _from_account(found: store.Account, lewat: str) -> User:
    return User(found.nama, found.peran, found.opd, found.generasi_sesi, found.wajib_ganti, lewat)


@dataclass(frozen=True)
class ProviderIdentity:
    """What the identity provider says about the person signed in through it: the e-mail (trimmed, lower-case,
    "" when none was sent) and whether the provider vouches for it."""

    email: str
    verified: bool


def identity_from_claims(claims: Mapping[str, object]) -> ProviderIdentity:
    """The identity in a provider's claims (st.user). Only an explicit "not verified" refuses the e-mail: some
    providers (Microsoft Entra ID) never send `email_verified`, and some (AWS Cognito) send it as text."""
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() != "false"
    return ProviderIdentity(email, verified is not False)


def provider_identity() -> ProviderIdentity | None:
    """The identity provider's person in this browser, or None (no provider configured, or nobody signed in)."""
    if not provider_configured() or not st.user.get("is_logged_in"):
        return None
    return identity_from_claims(st.user)


def _refusal(identity: ProviderIdentity, found: store.Account | None) -> tuple[str, str] | None:
    """(reason for the sign-in log, message for the user) when the identity has no usable account, else None."""
    shown = markdown_text(identity.email)
    if not identity.email:
        return "oidc_tanpa_email", "Penyedia identitas tidak mengirim alamat e-mail; hubungi Sekretariat OVOP."
    if not identity.verified:
        return (
            "oidc_email_belum_terverifikasi",
            f"E-mail {shown} belum diverifikasi oleh penyedia identitas; hubungi Sekretariat OVOP.",
        )
    if found is None:
        return (
            "oidc_akun_tidak_dikenal",
            f"E-mail {shown} belum terdaftar di dasbor; minta Sekretariat OVOP mendaftarkannya. "
            "Sementara ini Anda melihat tampilan publik.",
        )
    if not found.aktif:
        return "oidc_akun_nonaktif", f"Akun {shown} nonaktif; hubungi Sekretariat OVOP."
    if not found.penyedia:
        # A password account named by this e-mail is not the provider's to open: a provider whose users can
        # set their own e-mail (a multi-tenant Entra ID app) would otherwise hand it to anyone.
        return (
            "oidc_akun_bersandi",
            f"Akun {shown} masuk dengan kata sandi di halaman Masuk, bukan lewat penyedia identitas.",
        )
    return None


def _provider_user() -> User | None:
    """The store's account of the identity provider's verified e-mail, or None (the reason kept for the sidebar
    and logged once per session for the sekretariat's audit view)."""
    identity = provider_identity()
    if identity is None:
        return None
    found = store.account(identity.email) if identity.email and identity.verified else None
    refused = _refusal(identity, found)
    if refused is not None:
        reason, message = refused
        st.session_state[_REFUSED] = message
        if st.session_state.get(_REFUSAL_LOGGED) != (identity.email, reason):
            st.session_state[_REFUSAL_LOGGED] = (identity.email, reason)
            store.record_signin_failure(identity.email or "(tanpa e-mail)", reason, alamat=auth.client_address())
        return None
    st.session_state.pop(_REFUSED, None)
    # The provider keeps the password: the account's one-time password is never used, nothing to change.
    return replace(_from_account(found, _OIDC), wajib_ganti=False)


def current_user() -> User:
    """The user of this run (PUBLIK when nobody is signed in), re-checked against the store every run.

    A session whose account was disabled or re-keyed ends here. A provider user is then looked up again, so a
    disabled account shows why, and an account whose role or agency changed goes on with the new ones.
    """
    user = st.session_state.get(_USER)
    found = store.session_account(user.nama, user.generasi_sesi) if user is not None else None
    if user is not None and found is None:
        st.session_state.pop(_USER, None)
        if user.lewat != _OIDC:
            st.session_state[_NOTICE] = (
                "Sesi Anda berakhir (akun dinonaktifkan atau kata sandinya diganti). Silakan masuk lagi."
            )
        user = None
    elif user is not None and (found.peran, found.opd) != (user.peran, user.opd):
        user = replace(user, peran=found.peran, opd=found.opd)  # the store's role, never the session's copy
        st.session_state[_USER] = user
    if user is None:
        user = _provider_user()
        if user is None:
            return PUBLIK
        st.session_state[_USER] = user
    return user


def sign_out() -> None:
    """End this session's sign-in, and the identity provider's when it was used (st.logout: a new session)."""
    user = st.session_state.pop(_USER, None)
    if user is not None and user.lewat == _OIDC and st.user.get("is_logged_in"):
        st.logout()


def sidebar_line(user: User) -> None:
    """A compact line in the sidebar: signed in as whom (and a sign-out button), or a link to sign in."""
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.sidebar.warning(notice, icon="🔒")
    if not user.signed_in:
        refused = st.session_state.get(_REFUSED) if provider_identity() else None
        if refused:
            st.sidebar.warning(refused, icon="🔒")
            st.sidebar.button("Keluar dari akun instansi", key="keluar_oidc", on_click=st.logout, icon="🚪")
        st.sidebar.page_link(page("masuk"), label="Masuk (OPD, Sekretariat, Pimpinan)", icon="🔑")
        return
    agency = f" · {markdown_text(user.opd)}" if user.opd else ""
    st.sidebar.caption(f"Masuk sebagai **{markdown_text(user.nama)}** ({LABEL_PERAN[user.peran]}{agency})")
    st.sidebar.button("Keluar", key="keluar", on_click=sign_out, icon="🚪")


def sign_in_form() -> None:
    """The built-in accounts' sign-in form, throttled per session and address like the editor password."""
    with st.form("form_masuk"):
        nama = st.text_input("Nama akun", key="masuk_nama")
        sandi = st.text_input("Kata sandi", type="password", key="masuk_sandi")
        sent = st.form_submit_button("Masuk", type="primary")
    if sent:
        _attempt(nama, sandi)
    if provider_configured():
        st.divider()
        st.button("Masuk dengan akun instansi (penyedia identitas)", key="masuk_oidc", on_click=_login_with_provider)
        failed = st.session_state.pop(_PROVIDER_FAILED, None)
        if failed:
            st.error(failed, icon="⚙️")


def _login_with_provider() -> None:
    """st.login, or a clear message when it cannot start (incomplete `[auth]` settings, Authlib missing)."""
    try:
        st.login()
    except StreamlitAuthError as err:  # Streamlit's reason, in English, names the missing setting
        _LOG.warning("st.login refused: %s", err)
        st.session_state[_PROVIDER_FAILED] = (
            "Masuk lewat penyedia identitas belum bisa: pengaturan [auth] di secrets.toml belum lengkap atau "
            f"salah. Hubungi pengelola dasbor. (Rincian: {markdown_text(' '.join(str(err).split()), limit=400)})"
        )


def _attempt(nama: str, sandi: str) -> None:
    """One throttled sign-in attempt: signs in on success, else says why (without telling which part was wrong)."""
    if not nama.strip() or not sandi:
        st.error("Isi nama akun dan kata sandi.")
        return
    keys = auth.attempt_keys()
    if not auth.may_try(keys):
        return
    found = store.verify_password(nama, sandi, alamat=auth.client_address())
    if found is None:
        auth.count_failure("akun", keys)
        auth.show_failure("Nama akun atau kata sandi salah, atau akun nonaktif.", keys)
        return
    cache.login_throttle().clear(keys[:1])  # only this session's record: the address may be shared
    st.session_state[_USER] = _from_account(found, "sandi")
    st.rerun()


def change_password_form(user: User) -> None:
    """The password change (forced after a one-time password); the new generation keeps this session going."""
    with st.form("form_ganti_sandi"):
        lama = st.text_input("Kata sandi lama (atau sandi sekali pakai)", type="password", key="sandi_lama")
        baru = st.text_input(
            f"Kata sandi baru (paling sedikit {store.accounts.MIN_PASSWORD_LENGTH} karakter)",
            type="password",
            key="sandi_baru",
        )
        ulang = st.text_input("Ulangi kata sandi baru", type="password", key="sandi_ulang")
        sent = st.form_submit_button("Ganti kata sandi", type="primary")
    if not sent:
        return
    if baru != ulang:
        st.error("Kata sandi baru dan ulangannya tidak sama.")
        return
    keys = auth.attempt_keys()
    if not auth.may_try(keys):
        return
    try:
        store.change_password(user.nama, lama, baru)
    except store.AccountError as err:
        if "lama salah" in str(err):
            auth.count_failure("akun", keys)
        st.error(str(err))
        return
    found = store.account(user.nama)
    if found is None:
        sign_out()
    else:
        st.session_state[_USER] = _from_account(found, user.lewat)
    st.success("Kata sandi diganti.")
    st.rerun()
