"""Peta with AppTest (the folium component itself is not rendered there): controls, routing to a profile."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from app_helpers import rendered_text

from ovop_data import background, geo, maps
from ovop_ui.mapview import _CLICKED, clicked_desa

BALEREJO = "35.05.17.2009"


def map_args(at) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def test_renders_with_every_metric_to_choose(run_app) -> None:
    at = run_app(page="peta")
    assert not at.exception
    assert at.selectbox(key="peta_ukuran").options == [
        "Status cakupan (produk unggulan × kunjungan)",
        *(m.label for m in maps.METRICS.values()),
    ]
    assert at.toggle(key="peta_produk").value and at.toggle(key="peta_osm").value
    assert map_args(at)["returned_objects"] == ["last_active_drawing"]  # only what a village click needs


@pytest.mark.parametrize("metric", list(maps.METRICS))
def test_each_metric_map_renders(run_app, metric: str) -> None:
    at = run_app(page="peta", state={"peta_ukuran": metric})
    assert not at.exception
    assert maps.METRICS[metric].label in map_args(at)["script"]  # the legend's title


def test_without_tiles_and_product_points(run_app) -> None:
    with_all = map_args(run_app(page="peta"))["script"]
    at = run_app(page="peta", state={"peta_osm": False, "peta_produk": False})
    assert not at.exception
    bare = map_args(at)["script"]
    assert "tile.openstreetmap.org" in with_all and "tile.openstreetmap.org" not in bare
    assert "Kopi Tuan Galang" in with_all and "Kopi Tuan Galang" not in bare


def test_kecamatan_filter_narrows_the_village_choice(run_app) -> None:
    at = run_app(page="peta", params={"kecamatan": "Wlingi"})
    assert not at.exception
    options = at.selectbox(key="peta_desa").options
    assert len(options) == 9 and all(o.endswith("(Kec. Wlingi)") for o in options)


# After st.switch_page AppTest runs the profile page in the same run, through app.py.


def test_choosing_a_village_opens_its_profile(run_app) -> None:
    at = run_app(page="peta", params={"kecamatan": "Wlingi"}, state={"peta_desa": BALEREJO})
    assert not at.exception
    assert at.selectbox(key="pilih_desa").label == "Pilih desa"  # the Profil Desa page ran
    assert any("Balerejo" in t.value for t in at.title)
    assert at.query_params["desa"] == BALEREJO
    assert at.query_params["kecamatan"] == "Wlingi"  # switch_page was given the filters


def test_a_clicked_village_opens_its_profile(run_app) -> None:
    at = run_app(page="peta", state={_CLICKED: BALEREJO})  # what the map's on_change leaves for the next run
    assert not at.exception
    assert at.selectbox(key="pilih_desa").label == "Pilih desa"
    assert at.query_params["desa"] == BALEREJO


@pytest.mark.parametrize(
    ("value", "kode"),
    [
        (
            {
                "last_active_drawing": {
                    "type": "Feature",
                    "id": BALEREJO,
                    "properties": {"kode_desa": BALEREJO, "desa": "Balerejo"},
                }
            },
            BALEREJO,
        ),
        ({"last_active_drawing": {"type": "Feature", "id": BALEREJO, "properties": {}}}, BALEREJO),
        ({"last_active_drawing": None}, ""),
        ({}, ""),
        (None, ""),
    ],
)
def test_clicked_desa_reads_the_feature_streamlit_folium_returns(value, kode: str) -> None:
    assert clicked_desa(value) == kode


def test_no_contact_number_is_rendered(run_app) -> None:
    text = rendered_text(run_app(page="peta"))
    assert "KWT Balerejo" in text  # product popups are part of the map's arguments
    assert "0812-0000" not in text


# ---------------------------------------------------------------- the first start, while boundaries download


def schematic_warning(at) -> str:
    return next((w.value for w in at.warning if "Peta skematis" in w.value), "")


def test_a_slow_download_never_holds_the_page(
    run_app, trickle_server: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, requests = trickle_server
    monkeypatch.setenv(geo.ENV_CACHE_DIR, str(tmp_path))  # no cache yet: the first visitor starts the download
    monkeypatch.setenv(geo.ENV_BASE_URL, url)
    monkeypatch.setenv(geo.ENV_WAIT, "0.5")
    monkeypatch.setenv(geo.ENV_DEADLINE, "10")
    started = time.monotonic()
    at = run_app(page="peta")  # Ringkasan, then Peta: two pages that each want the boundaries
    elapsed = time.monotonic() - started
    assert not at.exception
    assert "sedang diunduh" in schematic_warning(at) and "muat ulang" in schematic_warning(at)
    assert map_args(at)["script"]  # the (schematic) map is drawn
    assert geo.download_status(tmp_path).running  # the page rendered while the download went on
    assert requests == ["/" + geo.SOURCE_FILES["desa"][0]]  # one download for both pages
    assert elapsed < 10  # far below the trickle's ~100 s for the village file alone


def test_the_run_after_the_download_draws_the_real_map(
    run_app, geo_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(geo.ENV_CACHE_DIR, str(tmp_path))
    monkeypatch.setenv(geo.ENV_BASE_URL, geo_server)
    monkeypatch.setenv(geo.ENV_WAIT, "0")
    at = run_app(page="peta")
    assert "sedang diunduh" in schematic_warning(at)
    assert geo.download_boundaries(wait=None).state == background.SELESAI
    at.run()
    assert not at.exception
    assert schematic_warning(at) == ""
