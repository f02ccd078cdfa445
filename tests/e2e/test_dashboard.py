"""The dashboard as a person opens it: `streamlit run app.py` in Debian's chromium.

Checks every page of app.py's navigation for the basics; what each page shows is tested per page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import BrowserErrors, Dashboard, Network, map_frame, save_screenshots, wait_for_page

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
}


def test_dashboard_opens_on_ringkasan_with_every_page_listed(app_page: Page, browser_errors: BrowserErrors) -> None:
    expect(app_page).to_have_title(TITLE)
    navigation = app_page.get_by_test_id("stSidebarNav")
    for title in PAGES.values():
        expect(navigation.get_by_role("link", name=title, exact=False)).to_have_count(1)
    expect(navigation.get_by_role("link", name="Ringkasan")).to_have_attribute("aria-current", "page")
    assert browser_errors.all() == []


@pytest.mark.parametrize("url_path", PAGES, ids=lambda url_path: url_path or "default")
def test_page_opens_without_errors(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors, network: Network, url_path: str
) -> None:
    page.goto(dashboard.url + url_path)
    wait_for_page(page)

    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []
    assert network.blocked == []

    save_screenshots(page, url_path or "ringkasan")


@pytest.mark.parametrize("url_path", ["", "peta"], ids=["ringkasan", "peta"])
def test_first_map_draws_every_village(
    page: Page,
    dashboard: Dashboard,
    browser_errors: BrowserErrors,
    url_path: str,
    report_timing: Callable[[str, float], None],
) -> None:
    page.goto(dashboard.url + url_path)

    leaflet_map = map_frame(page, min_shapes=VILLAGES)

    assert leaflet_map.desa == VILLAGES
    assert browser_errors.all() == []
    report_timing(f"/{url_path}: navigation → {VILLAGES} village shapes", leaflet_map.ms_to_shapes)
