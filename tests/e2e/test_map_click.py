"""A click or tap on a village of the Peta map opens exactly that village, on a fresh page, first try.

Issue 8 §1: Leaflet focused the map on mouse-down, which scrolled Streamlit's page to bring the map's
iframe into view between press and release; the release then panned the map or opened another village.
Nothing here scrolls the page first: the click goes to a point of the village that is on screen as
the page opens, found from the real boundaries and placed by Leaflet's own latLngToContainerPoint.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from playwright.sync_api import Browser, Page, expect

from .conftest import (
    FOLIUM_IFRAME,
    OUTSIDE_REQUESTS,
    SCRIPT_RUN_COUNTER,
    VIEWPORTS,
    BrowserErrors,
    Dashboard,
    Network,
    map_frame,
    new_page,
    script_runs,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

BALEREJO = "35.05.17.2009"  # Balerejo, Kecamatan Wlingi (the village)
GADUNGAN = "35.05.15.2002"  # Gadungan, Kecamatan Gandusari
JAMBEPAWON = "35.05.18.2007"  # Jambepawon, Kecamatan Doko (what the click opened instead)
# Container pixels of the village's outline, and of each point layer (product dots, groups) drawn on it.
PLACE = """([rings]) => {
  const map = Object.values(window).find((value) => value instanceof L.Map);
  const frame = map.getContainer().getBoundingClientRect();
  const points = [];
  map.eachLayer((layer) => {
    if (layer instanceof L.CircleMarker) {
      const p = map.latLngToContainerPoint(layer.getLatLng());
      points.push([p.x, p.y, layer.getRadius() + layer.options.weight]);
    } else if (layer instanceof L.Marker && layer._icon) {
      const box = layer._icon.getBoundingClientRect();
      points.push([box.left - frame.left + box.width / 2, box.top - frame.top + box.height / 2, box.width / 2]);
    }
  });
  const project = (ring) => ring.map(([lng, lat]) => {
    const p = map.latLngToContainerPoint([lat, lng]);
    return [p.x, p.y];
  });
  return {left: frame.left, top: frame.top, rings: rings.map(project), points: points};
}"""


def village_outline(shared_geo: Path, kode_desa: str) -> tuple[str, list[list[tuple[float, float]]]]:
    """(name, exterior rings as (lng, lat)) of a village in the real boundaries."""
    villages = gpd.read_file(shared_geo / "blitar_desa.geojson")
    row = villages.loc[villages["kode"] == kode_desa].iloc[0]
    parts = getattr(row.geometry, "geoms", [row.geometry])
    return row["nama"], [list(part.exterior.coords) for part in parts]


def click_point(page: Page, shared_geo: Path, kode_desa: str) -> tuple[str, float, float]:
    """(village name, page x, page y): an interior point of the village, on screen now, under no product point.

    The representative point of (the village's polygon in screen pixels ∩ the visible part of the map
    − the discs of the points drawn over it).
    """
    name, rings = village_outline(shared_geo, kode_desa)
    frame = map_frame(page, min_shapes=2).frame
    placed = frame.evaluate(PLACE, [rings])
    polygon = shapely.MultiPolygon([shapely.Polygon(ring) for ring in placed["rings"]]).buffer(-3)
    box = page.locator(FOLIUM_IFRAME).bounding_box()
    viewport = page.viewport_size
    left, top = box["x"] + placed["left"], box["y"] + placed["top"]
    on_screen = shapely.box(0 - left, 0 - top, viewport["width"] - left, viewport["height"] - top).intersection(
        shapely.box(0, 0, box["width"], box["height"])
    )
    covered = shapely.union_all([shapely.Point(x, y).buffer(r + 3) for x, y, r in placed["points"]])
    target = polygon.intersection(on_screen).difference(covered)
    assert not target.is_empty, f"{name}: no part of the village is on screen and free to click"
    assert box["y"] + box["height"] > viewport["height"], "the map is fully on screen: the test would prove nothing"
    point = target.representative_point()
    return name, left + point.x, top + point.y


@pytest.mark.parametrize(
    ("device", "query", "kode_desa"),
    [
        ("desktop", "?kecamatan=Wlingi", BALEREJO),
        ("desktop", "", BALEREJO),
        ("desktop", "", JAMBEPAWON),
        ("phone", "?kecamatan=Wlingi", BALEREJO),
        # On a phone the whole regency is ~360 px wide: the villages sit under product groups there.
        ("phone", "", GADUNGAN),
    ],
    ids=["desktop-wlingi-balerejo", "desktop-balerejo", "desktop-jambepawon", "phone-wlingi-balerejo", "phone"],
)
def test_first_click_on_a_village_opens_its_profile(
    browser: Browser,
    network: Network,
    browser_errors: BrowserErrors,
    dashboard: Dashboard,
    shared_geo: Path,
    device: str,
    query: str,
    kode_desa: str,
) -> None:
    phone = device == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[device], has_touch=phone, is_mobile=phone, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    try:
        context.route(OUTSIDE_REQUESTS, network.handle)
        context.add_init_script(SCRIPT_RUN_COUNTER)
        page = new_page(context, browser_errors)
        page.goto(dashboard.url + "peta" + query)
        map_frame(page, min_shapes=2)
        wait_for_app(page)
        name, x, y = click_point(page, shared_geo, kode_desa)

        runs = script_runs(page)
        if phone:
            page.touchscreen.tap(x, y)
        else:
            page.mouse.click(x, y)
        expect(page).to_have_url(re.compile(rf"/profil-desa\?.*desa={re.escape(kode_desa)}"), timeout=30_000)
        wait_for_app(page, after=runs)
        heading = page.get_by_test_id("stHeading").get_by_role("heading", level=1).first
        expect(heading).to_contain_text(name)
        assert browser_errors.all() == []
    finally:
        context.close()
