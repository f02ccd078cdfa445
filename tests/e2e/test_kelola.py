"""The sekretariat in a real browser: signs in through the form (after one wrong password), creates an agency
account on Akun & Audit, and finds that wrong password in the audit view and in its XLSX download."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from ovop_data import store
from ovop_data.store import db

from .conftest import CONTENT_HEIGHT, SCREENSHOTS, BrowserErrors, Dashboard, script_runs, wait_for_app
from .test_tindak_lanjut import choose

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-uji-yang-panjang"


def submit(page: Page, button: str) -> None:
    runs = script_runs(page)
    page.get_by_role("button", name=button, exact=True).click()
    wait_for_app(page, after=runs)


def test_sekretariat_creates_an_agency_account_and_audits_a_failed_sign_in(
    fresh_dashboard: Dashboard, page: Page, browser_errors: BrowserErrors
) -> None:
    url = f"sqlite:///{fresh_dashboard.data / db.SQLITE_FILE}"  # the dashboard's own database (its data folder)
    database = db.engine(url)
    store.change_password("sekre", store.add_account("sekre", "sekretariat", db=database), PASSWORD, db=database)

    page.goto(fresh_dashboard.url + "masuk")
    wait_for_app(page)
    page.get_by_label("Nama akun").fill("sekre")
    page.get_by_label("Kata sandi").fill("bukan-sandinya")
    submit(page, "Masuk")
    expect(page.get_by_text("Nama akun atau kata sandi salah")).to_be_visible()
    page.get_by_label("Kata sandi").fill(PASSWORD)
    submit(page, "Masuk")
    expect(page.get_by_text("Anda masuk sebagai sekre")).to_be_visible()

    runs = script_runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Akun & Audit").click()
    wait_for_app(page, after=runs)
    page.get_by_label("Nama akun (satu kata) atau e-mail").fill("kadis.kes")
    choose(page, "OPD (hanya untuk peran OPD)", "Dinas Kesehatan")
    submit(page, "Tambah akun")
    expect(page.get_by_text("Akun kadis.kes (OPD) dibuat.")).to_be_visible()
    one_time = page.get_by_test_id("stCode").inner_text().strip()
    created = store.account("kadis.kes", db=database)
    assert (created.peran, created.opd, created.wajib_ganti) == ("opd", "Dinas Kesehatan", True)
    assert store.verify_password("kadis.kes", one_time, db=database) is not None

    expect(page.get_by_role("heading", name="Gagal masuk (1)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh gagal masuk (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book.worksheets[0].values)
    assert rows[0][:3] == ("Waktu (WIB)", "Nama Dicoba", "Alasan")
    assert [row[1:3] for row in rows[1:]] == [("sekre", "Kata sandi salah")]
    assert "bukan-sandinya" not in repr(rows)

    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []
    # To look at (a reload would end the sign-in, so not save_screenshots): the page as the sekretariat sees it.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": max(768, page.evaluate(CONTENT_HEIGHT))})
    page.screenshot(path=SCREENSHOTS / "kelola-sekretariat-desktop.png")
    db.dispose(url)
