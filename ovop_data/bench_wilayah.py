"""Benchmark of a register compiled above the regency: `python -m ovop_data.bench_wilayah`.

Builds in memory a national-style register of village enterprises (~21,700
rows drawn from the whole country's gazetteer, a third of them in Jawa Timur
and some in Kabupaten Blitar) with Provinsi and Kab/Kota columns written the way
such files write them ("KAB. BLITAR", "KOTA BATU", "JAWA TIMUR"), some typos and
some rows without those columns, then times locate → validate → match at
Kabupaten Blitar (35.05) and at Jawa Timur (35). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from .gazetteer import _villages_under, gazetteer
from .io import RawSheet
from .load import tables_from_sheets
from .validation import build_dataset

_HEADER = ["No", "Provinsi", "Kab/Kota", "Kecamatan", "Desa", "Nama Produk", "Kategori"]


def _typo(name: str, rng: random.Random) -> str:
    """One letter dropped or doubled: the typos staff make."""
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def _kabupaten_text(name: str) -> str:
    """'Kabupaten Aceh Tamiang' as registers write it: 'KAB. ACEH TAMIANG'; a city stays 'KOTA …'."""
    return name.upper().replace("KABUPATEN ", "KAB. ")


def register(rows: int = 21_709, seed: int = 11) -> tuple[list[list], list[str]]:
    """The cells of a synthetic national register (header first) and the true kode_desa of each row."""
    rng = random.Random(seed)
    country = _villages_under("")
    provinsi = _provinces()
    columns = ["desa", "kecamatan", "kabupaten", "kode_desa"]
    everywhere = list(country[columns].itertuples(index=False, name=None))
    jatim = list(country.loc[country["kode_desa"].str.startswith("35."), columns].itertuples(index=False, name=None))
    blitar = list(gazetteer("35.05")[columns].itertuples(index=False, name=None))
    cells, truth = [_HEADER], []
    for i in range(rows):
        draw = rng.random()
        desa, kec, kab, kode = rng.choice(blitar if draw < 0.05 else jatim if draw < 0.35 else everywhere)
        prov, kab = provinsi[kode[:2]].upper(), _kabupaten_text(kab)
        mess = rng.random()
        if mess < 0.05:
            desa = _typo(desa, rng)
        elif mess < 0.10:
            kec = _typo(kec, rng)
        if rng.random() < 0.15:  # a part of the register compiled without the region columns
            prov, kab = None, None
        cells.append([i + 1, prov, kab, kec.upper(), desa.upper(), f"Produk BUMDes {i}", "Makanan"])
        truth.append(kode)
    return cells, truth


def _provinces() -> dict[str, str]:
    from lokal import wilayah

    return {code: name for code, name in wilayah._base().items() if len(code) == 2}


def run(area: str, rows: int) -> dict[str, float]:
    """Seconds to locate, validate and match the register for one area, its row counts, and the rows
    accepted on a village other than the one drawn (``salah``: must be 0)."""
    cells, truth = register(rows)
    cells = pd.DataFrame(cells, dtype=object)
    sheet = RawSheet(file="register_nasional.xlsx", sheet="Produk BUMDes", cells=cells)
    t0 = time.perf_counter()
    tables, findings = tables_from_sheets([sheet])
    data = build_dataset(tables, area, extra_findings=findings, files=[sheet.file])
    seconds = time.perf_counter() - t0
    count = data.counts["produk"]
    drawn = pd.Series(truth).iloc[data.produk["baris"].astype(int).to_numpy() - 2].to_numpy()
    wrong = int((data.produk["kode_desa"].to_numpy() != drawn).sum())
    return {
        "detik": seconds,
        "baris": count["rows_in"],
        "diterima": count["accepted"],
        "ditolak": count["rejected"],
        "salah": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    """Time the register at each area (after the gazetteer is loaded, as in the app) and print the numbers."""
    parser = argparse.ArgumentParser(prog="python -m ovop_data.bench_wilayah")
    parser.add_argument("areas", nargs="*", default=["35.05", "35"], help="area codes (default: 35.05 35)")
    parser.add_argument("--rows", type=int, default=21_709, help="rows of the register")
    args = parser.parse_args(argv)
    _villages_under("")
    for area in args.areas:
        gazetteer(area)
        r = run(area, args.rows)
        counts = f"{r['diterima']:.0f} diterima, {r['ditolak']:.0f} ditolak, {r['salah']:.0f} salah desa"
        print(f"wilayah {area:<6} {r['detik']:7.2f}s  ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
