"""Map builders: colours by class, tooltips with only what they show, escaping, options, the map command."""

from __future__ import annotations

import dataclasses
import json
import re
from functools import partial
from pathlib import Path

import folium
import pandas as pd
import pytest
import shapely
from folium.map import FitBounds
from folium.plugins import FastMarkerCluster

from ovop_data import cli, geo, maps
from ovop_data.gazetteer import gazetteer

AREA = "35.05"
ATTACK = "<img src=x onerror=alert(1)>"
TEMPLATE_ATTACK = "`${alert(2)}`"
# (kode_desa, produk, unggulan, kunjungan terakhir, aspirasi terbuka) -> desa_summary rows
ROWS = [
    ("35.05.17.2009", 3, 2, "2025-05-01", 1),
    ("35.05.01.2001", 1, 1, None, 0),
    ("35.05.09.2003", 0, 0, "2024-01-15", 4),
    ("35.05.13.2001", 0, 0, None, 0),
]
TODAY = pd.Timestamp("2025-07-01")


def summary_of(rows: list[tuple] = ROWS) -> pd.DataFrame:
    """A hand-made desa_summary (the metrics contract) for the given villages."""
    names = gazetteer(AREA).set_index("kode_desa")
    out = []
    for kode, produk, unggulan, last, terbuka in rows:
        seen = pd.Timestamp(last) if last else pd.NaT
        punya, dikunjungi = unggulan > 0, last is not None
        status = (
            "Unggulan & dikunjungi"
            if punya and dikunjungi
            else "Unggulan, belum dikunjungi"
            if punya
            else "Dikunjungi, belum ada unggulan"
            if dikunjungi
            else "Belum ada unggulan & belum dikunjungi"
        )
        out.append(
            {
                "kode_desa": kode,
                "desa": names.at[kode, "desa"],
                "jenis": names.at[kode, "jenis"],
                "kode_kecamatan": kode[:8],
                "kecamatan": names.at[kode, "kecamatan"],
                "produk_total": produk,
                "produk_unggulan": unggulan,
                "kategori": "",
                "punya_produk_unggulan": punya,
                "kunjungan_total": int(dikunjungi),
                "kunjungan_terakhir": seen,
                "hari_sejak_kunjungan": (TODAY - seen).days if dikunjungi else pd.NA,
                "dikunjungi": dikunjungi,
                "aspirasi_total": terbuka,
                "aspirasi_terbuka": terbuka,
                "aspirasi_terbuka_tertua": pd.NaT,
                "aspirasi_terlambat": 0,
                "status_cakupan": status,
            }
        )
    frame = pd.DataFrame(out)
    return frame.astype({"hari_sejak_kunjungan": "Int64", "kunjungan_terakhir": "datetime64[ns]"})


@pytest.fixture(scope="module")
def schematic() -> geo.Boundaries:
    return geo.schematic_boundaries(AREA)


def village_layer(m: folium.Map) -> folium.GeoJson:
    return next(
        c
        for c in m._children.values()
        if isinstance(c, folium.GeoJson) and c.data["features"] and "id" in c.data["features"][0]
    )


def legend_text(m: folium.Map) -> str:
    return " ".join(c.body for c in m._children.values() if type(c).__name__ == "_Legend")


# ---------------------------------------------------------------- coverage map


def test_coverage_map_colours_every_village_by_status(schematic: geo.Boundaries) -> None:
    m = maps.coverage_map(schematic, summary_of())
    layer = village_layer(m)
    fills = {f["id"]: layer.style_function(f)["fillColor"] for f in layer.data["features"]}
    assert len(fills) == 248
    assert fills["35.05.17.2009"] == maps.STATUS_COLOURS["Unggulan & dikunjungi"]
    assert fills["35.05.01.2001"] == maps.STATUS_COLOURS["Unggulan, belum dikunjungi"]
    assert fills["35.05.09.2003"] == maps.STATUS_COLOURS["Dikunjungi, belum ada unggulan"]
    assert fills["35.05.13.2001"] == maps.STATUS_COLOURS["Belum ada unggulan & belum dikunjungi"]
    assert fills["35.05.22.2001"] == maps.NO_DATA_COLOUR  # not in the summary
    legend = legend_text(m)
    assert "Cakupan desa" in legend and "Unggulan &amp; dikunjungi (1)" in legend and "Tidak ada data (244)" in legend


def test_features_carry_kode_desa_and_only_the_tooltip_fields(schematic: geo.Boundaries) -> None:
    layer = village_layer(maps.coverage_map(schematic, summary_of()))
    feature = next(f for f in layer.data["features"] if f["id"] == "35.05.17.2009")
    assert feature["properties"] == {
        "kode_desa": "35.05.17.2009",
        "desa": "Balerejo",
        "kecamatan": "Wlingi",
        "status": "Unggulan &amp; dikunjungi",
        "produk": "3 (2 unggulan)",
        "kunjungan": "1 Mei 2025",
    }
    tooltip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    assert tooltip.fields == list(feature["properties"])[1:]
    never = next(f for f in layer.data["features"] if f["id"] == "35.05.01.2001")
    assert never["properties"]["kunjungan"] == "belum pernah"


# ---------------------------------------------------------------- metric map


@pytest.mark.parametrize(
    ("metric", "values", "classes"),
    [
        ("produk_total", [0, 1, 2, 3, 4, 6, 7, 40], [0, 1, 2, 2, 3, 3, 4, 4]),
        ("hari_sejak_kunjungan", [0, 30, 31, 90, 91, 365, 366, None], [0, 0, 1, 1, 2, 3, 4, -1]),
        ("aspirasi_terbuka", [0, 1, 3, 4, None], [0, 1, 2, 3, -1]),
    ],
)
def test_metric_classes(metric: str, values: list, classes: list[int]) -> None:
    series = pd.Series(values, dtype="Int64")
    assert maps.metric_classes(series, maps.METRICS[metric]).tolist() == classes


def test_metric_palettes_match_their_bins() -> None:
    for spec in maps.METRICS.values():
        assert len(spec.colours) == len(spec.bins)
        assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in spec.colours)


def test_metric_map_days_since_visit(schematic: geo.Boundaries) -> None:
    m = maps.metric_map(schematic, summary_of(), "hari_sejak_kunjungan")
    layer = village_layer(m)
    spec = maps.METRICS["hari_sejak_kunjungan"]
    by_code = {f["id"]: f for f in layer.data["features"]}
    assert by_code["35.05.17.2009"]["properties"]["nilai"] == "61"
    assert layer.style_function(by_code["35.05.17.2009"])["fillColor"] == spec.colours[1]  # 31–90 days
    assert by_code["35.05.01.2001"]["properties"]["nilai"] == "Belum pernah dikunjungi"
    assert layer.style_function(by_code["35.05.01.2001"])["fillColor"] == spec.missing_colour
    assert by_code["35.05.09.2003"]["properties"]["nilai"] == "533"
    assert "Belum pernah dikunjungi (2)" in legend_text(m)


def test_unknown_metric_is_refused(schematic: geo.Boundaries) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        maps.metric_map(schematic, summary_of(), "omzet")


# ---------------------------------------------------------------- products


def produk_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_produk": ["P1", "P2", "P3", "P4", "P5"],
            "nama_produk": [ATTACK, "Keripik Pisang", "Kopi Robusta", TEMPLATE_ATTACK, "Di luar peta"],
            "kategori": ["Makanan olahan", "Makanan olahan", "Minuman", "Lainnya", "Minuman"],
            "pelaku_usaha": ["UD Maju", "KWT Mawar", "", "X", "Y"],
            "desa": ["Wlingi", "Wlingi", "Wlingi", "Jaten", "Entah"],
            "kode_desa": ["35.05.17.2009", "35.05.17.2009", "35.05.17.2009", "35.05.01.2001", "35.72.01.1001"],
            "kontak": ["081234567890"] * 5,
        }
    )


def test_product_points_sit_in_their_village_and_never_show_kontak(schematic: geo.Boundaries) -> None:
    layer = maps.product_points(produk_frame(), schematic)
    assert isinstance(layer, FastMarkerCluster)
    assert len(layer.data) == 4  # the product outside the area has no village to sit in
    tiles = schematic.desa.set_index("kode_desa").geometry
    wlingi = [r for r in layer.data if "<i>Wlingi</i>" in r[2]]
    assert len({(r[0], r[1]) for r in wlingi}) == 3  # spread, not stacked
    assert all(tiles["35.05.17.2009"].contains(shapely.Point(r[1], r[0])) for r in wlingi)
    assert layer.data == maps.product_points(produk_frame().iloc[::-1], schematic).data  # deterministic
    assert "081234567890" not in json.dumps(layer.data)
    html = maps.map_html(maps.coverage_map(schematic, summary_of(), produk=produk_frame()))
    assert "081234567890" not in html


# ---------------------------------------------------------------- escaping


def test_text_reaching_html_is_escaped(schematic: geo.Boundaries) -> None:
    desa = schematic.desa.assign(
        desa=schematic.desa["desa"].where(schematic.desa["kode_desa"] != "35.05.17.2009", ATTACK)
    )
    hostile = dataclasses.replace(schematic, desa=desa)
    for m in (
        maps.coverage_map(hostile, summary_of(), produk=produk_frame()),
        maps.metric_map(hostile, summary_of(), "produk_total", produk=produk_frame()),
    ):
        html = maps.map_html(m)
        assert ATTACK not in html
        assert TEMPLATE_ATTACK not in html and "${alert(2)}" not in html
        escaped = ("&lt;img src=x onerror=alert(1)&gt;", "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;")
        assert sum(html.count(e) for e in escaped) >= 2  # the village tooltip and the product popup


# ---------------------------------------------------------------- options


def test_tiles_off_for_the_briefing_room(schematic: geo.Boundaries) -> None:
    with_tiles = maps.map_html(maps.coverage_map(schematic, summary_of()))
    without = maps.map_html(maps.coverage_map(schematic, summary_of(), tiles=None))
    assert "tile.openstreetmap.org" in with_tiles
    assert "tile.openstreetmap.org" not in without


def fitted_bounds(m: folium.Map) -> list[list[float]]:
    return next(c for c in m._children.values() if isinstance(c, FitBounds)).bounds


@pytest.mark.parametrize("selection", ["Wlingi", "wlingi", "35.05.17", "Kec. Wlingi"])
def test_fit_to_a_kecamatan(schematic: geo.Boundaries, selection: str) -> None:
    (south, west), (north, east) = fitted_bounds(maps.coverage_map(schematic, summary_of(), fit_to=selection))
    block = schematic.kecamatan.set_index("kode_kecamatan").geometry["35.05.17.2009"[:8]]
    assert (west, south, east, north) == pytest.approx(block.bounds)


def test_fit_and_highlight_a_village(schematic: geo.Boundaries) -> None:
    m = maps.coverage_map(schematic, summary_of(), fit_to="35.05.17.2009", highlight="35.05.17.2009")
    tile = schematic.desa.set_index("kode_desa").geometry["35.05.17.2009"]
    (south, west), (north, east) = fitted_bounds(m)
    assert (west, south, east, north) == pytest.approx(tile.bounds)
    chosen = next(c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Desa terpilih")
    assert len(chosen.data["features"]) == 1
    with pytest.raises(ValueError, match="tidak ada di peta"):
        maps.coverage_map(schematic, summary_of(), fit_to="Atlantis")
    with pytest.raises(ValueError, match="tidak ada di peta"):
        maps.coverage_map(schematic, summary_of(), highlight="35.05.99.9999")


def test_schematic_map_says_so(schematic: geo.Boundaries) -> None:
    html = maps.map_html(maps.coverage_map(schematic, summary_of()))
    assert "Peta skematis" in html


# ---------------------------------------------------------------- real boundaries


@pytest.fixture(scope="module")
def blitar(geo_server: str, tmp_path_factory: pytest.TempPathFactory) -> geo.Boundaries:
    folder = tmp_path_factory.mktemp("geo_cache")
    geo.fetch_boundaries(geo_server, cache_folder=folder)
    return geo.boundaries(AREA, cache_folder=folder)


def test_blitar_coverage_map_is_small_enough(blitar: geo.Boundaries) -> None:
    full = summary_of([(k, 1, 1, "2025-01-01", 0) for k in blitar.desa["kode_desa"]])
    html = maps.map_html(maps.coverage_map(blitar, full))
    assert len(html.encode("utf-8")) < 600 * 1024
    assert "Kota Blitar (bukan bagian wilayah ini)" in html


# ---------------------------------------------------------------- the map command


def test_map_command_writes_one_html_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ovop_data.demo import write_demo

    monkeypatch.setenv(geo.ENV_CACHE_DIR, str(tmp_path / "no_cache"))
    monkeypatch.delenv(geo.ENV_OWN_FILE, raising=False)
    files = [str(p) for p in write_demo(tmp_path / "data")]
    out = tmp_path / "peta" / "cakupan.html"
    assert cli.main(["map", *files, "--out", str(out), "--no-tiles", "--kecamatan", "Wlingi"]) == 0
    printed = capsys.readouterr().out
    assert "skematis" in printed and "fetch-geo" in printed
    html = out.read_text(encoding="utf-8")
    assert "Cakupan desa" in html and "tile.openstreetmap.org" not in html
    assert cli.main(["map", *files, "--out", str(out), "--metric", "aspirasi_terbuka"]) == 0
    assert "Aspirasi terbuka" in out.read_text(encoding="utf-8")
    assert cli.main(["map", *files, "--out", str(out), "--kecamatan", "Atlantis"]) == 2
    assert "Atlantis" in capsys.readouterr().err


# ---------------------------------------------------------------- what the browser loads


@pytest.mark.parametrize("with_produk", [False, True], ids=["villages", "villages+products"])
def test_maps_load_leaflet_and_nothing_unused(schematic: geo.Boundaries, with_produk: bool) -> None:
    """Each script is one more sequential fetch before the first map draws (and one more CDN host)."""
    produk = produk_frame() if with_produk else None
    for m in (
        maps.coverage_map(schematic, summary_of(), produk=produk),
        maps.metric_map(schematic, summary_of(), "produk_total", produk=produk),
    ):
        page = maps.map_html(m)
        scripts = re.findall(r'<script src="([^"]+)"', page)
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        packages = {re.search(r"(leaflet\.markercluster|leaflet)@?/?[\d.]*/", url).group(1) for url in scripts + sheets}
        assert packages == ({"leaflet", "leaflet.markercluster"} if with_produk else {"leaflet"}), scripts + sheets
        assert not re.search(r"jquery|bootstrap|awesome|fontawesome", page, re.IGNORECASE)


# ---------------------------------------------------------------- reading the map (issue 8 §6)


def fill_colours(m: folium.Map) -> set[str]:
    """Every fill colour the map's village layer can use, and the legend's square swatches."""
    layer = village_layer(m)
    return {layer.style_function(f)["fillColor"].upper() for f in layer.data["features"]}


def every_fill_colour() -> set[str]:
    """Each colour a village can be filled with, on any map type."""
    colours = {*maps.STATUS_COLOURS.values(), maps.NO_DATA_COLOUR}
    for metric in maps.METRICS.values():
        colours |= {*metric.colours, metric.missing_colour}
    return {c.upper() for c in colours}


def point_colours(layer: FastMarkerCluster) -> set[str]:
    """The colours in the product points' JavaScript (fill and ring)."""
    return {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", layer.callback)}


@pytest.mark.parametrize("metric", [None, *maps.METRICS])
def test_product_points_share_no_colour_with_any_village_fill(schematic: geo.Boundaries, metric: str | None) -> None:
    """Orange meant both "Makanan olahan" and "Unggulan, belum dikunjungi": a dot's colour never names a fill."""
    if metric is None:
        m = maps.coverage_map(schematic, summary_of(), produk=produk_frame())
    else:
        m = maps.metric_map(schematic, summary_of(), metric, produk=produk_frame())
    points = next(c for c in m._children.values() if isinstance(c, FastMarkerCluster))
    assert fill_colours(m) <= every_fill_colour()
    assert point_colours(points) & every_fill_colour() == set()
    assert maps.PRODUK_COLOUR.upper() in point_colours(points)
    # the groups' discs are drawn in the same black, not markercluster's green/yellow/orange
    assert "rgba(0,0,0," in points.icon_create_function


def cluster_options(m: folium.Map) -> dict:
    return next(c for c in m._children.values() if isinstance(c, FastMarkerCluster)).options


def test_points_are_grouped_only_at_kabupaten_zoom(schematic: geo.Boundaries) -> None:
    whole = cluster_options(maps.coverage_map(schematic, summary_of(), produk=produk_frame()))
    assert whole["disableClusteringAtZoom"] == maps.KECAMATAN_ZOOM
    for fit_to in ("Wlingi", "35.05.17", "35.05.17.2009"):
        one = cluster_options(maps.coverage_map(schematic, summary_of(), produk=produk_frame(), fit_to=fit_to))
        assert one["disableClusteringAtZoom"] == 0, fit_to  # every zoom: each product its own point


@pytest.mark.parametrize("metric", [None, "produk_total", "hari_sejak_kunjungan"])
def test_villages_a_filter_leaves_out_are_labelled_so(schematic: geo.Boundaries, metric: str | None) -> None:
    build = maps.coverage_map if metric is None else partial(maps.metric_map, metric=metric)
    filtered = legend_text(build(schematic, summary_of(), filtered=True))
    unfiltered = legend_text(build(schematic, summary_of()))
    assert "Di luar filter (244)" in filtered and "Tidak ada data" not in filtered
    assert "Tidak ada data (244)" in unfiltered and "Di luar filter" not in unfiltered
    tooltips = village_layer(build(schematic, summary_of(), filtered=True)).data["features"]
    outside = next(f for f in tooltips if f["id"] == "35.05.22.2001")["properties"]
    assert "Di luar filter" in outside.values()


def test_one_legend_open_at_every_size_with_the_product_key(schematic: geo.Boundaries) -> None:
    """The product key joins the village legend (one box, not two over the villages); nothing folds it on a phone."""
    m = maps.coverage_map(schematic, summary_of(), produk=produk_frame())
    legends = [c for c in m._children.values() if type(c).__name__ == "_Legend" and c.position != "topright"]
    assert len(legends) == 1  # (the schematic map's note stays at the top)
    assert "<details open>" in legends[0].body and "Produk (klik titik untuk rincian) (4)" in legends[0].body
    assert ".open = false" not in maps.map_html(m)


def test_legend_text_is_escaped() -> None:
    legend = maps._Legend(ATTACK, [("#FFFFFF", TEMPLATE_ATTACK, 1)], dots=[("#000000", ATTACK, 2)])
    assert ATTACK not in legend.body and TEMPLATE_ATTACK not in legend.body
    assert legend.body.count("&lt;img src=x onerror=alert(1)&gt;") == 2


def test_the_map_fits_beside_its_legend_and_focuses_without_scrolling(schematic: geo.Boundaries) -> None:
    html = maps.map_html(maps.coverage_map(schematic, summary_of()))
    assert "paddingBottomRight" in html and ".ovop-legend" in html  # the legend's size decides the padding
    assert "focus({preventScroll: true})" in html  # §1: Leaflet's own focus() scrolled the page mid-click
