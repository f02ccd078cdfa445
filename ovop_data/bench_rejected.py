"""Benchmark of the rejection path: `python -m ovop_data.bench_rejected`.

Hostile uploads reject most of their rows; each case here builds the sheet in
memory (reading is measured by `ovop_data.bench`) and times locate → validate →
match of it for Kabupaten Blitar, printing seconds and the rows accepted and
rejected. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

import pandas as pd

from .gazetteer import gazetteer
from .io import RawSheet
from .load import tables_from_sheets
from .validation import build_dataset

_HEADER = ["Tanggal", "Desa", "Kecamatan", "Kegiatan", "OPD Pendamping"]
_DAY = dt.datetime(2023, 7, 12)


def _same(row: list) -> Callable[[int], list[list]]:
    return lambda n: [_HEADER] + [row] * n


def _missing_column(n: int) -> list[list]:
    """No Tanggal column: every row is rejected, half of them for their village as well."""
    return [["Desa", "Kecamatan", "Kegiatan"]] + [["Beru" if i % 2 else "Zzzxq", "Wlingi", "x"] for i in range(n)]


def _distinct_unknown(n: int) -> list[list]:
    """Every row names a different village that does not exist (half with a kecamatan)."""
    return [_HEADER] + [[_DAY, f"Qwerty{i}", "Wlingi" if i % 2 else None, "x", ""] for i in range(n)]


def _mixed(n: int, seed: int = 7, rejected: bool = True) -> list[list]:
    """Half accepted (distinct visits over the regency), half rejected for every reason a row can have."""
    rng = random.Random(seed)
    villages = list(gazetteer("35.05")[["desa", "kecamatan"]].itertuples(index=False, name=None))
    rows = [_HEADER]
    for i in range(n):
        desa, kec = rng.choice(villages)
        day = _DAY + dt.timedelta(days=rng.randrange(3000))
        kind = rng.randrange(10) if rejected else 0
        if kind < 5:
            rows.append([day, desa, kec, f"Sambang {i}", "Dinkop UM"])
        elif kind == 5:
            rows.append([_DAY, "Beru", "Wlingi", "x", "Dinkop UM"])  # the same visit again and again
        elif kind == 6:
            rows.append(["31/02/2023", desa, kec, "x", ""])
        elif kind == 7:
            rows.append([day, None, kec, "x", ""])
        elif kind == 8:
            rows.append([day, f"Zz{i % 5000}", kec, "x", ""])
        else:
            rows.append([day, rng.choice(["Sumberagung", "Sentul"]), rng.choice([None, "Kepanjenkidul"]), "x", ""])
    return rows


CASES: dict[str, tuple[int, Callable[[int], list[list]]]] = {
    "diterima": (20_000, lambda n: _mixed(n, rejected=False)),  # the yardstick: 20,000 accepted rows
    "desa_tidak_dikenal": (20_000, _same([_DAY, "Zzzxq", "Wlingi", "x", "Dinkop UM"])),
    "desa_kosong": (20_000, _same([_DAY, None, "Wlingi", "x", "Dinkop UM"])),
    "tanggal_tidak_valid": (20_000, _same(["31/02/2023", "Beru", "Wlingi", "x", "Dinkop UM"])),
    "duplikat": (20_000, _same([_DAY, "Beru", "Wlingi", "x", "Dinkop UM"])),
    "kolom_tidak_ada": (20_000, _missing_column),
    "nama_berbeda_tak_dikenal": (20_000, _distinct_unknown),
    "campuran": (200_000, _mixed),
}


def run_case(name: str, rows: int | None = None) -> dict[str, float]:
    """Seconds to locate, validate and match one hostile sheet, and its row counts."""
    default, build = CASES[name]
    cells = pd.DataFrame(build(rows or default), dtype=object)
    sheet = RawSheet(file="bermusuhan.xlsx", sheet="Kunjungan", cells=cells)
    t0 = time.perf_counter()
    tables, findings = tables_from_sheets([sheet])
    data = build_dataset(tables, "35.05", extra_findings=findings, files=[sheet.file])
    seconds = time.perf_counter() - t0
    count = data.counts["kunjungan"]
    return {"detik": seconds, "baris": count["rows_in"], "diterima": count["accepted"], "ditolak": count["rejected"]}


def main(argv: list[str] | None = None) -> int:
    """Time each case (or the ones named) once and print seconds and counts."""
    parser = argparse.ArgumentParser(prog="python -m ovop_data.bench_rejected")
    parser.add_argument("cases", nargs="*", metavar="case", help=f"cases to run (default: all): {', '.join(CASES)}")
    parser.add_argument("--rows", type=int, help="rows per case instead of its default")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; choose from {', '.join(CASES)}")
    gazetteer("35.05")  # the gazetteer is loaded once per process, as in the app
    for name in args.cases or CASES:
        r = run_case(name, args.rows)
        print(f"{name:<26} {r['detik']:7.2f}s  ({r['diterima']:.0f} diterima, {r['ditolak']:.0f} ditolak)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
