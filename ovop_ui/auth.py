"""Password checks from the browser: throttled per session and per client address, each failure logged.

The throttle (ovop_data.throttle) is shared by every session of the server process. An attempt counts against
two keys: this browser session (a random token kept in its session state) and the client's address from
`st.context.ip_address`. Streamlit gives None for localhost, and uvicorn replaces a proxy's address by the
X-Forwarded-For client only for proxies it trusts (127.0.0.1 and ::1 unless FORWARDED_ALLOW_IPS says
otherwise); clients without an address share one key, so a flood of new sessions still meets a limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

import streamlit as st

from ovop_data.throttle import TANPA_ALAMAT, Verdict, address_key

from . import cache

_LOG = logging.getLogger("ovop.auth")
_SESI = "_sesi_percobaan_sandi"  # the random token naming this session in the throttle


def session_key() -> str:
    """The throttle key of this browser session (a random token, made on first use)."""
    return f"sesi:{st.session_state.setdefault(_SESI, secrets.token_hex(16))}"


def client_address() -> str | None:
    """The client's address as Streamlit sees it; None on localhost, and for anything that is not text (AppTest's
    stand-in client answers with a mock object)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else None


def attempt_keys() -> list[str]:
    """The throttle keys a password attempt from this browser counts against: this session, then its address."""
    return [session_key(), address_key(client_address())]


def may_try(keys: list[str]) -> bool:
    """False, with the wait shown, while password attempts from this browser are held back."""
    verdict = cache.login_throttle().check(keys)
    if not verdict.allowed:
        st.error(verdict.message, icon="⏳")
    return verdict.allowed


def count_failure(what: str, keys: list[str]) -> None:
    """Count a wrong password against `keys` and log it (never the guess)."""
    log_failure(what, client_address(), keys[0], cache.login_throttle().record_failure(keys))


def show_failure(message: str, keys: list[str]) -> None:
    """Say the password was wrong, and how long to wait when that failure started a wait."""
    st.error(message)
    after = cache.login_throttle().check(keys)
    if not after.allowed:
        st.warning(after.message, icon="⏳")


def log_failure(what: str, ip: str | None, session: str, verdict: Verdict) -> None:
    """One warning per wrong password: local time with its offset, address, a hash of the session key; never the
    guess. Without a logging setup Python prints warnings to stderr, i.e. the `streamlit run` console."""
    _LOG.warning(
        "Kata sandi %s salah: waktu=%s alamat=%r sesi=%s gagal=%d%s",
        what,
        dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        ip or TANPA_ALAMAT,
        hashlib.sha256(session.encode()).hexdigest()[:12],
        verdict.failures,
        f" dikunci={verdict.wait:.0f}s" if verdict.locked else (f" tunggu={verdict.wait:.0f}s" if verdict.wait else ""),
    )
