"""A map rendered once (ovop_ui.mapcomponent) reaches the browser exactly as st_folium sends it, and the cached
maps of ovop_ui.cache follow their inputs: a table built anew never gets another table's map."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit_folium import generate_js_hash
from test_maps import AREA, ROWS, produk_frame, summary_of

from ovop_data import charts, geo, maps, metrics
from ovop_ui import cache
from ovop_ui.mapcomponent import MapComponent, map_component


def _both_ways(returned_objects: list[str], with_produk: bool) -> None:
    """App script: the same map through st_folium (key "a") and through show_component (key "b")."""
    from streamlit_folium import st_folium
    from test_maps import AREA, produk_frame, summary_of

    from ovop_data import geo, maps
    from ovop_ui.mapcomponent import map_component, show_component

    boundaries = geo.schematic_boundaries(AREA)

    def build():
        return maps.coverage_map(boundaries, summary_of(), produk=produk_frame() if with_produk else None)

    st_folium(build(), key="a", height=500, use_container_width=True, returned_objects=returned_objects)
    show_component(map_component(build()), key="b", height=500, returned_objects=returned_objects)


@pytest.mark.parametrize("with_produk", [False, True], ids=["villages", "with-products"])
@pytest.mark.parametrize("returned_objects", [[], ["last_active_drawing"]], ids=["display", "click"])
def test_the_browser_gets_what_st_folium_sends(returned_objects: list[str], with_produk: bool) -> None:
    at = AppTest.from_function(_both_ways, args=(returned_objects, with_produk), default_timeout=60)
    at.run()

    assert not at.exception
    sent_by_st_folium, sent_by_us = (json.loads(c.proto.json_args) for c in at.get("component_instance"))
    # the widget key: st_folium's hash of the script and the caller's key ("a" and "b" here)
    assert sent_by_st_folium.pop("key") == generate_js_hash(sent_by_st_folium["script"], "a", False)
    assert sent_by_us.pop("key") == generate_js_hash(sent_by_us["script"], "b", False)
    assert sent_by_us == sent_by_st_folium
    assert "kode_desa" in sent_by_us["script"]  # the villages are in it, not an empty map


@pytest.fixture(scope="module")
def schematic() -> geo.Boundaries:
    return geo.schematic_boundaries(AREA)


def test_a_map_component_holds_the_rendered_map(schematic: geo.Boundaries) -> None:
    component = map_component(maps.coverage_map(schematic, summary_of()))

    assert isinstance(component, MapComponent)
    assert _legend_count(component, "Unggulan & dikunjungi") == 1
    assert component.js_links and all("leaflet" in link for link in component.js_links)
    assert component.size_bytes > len(component.script)


def _legend_count(component: MapComponent, label: str) -> int:
    """The count the legend shows beside a coverage status (the legend is JSON inside the script)."""
    body = component.script.replace("\\u0026", "&").replace("&amp;", "&")
    start = body.index(label + " (") + len(label) + 2
    return int(body[start : body.index(")", start)])


def test_the_same_tables_get_the_same_rendered_map(schematic: geo.Boundaries) -> None:
    summary = summary_of()

    first = cache.coverage_map(schematic, summary, tiles=None)

    assert cache.coverage_map(schematic, summary, tiles=None) is first
    assert cache.coverage_map(schematic, summary, tiles=maps.TILES_OSM) is not first  # other options
    assert cache.metric_map(schematic, summary, "produk_total") is not first


def test_tables_built_anew_never_get_an_earlier_tables_map(schematic: geo.Boundaries) -> None:
    """Keyed on the tables' identity: more tables than the cache holds, each dropped after use, so Python
    reuses their memory (and ids) for the next — each map must still count its own villages."""
    kodes = [row[0] for row in ROWS]
    for round_ in range(40):  # more than the 32 maps the cache keeps
        visited = round_ % len(kodes) + 1
        summary = summary_of([(k, 1, 1, "2025-01-01" if i < visited else None, 0) for i, k in enumerate(kodes)])

        component = cache.coverage_map(schematic, summary, tiles=None, filtered=True)

        assert _legend_count(component, "Unggulan & dikunjungi") == visited
        assert _legend_count(component, "Unggulan, belum dikunjungi") == len(kodes) - visited
        del summary, component


def test_figures_of_tables_built_anew_are_their_own() -> None:
    for round_ in range(12):  # each table dropped after use: its id is free for the next
        produk = produk_frame().head(round_ % 3 + 1)
        svg = cache.produk_per_kategori_svg(produk)
        assert svg == charts.produk_per_kategori_svg(produk)
        summary = summary_of(ROWS[: round_ % len(ROWS) + 1])
        today = pd.Timestamp("2025-07-01").date()
        pd.testing.assert_frame_equal(
            cache.visit_priority(summary, today=today), metrics.visit_priority(summary, today=today)
        )


def test_reported_aspirations_are_kept_per_events_content() -> None:
    """Read from the database on every run (a new frame each time), the events must not defeat the caches
    keyed on identity: equal events give the same table, a new report a new one."""
    from test_followup import events

    from ovop_data import followup
    from ovop_data.dataset import Dataset

    aspirasi = pd.DataFrame(
        {
            "tanggal": pd.to_datetime(["2026-01-05"]),
            "kode_desa": ["35.05.03.2005"],
            "aspirasi": ["Pelatihan"],
            "opd_penanggung_jawab": ["Dinas Kesehatan"],
            "status": ["Belum"],
            "tenggat": pd.to_datetime(["2026-02-01"]),
        }
    )
    data = Dataset(AREA, pd.DataFrame(), pd.DataFrame(), aspirasi)
    item = followup.tracking_id("2026-01-05", "35.05.03.2005", "Pelatihan")
    report = {"urutan": 1, "id_pelacakan": item, "waktu": "2026-01-06T00:00Z", "status_ke": "Proses"}
    done = {**report, "urutan": 2, "waktu": "2026-01-08T00:00Z", "status_ke": "Selesai"}

    first = cache.effective_aspirasi(data, events(report))

    assert cache.effective_aspirasi(data, events(report)) is first  # read again: equal content, same table
    assert first["status"].tolist() == ["Proses"]
    later = cache.effective_aspirasi(data, events(report, done))
    assert later["status"].tolist() == ["Selesai"]
