"""How tables leave the dashboard: public columns only, Indonesian headers, cells Excel cannot run, CSV/XLSX bytes.

Pure: DataFrames in, new DataFrames or bytes out; nothing is written to disk.

Safety
------
* `privacy.public_columns` keeps only the columns the dashboard declares
  public (never `kontak`, never a pass-through column such as "No WA Pemilik")
  and masks phone numbers and e-mail addresses in text.
* `safe_for_spreadsheet` defuses formula injection: a text cell whose first
  character is ``= + - @`` (or a tab / carriage return, or those after leading
  spaces) gets a leading apostrophe, so Excel and LibreOffice show it as text
  instead of running ``=HYPERLINK(...)``. Numbers, dates and booleans are
  never touched. Column names get the same treatment (pass-through headers
  come from user files).
* `to_csv_bytes` and `to_xlsx_bytes` apply both themselves, so no caller can
  forget; applying them twice changes nothing. Only the signed-in roles' internal
  views (the audit) pass ``public=False``: every column, nothing masked (an
  account named by its e-mail must stay readable), still defused.

CSV dialect
-----------
UTF-8 with a byte-order mark (Excel otherwise reads UTF-8 as ANSI and breaks
"é"), separator ``;`` and decimal comma: what Excel expects on a Windows set
to Bahasa Indonesia, where ``,`` is the decimal mark. Dates are written
ISO (2024-07-12), which Excel reads as a date in every locale.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import xlsxwriter

from .metrics import DEFAULT_TENGGAT_HARI
from .privacy import public_columns
from .schema import TABLES
from .text import fold

CSV_SEPARATOR = ";"
CSV_DECIMAL = ","
#: First characters that make Excel/LibreOffice read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"  # a column whose values carry a time of day (the audit's logs)
YA, TIDAK = "Ya", "Tidak"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")

#: Headers of computed columns (schema columns use their template label).
LABELS: dict[str, str] = {
    "sumber": "Berkas",
    "sheet": "Sheet",
    "baris": "Baris Excel",
    "kode_kecamatan": "Kode Kecamatan",
    "id_produk": "ID Produk",
    "id_kunjungan": "ID Kunjungan",
    "id_aspirasi": "ID Aspirasi",
    "kategori_input": "Kategori (tertulis)",
    "tenggat_efektif": "Tenggat Efektif",
    "tenggat_bawaan": f"Tenggat Bawaan (+{DEFAULT_TENGGAT_HARI} hari)",
    "terlambat": "Terlambat",
    "hari_terlambat": "Hari Terlambat",
    "hari_tersisa": "Hari Tersisa (negatif: terlambat)",
    "terakhir_diperbarui": "Terakhir Diperbarui",
    "kotak": "Kelompok",
    "opd": "OPD",
    "aspirasi_total": "Aspirasi",
    "persen_selesai": "% Selesai",
    "peringkat": "Peringkat",
    "skor": "Skor",
    "alasan": "Alasan",
    "trip": "Perjalanan ke-",
    "tanggal_rencana": "Tanggal Rencana",
    "desa_total": "Jumlah Desa",
    "desa_dengan_produk_unggulan": "Desa dengan Produk Unggulan",
    "persen_produk_unggulan": "% Desa dengan Produk Unggulan",
    "desa_dikunjungi": "Desa Dikunjungi",
    "persen_dikunjungi": "% Desa Dikunjungi",
    "produk_total": "Jumlah Produk",
    "produk_unggulan": "Produk Unggulan",
    "aspirasi_terbuka": "Aspirasi Terbuka",
    "aspirasi_terlambat": "Aspirasi Terlambat",
    "kunjungan_total": "Jumlah Kunjungan",
    "kunjungan_terakhir": "Kunjungan Terakhir",
    "hari_sejak_kunjungan": "Hari sejak Kunjungan",
    "status_cakupan": "Status Cakupan",
    "punya_produk_unggulan": "Punya Produk Unggulan",
    "dikunjungi": "Pernah Dikunjungi",
    "table": "Tabel",
    "file": "Berkas",
    "row": "Baris Excel",
    "column": "Kolom",
    "value": "Nilai",
    "severity": "Tingkat",
    "code": "Kode",
    "codes": "Kode",
    "temuan": "Temuan",
    "jumlah": "Jumlah Baris",
    "message": "Pesan",
    "suggestion": "Saran",
    "berkas": "Berkas",
    "ukuran_kb": "Ukuran (KB)",
    "diubah": "Diubah",
    "ditolak": "Baris Ditolak",
    "rows_in": "Baris Masuk",
    "accepted": "Diterima",
    "rejected": "Ditolak",
    "blank": "Baris Kosong",
}


def _schema_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for table in TABLES.values():
        for column in table.kept_columns:
            labels.setdefault(column.name, column.label)
    return labels


def label(name: object) -> str:
    """The Indonesian header of a column: its template label, a computed column's label, or the name itself."""
    text = str(name)
    found = LABELS.get(text) or _schema_labels().get(text)
    if found:
        return found
    # A code-style name ("hari_sejak_x") reads as words; a header typed by staff stays as they wrote it.
    return text.replace("_", " ").capitalize() if _IDENTIFIER.fullmatch(text) else text


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with Indonesian headers (`label`); a header that would repeat keeps its column name in brackets."""
    names = [label(c) for c in df.columns]
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    unique = [f"{n} ({c})" if seen[n] > 1 else n for n, c in zip(names, df.columns, strict=True)]
    return df.set_axis(unique, axis="columns")


def _defused(value: object) -> object:
    if (
        isinstance(value, str)
        and value
        and (value[0] in FORMULA_PREFIXES or value.lstrip(" \n")[:1] in FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and headers) cannot start a formula; numbers, dates and booleans untouched."""
    out = df.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(_defused, na_action="ignore")
    return out.set_axis([_defused(c) if isinstance(c, str) else c for c in out.columns], axis="columns")


def search_rows(df: pd.DataFrame, query: str, columns: Iterable[str]) -> pd.DataFrame:
    """Rows where any of `columns` contains every word of `query` (case- and accent-insensitive)."""
    words = fold(query).split()
    if not words:
        return df
    present = [c for c in columns if c in df.columns]
    haystack = pd.Series("", index=df.index, dtype=object)
    for name in present:
        haystack = haystack + " " + df[name].map(fold, na_action="ignore").fillna("")
    keep = pd.Series(True, index=df.index)
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return df.loc[keep]


def notes_sheet(notes: Mapping[str, object]) -> pd.DataFrame:
    """A two-column Keterangan/Nilai table: the explanations that travel with an exported plan or list."""
    return pd.DataFrame({"Keterangan": list(notes), "Nilai": [str(v) for v in notes.values()]})


def _for_export(df: pd.DataFrame, public: bool = True) -> pd.DataFrame:
    """Public (unless `public=False`), defused, Indonesian headers, booleans as Ya/Tidak: what both formats write."""
    out = labelled(safe_for_spreadsheet(public_columns(df) if public else df))
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if pd.api.types.is_bool_dtype(column.dtype):
            out.isetitem(i, column.map({True: YA, False: TIDAK}).astype(object))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Excel in Indonesian settings: UTF-8 with BOM, ';' separator, decimal comma, ISO dates."""
    text = _for_export(df).to_csv(
        index=False, sep=CSV_SEPARATOR, decimal=CSV_DECIMAL, date_format="%Y-%m-%d", lineterminator="\r\n"
    )
    return text.encode("utf-8-sig")


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not quoted, unique (case-insensitively)."""
    base = _BAD_SHEET_CHARS.sub("-", str(name)).strip().strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _width(header: str, values: pd.Series) -> float:
    sample = values.head(1000)
    if pd.api.types.is_datetime64_any_dtype(sample.dtype):
        longest = 10
    else:
        longest = int(sample.map(lambda v: len(str(v)) if not _missing(v) else 0).max()) if len(sample) else 0
    return float(min(60, max(8, len(header) + 2, longest + 2)))


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _write_cell(ws, row: int, col: int, value: object, date_format) -> None:
    if _missing(value):
        return
    if isinstance(value, bool | np.bool_):
        ws.write_string(row, col, YA if value else TIDAK)
    elif isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
        ws.write_datetime(row, col, stamp.to_pydatetime(), date_format)
    elif isinstance(value, int | np.integer):
        ws.write_number(row, col, int(value))
    elif isinstance(value, float | np.floating):
        ws.write_number(row, col, float(value)) if math.isfinite(value) else ws.write_string(row, col, str(value))
    else:
        ws.write_string(row, col, str(value))


def _has_time(values: pd.Series) -> bool:
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        return False
    return bool((values.dropna() != values.dropna().dt.normalize()).any())


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame], *, public: bool = True) -> bytes:
    """One workbook, one sheet per table: Indonesian bold headers, frozen header row, filters, sensible widths,
    dates as real Excel dates (dd/mm/yyyy, with hh:mm in a column that has times); every cell written as a
    value, never as a formula. `public=False` only for internal views (see the module docstring)."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as wb:
        header_format = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        date_format = wb.add_format({"num_format": DATE_FORMAT})
        time_format = wb.add_format({"num_format": DATE_TIME_FORMAT})
        taken: set[str] = set()
        for name, frame in sheets.items():
            table = _for_export(frame, public)
            ws = wb.add_worksheet(_sheet_name(name, taken))
            for c, header in enumerate(table.columns):
                ws.write_string(0, c, str(header), header_format)
                ws.set_column(c, c, _width(str(header), table.iloc[:, c]))
            formats = [time_format if _has_time(table.iloc[:, c]) else date_format for c in range(table.shape[1])]
            for r, values in enumerate(table.itertuples(index=False, name=None), start=1):
                for c, value in enumerate(values):
                    _write_cell(ws, r, c, value, formats[c])
            ws.freeze_panes(1, 0)
            if table.shape[1]:
                ws.autofilter(0, 0, max(len(table), 1), table.shape[1] - 1)
    return buffer.getvalue()


__all__ = [
    "CSV_SEPARATOR",
    "FORMULA_PREFIXES",
    "label",
    "labelled",
    "notes_sheet",
    "safe_for_spreadsheet",
    "search_rows",
    "to_csv_bytes",
    "to_xlsx_bytes",
]
