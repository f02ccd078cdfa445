"""The audit view's tables: accounts, uploads, failed sign-ins and follow-up events, as people read them.

Pure: the store's frames in (times in UTC), new frames out with Indonesian headers, times as WIB wall-clock
(the dashboard's users are in Blitar), newest first. The same frames are shown and exported, so the file
says what the screen says.
"""

from __future__ import annotations

import pandas as pd

#: The time zone of Blitar: every audit time is shown and exported in it.
WIB = "Asia/Jakarta"
WAKTU = "Waktu (WIB)"

ALASAN_GAGAL = {
    "sandi_salah": "Kata sandi salah",
    "akun_tidak_dikenal": "Akun tidak dikenal",
    "akun_nonaktif": "Akun nonaktif",
    "oidc_tanpa_email": "Penyedia identitas: tanpa e-mail",
    "oidc_email_belum_terverifikasi": "Penyedia identitas: e-mail belum terverifikasi",
    "oidc_akun_tidak_dikenal": "Penyedia identitas: e-mail belum terdaftar",
    "oidc_akun_nonaktif": "Penyedia identitas: akun nonaktif",
    "oidc_akun_bersandi": "Penyedia identitas: akun itu berkata sandi",
}
JENIS_PERISTIWA = {"laporan": "Laporan", "bukan_kewenangan": "Bukan kewenangan", "penugasan": "Penugasan"}

_ACCOUNT_HEADERS = {
    "nama": "Nama Akun",
    "peran": "Peran",
    "opd": "OPD",
    "aktif": "Aktif",
    "wajib_ganti": "Wajib Ganti Sandi",
    "penyedia": "Penyedia Identitas",
    "dibuat": "Dibuat (WIB)",
}
_UPLOAD_HEADERS = {
    "waktu": WAKTU,
    "oleh": "Oleh",
    "berkas": "Berkas",
    "disimpan": "Disimpan",
    "diterima": "Baris Diterima",
    "ditolak": "Baris Ditolak",
    "pesan": "Pesan",
    "sha256": "SHA-256",
}
_FAILURE_HEADERS = {"waktu": WAKTU, "nama": "Nama Dicoba", "alasan": "Alasan", "alamat": "Alamat"}
_EVENT_HEADERS = {
    "waktu": WAKTU,
    "id_pelacakan": "ID Pelacakan",
    "oleh": "Oleh",
    "jenis": "Jenis",
    "status_dari": "Status Dari",
    "status_ke": "Status Ke",
    "catatan": "Catatan",
    "internal": "Internal",
    "tenggat_baru": "Tenggat Baru",
    "alasan_tenggat": "Alasan Tenggat",
    "opd_baru": "OPD Baru",
    "tautan_bukti": "Tautan Bukti",
    "nama_bukti": "Berkas Bukti",
}


def _words(words: dict[str, str]):
    """A code to its words (an unknown code stays as it is: nothing recorded is hidden from the audit)."""
    return lambda code: words.get(code, code)


def in_wib(values: pd.Series) -> pd.Series:
    """UTC times (naive ones are read as UTC, as SQLite returns them) as WIB wall-clock times without a zone."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(WIB).dt.tz_localize(None)


def _table(frame: pd.DataFrame, headers: dict[str, str], time: str) -> pd.DataFrame:
    """The columns of `headers` under their headers, in the frame's order, the `time` column in WIB."""
    out = frame.assign(**{time: in_wib(frame[time])})
    return out.loc[:, list(headers)].rename(columns=headers).reset_index(drop=True)


def accounts_view(accounts: pd.DataFrame) -> pd.DataFrame:
    """The accounts list (store.accounts_table), by name; creation time in WIB. Never a password hash."""
    return _table(accounts, _ACCOUNT_HEADERS, "dibuat")


def uploads_view(log: pd.DataFrame) -> pd.DataFrame:
    """The uploads log (store.upload_log), newest first: who, file, saved or not, rows, message, checksum."""
    return _table(log, _UPLOAD_HEADERS, "waktu")


def signin_failures_view(failures: pd.DataFrame) -> pd.DataFrame:
    """The failed sign-ins (store.signin_failures), newest first, the reason in words."""
    return _table(failures.assign(alasan=failures["alasan"].map(_words(ALASAN_GAGAL))), _FAILURE_HEADERS, "waktu")


def events_view(events: pd.DataFrame) -> pd.DataFrame:
    """Every follow-up event (store.all_events, which never carries evidence bytes), newest first."""
    # The store lists events oldest first (by time, then as written): reversed, the same tie order backwards.
    newest_first = events.iloc[::-1]
    return _table(
        newest_first.assign(jenis=newest_first["jenis"].map(_words(JENIS_PERISTIWA))), _EVENT_HEADERS, "waktu"
    )
