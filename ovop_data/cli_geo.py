"""Geography commands of `python -m ovop_data`: `fetch-geo` (download the boundaries) and `map` (HTML map).

Registered by cli.py through `register(subparsers)`; every command returns its exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import geo, maps, metrics
from .codes import FILE_NOT_READ
from .config import area as configured_area
from .gazetteer import gazetteer
from .load import load_dataset


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the fetch-geo and map commands to the main parser's subcommands."""
    p = subparsers.add_parser(
        "fetch-geo",
        help="unduh, periksa (sha256) dan simpan batas desa/kecamatan/kabupaten (sekali, perlu internet)",
    )
    p.add_argument("--base-url", help=f"alamat sumber (bawaan: {geo.ENV_BASE_URL} atau {geo.DEFAULT_BASE_URL})")
    p.set_defaults(run=_cmd_fetch_geo)

    p = subparsers.add_parser("map", help="tulis peta cakupan (atau satu ukuran) sebagai satu berkas HTML")
    p.add_argument("files", nargs="+", help="berkas spreadsheet produk/kunjungan/aspirasi")
    p.add_argument("--out", required=True, help="berkas HTML yang ditulis, mis. peta.html")
    p.add_argument(
        "--metric",
        choices=list(maps.METRICS),
        help="gambar satu ukuran per desa alih-alih status cakupan: "
        + ", ".join(f"{k} ({v.label})" for k, v in maps.METRICS.items()),
    )
    p.add_argument("--kecamatan", help="perbesar peta ke satu kecamatan (nama atau kode)")
    p.add_argument("--no-tiles", action="store_true", help="tanpa peta dasar OpenStreetMap (ruang rapat luring)")
    p.add_argument("--today", help="tanggal acuan YYYY-MM-DD untuk 'hari sejak kunjungan' (bawaan: hari ini)")
    p.set_defaults(run=_cmd_map)


def _cmd_fetch_geo(args: argparse.Namespace) -> int:
    try:
        counts = geo.fetch_boundaries(args.base_url, progress=print)
    except geo.GeoFetchError as err:
        print(f"Galat: {err} Cache batas wilayah yang lama (bila ada) tidak diubah.", file=sys.stderr)
        return 1
    print(
        f"Selesai: {counts['desa']} desa/kelurahan, {counts['kecamatan']} kecamatan, "
        f"{counts['kabupaten']} kabupaten/kota tersimpan di {geo.cache_dir() / geo.CACHE_FILE}."
    )
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    area = getattr(args, "wilayah", None) or configured_area()
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    data = load_dataset(args.files, area)
    unreadable = data.findings.loc[data.findings["code"].isin(FILE_NOT_READ)]
    if len(unreadable):
        for message in unreadable["message"]:
            print(f"Galat: {message}", file=sys.stderr)
        return 2
    summary = metrics.desa_summary(gazetteer(area), data.produk, data.kunjungan, data.aspirasi, today=today)
    bounds = geo.boundaries(area)
    tiles = None if args.no_tiles else maps.TILES_OSM
    try:
        if args.metric:
            m = maps.metric_map(bounds, summary, args.metric, tiles=tiles, fit_to=args.kecamatan)
        else:
            m = maps.coverage_map(bounds, summary, tiles=tiles, fit_to=args.kecamatan)
    except ValueError as err:
        print(f"Galat: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = maps.map_html(m)
    out.write_text(text, encoding="utf-8")
    errors = int((data.findings["severity"] == "error").sum())
    print(f"Batas wilayah: {bounds.source}.")
    if bounds.is_schematic:
        print(bounds.note)
    if errors:
        print(f"{errors} baris bermasalah tidak ikut di peta; lihat `python -m ovop_data validate`.")
    print(f"Peta ditulis: {out} ({len(text.encode('utf-8')) // 1024} KB, {len(bounds.desa)} desa).")
    return 0
