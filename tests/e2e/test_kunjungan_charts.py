"""The Kunjungan page's charts as a person sees them: inline SVG in Debian's chromium, nothing cut, no links.

The charts are SVG drawn by ovop_data.charts (no plotly.js beside the map). The browser's own text metrics
tell whether every label fits inside its chart at desktop and phone width, which no AppTest can.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import VIEWPORTS, BrowserErrors, Dashboard, save_screenshots, wait_for_page

pytestmark = pytest.mark.e2e

CHARTS = {
    "Kunjungan": ["Kunjungan per bulan"],
    "Janji tindak lanjut": ["Janji tindak lanjut per OPD", "Aspirasi per status"],
}
#: Texts of a chart (by its aria-label) that reach past its viewBox, as the browser lays them out.
CUT_TEXTS = """(label) => {
  const svg = document.querySelector(`svg[aria-label="${label}"]`);
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].filter((t) => {
    const b = t.getBBox();
    return b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5
      || b.y + b.height > box.y + box.height + 0.5;
  }).map((t) => t.textContent);
}"""


def open_tab(page: Page, tab: str) -> None:
    """The page loaded, this tab chosen and its charts drawn."""
    wait_for_page(page)
    page.get_by_role("tab", name=tab).click()
    for label in CHARTS[tab]:
        expect(page.locator(f'svg[aria-label="{label}"]')).to_be_visible()


@pytest.mark.parametrize("tab", list(CHARTS))
def test_charts_show_whole_at_desktop_and_phone_width(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors, tab: str
) -> None:
    page.goto(dashboard.url + "kunjungan")
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        page.reload()
        open_tab(page, tab)
        for label in CHARTS[tab]:
            chart = page.locator(f'svg[aria-label="{label}"]')
            box = chart.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (label, box)
            assert page.evaluate(CUT_TEXTS, label) == [], label
            assert chart.locator("a, strong, em, code").count() == 0  # typed text was never read as Markdown
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    assert browser_errors.all() == []
    save_screenshots(page, f"kunjungan-{tab.lower().replace(' ', '-')}", ready=lambda p: open_tab(p, tab))
