"""Benchmark (not a test): from a boundary file to the coverage map's HTML, our way and the naive way.

    python -m ovop_data.bench_geo [--shared ../shared/geo] [--skip-naive] [--out DIR]

Cases (each timed from the file on disk to the HTML string, summary tables built beforehand):

* Blitar, dump: the three published SQL files (served as file:// URLs) through
  `fetch_boundaries` (verify, parse, clean, cache) and `boundaries()` — a first start;
* Blitar, cache: `boundaries()` from that cache — every later start of the dashboard;
* Jawa Timur, own file: the 8,492-village GeoJSON as a bring-your-own file
  (read, match codes, clean per kabupaten, simplify);
* naive: the unsimplified GeoJSON straight into ``folium.GeoJson`` with the
  same colours and tooltips.

Goals: Blitar under 1 s and 600 KB of HTML; Jawa Timur under 15 s and 8 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from . import geo, maps, metrics
from .config import PROJECT_DIR
from .gazetteer import gazetteer
from .simplify import geojson_text

SHARED_GEO = PROJECT_DIR.parent / "shared" / "geo"
TODAY = dt.date(2025, 7, 1)
GOALS = {"Blitar": (1.0, 600 * 1024), "Jawa Timur": (15.0, 8 * 1024 * 1024)}


def synthetic_summary(area: str, seed: int = 7) -> pd.DataFrame:
    """desa_summary of made-up products, visits and aspirations (deterministic), through the real metric."""
    rng = random.Random(seed)
    villages = gazetteer(area)
    codes = villages["kode_desa"].tolist()
    produk = pd.DataFrame(
        [
            {
                "id_produk": f"P{i}",
                "nama_produk": f"Produk {i}",
                "kode_desa": k,
                "kategori": "Makanan olahan",
                "unggulan": rng.random() < 0.8,
                "legalitas": "",
            }
            for i, k in enumerate(rng.sample(codes, int(len(codes) * 0.7)))
        ]
    )
    kunjungan = pd.DataFrame(
        [
            {
                "id_kunjungan": f"K{i}",
                "tanggal": pd.Timestamp(TODAY) - pd.Timedelta(days=rng.randint(1, 700)),
                "kode_desa": k,
            }
            for i, k in enumerate(rng.sample(codes, int(len(codes) * 0.6)))
        ]
    )
    aspirasi = pd.DataFrame(
        columns=["id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status", "tenggat"]
    )
    return metrics.desa_summary(villages, produk, kunjungan, aspirasi, today=TODAY)


def naive_html(path: Path, summary: pd.DataFrame) -> str:
    """The unsimplified village file straight into folium, coloured and tooltipped like ours."""
    villages = gpd.read_file(f"/vsigzip/{path}" if path.suffix == ".gz" else path)
    joined = villages.merge(
        summary[["kode_desa", "kecamatan", "status_cakupan", "produk_total"]],
        left_on="kode",
        right_on="kode_desa",
        how="left",
    )
    colours = maps.STATUS_COLOURS
    m = folium.Map(tiles="OpenStreetMap")
    folium.GeoJson(
        joined[["kode", "nama", "kecamatan", "status_cakupan", "produk_total", "geometry"]],
        style_function=lambda f: {
            "fillColor": colours.get(f["properties"]["status_cakupan"], "#F2F2F2"),
            "color": "#5F5F5F",
            "weight": 0.6,
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(["nama", "kecamatan", "status_cakupan", "produk_total"]),
    ).add_to(m)
    m.fit_bounds(
        [[villages.total_bounds[1], villages.total_bounds[0]], [villages.total_bounds[3], villages.total_bounds[2]]]
    )
    return maps.map_html(m)


def _timed(run: Callable[[], str], repeat: int) -> tuple[float, float, str]:
    """Best wall-clock and CPU seconds (all threads) of `repeat` runs, and the HTML."""
    best_wall = best_cpu = float("inf")
    html = ""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        html = run()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, html


def main(argv: list[str] | None = None) -> int:
    """Run the cases and print one table; returns 0 when our cases meet their goals, else 1."""
    parser = argparse.ArgumentParser(prog="python -m ovop_data.bench_geo", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED_GEO, help="folder with source/ and jatim_desa.geojson.gz")
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive cases (Jawa Timur's is slow)")
    parser.add_argument("--out", type=Path, help="also write every HTML into this folder")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (a busy machine is noisy)")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    if not (shared / "source").is_dir():
        print(f"Folder data acuan tidak ditemukan: {shared}")
        return 2
    blitar, jatim = synthetic_summary("35.05"), synthetic_summary("35")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        source_url = (shared / "source").resolve().as_uri()

        def blitar_dump() -> str:
            geo.fetch_boundaries(source_url, cache_folder=cache)
            return maps.map_html(maps.coverage_map(geo.boundaries("35.05", cache_folder=cache), blitar))

        def blitar_cache() -> str:
            return maps.map_html(maps.coverage_map(geo.boundaries("35.05", cache_folder=cache), blitar))

        def jatim_own() -> str:
            found = geo.boundaries("35", own_path=shared / "jatim_desa.geojson.gz", cache_folder=Path(tmp) / "none")
            return maps.map_html(maps.coverage_map(found, jatim))

        cases = [
            ("Blitar", "dump SQL → cache → peta", blitar_dump),
            ("Blitar", "cache → peta", blitar_cache),
            ("Jawa Timur", "berkas sendiri (.geojson.gz) → peta", jatim_own),
        ]
        if not args.skip_naive:
            cases += [
                ("Blitar", "naif: GeoJSON utuh → folium", lambda: naive_html(shared / "blitar_desa.geojson", blitar)),
                (
                    "Jawa Timur",
                    "naif: GeoJSON utuh → folium",
                    lambda: naive_html(shared / "jatim_desa.geojson.gz", jatim),
                ),
            ]
        for region, how, run in cases:
            seconds, cpu, html = _timed(run, max(1, args.repeat))
            size = len(html.encode("utf-8"))
            limit_s, limit_b = GOALS[region]
            ours = not how.startswith("naif")
            verdict = ("ok" if seconds < limit_s and size < limit_b else "MELEBIHI TARGET") if ours else "-"
            rows.append((region, how, seconds, cpu, size, verdict))
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                name = f"{region}_{how.split(':')[0].split(' ')[0]}".replace(" ", "_").lower()
                (args.out / f"{name}.html").write_text(html, encoding="utf-8")
        layer = geojson_text(geo.boundaries("35.05", cache_folder=cache).desa, ["kode_desa", "desa", "kecamatan"])
    print(f"{'wilayah':<11} {'cara':<38} {'waktu':>8} {'CPU':>8} {'HTML':>10}  target")
    for region, how, seconds, cpu, size, verdict in rows:
        limit_s, limit_b = GOALS[region]
        print(
            f"{region:<11} {how:<38} {seconds:>7.2f}s {cpu:>7.2f}s {size / 1024:>8.0f} KB  "
            f"< {limit_s:g} s, < {limit_b // 1024} KB: {verdict}"
        )
    print(
        f"Lapisan desa Blitar (GeoJSON, kode_desa/desa/kecamatan): {len(layer.encode('utf-8')) / 1024:.0f} KB "
        "(batas 300 KB)"
    )
    return 0 if all(r[-1] in ("ok", "-") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
