"""Benchmark of the data layer at province scale: `python -m ovop_data.bench`.

Writes a synthetic workbook (10,000 products, 20,000 visits, 5,000 aspirations)
spread over every village of Jawa Timur (area 35) with realistic name mess,
then times read → validate/match → metrics for both spreadsheet engines and
prints seconds and peak memory. A measurement, not a test.

The comparison engine, openpyxl, lives here and nowhere in the app: it is a
dev/benchmark dependency, imported only when the benchmark reads with it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pandas as pd
import xlsxwriter

from . import metrics
from .bounds import Exceeded, check_workbook
from .gazetteer import gazetteer
from .io import GridReader, ReadError, TooLargeError, cell_grid, read_sheets, unreadable_message
from .limits import Limits
from .load import tables_from_sheets
from .validation import build_dataset

_MESS = (
    lambda name, kec: (f"Desa {name}", kec),
    lambda name, kec: (name.upper(), f"Kec. {kec}"),
    lambda name, kec: (name.lower().replace(" ", ""), kec.lower()),
    lambda name, kec: (name[:-1] + name[-1] * 2, kec),  # a doubled last letter: a typo to correct
    lambda name, kec: (f"Ds. {name}", kec),
)


#: Formats openpyxl reads.
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")


def openpyxl_grids(path: Path, file: str, limits: Limits) -> list[tuple[str, pd.DataFrame]]:
    """The comparison engine for `io.read_sheets(reader=...)`: openpyxl, in this process.

    Every cell reference is scanned first, as openpyxl trusts none; the same ReadError
    and TooLargeError messages as the app's reader, so both engines pass the same tests.
    """
    import openpyxl  # the benchmark's dependency only (requirements-dev.txt)
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() not in OPENPYXL_SUFFIXES:
        raise ValueError(f"openpyxl reads only {OPENPYXL_SUFFIXES}, not {path.suffix.lower()}")
    try:
        check_workbook(path, file, limits, scan_cells=True)
    except Exceeded as err:
        raise TooLargeError(str(err)) from None
    except (zipfile.BadZipFile, ParseError, KeyError):
        raise ReadError(unreadable_message(file)) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        # KeyError: a zip without the parts of a workbook ('[Content_Types].xml' missing).
        raise ReadError(unreadable_message(file)) from None
    try:
        grids = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # trust the cells, not a possibly stale <dimension> tag
            grids.append((sheet.title, cell_grid(list(sheet.iter_rows(values_only=True)))))
        return grids
    except ParseError:  # a damaged sheet inside an intact zip
        raise ReadError(unreadable_message(file)) from None
    finally:
        workbook.close()


#: Engine name -> workbook reader for `read_sheets` (None: the app's own, calamine in the capped process).
READERS: dict[str, GridReader | None] = {"calamine": None, "openpyxl": openpyxl_grids}


def _place(rng: random.Random, villages: list[tuple[str, str]]) -> tuple[str, str]:
    name, kec = rng.choice(villages)
    if rng.random() < 0.3:
        return rng.choice(_MESS)(name, kec)
    return name, kec


def write_workbook(
    path: Path, area: str = "35", produk: int = 10_000, kunjungan: int = 20_000, aspirasi: int = 5_000, seed: int = 7
) -> Path:
    """A synthetic staff workbook at province scale (three sheets, title rows, mixed dates)."""
    rng = random.Random(seed)
    villages = list(gazetteer(area)[["desa", "kecamatan"]].itertuples(index=False, name=None))
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    start = dt.date(2021, 1, 4)

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(1400))

    sheets = {
        "Data Produk UMKM": (
            [
                "No",
                "Nama Produk",
                "Kategori",
                "Desa/Kel",
                "Kecamatan",
                "Pelaku Usaha",
                "Legalitas",
                "Pemasaran",
                "No. HP",
            ],
            produk,
        ),
        "Kunjungan OVOP": (["No", "Tanggal", "Nama Desa", "Kec.", "Kegiatan", "OPD Pendamping"], kunjungan),
        "Aspirasi": (["No", "Tgl", "Desa", "Kecamatan", "Aspirasi", "OPD", "Status", "Tenggat"], aspirasi),
    }
    products = ["Keripik pisang", "Kopi robusta", "Kendang djimbe", "Batik tulis", "Gula kelapa", "Ikan koi"]
    for name, (header, count) in sheets.items():
        ws = book.add_worksheet(name)
        ws.write(0, 0, f"{name} — data sintetis untuk pengukuran")
        ws.write_row(2, 0, header)
        for i in range(count):
            r = i + 3
            desa, kec = _place(rng, villages)
            ws.write_number(r, 0, i + 1)
            if name == "Data Produk UMKM":
                item = rng.choice(products)
                ws.write_row(
                    r,
                    1,
                    [f"{item} {i}", item, desa, kec, f"UMKM {i}", "NIB, PIRT", "lokal", f"0812-0000-{i % 10000:04d}"],
                )
            else:
                d = day()
                if rng.random() < 0.8:
                    ws.write_datetime(r, 1, dt.datetime(d.year, d.month, d.day), date_format)
                else:
                    ws.write_string(r, 1, d.strftime("%d/%m/%Y"))
                if name == "Kunjungan OVOP":
                    ws.write_row(r, 2, [desa, kec, "Sambang Desa", "Dinkop UM"])
                else:
                    ws.write_row(
                        r,
                        2,
                        [
                            desa,
                            kec,
                            f"Butuh alat produksi {i}",
                            "Disperindag",
                            rng.choice(["Belum", "Proses", "Selesai"]),
                            "",
                        ],
                    )
    book.close()
    return path


def run_once(path: Path, area: str, engine: str, trace: bool = False) -> dict[str, float]:
    """Seconds per stage of one full load, and the Python heap's peak (MB) when asked to trace it."""
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    sheets = read_sheets(path, reader=READERS[engine])
    t1 = time.perf_counter()
    tables, findings = tables_from_sheets(sheets)
    data = build_dataset(tables, area, extra_findings=findings, files=[path.name])
    t2 = time.perf_counter()
    today = dt.date(2025, 1, 1)
    desa = metrics.desa_summary(gazetteer(area), data.produk, data.kunjungan, data.aspirasi, today=today)
    ledger = metrics.aspirasi_ledger(data.aspirasi, today=today)
    metrics.area_summary(desa, data.produk, data.kunjungan, ledger)
    metrics.kecamatan_summary(desa)
    metrics.visit_priority(desa, today=today)
    t3 = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else float("nan")
    if trace:
        tracemalloc.stop()
    rows = sum(c["rows_in"] for c in data.counts.values())
    accepted = sum(c["accepted"] for c in data.counts.values())
    return {
        "baca": t1 - t0,
        "validasi+cocok": t2 - t1,
        "metrik": t3 - t2,
        "total": t3 - t0,
        "memori_puncak_mb": peak,
        "baris": rows,
        "diterima": accepted,
    }


def main(argv: list[str] | None = None) -> int:
    """Write the synthetic workbook once, then time each engine (best of --repeat runs)."""
    parser = argparse.ArgumentParser(prog="python -m ovop_data.bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--area", default="35")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "sintetis_jatim.xlsx", args.area)
        print(f"buku kerja sintetis: {path.stat().st_size / 1e6:.1f} MB, wilayah {args.area}")
        gazetteer(args.area)  # the gazetteer is loaded once per process, as in the app
        for engine in READERS:
            runs = [run_once(path, args.area, engine) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["total"])
            # tracing slows Python several-fold, so memory is measured in a run of its own
            best["memori_puncak_mb"] = run_once(path, args.area, engine, trace=True)["memori_puncak_mb"]
            stages = "  ".join(f"{k} {best[k]:.3f}s" for k in ("baca", "validasi+cocok", "metrik", "total"))
            print(
                f"{engine:<9} {stages}  memori puncak {best['memori_puncak_mb']:.0f} MB  "
                f"({best['diterima']}/{best['baris']} baris diterima)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
