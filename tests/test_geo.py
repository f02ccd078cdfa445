"""Boundaries: parsing the published dump, the verified download and cache, own files, the schematic."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import filelock
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geo_server import serve_directory, serve_raw

from ovop_data import background, cli, geo
from ovop_data.gazetteer import gazetteer
from ovop_data.geo import download
from ovop_data.simplify import UTM_49S, clean_coverage, geojson_text, tolerance_for

AREA = "35.05"
SOURCE = {level: path for level, (path, _sha) in geo.SOURCE_FILES.items()}


@pytest.fixture(autouse=True)
def _no_own_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OVOP_BATAS_DESA must not leak into the tests."""
    monkeypatch.delenv(geo.ENV_OWN_FILE, raising=False)


@pytest.fixture(scope="module")
def blitar_cache(geo_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder filled by a real fetch from the local server."""
    folder = tmp_path_factory.mktemp("geo_cache")
    geo.fetch_boundaries(geo_server, cache_folder=folder)
    return folder


@pytest.fixture(scope="module")
def blitar(blitar_cache: Path) -> geo.Boundaries:
    return geo.boundaries(AREA, cache_folder=blitar_cache)


@pytest.fixture(scope="module")
def big_style(shared_geo: Path) -> gpd.GeoDataFrame:
    """Blitar's villages with the columns of BIG's 'Batas Desa' (KDEPUM, WADMKD, WADMKC, WADMKK)."""
    villages = gpd.read_file(shared_geo / "blitar_desa.geojson")
    names = gazetteer(AREA).set_index("kode_desa")
    return gpd.GeoDataFrame(
        {
            "KDEPUM": villages["kode"],
            "WADMKD": villages["nama"].str.upper(),
            "WADMKC": villages["kode"].map(names["kecamatan"]),
            "WADMKK": "Blitar",
        },
        geometry=villages.geometry,
        crs="EPSG:4326",
    )


# ---------------------------------------------------------------- parsing the dump


@pytest.mark.parametrize(
    ("level", "prefixes", "expected"),
    [
        ("desa", (AREA + ".",), 248),
        ("kecamatan", (AREA + ".",), 22),
        ("kabupaten", (AREA, "35.72"), 2),
    ],
)
def test_parses_the_published_files(shared_geo: Path, level: str, prefixes: tuple[str, ...], expected: int) -> None:
    text = (shared_geo / "source" / SOURCE[level]).read_text(encoding="utf-8")
    layer = geo.parse_boundaries_sql(text)
    mine = layer.loc[layer["kode"].map(lambda k: any(k == p or k.startswith(p) for p in prefixes))]
    if level == "kabupaten":
        mine = mine.loc[mine["kode"].isin(prefixes)]
    assert len(mine) == expected
    assert mine.geometry.is_valid.all()
    assert not mine.geometry.is_empty.any()
    assert set(mine.geom_type) <= {"Polygon", "MultiPolygon"}


def test_every_village_code_is_in_the_gazetteer(shared_geo: Path) -> None:
    layer = geo.parse_boundaries_sql((shared_geo / "source" / SOURCE["desa"]).read_text(encoding="utf-8"))
    assert set(layer["kode"]) == set(gazetteer(AREA)["kode_desa"])


def test_rings_become_lng_lat(shared_geo: Path) -> None:
    """Same shapes as the reference conversion: [lat, lng] pairs were swapped, nothing else moved."""
    layer = geo.parse_boundaries_sql((shared_geo / "source" / SOURCE["desa"]).read_text(encoding="utf-8"))
    reference = gpd.read_file(shared_geo / "blitar_desa.geojson").set_index("kode")
    ours = layer.set_index("kode").geometry.reindex(reference.index)
    assert shapely.equals_exact(ours.values, reference.geometry.values, tolerance=1e-9).all()


def test_parses_escapes_multipolygons_and_repairs_rings() -> None:
    text = """INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
        ('35.05.01.2001','Jaten \\'Lor\\'',-8.0,112.0,'[[[-8,112],[-8,112.1],[-8.1,112.1],[-8.1,112],[-8,112]]]'),
        ('35.05.01.2002','Kali''an',NULL,NULL,'[[[[-8,112],[-8,112.1],[-8.1,112.1],[-8,112]]],[[[-9,113],[-9,113.1],[-9.1,113.1],[-9,113]]]]'),
        ('35.05.01.2003','Simpul',-8.0,112.0,'[[[-8,112],[-8.1,112.1],[-8,112.1],[-8.1,112],[-8,112]]]');"""
    layer = geo.parse_boundaries_sql(text)
    assert layer["nama"].tolist() == ["Jaten 'Lor'", "Kali'an", "Simpul"]
    assert layer.geometry.iloc[0].bounds == (112.0, -8.1, 112.1, -8.0)  # x is longitude
    assert layer.geom_type.tolist()[1] == "MultiPolygon"
    assert pd.isna(layer["lat"].iloc[1])
    assert layer.geometry.is_valid.all()  # the bow-tie ring of 'Simpul' was repaired


def test_text_without_rows_is_not_a_dump() -> None:
    with pytest.raises(ValueError, match="INSERT"):
        geo.parse_boundaries_sql("<html>404</html>")


# ---------------------------------------------------------------- download and cache


def test_fetch_writes_one_cache_file(blitar_cache: Path) -> None:
    cache = geo.read_cache(blitar_cache)
    assert [p.name for p in blitar_cache.iterdir()] == [geo.CACHE_FILE]
    counts = cache.groupby("tingkat").size()
    assert counts["desa"] == 248
    assert cache.loc[cache["kode"].str.startswith(AREA + ".") & (cache["tingkat"] == "kecamatan")].shape[0] == 22
    assert {"35.05", "35.72"} <= set(cache.loc[cache["tingkat"] == "kabupaten", "kode"])
    assert cache.crs.to_epsg() == 4326


def test_downloaded_boundaries_are_what_the_app_uses(blitar: geo.Boundaries) -> None:
    assert blitar.source == geo.SOURCE_UNDUHAN
    assert len(blitar.desa) == 248
    assert list(blitar.desa.columns) == list(geo.DESA_COLUMNS)
    assert len(blitar.kecamatan) == 22
    assert blitar.kabupaten["kode_kabupaten"].tolist() == [AREA]
    assert blitar.enclave["kode"].tolist() == ["35.72"]
    assert blitar.enclave["nama"].tolist() == ["Kota Blitar"]
    assert blitar.desa.crs.to_epsg() == 4326
    assert blitar.note == ""


@pytest.mark.parametrize("damage", ["flip_byte", "missing_file"])
def test_failed_download_keeps_the_previous_cache(shared_geo: Path, tmp_path: Path, damage: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(shared_geo / "source", source)
    for item in [source, *source.rglob("*")]:  # the shared copy is read-only
        item.chmod(0o755 if item.is_dir() else 0o644)
    cache = tmp_path / "cache"
    with serve_directory(source) as url:
        geo.fetch_boundaries(url, cache_folder=cache)
        before = (cache / geo.CACHE_FILE).read_bytes()
        target = source / SOURCE["kabupaten"]  # the last file: the first two download fine
        if damage == "flip_byte":
            content = bytearray(target.read_bytes())
            content[len(content) // 2] ^= 0x01
            target.write_bytes(bytes(content))
        else:
            target.unlink()
        with pytest.raises(geo.GeoFetchError, match="Checksum" if damage == "flip_byte" else "HTTP 404"):
            geo.fetch_boundaries(url, cache_folder=cache)
    assert (cache / geo.CACHE_FILE).read_bytes() == before
    assert [p.name for p in cache.iterdir()] == [geo.CACHE_FILE]  # no temporary file left behind


def test_fetch_geo_command(
    geo_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(geo.ENV_CACHE_DIR, str(tmp_path))
    monkeypatch.setenv(geo.ENV_BASE_URL, geo_server)
    assert cli.main(["fetch-geo"]) == 0
    assert "248 desa/kelurahan" in capsys.readouterr().out
    assert cli.main(["fetch-geo", "--base-url", geo_server + "tidak-ada/"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 404" in err and "tidak diubah" in err
    assert (tmp_path / geo.CACHE_FILE).exists()


def test_the_call_after_a_background_download_draws_the_real_boundaries(geo_server: str, tmp_path: Path) -> None:
    messages: list[str] = []
    ask = dict(cache_folder=tmp_path, fetch_missing=True, base=geo_server, progress=messages.append)
    first = geo.boundaries(AREA, wait=0, **ask)
    assert first.is_schematic and geo.PENDING_NOTE in first.note
    assert geo.download_boundaries(geo_server, cache_folder=tmp_path, wait=None).state == background.SELESAI
    then = geo.boundaries(AREA, wait=0, **ask)
    assert then.source == geo.SOURCE_UNDUHAN and then.note == ""
    assert any("Mengunduh" in m for m in messages)


# ---------------------------------------------------------------- a slow server never holds a visitor


def test_a_visitor_gets_the_schematic_map_while_a_slow_download_runs(
    trickle_server: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, requests = trickle_server
    monkeypatch.setenv(geo.ENV_DEADLINE, "3")
    visits = []
    for _visitor in range(2):
        started = time.monotonic()
        found = geo.boundaries(AREA, cache_folder=tmp_path, fetch_missing=True, wait=0.3, base=url)
        visits.append(time.monotonic() - started)
        assert found.is_schematic and geo.PENDING_NOTE in found.note
        assert "fetch-geo" not in found.note  # nothing to do but reload
    assert max(visits) < 2.0  # 0.3 s of waiting plus drawing the schematic map
    status = geo.download_status(tmp_path)
    assert status.running and status.attempt == 1
    assert requests == ["/" + SOURCE["desa"]]  # the second visitor joined the first download
    assert geo.download_boundaries(url, cache_folder=tmp_path, wait=None).state == background.GAGAL


def test_the_deadline_stops_a_trickling_download_and_leaves_no_cache(
    trickle_server: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _requests = trickle_server
    monkeypatch.setenv(geo.ENV_DEADLINE, "1")
    started = time.monotonic()
    status = geo.download_boundaries(url, cache_folder=tmp_path, wait=None)
    elapsed = time.monotonic() - started
    assert status.state == background.GAGAL and "batas waktu 1 detik" in status.error
    assert 1.0 <= elapsed < 2.0  # the deadline, plus at most one of the server's pauses
    assert [p.name for p in tmp_path.iterdir()] == [geo.LOCK_FILE]  # no cache, no temporary file
    found = geo.boundaries(AREA, cache_folder=tmp_path, fetch_missing=True, wait=0, base=url)
    assert found.is_schematic
    assert "belum dapat diunduh" in found.note and "batas waktu" in found.note and "fetch-geo" in found.note


def test_the_deadline_bounds_a_direct_download_too(trickle_server: tuple[str, list[str]]) -> None:
    started = time.monotonic()
    with pytest.raises(geo.GeoFetchError, match="batas waktu"):
        geo.download_sources(trickle_server[0], deadline=0.5)
    assert time.monotonic() - started < 1.5


def test_a_connection_closed_mid_file_is_a_fetch_error() -> None:
    promised_more = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n" + b"x" * 4096
    with serve_raw(promised_more) as url, pytest.raises(geo.GeoFetchError, match="sambungan terputus setelah 4 KB"):
        geo.download_sources(url)


def test_endless_data_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "MAX_SOURCE_BYTES", 32 * 1024)
    target = tmp_path / SOURCE["desa"]
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x" * (256 * 1024))
    with serve_directory(tmp_path) as url, pytest.raises(geo.GeoFetchError, match="dihentikan"):
        geo.download_sources(url)


def test_a_replica_waits_for_the_others_download_and_uses_its_cache(
    shared_geo: Path, blitar_cache: Path, tmp_path: Path
) -> None:
    requests: list[str] = []
    with serve_directory(shared_geo / "source", requests=requests) as url:
        with filelock.FileLock(tmp_path / geo.LOCK_FILE):  # another process is downloading…
            assert geo.download_boundaries(url, cache_folder=tmp_path, wait=0.3).running
            shutil.copy(blitar_cache / geo.CACHE_FILE, tmp_path / geo.CACHE_FILE)  # …and writes the cache
        status = geo.download_boundaries(url, cache_folder=tmp_path, wait=None)
    assert status.state == background.SELESAI
    assert requests == []


def test_an_unexpected_error_of_the_download_becomes_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("desa")

    monkeypatch.setattr(download, "fetch_boundaries", broken)
    found = geo.boundaries(AREA, cache_folder=tmp_path, fetch_missing=True, base="http://127.0.0.1:9/")
    assert found.is_schematic and "KeyError: 'desa'" in found.note


def test_a_failed_download_is_tried_again_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offline = "http://127.0.0.1:9/"
    assert geo.download_boundaries(offline, cache_folder=tmp_path, wait=None).attempt == 1
    assert geo.download_boundaries(offline, cache_folder=tmp_path, wait=None).attempt == 1  # not at once
    monkeypatch.setattr(download, "RETRY_AFTER", 0.0)
    assert geo.download_boundaries(offline, cache_folder=tmp_path, wait=None).attempt == 2


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (geo.ENV_DEADLINE, "", geo.DEFAULT_DEADLINE),
        (geo.ENV_DEADLINE, " 30 ", 30.0),
        (geo.ENV_DEADLINE, "0", ValueError),
        (geo.ENV_DEADLINE, "dua menit", ValueError),
        (geo.ENV_DEADLINE, "inf", ValueError),
        (geo.ENV_WAIT, "", geo.DEFAULT_WAIT),
        (geo.ENV_WAIT, "0", 0.0),
        (geo.ENV_WAIT, "-1", ValueError),
    ],
)
def test_download_settings(monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: object) -> None:
    monkeypatch.setenv(name, value)
    read = geo.download_deadline if name == geo.ENV_DEADLINE else geo.visitor_wait
    if expected is ValueError:
        with pytest.raises(ValueError, match=name):
            read()
    else:
        assert read() == expected


# ---------------------------------------------------------------- geometry for the browser


@pytest.mark.parametrize(
    ("groups", "filled"),
    [
        (None, True),
        (["a", "a", "a", "a", "a"], True),
        (["a", "a", "b", "a", "a"], False),  # across a group border only overlaps are resolved, gaps stay
    ],
)
def test_clean_coverage_resolves_overlaps_and_fills_narrow_gaps(groups: list[str] | None, filled: bool) -> None:
    # A and B overlap by 10 m; a 20 m wide gap between B and C is closed above and below by D and E.
    boxes = [
        shapely.box(0, 0, 1000, 1000),
        shapely.box(990, 0, 2000, 1000),
        shapely.box(2020, 0, 3000, 1000),
        shapely.box(0, 1000, 3000, 2000),
        shapely.box(0, -1000, 3000, 0),
    ]
    layer = gpd.GeoSeries(boxes, crs=UTM_49S)
    cleaned = clean_coverage(layer, pd.Series(groups) if groups else None)
    assert _overlaps(cleaned.values).max() == pytest.approx(0)
    assert shapely.coverage_is_valid(cleaned.values)
    assert shapely.union_all(cleaned.values).area == pytest.approx(9_000_000 if filled else 8_980_000)
    assert layer.area.tolist() == [1_000_000, 1_010_000, 980_000, 3_000_000, 3_000_000]  # argument untouched


@pytest.mark.parametrize(("villages", "metres"), [(10, 100.0), (248, 100.0), (2000, 200.0), (8492, 323.9)])
def test_tolerance_grows_gently_with_the_layer(villages: int, metres: float) -> None:
    assert tolerance_for(villages) == metres


def test_village_layer_fits_the_size_budget(blitar: geo.Boundaries, shared_geo: Path) -> None:
    text = geojson_text(blitar.desa, ["kode_desa", "desa", "kecamatan"])
    assert len(text.encode("utf-8")) <= 300 * 1024
    assert (shared_geo / "blitar_desa.geojson").stat().st_size > 3 * len(text)


def _overlaps(geoms: object) -> pd.Series:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    return pd.Series(shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])))


def test_simplified_villages_still_tile_the_kabupaten(
    blitar: geo.Boundaries, blitar_cache: Path, shared_geo: Path
) -> None:
    cache = geo.read_cache(blitar_cache).to_crs(UTM_49S)
    kabupaten = cache.loc[(cache["tingkat"] == "kabupaten") & (cache["kode"] == AREA)].geometry.iloc[0]
    published = shapely.make_valid(gpd.read_file(shared_geo / "blitar_desa.geojson").to_crs(UTM_49S).geometry.values)
    simplified = shapely.make_valid(blitar.desa.to_crs(UTM_49S).geometry.values)
    union, published_union = shapely.union_all(simplified), shapely.union_all(published)
    # The kabupaten file and the village file are separate surveys (~1.2% apart); simplifying adds almost nothing.
    uncovered = kabupaten.difference(union).area / kabupaten.area
    assert uncovered < kabupaten.difference(published_union).area / kabupaten.area + 0.002
    assert union.symmetric_difference(published_union).area / published_union.area < 0.01
    assert _overlaps(simplified).max() < 1_000  # m²: at most rounding crumbs where neighbours meet
    holes = [shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors]
    assert sum(h for h in holes if h < 1e6) < 20_000  # no slivers between villages (Kota Blitar is the one big hole)


def test_per_polygon_simplify_would_break_the_borders(shared_geo: Path) -> None:
    """The check above can fail: plain simplify at the same tolerance overlaps neighbours by hectares."""
    naive = gpd.read_file(shared_geo / "blitar_desa.geojson").to_crs(UTM_49S).simplify(100)
    assert _overlaps(shapely.make_valid(naive.values)).max() > 10_000


def test_enclave_sits_in_the_hole(blitar: geo.Boundaries) -> None:
    enclave = blitar.enclave.to_crs(UTM_49S).geometry.iloc[0]
    villages = shapely.union_all(shapely.make_valid(blitar.desa.to_crs(UTM_49S).geometry.values))
    assert enclave.area > 25e6  # Kota Blitar is ~32 km²
    assert enclave.intersection(villages).area < 0.001 * enclave.area


# ---------------------------------------------------------------- bring your own boundaries


def _zip_shapefile(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    shp = folder / "shp"
    shp.mkdir()
    frame.to_file(shp / "batas_desa.shp")
    target = folder / "batas_desa.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for part in sorted(shp.iterdir()):
            archive.write(part, part.name)
    return target


@pytest.mark.parametrize(
    ("kind", "crs", "code_style"),
    [
        ("gpkg", "EPSG:4326", "dotted"),
        ("zip", "EPSG:4326", "digits"),
        ("gpkg", UTM_49S, "dotted"),
        ("zip", "EPSG:23839", "digits"),  # DGN95 / Indonesia TM-3 zone 49.1, as some regency files are
    ],
)
def test_own_file_with_a_code_column(
    big_style: gpd.GeoDataFrame, tmp_path: Path, kind: str, crs: str, code_style: str
) -> None:
    frame = big_style.to_crs(crs)
    if code_style == "digits":
        frame = frame.assign(KDEPUM=frame["KDEPUM"].str.replace(".", "", regex=False))
    path = tmp_path / "batas_desa.gpkg"
    if kind == "gpkg":
        frame.to_file(path, driver="GPKG")
    else:
        path = _zip_shapefile(frame, tmp_path)
    desa, findings = geo.read_own_boundaries(path, AREA)
    assert len(desa) == 248
    assert desa.crs.to_epsg() == 4326
    assert findings.empty
    original = big_style.set_index("KDEPUM").to_crs(UTM_49S).geometry
    area = desa.set_index("kode_desa").to_crs(UTM_49S).geometry.area
    assert ((area - original.area.reindex(area.index)).abs() / area).max() < 0.01

    found = geo.boundaries(AREA, own_path=path, cache_folder=tmp_path / "no_cache")
    assert found.source == geo.SOURCE_BERKAS
    assert len(found.desa) == 248 and len(found.kecamatan) == 22
    assert found.enclave["nama"].tolist() == ["Bukan wilayah Kabupaten Blitar"]  # the hole, without a cache


def test_own_file_joined_by_name_reports_unmatched_polygons(big_style: gpd.GeoDataFrame, tmp_path: Path) -> None:
    named = big_style.drop(columns=["KDEPUM"])
    named.loc[0, "WADMKD"] = "Ds. " + named.loc[0, "WADMKD"].lower()
    extra = gpd.GeoDataFrame(
        {"WADMKD": ["ATLANTIS"], "WADMKC": ["WLINGI"], "WADMKK": ["Blitar"]},
        geometry=[shapely.box(112.3, -8.1, 112.31, -8.09)],
        crs="EPSG:4326",
    )
    path = tmp_path / "batas_nama.gpkg"
    pd.concat([named, extra], ignore_index=True).to_file(path, driver="GPKG")
    desa, findings = geo.read_own_boundaries(path, AREA)
    assert len(desa) == 248
    unmatched = findings.loc[findings["code"] == "batas_tidak_cocok"]
    assert len(unmatched) == 1
    assert unmatched["row"].iloc[0] == 249
    assert "ATLANTIS" in unmatched["message"].iloc[0]
    assert unmatched["severity"].iloc[0] == "warning"


def test_own_file_findings(big_style: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """Missing villages, other kabupaten, a split village and a feature without a polygon are all reported."""
    partial = big_style.iloc[8:]
    outside = big_style.iloc[:2].assign(KDEPUM=["35.72.01.1001", "35.72.01.1002"])
    village = partial.iloc[[0]]
    middle = village.geometry.iloc[0].centroid.x
    halves = [
        village.geometry.iloc[0].intersection(shapely.box(*b)) for b in ((111, -9, middle, -7), (middle, -9, 113, -7))
    ]
    split = gpd.GeoDataFrame(pd.concat([village, village]), geometry=halves, crs="EPSG:4326")
    point = village.assign(geometry=[shapely.Point(112.2, -8.1)])
    path = tmp_path / "sebagian.geojson"
    pd.concat([partial.iloc[1:], outside, split, point], ignore_index=True).to_file(path, driver="GeoJSON")
    desa, findings = geo.read_own_boundaries(path, AREA)
    assert len(desa) == 240
    codes = dict(zip(findings["code"], findings["message"], strict=True))
    assert codes["desa_tanpa_batas"].startswith("8 desa")
    assert codes["batas_di_luar_wilayah"].startswith("2 poligon")
    assert codes["batas_ganda"].startswith(f"2 poligon untuk desa {village['KDEPUM'].iloc[0]}")
    assert "batas_bukan_poligon" in codes
    merged = desa.set_index("kode_desa").geometry[village["KDEPUM"].iloc[0]]
    assert merged.area == pytest.approx(village.geometry.iloc[0].area, rel=1e-6)
    assert (findings["severity"] == "warning").all()


def test_unusable_own_file_falls_back_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "titik.geojson"
    gpd.GeoDataFrame({"keterangan": ["x"]}, geometry=[shapely.box(112.1, -8.1, 112.2, -8.0)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON"
    )
    with pytest.raises(ValueError, match="kolom kode desa"):
        geo.read_own_boundaries(path, AREA)
    found = geo.boundaries(AREA, own_path=path, cache_folder=tmp_path / "no_cache")
    assert found.source == geo.SOURCE_SKEMATIS
    assert "titik.geojson" in found.note


def test_own_file_from_the_environment(
    big_style: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "batas.geojson"
    big_style.to_file(path, driver="GeoJSON")
    monkeypatch.setenv(geo.ENV_OWN_FILE, str(path))
    assert geo.own_boundaries_path() == path
    assert geo.boundaries(AREA, cache_folder=tmp_path / "no_cache").source == geo.SOURCE_BERKAS


# ---------------------------------------------------------------- no network, no file


def test_schematic_without_network_or_file(tmp_path: Path) -> None:
    found = geo.boundaries(AREA, cache_folder=tmp_path, fetch_missing=True, base="http://127.0.0.1:9/")
    assert found.is_schematic
    assert "Gagal mengunduh" in found.note
    assert "fetch-geo" in found.note and geo.ENV_OWN_FILE in found.note
    assert len(found.desa) == 248 and len(found.kecamatan) == 22
    tiles = found.desa.geometry.values
    assert _overlaps(tiles).eq(0).all()
    assert _overlaps(found.kecamatan.geometry.values).eq(0).all()


def test_schematic_groups_sit_near_their_kecamatan() -> None:
    found = geo.schematic_boundaries(AREA)
    bounds = found.kecamatan.set_index("kode_kecamatan").geometry.bounds
    for kode, (lat, lng) in geo.KECAMATAN_CENTRES.items():
        west, south, east, north = bounds.loc[kode]
        assert abs((south + north) / 2 - lat) < 0.06 and abs((west + east) / 2 - lng) < 0.06
    tiles = found.desa.set_index("kode_desa").geometry
    villages = gazetteer(AREA).set_index("kode_desa")
    blocks = found.kecamatan.set_index("kode_kecamatan").geometry
    assert all(blocks[villages.at[k, "kode_kecamatan"]].contains(t) for k, t in tiles.items())


def test_broken_cache_falls_back_to_the_schematic(tmp_path: Path) -> None:
    (tmp_path / geo.CACHE_FILE).write_bytes(b"bukan parquet")
    found = geo.boundaries(AREA, cache_folder=tmp_path)
    assert found.is_schematic
    assert "rusak" in found.note


def test_cache_without_the_area_draws_a_schematic_at_the_published_centres(blitar_cache: Path) -> None:
    found = geo.boundaries("35.07", cache_folder=blitar_cache)  # Kabupaten Malang: no village file downloaded
    assert found.is_schematic
    assert "tidak memuat desa" in found.note
    cache = geo.read_cache(blitar_cache)
    kec = cache.loc[(cache["tingkat"] == "kecamatan") & cache["kode"].str.startswith("35.07.")].set_index("kode")
    west, south, east, north = found.desa.total_bounds
    assert west < kec["lng"].min() and east > kec["lng"].max()
    assert south < kec["lat"].min() and north > kec["lat"].max()
    assert north - south < 1.0  # drawn where Malang is, not in the middle of Indonesia


def test_a_province_with_one_downloaded_kabupaten_says_what_is_missing(blitar_cache: Path) -> None:
    found = geo.boundaries("35", cache_folder=blitar_cache)
    assert found.source == geo.SOURCE_UNDUHAN and len(found.desa) == 248
    missing = found.findings.loc[found.findings["code"] == "desa_tanpa_batas", "message"].iloc[0]
    assert missing.startswith(f"{len(gazetteer('35')) - 248} desa")
