"""The validation report as staff read it: identical findings grouped with their row ranges, codes as plain labels.

143 rows with the same unknown category are one line ("baris 5–12, 15, 20–31"), not 143; the full
report (one row per finding, for the XLSX download and `validate --json`) keeps every row.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .codes import code_label
from .fmt import angka

#: Findings that are the same in all of these are one line of the grouped report.
SAME = ("severity", "table", "file", "sheet", "code", "column", "message", "suggestion")
#: Columns of the grouped report.
GROUPED_COLUMNS = ("severity", "temuan", "file", "sheet", "baris", "jumlah", "column", "message", "suggestion", "code")
#: Columns of the downloadable report: every finding row, its label, and the code staff may search for.
REPORT_COLUMNS = ("severity", "file", "sheet", "row", "column", "value", "temuan", "message", "suggestion", "code")


def row_ranges(rows: Iterable[object]) -> str:
    """Excel rows as short ranges, sorted and each once: [5, 6, 7, 15, 20, 21] -> '5–7, 15, 20–21'."""
    numbers = sorted({int(r) for r in rows if not pd.isna(r)})
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = n
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def grouped_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """One line per group of identical findings (same file, sheet, code, column, message), in report order,
    with its row ranges ('' for a file- or sheet-level finding) and how many rows it covers."""
    if findings.empty:
        return pd.DataFrame(columns=list(GROUPED_COLUMNS))
    keys = list(SAME)
    frame = findings.loc[:, [*keys, "row"]].astype({k: object for k in keys})
    frame[keys] = frame[keys].fillna("")
    groups = frame.groupby(keys, sort=False, dropna=False)
    out = groups["row"].agg(baris=row_ranges, jumlah="size").reset_index()
    return out.assign(temuan=out["code"].map(code_label)).loc[:, list(GROUPED_COLUMNS)]


def report_rows(findings: pd.DataFrame) -> pd.DataFrame:
    """Every finding row with its plain label beside the code: the sheet of the downloadable report."""
    out = findings.assign(temuan=findings["code"].map(code_label))
    return out.loc[:, list(REPORT_COLUMNS)].reset_index(drop=True)


def grouped_lines(findings: pd.DataFrame) -> list[str]:
    """The grouped report as text lines for the command line: '[GALAT] file/sheet baris 5–12 (8 baris) kolom: …'."""
    lines = []
    for f in grouped_findings(findings).itertuples():
        where = "/".join(p for p in (f.file, f.sheet) if p)
        if f.baris:
            where += f" baris {f.baris}" + (f" ({angka(f.jumlah)} baris)" if f.jumlah > 1 else "")
        mark = "GALAT" if f.severity == "error" else "catatan"
        column = f" {f.column}:" if f.column else ":"
        lines.append(f"  [{mark}] {where}{column} {f.message} {f.suggestion}".rstrip())
    return lines
