"""Not recorded is not zero: which schema columns the accepted rows actually carry.

A column the workbook lacks, or leaves empty, is *tidak tercatat*: a figure built on it
is unknown, not 0. Validation fills some defaults (unggulan → Ya, blank status → Belum,
blank kategori_kendala read from the text, "belum ada" legality emptied); for those
columns it keeps a `tercatat_<kolom>` flag saying whether the cell itself had a value.
Tables without the flag (built by hand, older caches) fall back to the clean value.
"""

from __future__ import annotations

import pandas as pd

from .fmt import angka
from .schema import TABLES

TIDAK_TERCATAT = "tidak tercatat"
#: Shown for an aspiration whose status cell is blank (still counted as open, like an explicit Belum).
BELUM_ADA_LAPORAN = "belum ada laporan"

#: Columns whose clean value no longer shows a blank cell, per table; validation keeps a flag for each.
FLAGGED: dict[str, tuple[str, ...]] = {
    "produk": ("kecamatan", "kode_desa", "unggulan", "legalitas", "pemasaran"),
    "kunjungan": ("kecamatan",),
    "aspirasi": ("kecamatan", "kategori_kendala", "status", "id_aspirasi"),
}
_ID = {"produk": "id_produk", "kunjungan": "id_kunjungan", "aspirasi": "id_aspirasi"}


def flag_column(name: str) -> str:
    """The name of the flag column saying whether the workbook cell of `name` had a value."""
    return f"tercatat_{name}"


def recorded_mask(table: pd.DataFrame, column: str) -> pd.Series:
    """Per row, whether the workbook carried a value in `column` (False where the column is absent)."""
    flag = flag_column(column)
    if flag in table:
        return table[flag].fillna(False).astype(bool)
    if column not in table:
        return pd.Series(False, index=table.index)
    values = table[column]
    return values.notna() & values.astype(str).str.strip().ne("")


def _rows(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """One row per accepted input row (a product of several villages appears once per village)."""
    key = _ID[name]
    return table.drop_duplicates(key) if key in table else table


def recorded_counts(table: pd.DataFrame, name: str, column: str) -> tuple[int, int]:
    """(rows carrying a value in `column`, accepted rows) of table `name`."""
    rows = _rows(table, name)
    return int(recorded_mask(rows, column).sum()), len(rows)


def tercatat(data: object) -> dict[str, dict[str, float]]:
    """Per table and schema column, the share (0.0–1.0) of accepted rows whose cell carried a value.

    A table without rows has share 0.0 for every column (nothing was recorded).
    """
    out: dict[str, dict[str, float]] = {}
    for name, schema in TABLES.items():
        table = getattr(data, name)
        shares = {}
        for column in schema.kept_columns:
            n, total = recorded_counts(table, name, column.name)
            shares[column.name] = round(n / total, 4) if total else 0.0
        out[name] = shares
    return out


def recorded_note(n: int, total: int, unit: str = "") -> str:
    """'tidak tercatat' when no row carries the value, 'tercatat untuk N dari M …' when some do, '' when all do."""
    if total and n == 0:
        return TIDAK_TERCATAT
    if n < total:
        return f"tercatat untuk {angka(n)} dari {angka(total)}" + (f" {unit}" if unit else "")
    return ""


def pelaku_figure(headline: dict) -> tuple[str, str | None]:
    """The 'Pelaku usaha' card of metrics.area_summary: its value, and a note when only some products name one."""
    if headline["pelaku_usaha_total"] is None:
        return TIDAK_TERCATAT, None
    n, total = headline["pelaku_usaha_tercatat"], headline["produk_total"]
    return angka(headline["pelaku_usaha_total"]), recorded_note(n, total, "produk") or None


def tercatat_table(data: object) -> pd.DataFrame:
    """Per table with rows and per schema column, in words how many accepted rows carry a value."""
    rows = []
    for name, schema in TABLES.items():
        table = getattr(data, name)
        for column in schema.kept_columns:
            n, total = recorded_counts(table, name, column.name)
            if total:
                note = recorded_note(n, total, "baris") or f"semua {angka(total)} baris"
                rows.append({"table": schema.label, "column": column.label, "tercatat": note})
    return pd.DataFrame(rows, columns=["table", "column", "tercatat"])
