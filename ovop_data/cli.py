"""Command line: `python -m ovop_data validate|summary|unggah|fetch-geo|map|demo …` (follow-up: cli_tindak_lanjut).

The JSON of `validate` and `summary` is a contract the pages and tests rely on.
Exit codes: 0 fine, 1 error-level findings (`unggah`: a file refused; `validate`: no table found in any file),
2 a file could not be read, 141 the reader of stdout went away (`… | head`), quietly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import cli_geo, cli_tindak_lanjut, followup, metrics, recorded, store
from .codes import FILE_NOT_READ
from .config import area as configured_area
from .config import data_dir
from .dataset import FINDING_COLUMNS, MATCH_COLUMNS, Dataset
from .findings import grouped_lines
from .gazetteer import gazetteer, kecamatan_table
from .load import load_dataset


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    out = frame.loc[:, list(columns)].astype(object).where(frame.loc[:, list(columns)].notna(), None)
    return [{k: (int(v) if k == "row" and v is not None else v) for k, v in r.items()} for r in out.to_dict("records")]


def validation_report(data: Dataset) -> dict:
    """The `validate --json` document."""
    issues = _records(data.findings, FINDING_COLUMNS)
    matches = _records(data.matches, [c for c in MATCH_COLUMNS if c != "file"])
    return {
        "kabupaten": data.area,
        "tables": data.counts,
        "tercatat": recorded.tercatat(data),
        "issues": issues,
        "matches": matches,
    }


def summary_report(data: Dataset, today: dt.date, events: pd.DataFrame | None = None) -> dict:
    """The `summary --json` document: headline figures, per kecamatan, gaps and priorities.

    With follow-up `events` (the store's), statuses, owners and deadlines are the effective ones.
    """
    aspirasi = (
        followup.effective_aspirasi(data.aspirasi, events) if events is not None and len(events) else data.aspirasi
    )
    villages = gazetteer(data.area)
    desa = metrics.desa_summary(villages, data.produk, data.kunjungan, aspirasi, today=today)
    ledger = metrics.aspirasi_ledger(aspirasi, today=today)
    head = metrics.area_summary(desa, data.produk, data.kunjungan, ledger)
    kec = metrics.kecamatan_summary(desa, produk=data.produk).rename(
        columns={"kode_kecamatan": "kode", "kecamatan": "nama"}
    )
    priority = metrics.visit_priority(desa, today=today)
    gaps = metrics.coverage_gaps(desa)
    by_opd = metrics.aspirasi_by_opd(ledger)
    return {
        "wilayah": data.area,
        **head,
        "tercatat": recorded.tercatat(data),
        "kecamatan": json.loads(kec.to_json(orient="records", force_ascii=False)),
        "gaps": {"tanpa_produk": gaps["tanpa_produk"], "belum_dikunjungi": gaps["belum_dikunjungi"]},
        "prioritas": [
            {"kode_desa": r.kode_desa, "skor": float(r.skor), "alasan": r.alasan}
            for r in priority.head(20).itertuples()
        ],
        "opd": [
            {
                "opd": None if r.jenis == "belum_ditetapkan" else r.opd,
                "jenis": r.jenis,
                "aspirasi": _count(r.aspirasi_total),
                "belum": _count(r.belum),
                "proses": _count(r.proses),
                "selesai": _count(r.selesai),
                "terlambat": _count(r.terlambat),
            }
            for r in by_opd.itertuples()
        ],
    }


def _count(value: float) -> int | float:
    """A promise count: whole as int, a shared promise's fraction (1/n per owner) to 4 decimals."""
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _print_validation(data: Dataset) -> None:
    print(f"Wilayah {data.area}: {len(data.files)} berkas")
    for name, c in data.counts.items():
        print(
            f"  {name:<10} baris {c['rows_in']:>6}  diterima {c['accepted']:>6}  ditolak {c['rejected']:>5}"
            f"  kosong {c['blank']:>4}"
        )
    errors = data.findings[data.findings["severity"] == "error"]
    warnings = data.findings[data.findings["severity"] == "warning"]
    print(f"{len(errors)} kesalahan, {len(warnings)} peringatan")
    for line in grouped_lines(data.findings):  # identical findings once, with their rows ('baris 5–12, 15')
        print(line)


def _load(files: list[str], area: str | None) -> tuple[Dataset, int]:
    data = load_dataset(files, area)
    unreadable = data.findings["code"].isin(FILE_NOT_READ).any()
    return data, 2 if unreadable else (1 if data.has_errors else 0)


def _cmd_validate(args: argparse.Namespace) -> int:
    data, code = _load(args.files, args.wilayah)
    if args.json:
        json.dump(validation_report(data), sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        _print_validation(data)
    return code


def _cmd_summary(args: argparse.Namespace) -> int:
    data, code = _load(args.files, args.wilayah)
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    report = summary_report(data, today, store.events_if_any())
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        print(f"Desa dengan produk unggulan: {report['desa_dengan_produk_unggulan']} dari {report['desa_total']}")
        print(
            f"Desa dikunjungi: {report['desa_dikunjungi']}; produk: {report['produk_total']}; "
            f"aspirasi terbuka: {report['aspirasi_terbuka']}"
        )
    return 2 if code == 2 else 0


def _read_reason(err: OSError) -> str:
    reasons = {
        FileNotFoundError: "tidak ditemukan",
        IsADirectoryError: "itu folder",
        PermissionError: "tanpa izin baca",
    }
    return reasons.get(type(err), err.strerror or type(err).__name__)


def _cmd_unggah(args: argparse.Namespace) -> int:
    """Save each file into the data folder as the dashboard's upload does; 0 all saved, 1 refused, 2 unreadable."""
    folder = Path(args.data_dir) if args.data_dir else data_dir()
    area = args.wilayah or configured_area()
    if args.oleh:
        who = store.account(args.oleh)
        if who is None or not who.aktif or not followup.may(who.peran, who.opd, "unggah"):
            print(f"Ditolak: akun '{args.oleh}' tidak dikenal, nonaktif, atau tidak boleh mengunggah.", file=sys.stderr)
            return 1
    code = 0
    for file in args.files:
        path = Path(file)
        try:
            with path.open("rb") as source:
                content = source.read(store.MAX_BYTES + 1)  # enough to tell "too big" without reading it all
        except OSError as err:
            print(f"Galat: berkas '{file}' tidak bisa dibaca ({_read_reason(err)}).", file=sys.stderr)
            code = 2
            continue
        result = store.save_upload(path.name, content, folder, area)
        if args.oleh:  # the audit view's uploads log: who, when, file, checksum, rows accepted and rejected
            rows = {k: sum(c[k] for c in result.counts.values()) for k in ("accepted", "rejected")}
            store.record_upload(
                who.nama, result.file, content, rows["accepted"], rows["rejected"], result.ok, result.message
            )
        if result.ok:
            print(result.message)
            for row in result.rejected.itertuples():  # "the list below" of the message
                print(f"  [ditolak] {row.sheet} baris {row.row}: {row.message}")
        else:
            print(f"Ditolak: {result.message}", file=sys.stderr)
            code = max(code, 2 if result.code == "tidak_terbaca" else 1)
    return code


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import write_demo

    for path in write_demo(Path(args.out)):
        print(f"ditulis: {path}")
    return 0


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    villages = gazetteer(args.wilayah or configured_area())
    kec = kecamatan_table(villages)
    print(
        f"{len(kec)} kecamatan, {len(villages)} desa/kelurahan "
        f"({(villages['jenis'] == 'desa').sum()} desa, {(villages['jenis'] == 'kelurahan').sum()} kelurahan)"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; geography commands are registered by cli_geo."""
    parser = argparse.ArgumentParser(prog="python -m ovop_data", description="Data OVOP: validasi dan ringkasan.")
    parser.add_argument("--wilayah", help="kode wilayah Kemendagri (bawaan: OVOP_WILAYAH atau 35.05)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="periksa berkas spreadsheet dan cocokkan nama desa")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="satu dokumen JSON di stdout")
    p.set_defaults(run=_cmd_validate)
    p = sub.add_parser("summary", help="angka utama, kesenjangan dan prioritas kunjungan")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
    p.set_defaults(run=_cmd_summary)
    p = sub.add_parser(
        "unggah",
        help="periksa lalu simpan buku kerja ke folder data; versi lama bernama sama masuk arsip/",
        description="Sama dengan unggah di halaman Data: berkas diperiksa dulu, ditulis secara atomik, dan "
        "versi sebelumnya dengan nama sama dipindahkan ke DIR/arsip/. Aman dijalankan bersamaan dengan dasbor "
        "atau proses lain. Kode keluar: 0 semua disimpan, 1 ada yang ditolak, 2 ada yang tidak bisa dibaca.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--data-dir", metavar="DIR", help="folder data (bawaan: OVOP_DATA_DIR atau data/ proyek)")
    p.add_argument("--oleh", metavar="USER", help="akun sekretariat yang mengunggah: dicatat di log unggahan")
    p.set_defaults(run=_cmd_unggah)
    p = sub.add_parser("demo", help="tulis ulang buku kerja demo (deterministik)")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "data"))
    p.set_defaults(run=_cmd_demo)
    p = sub.add_parser("gazetteer", help="ringkasan daftar wilayah Kemendagri")
    p.set_defaults(run=_cmd_gazetteer)
    cli_geo.register(sub)
    cli_tindak_lanjut.register(sub)
    return parser


#: Exit code when stdout was closed by its reader (128 + SIGPIPE, what a shell reports for such a process).
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except ValueError as err:  # bad settings such as an unknown area code: a message, not a traceback
        print(f"Galat: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `validate … | head`: the reader has all it wanted. Python's recipe: point stdout at devnull so the
        # flush at exit does not raise again, and leave without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
