"""An agency signs in and reports on an aspiration in a real browser; the report lands in the dashboard's database."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ovop_data import followup, store
from ovop_data.fmt import tanggal
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store import db

from .conftest import (
    BrowserErrors,
    Dashboard,
    Network,
    new_context,
    new_page,
    script_runs,
    sign_in_with_password,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-uji-yang-panjang"
DINKES = "Dinas Kesehatan"
OTHER = "Dinas Koperasi dan Usaha Mikro"
INTERNAL = "RAHASIA-E2E anggaran dipinjam dari pos lain"
PUBLIC_NOTE = "Mesin sealer diserahkan di balai desa"


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a select box; a click that lands while the box is still being drawn is made again."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        box.get_by_role("combobox").click()
        try:
            wanted.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    wanted.click()


def test_agency_signs_in_and_reports_selesai(
    fresh_dashboard: Dashboard, page: Page, browser_errors: BrowserErrors
) -> None:
    url = f"sqlite:///{fresh_dashboard.data / db.SQLITE_FILE}"  # the dashboard's own database (its data folder)
    database = db.engine(url)
    one_time = store.add_account("dinkes", "opd", "Dinas Kesehatan", db=database)
    store.change_password("dinkes", one_time, PASSWORD, db=database)

    sign_in_with_password(page, fresh_dashboard.url, "dinkes", PASSWORD)
    expect(page.get_by_test_id("stSidebar").get_by_text("Masuk sebagai")).to_be_visible()

    runs = script_runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tindak Lanjut").click()
    wait_for_app(page, after=runs)
    expect(page.get_by_role("heading", name="Laporkan tindak lanjut")).to_be_visible()

    choose(page, "Status baru", "Selesai")
    page.get_by_label("Catatan (wajib untuk Selesai)").fill("Sosialisasi selesai di balai desa")
    runs = script_runs(page)
    page.get_by_role("button", name="Kirim laporan").click()
    wait_for_app(page, after=runs)
    expect(page.get_by_text("Laporan tersimpan.")).to_be_visible()

    events = store.all_events(db=database)
    assert list(events["status_ke"]) == ["Selesai"]
    assert list(events["oleh"]) == ["dinkes"]
    assert list(events["catatan"]) == ["Sosialisasi selesai di balai desa"]
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []
    db.dispose(url)


def sign_in(page: Page, url: str, nama: str) -> None:
    """Sign in with the built-in account form and open the Tindak Lanjut page."""
    sign_in_with_password(page, url, nama, PASSWORD)
    runs = script_runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tindak Lanjut").click()
    wait_for_app(page, after=runs)


def click(page: Page, button: str) -> None:
    """Click a button and wait for the script run it starts."""
    runs = script_runs(page)
    page.get_by_role("button", name=button, exact=True).click()
    wait_for_app(page, after=runs)


def set_internal(page: Page, wanted: bool) -> None:
    """Tick or untick "Catatan internal" (Streamlit's checkbox is toggled through its label)."""
    box = page.get_by_test_id("stCheckbox").filter(has_text="Catatan internal")
    if box.get_by_role("checkbox").is_checked() != wanted:
        box.get_by_text("Catatan internal").click()
    expect(box.get_by_role("checkbox")).to_be_checked(checked=wanted)


def photo(folder: Path) -> Path:
    """A real small PNG, made here."""
    path = folder / "bukti-serah-terima.png"
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_every_role_does_its_work_and_the_public_sees_only_the_public_part(
    fresh_dashboard: Dashboard,
    page: Page,
    browser: Browser,
    network: Network,
    browser_errors: BrowserErrors,
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{fresh_dashboard.data / db.SQLITE_FILE}"
    database = db.engine(url)
    for nama, peran, opd in (("dinkes", "opd", DINKES), ("sekre", "sekretariat", None)):
        store.change_password(nama, store.add_account(nama, peran, opd, db=database), PASSWORD, db=database)
    aspirasi = load_dataset(workbook_paths(fresh_dashboard.data), "35.05").aspirasi.set_index("id_aspirasi")

    # The agency: an internal note, then Selesai with what was done and a photo.
    sign_in(page, fresh_dashboard.url, "dinkes")
    choose(page, "Status baru", "Proses")
    page.get_by_label("Catatan (wajib untuk Selesai)").fill(INTERNAL)
    set_internal(page, True)
    click(page, "Kirim laporan")
    expect(page.get_by_text("Laporan tersimpan.")).to_be_visible()
    choose(page, "Status baru", "Selesai")
    page.get_by_label("Catatan (wajib untuk Selesai)").fill(PUBLIC_NOTE)
    set_internal(page, False)
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(photo(tmp_path))
    expect(page.get_by_role("button", name="Remove bukti-serah-terima.png")).to_be_visible()  # uploaded
    click(page, "Kirim laporan")
    expect(page.get_by_text("Laporan tersimpan.")).to_be_visible()
    expect(page.get_by_role("button", name="Bukti: bukti-serah-terima.png")).to_be_visible()
    events = store.all_events(db=database)
    item = events["id_pelacakan"].iloc[0]
    assert set(events["id_pelacakan"]) == {item}
    assert list(events["status_ke"]) == ["Proses", "Selesai"] and list(events["internal"]) == [True, False]
    assert list(events["catatan"]) == [INTERNAL, PUBLIC_NOTE]
    kept = store.evidence_of(int(events["urutan"].iloc[1]), db=database)
    assert kept is not None and kept[1] == "image/png" and kept[2] == photo(tmp_path).read_bytes()

    # The agency starts another report on it; meanwhile the secretariat reassigns it to another agency.
    choose(page, "Status baru", "Proses")
    page.get_by_label("Catatan (wajib untuk Selesai)").fill("laporan setelah dipindah")
    sekretariat = new_context(browser, network)
    try:
        other = new_page(sekretariat, browser_errors)
        sign_in(other, fresh_dashboard.url, "sekre")
        expect(other.get_by_role("heading", name="Antrean penugasan (belum ditetapkan)")).to_be_visible()
        box = other.get_by_test_id("stSelectbox").filter(has_text="Pilih aspirasi").get_by_role("combobox")
        box.click()
        box.press_sequentially(str(aspirasi.loc[item, "aspirasi"])[:40])
        other.get_by_role("option").filter(has_text=str(aspirasi.loc[item, "desa"])).first.click()
        wait_for_app(other)
        choose(other, "OPD penanggung jawab baru", OTHER)
        other.get_by_label("Catatan penugasan").fill("Urusan permodalan")
        click(other, "Tugaskan")
        expect(other.get_by_text(f"Aspirasi ditugaskan ke {OTHER}.")).to_be_visible()
    finally:
        sekretariat.close()
    moved = store.events_of(item, db=database)
    assert list(moved["jenis"])[-1] == followup.PENUGASAN and list(moved["opd_baru"])[-1] == OTHER
    # The agency's report on what is no longer its item is refused; nothing is filed on any item.
    click(page, "Kirim laporan")
    expect(page.get_by_text("daftar Anda berubah")).to_be_visible()
    assert len(store.all_events(db=database)) == 3

    # The public (signed out): the new status and its date, in the ledger export and on the village profile.
    public = new_context(browser, network)
    try:
        visitor = new_page(public, browser_errors)
        visitor.goto(fresh_dashboard.url + "kunjungan")
        wait_for_app(visitor)
        visitor.get_by_role("tab", name="Janji tindak lanjut").click()
        with visitor.expect_download() as started:
            visitor.locator(".st-key-unduh_janji_csv").get_by_role("button").click()
        text = Path(started.value.path()).read_bytes().decode("utf-8-sig")
        assert INTERNAL not in text and PUBLIC_NOTE not in text  # the ledger has no event notes at all
        ledger = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
        row = ledger.loc[ledger["ID Aspirasi"] == item]
        today = tanggal(pd.Timestamp.now(tz=followup.WAKTU_LOKAL))
        assert row[["Status", "Terakhir Diperbarui", "OPD Penanggung Jawab"]].values.tolist() == [
            ["Selesai", today, OTHER]
        ]
        assert (ledger.loc[ledger["ID Aspirasi"] != item, "Terakhir Diperbarui"] == "belum ada laporan").all()

        visitor.goto(fresh_dashboard.url + f"profil-desa?desa={aspirasi.loc[item, 'kode_desa']}")
        wait_for_app(visitor)
        grid = visitor.get_by_test_id("stDataFrame").filter(has_text="Terakhir Diperbarui")
        line = grid.locator("tbody tr").filter(has_text=str(aspirasi.loc[item, "aspirasi"])[:40])
        expect(line).to_contain_text("Selesai")
        expect(line).to_contain_text(today)
        assert INTERNAL not in visitor.content()
    finally:
        public.close()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []
    db.dispose(url)
