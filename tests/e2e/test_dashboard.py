"""The dashboard as a person opens it: `streamlit run app.py` in Debian's chromium.

Checks every page of app.py's navigation for the basics; what each page shows is tested per page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import BrowserErrors

pytestmark = pytest.mark.e2e

TITLE = "Dasbor OVOP Kabupaten Blitar"
VILLAGES = 248  # desa/kelurahan of Kabupaten Blitar
#: Address of each st.Page in app.py → its title in the navigation (the default page lives at "/").
PAGES = {
    "": "Ringkasan",
    "peta": "Peta",
    "produk": "Produk",
    "kunjungan": "Kunjungan & Aspirasi",
    "kesenjangan": "Kesenjangan",
    "profil-desa": "Profil Desa",
    "data": "Data",
    "tindak-lanjut": "Tindak Lanjut",
    "kelola": "Akun & Audit",
    "masuk": "Masuk",
}


def test_dashboard_opens_on_ringkasan_with_every_page_listed(app_page: Page, browser_errors: BrowserErrors) -> None:
    expect(app_page).to_have_title(TITLE)
    navigation = app_page.get_by_test_id("stSidebarNav")
    for title in PAGES.values():
        expect(navigation.get_by_role("link", name=title, exact=False)).to_have_count(1)
    expect(navigation.get_by_role("link", name="Ringkasan")).to_have_attribute("aria-current", "page")
    assert browser_errors.all() == []


# Each page (title, no exception, screenshots) and each map (248 villages, legend, timing) is checked in
# test_pages.py.
