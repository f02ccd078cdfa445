"""The routing that lets folium maps render offline, checked on a folium page of the real boundaries.

Independent of the dashboard: if these fail, a blank map in a page test is the test set-up's fault.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import branca.colormap
import folium
import geopandas as gpd
import pytest
from folium.plugins import MarkerCluster
from playwright.sync_api import Page, expect

from .conftest import BrowserErrors, MapNotRendered, Network, map_frame, npm_file

pytestmark = pytest.mark.e2e

VILLAGES = 248  # desa/kelurahan of Kabupaten Blitar
LEGEND = "Produk per desa"


@pytest.fixture(scope="module")
def village_maps(shared_geo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Pages embedding (in an iframe, as Streamlit does) a folium map of the 248 villages with a legend.

    One per Leaflet renderer: SVG (folium's default) and canvas (prefer_canvas, as ovop_data.maps uses).
    """
    villages = gpd.read_file(shared_geo / "blitar_desa.geojson").rename(columns={"kode": "kode_desa"})
    folder = tmp_path_factory.mktemp("folium")
    pages = {}
    for renderer in ("svg", "canvas"):
        m = folium.Map(location=[-8.1, 112.25], zoom_start=10, prefer_canvas=renderer == "canvas")
        folium.GeoJson(villages[["kode_desa", "nama", "geometry"]], tooltip=folium.GeoJsonTooltip(["nama"])).add_to(m)
        branca.colormap.LinearColormap(["#f7fbff", "#08306b"], vmin=0, vmax=10, caption=LEGEND).add_to(m)
        m.save(folder / f"map-{renderer}.html")
        pages[renderer] = folder / f"{renderer}.html"
        pages[renderer].write_text(f'<iframe src="map-{renderer}.html" width="1000" height="600"></iframe>')
    return pages


@pytest.mark.parametrize("renderer", ["svg", "canvas"])
def test_folium_map_draws_one_shape_per_village(
    page: Page,
    network: Network,
    browser_errors: BrowserErrors,
    village_maps: dict[str, Path],
    renderer: str,
    report_timing: Callable[[str, float], None],
) -> None:
    page.goto(village_maps[renderer].as_uri())

    leaflet_map = map_frame(page, min_shapes=VILLAGES)

    assert (leaflet_map.shapes, leaflet_map.desa) == (VILLAGES, VILLAGES)
    expect(leaflet_map.frame.get_by_text(LEGEND)).to_be_visible()  # drawn by d3, also from npm
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in network.served
    assert network.tiles > 0
    assert network.blocked == []
    assert browser_errors.all() == []
    report_timing(f"folium page ({renderer}), navigation → {VILLAGES} village shapes", leaflet_map.ms_to_shapes)


def test_map_without_leaflet_is_caught(
    page: Page, network: Network, browser_errors: BrowserErrors, village_maps: dict[str, Path]
) -> None:
    network.withhold = {"leaflet"}  # leaflet.js answered with an empty file, as if the CDN failed
    page.goto(village_maps["canvas"].as_uri())  # returns after the iframe's load event: nothing more will run

    with pytest.raises(MapNotRendered, match="Leaflet MISSING"):
        map_frame(page, timeout_ms=3_000)
    assert any("L is not defined" in error for error in browser_errors.uncaught)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css", "leaflet/dist/leaflet.css"),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/layers.png", "leaflet/dist/images/layers.png"),
        ("https://code.jquery.com/jquery-3.7.1.min.js", "jquery/dist/jquery.min.js"),
        ("https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js", "jquery/dist/jquery.min.js"),
        ("https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js", "d3/d3.min.js"),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
            "leaflet.markercluster/dist/leaflet.markercluster.js",
        ),
        (
            "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
            "bootstrap/dist/js/bootstrap.bundle.min.js",
        ),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js", None),  # another version: not served
        ("https://d3js.org/d3.v4.min.js", None),
        ("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js", None),
        ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css", None),
        ("https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/pa7_hm.min.js", None),
    ],
)
def test_cdn_addresses_map_to_npm_files(npm_modules: Path, url: str, expected: str | None) -> None:
    found = npm_file(url)
    assert (found[1].relative_to(npm_modules).as_posix() if found else None) == expected


def test_npm_files_are_the_versions_folium_asks_for(npm_modules: Path) -> None:
    """A folium upgrade that moves Leaflet or a plugin to another version fails here, not as a blank map."""
    links = [*folium.Map.default_js, *folium.Map.default_css, *MarkerCluster.default_js, *MarkerCluster.default_css]
    from_npm = ("leaflet@", "jquery-", "bootstrap@", "leaflet.markercluster/")
    wanted = [url for _, url in links if any(part in url for part in from_npm)]
    assert len(wanted) == 8
    assert [url for url in wanted if npm_file(url) is None] == [], "update NPM_PACKAGES in scripts/test.sh"
