"""The data folder's I/O: what is in it, and saving an uploaded workbook without ever losing data.

`save_upload` validates first (the same reader and validator the dashboard
uses) and refuses a file that cannot be read or holds no recognised table,
leaving the folder untouched. A file it accepts is written atomically (a
temporary file in the same folder, then ``os.replace``); a previous file of
the same name is first copied to ``<folder>/arsip/<timestamp>_<name>``.

When real data arrives while the bundled demo workbooks (``demo_*``) are
still in the folder, the demo files are moved to the archive as well:
otherwise the dashboard would mix invented rows into real figures (and drop
its "data demo" badge). They stay in the archive, restorable by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .dataset import FINDING_COLUMNS, Dataset
from .io import ReadError, read_upload
from .limits import LIMITS
from .load import SPREADSHEET_SUFFIXES, tables_from_sheets, workbook_paths
from .validation import REJECTED_COLUMNS, build_dataset

#: Sub-folder of the data folder that keeps replaced files (git-ignored as data/arsip/).
ARCHIVE = "arsip"
#: Largest upload accepted (bytes): the read bound (a year of programme data is well under 1 MB).
MAX_BYTES = LIMITS.file_bytes
_MAX_NAME = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")
DEMO_PREFIX = "demo_"


@dataclass
class SaveResult:
    """What happened to an upload: saved or refused, why, and the validation of its content."""

    ok: bool
    message: str
    file: str  # the sanitised file name
    path: Path | None = None
    archived: list[Path] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FINDING_COLUMNS)))
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECTED_COLUMNS)))


def safe_file_name(name: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no '..', no control characters.

    'C:\\\\Users\\\\x\\\\..\\\\data.xlsx' -> 'data.xlsx'; '../../etc/passwd.xlsx' -> 'passwd.xlsx';
    characters outside letters, digits, space and . _ - ( ) become '_'; the suffix is lower-cased.
    """
    base = re.split(r"[\\/]", str(name))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, suffix = os.path.splitext(base)
    stem = stem.strip(" .") or "unggahan"
    suffix = suffix.lower()
    return stem[: _MAX_NAME - len(suffix)] + suffix


def save_upload(
    name: str,
    content: bytes,
    folder: str | Path,
    area: str,
    *,
    retire_demo: bool = True,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Validate an uploaded workbook, then save it into `folder` atomically, archiving what it replaces.

    `retire_demo`: a real (non-demo) upload moves the demo workbooks to the archive (see the module docstring).
    """
    file = safe_file_name(name)
    if Path(file).suffix not in SPREADSHEET_SUFFIXES:
        return SaveResult(
            False, f"Berkas '{file}' bukan spreadsheet yang dikenal; gunakan .xlsx, .xls, .ods atau .csv.", file
        )
    if len(content) > MAX_BYTES:
        return SaveResult(
            False,
            f"Berkas '{file}' terlalu besar ({len(content) // (1024 * 1024)} MB; "
            f"paling besar {MAX_BYTES // (1024 * 1024)} MB).",
            file,
        )
    try:
        sheets = read_upload(file, content)
    except ReadError as err:
        return SaveResult(False, f"{err} Data di folder tidak diubah.", file)
    tables, sheet_findings = tables_from_sheets(sheets)
    data = build_dataset(tables, area, extra_findings=sheet_findings, files=[file])
    result = SaveResult(False, "", file, counts=data.counts, findings=data.findings, rejected=data.rejected)
    if not tables:
        result.message = (
            f"Berkas '{file}' tidak berisi tabel produk, kunjungan atau aspirasi yang dikenali "
            "(periksa judul kolom; unduh templat di halaman ini). Data di folder tidak diubah."
        )
        return result
    accepted = sum(c["accepted"] for c in data.counts.values())
    if not accepted:
        result.message = (
            f"Tidak ada baris di '{file}' yang lolos pemeriksaan; perbaiki baris yang ditolak "
            "lalu unggah lagi. Data di folder tidak diubah."
        )
        return result

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file
    if target.resolve().parent != folder.resolve():  # cannot happen after safe_file_name; checked all the same
        raise ValueError(f"Nama berkas '{name}' menunjuk ke luar folder data.")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    previous = _archive(target, folder, stamp, move=False) if target.exists() else None
    _write_atomically(target, content)
    demos = []
    if retire_demo and not file.startswith(DEMO_PREFIX):
        demos = [
            _archive(p, folder, stamp, move=True) for p in workbook_paths(folder) if p.name.startswith(DEMO_PREFIX)
        ]
    result.ok, result.path = True, target
    result.archived = [*([previous] if previous else []), *demos]
    result.message = _saved_message(file, data, previous, demos)
    return result


def _archive(path: Path, folder: Path, stamp: str, *, move: bool) -> Path:
    """Copy (or move) a file to <folder>/arsip/<stamp>_<name>, never overwriting an earlier copy."""
    archive = folder / ARCHIVE
    archive.mkdir(exist_ok=True)
    copy = archive / f"{stamp}_{path.name}"
    n = 2
    while copy.exists():
        copy = archive / f"{stamp}-{n}_{path.name}"
        n += 1
    if move:
        os.replace(path, copy)
    else:
        shutil.copy2(path, copy)
    return copy


def _write_atomically(target: Path, content: bytes) -> None:
    """Readers see the old file or the new one, never half of it: write beside it, then rename over it."""
    handle, temp = tempfile.mkstemp(prefix=".unggah-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _saved_message(file: str, data: Dataset, previous: Path | None, demos: list[Path]) -> str:
    rows = ", ".join(f"{c['accepted']} baris {t} diterima" for t, c in data.counts.items() if c["rows_in"])
    rejected = sum(c["rejected"] for c in data.counts.values())
    text = f"Berkas '{file}' disimpan: {rows}."
    if rejected:
        text += f" {rejected} baris ditolak (lihat daftar di bawah)."
    if previous:
        text += f" Versi sebelumnya disimpan di arsip sebagai '{previous.name}'."
    if demos:
        text += (
            f" Data demo ({', '.join(p.name.split('_', 1)[1] for p in demos)}) dipindahkan ke arsip agar tidak "
            "tercampur dengan data asli."
        )
    return text


def folder_files(folder: str | Path, data: Dataset) -> pd.DataFrame:
    """The workbooks in the data folder: name, size, modification time, and rows per table (accepted, rejected)."""
    rows = []
    for path in workbook_paths(Path(folder)) if Path(folder).is_dir() else []:
        try:
            stat = path.stat()
        except OSError:  # a broken link or a file gone since the listing: listed without size; its finding says why
            stat = None
        row = {
            "berkas": path.name,
            "ukuran_kb": round(stat.st_size / 1024, 1) if stat else None,
            "diubah": dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0) if stat else None,
        }
        for table in ("produk", "kunjungan", "aspirasi"):
            clean = getattr(data, table)
            mine = clean.loc[clean["sumber"] == path.name] if "sumber" in clean else clean.iloc[0:0]
            row[table] = int(mine[["sheet", "baris"]].drop_duplicates().shape[0]) if len(mine) else 0
        rejected = data.rejected
        row["ditolak"] = int((rejected["file"] == path.name).sum()) if "file" in rejected else 0
        rows.append(row)
    columns = ["berkas", "ukuran_kb", "diubah", "produk", "kunjungan", "aspirasi", "ditolak"]
    return pd.DataFrame(rows, columns=columns)


__all__ = ["ARCHIVE", "MAX_BYTES", "SaveResult", "folder_files", "safe_file_name", "save_upload"]
