"""Accounts: add, list, sign in, change a password, disable; and the log of failed sign-ins.

Passwords are hashed with argon2id (argon2-cffi) and never stored or logged in clear. A new built-in account
gets a one-time password and must change it at first sign-in. An identity-provider account is named by its
e-mail and has no password here: the same table is the sekretariat's list of e-mail -> role, agency.
Disabling an account or changing its password raises its session generation: a session remembers the
generation it started with and ends when it no longer matches.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, insert, select, update

from .. import followup
from .db import engine as default_engine
from .db import writes_refused
from .tables import akun, gagal_masuk

_HASHER = PasswordHasher()  # argon2id with the library's current recommended cost
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class Account:
    """A signed-in (or looked-up) account: who, which role and agency, and the session generation."""

    nama: str
    peran: str
    opd: str | None
    wajib_ganti: bool
    aktif: bool
    generasi_sesi: int
    penyedia: bool = False  # signs in through the identity provider (no password kept here)


class AccountError(ValueError):
    """A request about an account that is refused; the message is for the user (Bahasa Indonesia)."""


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so the answer takes as long either way."""
    return _HASHER.hash("bukan-sandi-siapa-pun")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _key(nama: str) -> str:
    return nama.strip().lower()


def _checked_role(peran: str, opd: str | None) -> str | None:
    """The agency to store for this role, or AccountError: an opd account names one canonical agency."""
    if peran not in followup.ROLES:
        raise AccountError(f"Peran '{peran}' tidak dikenal; pilih salah satu: {', '.join(followup.ROLES)}.")
    if peran != "opd":
        if opd:
            raise AccountError("Hanya akun berperan opd yang terikat pada satu OPD.")
        return None
    if not opd or opd not in followup.opd_labels():
        raise AccountError(
            f"OPD '{opd or ''}' bukan nama OPD baku; gunakan nama dari kosakata OPD (mis. 'Dinas Kesehatan')."
        )
    return opd


def add_account(
    nama: str,
    peran: str,
    opd: str | None = None,
    *,
    penyedia: bool = False,
    oleh: str | None = None,
    db: Engine | None = None,
) -> str | None:
    """Create an account; its one-time password (to hand over once; it must be changed at first use).

    `penyedia=True`: an identity-provider account, named by its e-mail, with no password here (returns None).
    `oleh`: the account asking (the dashboard always names it); it must be active and may manage accounts.
    The command line leaves it out: whoever runs it on the server creates the first sekretariat account.
    """
    key = _key(nama)
    if not key or len(key) > 254 or any(c.isspace() for c in key):
        raise AccountError("Nama akun harus satu kata (tanpa spasi), paling panjang 254 karakter.")
    if penyedia and "@" not in key:
        raise AccountError("Akun penyedia identitas dinamai dengan alamat e-mailnya (mis. nama@blitarkab.go.id).")
    stored_opd = _checked_role(peran, opd)
    refusal = writes_refused() if db is None else None  # an account on an ephemeral disk would vanish at restart
    if refusal:
        raise AccountError(refusal)
    db = db or default_engine()
    if oleh is not None:
        _check_manager(oleh, db)
    password = None if penyedia else secrets.token_urlsafe(12)
    with db.begin() as conn:
        if conn.execute(select(akun.c.id).where(akun.c.nama == key)).first():
            raise AccountError(f"Akun '{key}' sudah ada.")
        conn.execute(
            insert(akun).values(
                nama=key,
                peran=peran,
                opd=stored_opd,
                hash_sandi=None if password is None else _HASHER.hash(password),
                wajib_ganti=password is not None,
                aktif=True,
                generasi_sesi=0,
                dibuat=_now(),
            )
        )
    return password


def _check_manager(oleh: str, db: Engine) -> Account:
    """The account `oleh` when it is active and may manage accounts (read from the store, never from a session)."""
    who = account(oleh, db=db)
    if who is None or not who.aktif or not followup.may(who.peran, who.opd, "kelola_akun"):
        raise AccountError("Hanya akun Sekretariat OVOP yang aktif boleh mengelola akun.")
    return who


#: Columns of `accounts_table`, in order (never the password hash).
ACCOUNT_COLUMNS = ("nama", "peran", "opd", "aktif", "wajib_ganti", "penyedia", "dibuat")


def accounts_table(*, db: Engine | None = None) -> pd.DataFrame:
    """Every account (active or not), by name: who, role, agency, active, must change, provider, created (UTC)."""
    db = db or default_engine()
    query = select(
        akun.c.nama, akun.c.peran, akun.c.opd, akun.c.aktif, akun.c.wajib_ganti, akun.c.hash_sandi, akun.c.dibuat
    )
    with db.connect() as conn:
        rows = conn.execute(query.order_by(akun.c.nama)).mappings().all()
    frame = pd.DataFrame(
        [
            {
                "nama": r["nama"],
                "peran": r["peran"],
                "opd": r["opd"],
                "aktif": bool(r["aktif"]),
                "wajib_ganti": bool(r["wajib_ganti"]),
                "penyedia": r["hash_sandi"] is None,
                "dibuat": r["dibuat"],
            }
            for r in rows
        ],
        columns=list(ACCOUNT_COLUMNS),
    )
    frame["dibuat"] = pd.to_datetime(frame["dibuat"], utc=True)
    return frame


def account(nama: str, *, db: Engine | None = None) -> Account | None:
    """The account of that name (active or not), or None."""
    db = db or default_engine()
    with db.connect() as conn:
        row = conn.execute(select(akun).where(akun.c.nama == _key(nama))).mappings().first()
    return _account(row) if row else None


def _account(row) -> Account:
    return Account(
        row["nama"],
        row["peran"],
        row["opd"],
        bool(row["wajib_ganti"]),
        bool(row["aktif"]),
        row["generasi_sesi"],
        row["hash_sandi"] is None,
    )


def verify_password(nama: str, password: str, *, alamat: str | None = None, db: Engine | None = None) -> Account | None:
    """The account when the password is right and the account active; else None, the failure logged (no password)."""
    db = db or default_engine()
    key = _key(nama)
    with db.connect() as conn:
        row = conn.execute(select(akun).where(akun.c.nama == key)).mappings().first()
    stored = row["hash_sandi"] if row and row["hash_sandi"] else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
        right = row is not None and row["hash_sandi"] is not None
    except (VerificationError, InvalidHashError):
        right = False
    if right and row["aktif"]:
        if _HASHER.check_needs_rehash(stored):
            with db.begin() as conn:
                conn.execute(update(akun).where(akun.c.nama == key).values(hash_sandi=_HASHER.hash(password)))
        return _account(row)
    reason = "akun_tidak_dikenal" if row is None else ("akun_nonaktif" if right else "sandi_salah")
    record_signin_failure(key[:254], reason, alamat=alamat, db=db)
    return None


def change_password(nama: str, old: str, new: str, *, db: Engine | None = None) -> None:
    """Replace the password (checking the old one), clear the must-change flag and end the other sessions."""
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kata sandi baru paling sedikit {MIN_PASSWORD_LENGTH} karakter.")
    if new == old:
        raise AccountError("Kata sandi baru harus berbeda dari yang lama.")
    db = db or default_engine()
    if verify_password(nama, old, db=db) is None:
        raise AccountError("Kata sandi lama salah.")
    with db.begin() as conn:
        conn.execute(
            update(akun)
            .where(akun.c.nama == _key(nama))
            .values(hash_sandi=_HASHER.hash(new), wajib_ganti=False, generasi_sesi=akun.c.generasi_sesi + 1)
        )


def disable_account(nama: str, *, oleh: str | None = None, db: Engine | None = None) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end (generation raised).

    `oleh` as in `add_account`; an account cannot disable itself (the last sekretariat would lock everyone out).
    """
    db = db or default_engine()
    if oleh is not None and _check_manager(oleh, db).nama == _key(nama):
        raise AccountError("Akun sendiri tidak bisa dinonaktifkan; minta akun Sekretariat lain.")
    with db.begin() as conn:
        done = conn.execute(
            update(akun).where(akun.c.nama == _key(nama)).values(aktif=False, generasi_sesi=akun.c.generasi_sesi + 1)
        )
    if not done.rowcount:
        raise AccountError(f"Akun '{_key(nama)}' tidak ditemukan.")


def session_account(nama: str, generasi_sesi: int, *, db: Engine | None = None) -> Account | None:
    """The account of a session started at that generation, as the store has it now (its current role and agency);
    None when the session must end (account gone, disabled or re-keyed since)."""
    found = account(nama, db=db)
    return found if found is not None and found.aktif and found.generasi_sesi == generasi_sesi else None


def record_signin_failure(nama: str, alasan: str, *, alamat: str | None = None, db: Engine | None = None) -> None:
    """Log a failed sign-in (name tried, reason, client address; never the password) for the audit view."""
    db = db or default_engine()
    with db.begin() as conn:
        conn.execute(insert(gagal_masuk).values(waktu=_now(), nama=nama[:254], alasan=alasan, alamat=alamat))


def agency_emails(opd: str, *, db: Engine | None = None) -> list[str]:
    """E-mail addresses of the active accounts of an agency (accounts named by an e-mail), for reminders."""
    db = db or default_engine()
    query = (
        select(akun.c.nama)
        .where(akun.c.peran == "opd", akun.c.opd == opd, akun.c.aktif.is_(True), akun.c.nama.contains("@"))
        .order_by(akun.c.nama)
    )
    with db.connect() as conn:
        return list(conn.execute(query).scalars())
