"""The Kelola page (Akun & Audit) with AppTest over a real SQLite file: each role sees what it may, the
sekretariat adds and disables accounts, and a session that forges widget values or its role is refused."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from app_helpers import HALAMAN, rendered_text, shown_cells, sign_in, tables_starting
from argon2 import PasswordHasher, Type

from ovop_data import audit, store
from ovop_data.store import accounts, db
from ovop_ui import cache
from ovop_ui.akun import User
from ovop_ui.tables import _xlsx

DINKES = "Dinas Kesehatan"
PASSWORD = "sandi-uji-yang-panjang"
SESSION = "_ovop_akun"
SUBMIT_ADD = "FormSubmitter:form_akun_baru-Tambah akun"
SUBMIT_DISABLE = "FormSubmitter:form_nonaktif-Nonaktifkan akun"
AUDIT_TITLES = ("Unggahan buku kerja", "Gagal masuk", "Tindak lanjut")
#: Every widget value a forger could send for the two forms.
FORGED_WIDGETS = {
    "akun_nama": "penyusup",
    "akun_peran": "sekretariat",
    "akun_penyedia": False,
    "nonaktif_nama": "dinkes",
    "nonaktif_yakin": True,
}


@pytest.fixture(autouse=True)
def database(app_env, tmp_path: Path, monkeypatch) -> Iterator[str]:
    """A fresh SQLite file and throttle; argon2id at its lowest cost (same code path, faster)."""
    url = f"sqlite:///{tmp_path / 'ovop.sqlite3'}"
    monkeypatch.setenv(db.URL_VARIABLE, url)
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))
    cache.login_throttle.clear()
    yield url
    cache.login_throttle.clear()
    db.dispose(url)


def account(nama: str, peran: str, opd: str | None = None) -> User:
    """An account with its password changed to PASSWORD; its signed-in session."""
    store.change_password(nama, store.add_account(nama, peran, opd), PASSWORD)
    found = store.account(nama)
    return User(found.nama, found.peran, found.opd, found.generasi_sesi, found.wajib_ganti)


def kelola(run_app, user: User | None = None, **state):
    at = run_app(page="kelola", state={**({SESSION: user} if user else {}), **state})
    assert not at.exception
    return at


def headers(at) -> list[str]:
    return [h.value for h in at.main.header]


def forms(at) -> list[str]:
    return [f.proto.form.form_id for f in at.get("form")]


# --- who sees what -----------------------------------------------------------------------------------------


def test_the_public_is_asked_to_sign_in_and_sees_nothing_else(run_app):
    at = kelola(run_app)
    assert "Halaman ini untuk Sekretariat OVOP" in " ".join(i.value for i in at.info)
    assert any(link.proto.page.endswith("masuk") for link in at.get("page_link"))
    assert not headers(at) and not forms(at) and not at.dataframe


def test_an_agency_account_is_told_its_role_does_not_open_the_page(run_app):
    at = kelola(run_app, account("dinkes", "opd", DINKES))
    assert "Peran Anda tidak membuka halaman ini" in " ".join(i.value for i in at.info)
    assert not headers(at) and not forms(at) and not at.dataframe


def test_pimpinan_reads_the_audit_and_manages_no_account(run_app):
    at = kelola(run_app, account("bupati", "pimpinan"))
    assert headers(at) == ["Audit"]
    assert [s.value for s in at.subheader] == [f"{t} (0)" for t in AUDIT_TITLES]
    assert not forms(at)
    assert [b.proto.label for b in at.get("download_button")] == [f"⬇️ Unduh {t.lower()} (XLSX)" for t in AUDIT_TITLES]


def test_the_sekretariat_manages_accounts_and_reads_the_audit(run_app):
    at = kelola(run_app, account("sekre", "sekretariat"))
    assert headers(at) == ["Akun", "Audit"]
    assert forms(at) == ["form_akun_baru"]  # nobody else active to disable yet
    [listed] = tables_starting(at, "Nama Akun", "Peran", "OPD", "Aktif", "Wajib Ganti Sandi")
    assert listed["Nama Akun"].tolist() == ["sekre"]
    assert "argon2" not in rendered_text(at)  # never a hash


def test_a_one_time_password_account_sees_nothing_before_changing_it(run_app):
    store.add_account("sekre", "sekretariat")
    found = store.account("sekre")
    at = kelola(run_app, User(found.nama, found.peran, None, found.generasi_sesi, wajib_ganti=True))
    assert "ganti kata sandi sekali pakai" in " ".join(i.value for i in at.info)
    assert not headers(at)


# --- the sekretariat's work ------------------------------------------------------------------------------


def add(at, nama: str, peran: str, opd: str | None = None, penyedia: bool = False):
    at.text_input(key="akun_nama").input(nama)
    at.selectbox(key="akun_peran").set_value(peran)
    at.selectbox(key="akun_opd").set_value(opd)
    at.checkbox(key="akun_penyedia").set_value(penyedia)
    at.button(key=SUBMIT_ADD).click().run()
    assert not at.exception
    return at


def test_the_sekretariat_adds_an_agency_account_which_signs_in_and_must_change_its_password(run_app):
    at = add(kelola(run_app, account("sekre", "sekretariat")), "Kadis.Kes", "opd", DINKES)
    assert "Akun kadis.kes (OPD) dibuat." in [s.value.replace("\\", "") for s in at.success]
    [code] = at.code
    one_time = code.value
    assert len(one_time) >= 12
    found = store.account("kadis.kes")
    assert (found.peran, found.opd, found.wajib_ganti, found.aktif) == ("opd", DINKES, True, True)
    listed = tables_starting(at, "Nama Akun", "Peran", "OPD")[0].set_index("Nama Akun")
    assert listed.loc["kadis.kes", "OPD"] == DINKES and bool(listed.loc["kadis.kes", "Wajib Ganti Sandi"])
    # Shown once: kept nowhere in the session, gone at the next run.
    assert all(one_time not in repr(at.session_state[k]) for k in at.session_state)
    at.run()
    assert not at.code and one_time not in rendered_text(at)

    new = sign_in(run_app, "kadis.kes", one_time)
    assert new.session_state[SESSION].wajib_ganti
    assert "Ganti kata sandi sekali pakai Anda" in " ".join(w.value for w in new.warning)
    new.switch_page(str(HALAMAN / "tindak_lanjut.py")).run()
    assert "ganti kata sandi sekali pakai" in rendered_text(new) and not new.selectbox


def test_an_identity_provider_account_gets_no_password(run_app):
    at = add(kelola(run_app, account("sekre", "sekretariat")), "Bupati@Blitarkab.go.id", "pimpinan", DINKES, True)
    assert not at.code and not at.error
    found = store.account("bupati@blitarkab.go.id")
    assert found.peran == "pimpinan" and found.opd is None  # the agency is only for role opd
    listed = tables_starting(at, "Nama Akun")[0].set_index("Nama Akun")
    assert bool(listed.loc["bupati@blitarkab.go.id", "Penyedia Identitas"])  # the e-mail shown whole, not masked


@pytest.mark.parametrize(
    ("nama", "peran", "opd", "message"),
    [
        ("kadis", "opd", None, "bukan nama OPD baku"),
        ("dua kata", "pimpinan", None, "harus satu kata"),
        ("sekre", "pimpinan", None, "sudah ada"),
    ],
)
def test_a_bad_account_is_refused_with_a_message(run_app, nama, peran, opd, message):
    at = add(kelola(run_app, account("sekre", "sekretariat")), nama, peran, opd)
    assert message in " ".join(e.value for e in at.error) and not at.code
    assert store.accounts_table()["nama"].tolist() == ["sekre"]


def test_a_name_is_shown_as_text(run_app):
    at = add(kelola(run_app, account("sekre", "sekretariat")), "[klik](http://contoh.invalid)", "pimpinan")
    assert "](http" not in " ".join(s.value for s in at.success)


def test_disabling_needs_the_confirmation_and_ends_the_accounts_session(run_app):
    dinkes = account("dinkes", "opd", DINKES)
    agency = run_app(page="tindak_lanjut", state={SESSION: dinkes})
    assert agency.selectbox
    at = kelola(run_app, account("sekre", "sekretariat"))
    assert at.selectbox(key="nonaktif_nama").options == ["dinkes"]  # never the sekretariat's own account
    at.selectbox(key="nonaktif_nama").set_value("dinkes")
    at.button(key=SUBMIT_DISABLE).click().run()
    assert "centang konfirmasi" in " ".join(e.value for e in at.error)
    assert store.account("dinkes").aktif

    at.checkbox(key="nonaktif_yakin").check()
    at.button(key=SUBMIT_DISABLE).click().run()
    assert not at.exception
    assert not store.account("dinkes").aktif
    assert "Akun dinkes dinonaktifkan; sesinya berakhir." in [s.value for s in at.success]
    listed = tables_starting(at, "Nama Akun", "Peran")[0].set_index("Nama Akun")
    assert not listed.loc["dinkes", "Aktif"]
    assert "form_nonaktif" not in forms(at)  # nobody else left to disable

    agency.run()
    assert SESSION not in agency.session_state and not agency.selectbox


# --- refused on the server, whatever the session sends -------------------------------------------------------


@pytest.mark.parametrize("peran", ["publik", "opd", "pimpinan"])
def test_forged_form_values_change_nothing_for_other_roles(run_app, peran):
    account("dinkes", "opd", DINKES)
    user = None if peran == "publik" else account("pengguna", peran, DINKES if peran == "opd" else None)
    at = kelola(run_app, user, **FORGED_WIDGETS)
    at.run()
    assert not at.exception and not forms(at)
    assert store.account("penyusup") is None and store.account("dinkes").aktif


def test_a_role_forged_into_the_session_is_not_believed(run_app):
    real = account("dinkes", "opd", DINKES)
    account("bupati", "pimpinan")
    forged = User(real.nama, "sekretariat", None, real.generasi_sesi)
    at = kelola(run_app, forged, **{**FORGED_WIDGETS, "nonaktif_nama": "bupati"})
    at.run()
    assert "Peran Anda tidak membuka halaman ini" in " ".join(i.value for i in at.info)
    assert not forms(at) and not at.dataframe
    assert store.account("penyusup") is None and store.account("bupati").aktif


def test_an_account_disabled_meanwhile_manages_nothing(run_app):
    """Two sekretariat sessions: one disables the other, whose next submit is refused and its session ended."""
    first = kelola(run_app, account("sekre", "sekretariat"))
    second = kelola(run_app, account("sekre2", "sekretariat"))
    second.selectbox(key="nonaktif_nama").set_value("sekre")
    second.checkbox(key="nonaktif_yakin").check()
    second.button(key=SUBMIT_DISABLE).click().run()
    assert not store.account("sekre").aktif
    add(first, "baru", "pimpinan")
    assert store.account("baru") is None and SESSION not in first.session_state


# --- the audit view ------------------------------------------------------------------------------------------


def test_the_audit_lists_failed_sign_ins_uploads_and_events_newest_first_in_wib(run_app):
    sekre = account("sekre", "sekretariat")
    before = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta(hours=7)
    for guessed in ("salah-1", "salah-2"):
        sign_in(run_app, "sekre", guessed)
    sign_in(run_app, '=HYPERLINK("http://contoh.invalid")', "x")
    store.record_upload("sekre", "aspirasi.xlsx", b"isi", 10, 2, True, "disimpan")
    item = store.Item("ASP-20250301-abcdef0123", DINKES, "Belum")
    store.record_event(item, "sekre", status="Proses", catatan="pertama")
    store.record_event(item, "sekre", catatan="CATATAN-INTERNAL", internal=True)
    at = kelola(run_app, sekre)
    assert [s.value for s in at.subheader][-3:] == ["Unggahan buku kerja (1)", "Gagal masuk (3)", "Tindak lanjut (2)"]

    failed = tables_starting(at, "Waktu (WIB)", "Nama Dicoba", "Alasan", "Alamat")[0]
    assert failed["Nama Dicoba"].tolist() == ['=hyperlink("http://contoh.invalid")', "sekre", "sekre"]
    assert failed["Alasan"].tolist() == ["Akun tidak dikenal", "Kata sandi salah", "Kata sandi salah"]
    after = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta(hours=7)
    assert failed["Waktu (WIB)"].between(before - pd.Timedelta(seconds=1), after).all()  # WIB = UTC+7
    assert failed["Waktu (WIB)"].is_monotonic_decreasing
    cells = shown_cells(next(df for df in at.dataframe if "Nama Dicoba" in df.value.columns))
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2}", c) for c in cells["Waktu (WIB)"])

    events = tables_starting(at, "Waktu (WIB)", "ID Pelacakan", "Oleh", "Jenis")[0]
    assert events["Catatan"].tolist() == ["CATATAN-INTERNAL", "pertama"]
    assert events["Status Ke"].tolist()[1] == "Proses"


def test_the_audit_export_keeps_every_column_and_runs_no_formula():
    failures = pd.DataFrame(
        {
            "id": [1],
            "waktu": [dt.datetime(2025, 3, 1, 1, 30, tzinfo=dt.UTC)],
            "nama": ['=HYPERLINK("http://contoh.invalid","x")'],
            "alasan": ["akun_tidak_dikenal"],
            "alamat": ["203.0.113.7"],
        }
    )
    view = audit.signin_failures_view(failures)
    book = openpyxl.load_workbook(io.BytesIO(_xlsx({"Gagal masuk": view}, public=False)()))
    rows = list(book["Gagal masuk"].values)
    assert rows[0] == ("Waktu (WIB)", "Nama Dicoba", "Alasan", "Alamat")
    assert rows[1][0] == dt.datetime(2025, 3, 1, 8, 30)  # WIB, with its time
    assert book["Gagal masuk"]["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert rows[1][1] == '\'=HYPERLINK("http://contoh.invalid","x")' and book["Gagal masuk"]["B2"].data_type == "s"
    assert rows[1][2:] == ("Akun tidak dikenal", "203.0.113.7")


def test_a_long_log_shows_its_newest_rows_and_says_so(run_app, monkeypatch):
    from ovop_ui import kelola as kelola_ui

    monkeypatch.setattr(kelola_ui, "SHOWN_ROWS", 2)
    sekre = account("sekre", "sekretariat")
    for n in range(3):
        store.record_signin_failure(f"percobaan-{n}", "akun_tidak_dikenal")
    at = kelola(run_app, sekre)
    assert "Gagal masuk (3)" in [s.value for s in at.subheader]
    assert "2 terbaru ditampilkan; unduhan berisi semuanya." in [c.value for c in at.caption]
    failed = tables_starting(at, "Waktu (WIB)", "Nama Dicoba")[0]
    assert failed["Nama Dicoba"].tolist() == ["percobaan-2", "percobaan-1"]
