"""The Data page with AppTest: loaded files, the validation report, templates, and the sekretariat's upload.

Uploading needs a signed-in account that may upload (the sekretariat); accounts live in a fresh SQLite file per
test (no mocks of the database). The way in is the sign-in form, whose throttling is tested here too.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from app_helpers import HALAMAN, SUBMIT_SIGN_IN, rendered_text, tables_starting
from argon2 import PasswordHasher, Type
from test_throttle import FakeClock

from ovop_data import store
from ovop_data.demo_mark import DEMO_MARK
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store import accounts, db
from ovop_data.throttle import Throttle
from ovop_ui.akun import User

DEMO_PHONE = "0812-0000"
PASSWORD = "sandi-uji-yang-panjang"
SESSION = "_ovop_akun"
WRONG = "Nama akun atau kata sandi salah, atau akun nonaktif."


def plain(markdown: str) -> str:
    """What a Markdown message shows: outside text in it is escaped (backslashes, word joiners)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    """A fresh password throttle for each test, on a fake clock (the real one is shared by the whole process)."""
    from ovop_ui import cache

    fake = FakeClock()
    throttle = Throttle(clock=fake)
    monkeypatch.setattr(cache, "login_throttle", lambda: throttle)
    return fake


@pytest.fixture(autouse=True)
def database(app_env, tmp_path: Path, monkeypatch) -> Iterator[str]:
    """A fresh SQLite file for the accounts and the uploads log; argon2id at its lowest cost (same code path)."""
    url = f"sqlite:///{tmp_path / 'ovop.sqlite3'}"
    monkeypatch.setenv(db.URL_VARIABLE, url)
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))
    yield url
    db.dispose(url)


def account(nama: str, peran: str, opd: str | None = None, *, change: bool = True) -> User:
    """Create an account (its password changed to PASSWORD unless `change` is False); its signed-in session."""
    one_time = store.add_account(nama, peran, opd)
    if change:
        store.change_password(nama, one_time, PASSWORD)
    found = store.account(nama)
    return User(found.nama, found.peran, found.opd, found.generasi_sesi, found.wajib_ganti)


@pytest.fixture
def sekretariat() -> dict:
    """The session state of a signed-in sekretariat account named 'sekre'."""
    return {SESSION: account("sekre", "sekretariat")}


def real_copy(demo: Path) -> bytes:
    """The demo workbook as an office would send it: the same tables, without the demo mark in the title rows."""
    book = openpyxl.load_workbook(demo)
    for sheet in book.worksheets:
        sheet["A1"] = str(sheet["A1"].value).replace(DEMO_MARK, "").strip()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(app_env):
    return load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")


@pytest.fixture
def own_data_dir(app_env, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the demo folder, for tests that may write into it (the shared one stays untouched)."""
    folder = tmp_path / "data"
    shutil.copytree(app_env["OVOP_DATA_DIR"], folder)
    monkeypatch.setenv("OVOP_DATA_DIR", str(folder))
    return folder


def test_files_and_validation_report(run_app, demo):
    at = run_app(page="data")
    assert not at.exception
    files = tables_starting(at, "Berkas", "Ukuran (KB)")[0]
    assert sorted(files["Berkas"]) == sorted(demo.files)
    assert files["Produk"].sum() == len(demo.produk[["sheet", "baris"]].drop_duplicates())

    counts = tables_starting(at, "Tabel", "Baris Masuk")[0].set_index("Tabel")
    assert counts.loc["produk", "Ditolak"] == demo.counts["produk"]["rejected"]

    rejected = tables_starting(at, "Tabel", "Berkas", "Sheet", "Baris Excel", "Temuan")[0]
    assert len(rejected) == 3
    assert sorted(rejected["Baris Excel"]) == sorted(demo.rejected["row"])
    assert rejected["Pesan"].str.len().gt(0).all()
    # Plain-language labels, not codes such as `desa_ambigu` (the code stays in the downloadable report).
    assert set(rejected["Temuan"]) == {"Baris ganda", "Nama desa ada di beberapa kecamatan", "Di luar wilayah program"}
    assert "Kode" not in rejected.columns

    corrections = demo.findings[demo.findings["code"] == "koreksi_nama"]
    assert any(f"**Koreksi nama** ({len(corrections)})" in m.value for m in at.markdown)


def test_findings_can_be_narrowed_to_errors(run_app, demo):
    at = run_app(page="data", state={"laporan_tingkat": ["error"]})
    findings = tables_starting(at, "Tingkat", "Temuan")[0]
    assert set(findings["Tingkat"]) == {"galat"}
    assert findings["Jumlah Baris"].sum() == (demo.findings["severity"] == "error").sum()


def test_identical_findings_are_one_line_with_their_rows(run_app, demo):
    at = run_app(page="data")
    findings = tables_starting(at, "Tingkat", "Temuan")[0]
    assert findings["Jumlah Baris"].sum() == len(demo.findings)
    assert len(findings) < len(demo.findings)  # the demo repeats a correction over rows 286–289
    line = findings[findings["Baris Excel"] == "286–289"]  # "Balairejo" → Balerejo, typed on four rows
    assert len(line) == 1 and set(line["Temuan"]) == {"Nama dibetulkan"} and list(line["Jumlah Baris"]) == [4]
    assert not findings["Temuan"].str.contains("_").any()


def test_the_report_downloads_as_xlsx_with_every_finding_and_its_code(run_app, demo):
    at = run_app(page="data")
    button = next(b for b in at.get("download_button") if b.proto.label == "⬇️ Unduh laporan (XLSX)")
    assert not button.proto.disabled
    from ovop_data.export import to_xlsx_bytes
    from ovop_data.findings import report_rows

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"Temuan": report_rows(demo.findings)})))
    rows = list(book["Temuan"].values)
    assert rows[0][:7] == ("Tingkat", "Berkas", "Sheet", "Baris Excel", "Kolom", "Nilai", "Temuan")
    assert "Kode" in rows[0]
    assert len(rows) - 1 == len(demo.findings)


def test_templates_can_be_downloaded(run_app):
    labels = [b.proto.label for b in run_app(page="data").get("download_button")]
    templates = ["⬇️ Produk unggulan", "⬇️ Kunjungan OVOP", "⬇️ Aspirasi & tindak lanjut", "⬇️ Semua tabel"]
    assert labels == ["⬇️ Unduh laporan (XLSX)", *templates]


def uploader(at) -> list:
    return at.get("file_uploader")


def test_the_public_gets_a_note_and_the_way_to_sign_in_instead_of_the_uploader(run_app):
    at = run_app(page="data")
    assert not at.exception
    assert "hanya untuk akun Sekretariat OVOP" in " ".join(i.value for i in at.info)
    assert any(link.proto.page.endswith("masuk") for link in at.get("page_link"))
    assert not uploader(at) and not at.text_input


@pytest.mark.parametrize(
    ("peran", "opd", "change"),
    [("opd", "Dinas Kesehatan", True), ("pimpinan", None, True), ("sekretariat", None, False)],
    ids=["opd", "pimpinan", "sekretariat-before-changing-the-one-time-password"],
)
def test_other_roles_cannot_upload(run_app, peran, opd, change):
    at = run_app(page="data", state={SESSION: account("pengguna", peran, opd, change=change)})
    assert not at.exception
    assert "hanya untuk akun Sekretariat OVOP" in " ".join(i.value for i in at.info)
    assert not uploader(at)


def test_a_role_forged_into_the_session_opens_no_uploader(run_app):
    real = account("dinkes", "opd", "Dinas Kesehatan")
    forged = User(real.nama, "sekretariat", None, real.generasi_sesi)  # the page asks the store, not the session
    at = run_app(page="data", state={SESSION: forged})
    assert not at.exception and not uploader(at)


def test_the_sekretariat_gets_the_uploader(run_app, sekretariat):
    at = run_app(page="data", state=sekretariat)
    assert not at.exception
    assert uploader(at)[0].label == "Pilih buku kerja"
    assert not at.text_input  # no shared editor password any more


def upload(at, name: str, content: bytes):
    at.file_uploader(key="unggah").set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception
    return at


def test_broken_upload_gives_the_indonesian_error_leaves_the_folder_unchanged_and_is_logged(
    run_app, own_data_dir, sekretariat
):
    before = snapshot(own_data_dir)
    content = os.urandom(4096)
    at = upload(run_app(page="data", state=sekretariat), "rusak.xlsx", content)
    assert [plain(e.value) for e in at.main.error] == [
        "Berkas 'rusak.xlsx' tidak bisa dibaca sebagai spreadsheet (rusak atau bukan Excel). Data di folder tidak "
        "diubah."
    ]
    assert snapshot(own_data_dir) == before
    log = store.upload_log()
    assert log[["oleh", "berkas", "disimpan", "diterima", "ditolak"]].values.tolist() == [
        ["sekre", "rusak.xlsx", False, 0, 0]
    ]
    assert log["sha256"].iloc[0] == hashlib.sha256(content).hexdigest()


def test_good_upload_is_saved_reported_logged_and_listed_in_the_audit_view(run_app, own_data_dir, sekretariat):
    content = real_copy(own_data_dir / "demo_kunjungan_ovop.xlsx")
    at = upload(run_app(page="data", state=sekretariat), "kunjungan 2025.xlsx", content)
    assert (own_data_dir / "kunjungan 2025.xlsx").read_bytes() == content
    assert sorted(p.name.split("_", 1)[1] for p in (own_data_dir / "arsip").iterdir()) == [
        "demo_kunjungan_ovop.xlsx",
        "demo_produk_ovop.xlsx",
    ]
    message = " ".join(plain(s.value) for s in at.success)
    assert "Berkas 'kunjungan 2025.xlsx' disimpan" in message and "Data demo" in message
    at.run()  # a rerun shows the result again and saves nothing twice
    [logged] = store.upload_log().to_dict("records")
    assert logged["oleh"] == "sekre" and logged["berkas"] == "kunjungan 2025.xlsx" and logged["disimpan"]
    counts = load_dataset([own_data_dir / "kunjungan 2025.xlsx"], "35.05").counts
    assert logged["diterima"] == sum(c["accepted"] for c in counts.values()) > 0
    assert logged["ditolak"] == sum(c["rejected"] for c in counts.values())

    at.switch_page(str(HALAMAN / "kelola.py")).run()
    assert not at.exception
    [listed] = tables_starting(at, "Waktu (WIB)", "Oleh", "Berkas", "Disimpan")
    assert listed[["Oleh", "Berkas", "Disimpan"]].values.tolist() == [["sekre", "kunjungan 2025.xlsx", True]]


def test_upload_into_an_unwritable_folder_is_a_message_and_the_page_keeps_working(run_app, own_data_dir, sekretariat):
    (own_data_dir / "arsip").write_text("")  # the archive cannot be made: fails for root too, unlike chmod 0555
    before = snapshot(own_data_dir)
    content = real_copy(own_data_dir / "demo_kunjungan_ovop.xlsx")
    at = upload(run_app(page="data", state=sekretariat), "kunjungan 2025.xlsx", content)
    [error] = [plain(e.value) for e in at.main.error]
    assert error.startswith("Berkas 'kunjungan 2025.xlsx' tidak disimpan: folder data")
    assert "tidak bisa ditulis" in error and error.endswith("Data di folder tidak diubah.")
    after = snapshot(own_data_dir)
    after.pop(".unggah.lock", None)  # the empty lock file may stay; nothing else was written
    assert after == before
    files = tables_starting(at, "Berkas", "Ukuran (KB)")[0]  # the rest of the page still shows the data
    assert sorted(files["Berkas"]) == ["demo_kunjungan_ovop.xlsx", "demo_produk_ovop.xlsx"]
    assert store.upload_log()[["oleh", "disimpan"]].values.tolist() == [["sekre", False]]


def test_a_disabled_sekretariat_loses_the_uploader_at_its_next_run(run_app, sekretariat):
    at = run_app(page="data", state=sekretariat)
    assert uploader(at)
    store.disable_account("sekre")
    at.run()
    assert not at.exception and not uploader(at)
    assert SESSION not in at.session_state


def test_no_contact_number_anywhere(run_app):
    assert DEMO_PHONE not in rendered_text(run_app(page="data"))


# --- the way in: the sign-in form, throttled (the first failures and the store's log: test_app_tindak_lanjut) ---


def sign_in_page(run_app):
    at = run_app(page="masuk")
    assert not at.exception
    return at


def guess(at, text: str, nama: str = "sekre"):
    at.text_input(key="masuk_nama").input(nama)
    at.text_input(key="masuk_sandi").input(text)
    at.button(key=SUBMIT_SIGN_IN).click().run()
    assert not at.exception
    return at


def shown(at) -> list[str]:
    return [plain(e.value) for e in [*at.main.error, *at.main.warning]]


def lock_out(at, clock: FakeClock) -> None:
    """Ten wrong guesses, each as soon as the wait allows: the address and session are locked."""
    for n, wait in enumerate([0, 0, 0, 0, 10, 20, 40, 80, 160, 300]):
        clock.advance(wait)
        guess(at, f"salah-{n}")
    assert shown(at)[-1] == "Terlalu banyak percobaan; coba lagi dalam 15 menit."


def test_a_rerun_after_a_wrong_password_is_not_a_new_failure(run_app, sekretariat):
    at = sign_in_page(run_app)
    for n in range(3):
        assert shown(guess(at, f"salah-{n}")) == [WRONG]
    for _ in range(3):
        at.run()  # e.g. a click elsewhere: the form is not sent again
        assert not at.exception
    assert len(store.signin_failures()) == 3
    assert shown(guess(at, PASSWORD)) == []  # three failures leave no wait
    assert at.session_state[SESSION].nama == "sekre"


def test_repeated_wrong_passwords_wait_then_lock_the_session_even_for_the_right_password(run_app, clock, sekretariat):
    at = sign_in_page(run_app)
    for n in range(1, 4):
        assert shown(guess(at, f"salah-{n}")) == [WRONG]
    assert shown(guess(at, "salah-4")) == [WRONG, "Terlalu banyak percobaan; coba lagi dalam 10 detik."]
    for n, wait in zip(range(5, 11), [10, 20, 40, 80, 160, 300], strict=True):
        clock.advance(wait)
        guess(at, f"salah-{n}")
    assert shown(at) == [WRONG, "Terlalu banyak percobaan; coba lagi dalam 15 menit."]
    clock.advance(11 * 60)
    assert shown(guess(at, PASSWORD)) == ["Terlalu banyak percobaan; coba lagi dalam 4 menit."]
    assert SESSION not in at.session_state
    clock.advance(4 * 60)
    assert shown(guess(at, PASSWORD)) == []
    at.switch_page(str(HALAMAN / "data.py")).run()
    assert uploader(at)[0].label == "Pilih buku kerja"


def test_a_lockout_holds_for_new_sessions_of_the_address_not_for_other_addresses(
    run_app, clock, monkeypatch, sekretariat
):
    from ovop_ui import auth

    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.7")  # AppTest itself has no address
    lock_out(sign_in_page(run_app), clock)
    assert shown(guess(sign_in_page(run_app), PASSWORD)) == ["Terlalu banyak percobaan; coba lagi dalam 15 menit."]
    assert set(store.signin_failures()["alamat"]) == {"203.0.113.7"}

    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.20")
    other = guess(sign_in_page(run_app), PASSWORD)
    assert shown(other) == [] and other.session_state[SESSION].nama == "sekre"


def test_without_an_address_all_sessions_share_one_record(run_app, clock, sekretariat):
    """Localhost (and a proxy that forwards no address) gives no address: a new session is no way around."""
    lock_out(sign_in_page(run_app), clock)
    fresh = guess(sign_in_page(run_app), PASSWORD)
    assert shown(fresh) == ["Terlalu banyak percobaan; coba lagi dalam 15 menit."]
    assert SESSION not in fresh.session_state


def test_each_failure_is_logged_without_the_guess(run_app, caplog, sekretariat):
    at = sign_in_page(run_app)
    with caplog.at_level(logging.WARNING, logger="ovop.auth"):
        for n in range(3):
            guess(at, f"tebakan-rahasia-{n}")
        guess(at, PASSWORD)
    failures = [r for r in caplog.records if r.name == "ovop.auth"]
    assert len(failures) == 3
    assert all("alamat='tanpa-alamat'" in r.getMessage() and "waktu=20" in r.getMessage() for r in failures)
    assert "tebakan-rahasia" not in caplog.text and PASSWORD not in caplog.text
    assert "tebakan-rahasia" not in store.signin_failures().to_csv()
