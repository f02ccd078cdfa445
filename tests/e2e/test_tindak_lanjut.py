"""An agency signs in and reports on an aspiration in a real browser; the report lands in the dashboard's database."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ovop_data import store
from ovop_data.store import db

from .conftest import BrowserErrors, Dashboard, script_runs, wait_for_app

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-uji-yang-panjang"


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

    page.goto(fresh_dashboard.url + "masuk")
    wait_for_app(page)
    page.get_by_label("Nama akun").fill("dinkes")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    runs = script_runs(page)
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page, after=runs)
    expect(page.get_by_text("Anda masuk sebagai dinkes")).to_be_visible()
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
