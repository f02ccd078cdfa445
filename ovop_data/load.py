"""The I/O edge of loading: read workbooks from disk, then hand them to the pure validation."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .codes import finding
from .config import area as configured_area
from .config import data_dir
from .dataset import Dataset
from .demo_mark import demo_files
from .io import RawSheet, ReadError, TooLargeError, read_sheets
from .privacy import masked_dataset
from .schema import TABLES
from .sheets import closest_table, locate_table, recognise_table
from .validation import build_dataset

#: File types the loader reads; anything else in the data folder is ignored.
#: Sheets named with this prefix hold lists for drop-downs, not data.
HELPER_SHEET_PREFIX = "_"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def workbook_paths(folder: Path | None = None) -> list[Path]:
    """Spreadsheets in the data folder (default: the configured data_dir), sorted by name."""
    folder = Path(folder or data_dir())
    if not folder.is_dir():  # no data yet: the dashboard shows empty tables and says where files go
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith(("~$", "."))
    )


def _finding(file: str, sheet: str, code: str, message: str, severity: str = "error", suggestion: str = "") -> dict:
    return finding("", file, sheet, None, "", "", severity, code, message, suggestion)


def _labels(table: str, columns: Iterable[str]) -> str:
    spec = TABLES[table]
    return ", ".join(f"'{spec.column(c).label}'" for c in columns)


def _unrecognised(sheet: RawSheet) -> dict:
    """The finding of a sheet holding no known table: the table its headers come nearest to, what it has and lacks."""
    message = f"Sheet '{sheet.sheet}' tidak dikenali sebagai data produk, kunjungan atau aspirasi; dilewati."
    closest = closest_table(sheet)
    if closest is None:
        return _finding(
            sheet.file,
            sheet.sheet,
            "sheet_tidak_dikenal",
            message + " Tidak ada judul kolom yang dikenali.",
            "warning",
            "Pakai judul kolom dari templat di halaman Data (mis. 'Nama Produk', 'Desa/Kelurahan').",
        )
    label = TABLES[closest.table].label.lower()
    return _finding(
        sheet.file,
        sheet.sheet,
        "sheet_tidak_dikenal",
        f"{message} Paling mirip tabel {label}: kolom yang ada {_labels(closest.table, closest.found)}; "
        f"kolom yang kurang {_labels(closest.table, closest.missing)}.",
        "warning",
        f"Tambahkan kolom {_labels(closest.table, closest.missing)} bila sheet ini berisi data {label}.",
    )


def tables_from_sheets(sheets: Iterable[RawSheet]) -> tuple[list, list[dict]]:
    """Locate the produk/kunjungan/aspirasi table of each sheet; unrecognised sheets become findings.

    Sheets whose name starts with "_" are helper sheets (the templates keep their drop-down lists in
    "_daftar") and are skipped without a finding.
    """
    tables, findings = [], []
    for sheet in sheets:
        if sheet.sheet.startswith(HELPER_SHEET_PREFIX):
            continue
        kind = recognise_table(sheet)
        if kind is None:
            findings.append(_unrecognised(sheet))
            continue
        located = locate_table(sheet, kind)
        if located is None:
            findings.append(
                _finding(
                    sheet.file,
                    sheet.sheet,
                    "judul_kolom_tidak_ditemukan",
                    f"Baris judul kolom tidak ditemukan di sheet '{sheet.sheet}'.",
                )
            )
            continue
        tables.append(located)
    return tables, findings


def load_dataset(paths: Iterable[str | Path], area: str | None = None) -> Dataset:
    """Read, validate and match the given workbooks; a file that cannot be read becomes a finding."""
    area = area or configured_area()
    sheets: list[RawSheet] = []
    findings: list[dict] = []
    names = []
    for path in paths:
        path = Path(path)
        names.append(path.name)
        try:
            sheets.extend(read_sheets(path))
        except TooLargeError as err:
            findings.append(_finding(path.name, "", "berkas_terlalu_besar", str(err)))
        except ReadError as err:
            findings.append(_finding(path.name, "", "berkas_tidak_terbaca", str(err)))
    tables, sheet_findings = tables_from_sheets(sheets)
    if sheets and not tables:  # files were read, yet nothing in them is data: an error, not a quiet empty dashboard
        sheet_findings.append(
            _finding(
                "",
                "",
                "tabel_tidak_ditemukan",
                "Tidak ada tabel produk, kunjungan atau aspirasi yang dikenali di berkas mana pun.",
                suggestion="Lihat temuan sheet_tidak_dikenal: kolom yang kurang disebut per sheet.",
            )
        )
    # demo-ness from the mark inside the workbooks, not their names: a real demo_….xlsx keeps the real date
    is_demo = bool(names) and set(names) <= demo_files(sheets)
    data = build_dataset(tables, area, extra_findings=[*findings, *sheet_findings], files=names, is_demo=is_demo)
    return masked_dataset(data)  # what every view and export starts from: no phone number, no e-mail
