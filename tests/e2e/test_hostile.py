"""The hostile-text workbook in a real browser: every page, the product popups and the offline briefing.

A dashboard of its own (demo data plus tests/hostile_text.py's workbook) is opened page by page. Pass means:
the literal text is on screen, no dialog opened (every script attack calls alert), no element links or loads
from the outside host, nothing was asked of it, and the server ran no template expression.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_text import (
    CANARY_DIR_NAME,
    EMAIL,
    EVALUATED,
    EVALUATES,
    EVIL_HOST,
    PHONE,
    hostile_texts,
    write_hostile_workbook,
)
from playwright.sync_api import Dialog, Frame, Page, expect

from .conftest import FOLIUM_IFRAME, BrowserErrors, Dashboard, Network, map_frame, wait_for_app

pytestmark = pytest.mark.e2e

PAGES = ["", "peta", "produk", "kunjungan", "kesenjangan", "profil-desa?desa=35.05.17.2009", "data"]
#: Elements that would link to, or load from, the outside host.
OUTSIDE = f"a[href*='{EVIL_HOST}'], img[src*='{EVIL_HOST}'], script[src*='{EVIL_HOST}'], iframe[src*='{EVIL_HOST}']"
# Opens, one after another, the popup of every product marker whose text is one of the attacks (each marker is
# taken out of its cluster onto the map first) and returns what each popup shows.
OPEN_POPUPS = """() => {
  const L = window.L;
  const maps = Object.values(window).filter((v) => v instanceof L.Map);
  const shown = [];
  for (const map of maps) {
    const clusters = [];
    map.eachLayer((layer) => { if (layer instanceof L.MarkerClusterGroup) clusters.push(layer); });
    for (const cluster of clusters) {
      for (const marker of cluster.getLayers()) {
        const content = String(marker.getPopup() && marker.getPopup().getContent());
        if (!/alert|#123;|Kopi|img/.test(content)) continue;
        cluster.removeLayer(marker);
        marker.addTo(map).openPopup();
        const popup = marker.getPopup().getElement().querySelector('.leaflet-popup-content');
        shown.push({text: popup.innerText, elements: popup.querySelectorAll('img, script, a, iframe').length});
      }
    }
  }
  return shown;
}"""


@pytest.fixture
def hostile_dashboard(fresh_dashboard: Dashboard) -> Dashboard:
    write_hostile_workbook(fresh_dashboard.data, fresh_dashboard.data / CANARY_DIR_NAME)
    return fresh_dashboard


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every alert/confirm/prompt any frame of the page opened (dismissed at once)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def _no_outside_elements(frame: Page | Frame) -> None:
    assert frame.locator(OUTSIDE).count() == 0


def test_every_page_shows_the_attacks_as_text(
    page: Page, hostile_dashboard: Dashboard, dialogs: list[str], network: Network, browser_errors: BrowserErrors
) -> None:
    for url_path in PAGES:
        page.goto(hostile_dashboard.url + url_path)
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        body = page.locator("body").inner_text()
        assert EVALUATED not in body and PHONE not in body and EMAIL not in body, url_path
        _no_outside_elements(page)
        for frame in page.frames:
            _no_outside_elements(frame)
    # Tables draw on a canvas: their literal cells are checked in tests/test_hostile_pages.py (AppTest).
    assert dialogs == []
    assert not (hostile_dashboard.data / CANARY_DIR_NAME).exists()
    assert [url for url in network.blocked + network.served + network.stubbed if EVIL_HOST in url] == []
    assert network.blocked == []


def test_product_popups_show_the_literal_text(
    page: Page, hostile_dashboard: Dashboard, dialogs: list[str], network: Network
) -> None:
    page.goto(hostile_dashboard.url + "peta")
    leaflet = map_frame(page, min_shapes=248)
    shown = leaflet.frame.evaluate(OPEN_POPUPS)
    texts = [p["text"] for p in shown]
    assert any(EVALUATES in t for t in texts), texts
    assert any("<img src=x onerror=alert(1)>" in t for t in texts), texts
    assert all(p["elements"] == 0 for p in shown), shown
    assert not any(EVALUATED in t for t in texts)
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert dialogs == []
    assert page.locator(FOLIUM_IFRAME).count() >= 1
    assert [url for url in network.blocked if EVIL_HOST in url] == []


def test_offline_briefing_shows_the_literal_text(
    page: Page, hostile_dashboard: Dashboard, dialogs: list[str], network: Network, tmp_path: Path
) -> None:
    page.goto(hostile_dashboard.url + "profil-desa?desa=35.05.17.2009")
    wait_for_app(page)
    with page.expect_download() as started:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name="Unduh profil").click()
    path = tmp_path / "profil.html"
    started.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert EVALUATED not in html and PHONE not in html and EMAIL not in html

    page.goto(path.as_uri())
    body = page.locator("body").inner_text()
    # Balerejo holds every third attack (tests/hostile_text.py); a table shows its first rows.
    attacks = hostile_texts(hostile_dashboard.data / CANARY_DIR_NAME)[0::3]
    assert sum(attack in body for attack in attacks) >= 2, body
    _no_outside_elements(page)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert [url for url in network.blocked if EVIL_HOST in url] == []
