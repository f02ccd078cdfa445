"""The Data page with AppTest: loaded files, the validation report, templates, and the password-gated upload."""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from app_helpers import rendered_text, tables_starting
from test_throttle import FakeClock

from ovop_data.demo_mark import DEMO_MARK
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.throttle import Throttle

DEMO_PHONE = "0812-0000"
PASSWORD = "rahasia-uji"


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


def test_without_a_secret_upload_is_disabled_with_an_explanation(run_app):
    at = run_app(page="data")
    note = " ".join(i.value for i in at.info)
    assert "Unggah dinonaktifkan" in note and "secrets.toml" not in note
    # The set-up steps are for the administrator only: folded away, not in the way of staff.
    (admin,) = [e for e in at.expander if e.label == "Petunjuk untuk administrator"]
    steps = " ".join(m.value for m in admin.markdown)
    assert "editor_password" in steps and ".streamlit/secrets.toml" in steps
    assert not at.get("file_uploader")
    assert not at.text_input


def test_wrong_password_is_refused(run_app):
    at = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": "salah"})
    assert not at.exception
    assert [e.value for e in at.main.error] == ["Kata sandi salah."]
    assert not at.get("file_uploader")


def test_no_password_yet_shows_no_uploader(run_app):
    at = run_app(page="data", secrets={"editor_password": PASSWORD})
    assert at.text_input(key="sandi_editor").value == ""
    assert not at.get("file_uploader")


def test_right_password_opens_the_uploader(run_app):
    at = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    assert not at.exception
    assert at.get("file_uploader")[0].label == "Pilih buku kerja"


def test_broken_upload_gives_the_indonesian_error_and_leaves_the_folder_unchanged(run_app, own_data_dir):
    before = snapshot(own_data_dir)
    at = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    at.file_uploader(key="unggah").set_value(("rusak.xlsx", os.urandom(4096), "application/octet-stream"))
    at.run()
    assert not at.exception
    assert [plain(e.value) for e in at.main.error] == [
        "Berkas 'rusak.xlsx' tidak bisa dibaca sebagai spreadsheet (rusak atau bukan Excel). Data di folder tidak "
        "diubah."
    ]
    assert snapshot(own_data_dir) == before


def test_good_upload_is_saved_and_reported(run_app, own_data_dir):
    upload = real_copy(own_data_dir / "demo_kunjungan_ovop.xlsx")
    at = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    at.file_uploader(key="unggah").set_value(("kunjungan 2025.xlsx", upload, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert (own_data_dir / "kunjungan 2025.xlsx").read_bytes() == upload
    assert sorted(p.name.split("_", 1)[1] for p in (own_data_dir / "arsip").iterdir()) == [
        "demo_kunjungan_ovop.xlsx",
        "demo_produk_ovop.xlsx",
    ]
    message = " ".join(plain(s.value) for s in at.success)
    assert "Berkas 'kunjungan 2025.xlsx' disimpan" in message and "Data demo" in message


def test_upload_into_an_unwritable_folder_is_a_message_and_the_page_keeps_working(run_app, own_data_dir):
    (own_data_dir / "arsip").write_text("")  # the archive cannot be made: fails for root too, unlike chmod 0555
    before = snapshot(own_data_dir)
    upload = real_copy(own_data_dir / "demo_kunjungan_ovop.xlsx")
    at = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    at.file_uploader(key="unggah").set_value(("kunjungan 2025.xlsx", upload, "application/octet-stream"))
    at.run()
    assert not at.exception
    [error] = [plain(e.value) for e in at.main.error]
    assert error.startswith("Berkas 'kunjungan 2025.xlsx' tidak disimpan: folder data")
    assert "tidak bisa ditulis" in error and error.endswith("Data di folder tidak diubah.")
    after = snapshot(own_data_dir)
    after.pop(".unggah.lock", None)  # the empty lock file may stay; nothing else was written
    assert after == before
    files = tables_starting(at, "Berkas", "Ukuran (KB)")[0]  # the rest of the page still shows the data
    assert sorted(files["Berkas"]) == ["demo_kunjungan_ovop.xlsx", "demo_produk_ovop.xlsx"]


def test_no_contact_number_anywhere(run_app):
    assert DEMO_PHONE not in rendered_text(run_app(page="data"))


def guess(at, text: str):
    at.text_input(key="sandi_editor").input(text).run()
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


def test_a_rerun_with_the_same_wrong_text_is_not_a_new_failure(run_app):
    at = run_app(page="data", secrets={"editor_password": PASSWORD})
    for text in ["salah-1", "salah-2", "salah-3"]:
        assert shown(guess(at, text)) == ["Kata sandi salah."]
    for _ in range(3):
        at.run()  # e.g. a click in the validation report
        assert shown(at) == ["Kata sandi salah."]


def test_repeated_wrong_passwords_wait_then_lock_the_session_even_for_the_right_password(run_app, clock):
    at = run_app(page="data", secrets={"editor_password": PASSWORD})
    for n in range(1, 4):
        assert shown(guess(at, f"salah-{n}")) == ["Kata sandi salah."]
    assert shown(guess(at, "salah-4")) == ["Kata sandi salah.", "Terlalu banyak percobaan; coba lagi dalam 10 detik."]
    # Guessing again at once is refused without being checked or counted.
    assert shown(guess(at, PASSWORD)) == ["Terlalu banyak percobaan; coba lagi dalam 10 detik."]
    assert not at.get("file_uploader")
    for n, wait in zip(range(5, 11), [10, 20, 40, 80, 160, 300], strict=True):
        clock.advance(wait)
        guess(at, f"salah-{n}")
    assert shown(at) == ["Kata sandi salah.", "Terlalu banyak percobaan; coba lagi dalam 15 menit."]
    clock.advance(11 * 60)
    assert shown(guess(at, PASSWORD)) == ["Terlalu banyak percobaan; coba lagi dalam 4 menit."]
    assert not at.get("file_uploader")
    clock.advance(4 * 60)
    at.run()
    assert at.get("file_uploader")[0].label == "Pilih buku kerja"


def test_a_lockout_holds_for_new_sessions_of_the_address_not_for_other_addresses(run_app, clock, monkeypatch):
    from ovop_ui import auth

    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.7")  # AppTest itself has no address
    attacker = run_app(page="data", secrets={"editor_password": PASSWORD})
    lock_out(attacker, clock)
    fresh = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    assert shown(fresh) == ["Terlalu banyak percobaan; coba lagi dalam 15 menit."]

    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.20")
    editor = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    assert editor.get("file_uploader")[0].label == "Pilih buku kerja"


def test_without_an_address_all_sessions_share_one_record(run_app, clock):
    """Localhost (and a proxy that forwards no address) gives no address: a new session is no way around."""
    attacker = run_app(page="data", secrets={"editor_password": PASSWORD})
    lock_out(attacker, clock)
    fresh = run_app(page="data", secrets={"editor_password": PASSWORD}, state={"sandi_editor": PASSWORD})
    assert shown(fresh) == ["Terlalu banyak percobaan; coba lagi dalam 15 menit."]


def test_each_failure_is_logged_without_the_guess(run_app, caplog):
    at = run_app(page="data", secrets={"editor_password": PASSWORD})
    with caplog.at_level(logging.WARNING, logger="ovop.auth"):
        for n in range(4):
            guess(at, f"tebakan-rahasia-{n}")
        guess(at, PASSWORD)
    failures = [r for r in caplog.records if r.name == "ovop.auth"]
    assert len(failures) == 4
    assert all("alamat='tanpa-alamat'" in r.getMessage() and "waktu=20" in r.getMessage() for r in failures)
    assert "tebakan-rahasia" not in caplog.text and PASSWORD not in caplog.text
