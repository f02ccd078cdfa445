"""The data folder's I/O: what is in it, and saving an uploaded workbook without ever losing data.

`save_upload` validates first (the same reader and validator the dashboard
uses) and refuses a file that cannot be read or holds no recognised table,
leaving the folder untouched. A file it accepts is written to a temporary
file beside the target (mode 0644), then, holding the folder's lock file
(``.unggah.lock``, shared by every thread and process: the dashboard and
``python -m ovop_data unggah``), the current file of that name is hard-linked
into ``<folder>/arsip/<timestamp>_<name>`` and the new one renamed over it.
Archive names carry microseconds and are claimed exclusively (a counter is
added when one is taken), so an archived version is never overwritten: every
version reported saved is either the live file or in the archive.

When real data arrives while the bundled demo workbooks (``demo_*``) are
still in the folder, the demo files are moved to the archive as well:
otherwise the dashboard would mix invented rows into real figures (and drop
its "data demo" badge). They stay in the archive, restorable by hand.

A folder that cannot be written (read-only, full, not a folder) refuses the
upload with a message in Bahasa Indonesia and leaves no temporary file.

With a database configured (OVOP_DATABASE_URL, or `db` given) the same checks run, but an accepted workbook
is stored in the database instead of the folder, every version kept (see `workbooks`): every replica then
serves the same data. On a disk declared ephemeral (OVOP_DISK_SEMENTARA) without a database, uploads are
refused: they would vanish at the next restart.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..dataset import FINDING_COLUMNS, Dataset
from ..demo_mark import demo_files
from ..io import ReadError, read_sheets, read_upload
from ..limits import LIMITS
from ..load import SPREADSHEET_SUFFIXES, tables_from_sheets, workbook_paths
from ..privacy import masked_dataset
from ..validation import REJECTED_COLUMNS, build_dataset
from .db import shared_database, writes_refused
from .workbooks import active_workbooks, as_utc, store_workbook

#: Sub-folder of the data folder that keeps replaced files (git-ignored as data/arsip/).
ARCHIVE = "arsip"
#: Lock file in the data folder held around archive-then-replace (hidden: the loader skips dot files).
LOCK_FILE = ".unggah.lock"
#: Seconds an upload waits for another one to finish archiving and replacing (that takes milliseconds).
LOCK_TIMEOUT = 30.0
#: Largest upload accepted (bytes): the read bound (a year of programme data is well under 1 MB).
MAX_BYTES = LIMITS.file_bytes
#: Mode of saved files: readable by the web server's other users, as a file copied by hand would be.
FILE_MODE = 0o644
_MAX_NAME = 100  # bytes of UTF-8, so that "<stamp>-<n>_<name>" stays far below the usual 255-byte limit
_MAX_SUFFIX = 10
_SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._ ()-")
_UNSAFE = "\0"  # placeholder for a refused character; runs of them become one "_"
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)
#: errno values meaning "this file system has no hard links": the archive falls back to an exclusive copy.
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
)
_WRITE_REASONS = {
    errno.EROFS: "sistem berkas hanya-baca",
    errno.EACCES: "tidak ada izin menulis",
    errno.EPERM: "tidak ada izin menulis",
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.ENOTDIR: "jalurnya bukan folder",
    errno.EEXIST: "jalurnya bukan folder",
    errno.ENAMETOOLONG: "nama jalur terlalu panjang",
    errno.EISDIR: "ada folder dengan nama berkas itu",
}


@dataclass
class SaveResult:
    """What happened to an upload: saved or refused, why, and the validation of its content.

    `code` says why an upload was refused: "bukan_spreadsheet", "terlalu_besar", "tidak_terbaca",
    "tanpa_tabel", "tanpa_baris_diterima", "folder_tidak_bisa_ditulis", "folder_sibuk", "disk_sementara" or
    "basis_data_gagal" ("" when saved). `version`: the database version number when saved there.
    """

    ok: bool
    message: str
    file: str  # the sanitised file name
    path: Path | None = None
    archived: list[Path] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FINDING_COLUMNS)))
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECTED_COLUMNS)))
    code: str = ""
    version: int | None = None


def safe_file_name(name: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no '..', no control characters.

    'C:\\\\Users\\\\x\\\\..\\\\data.xlsx' -> 'data.xlsx'; '../../etc/passwd.xlsx' -> 'passwd.xlsx';
    accents are folded ('Désa' -> 'Desa'), letters and digits of other scripts kept ('данные.xlsx');
    anything else becomes '_', invisible format characters (bidi overrides) are dropped, Windows device
    names get a '_' prefix, the suffix is lower-cased and the name bounded to 100 bytes of UTF-8.
    """
    text = unicodedata.normalize("NFKC", str(name))  # full-width '．．／' becomes '../' before the split
    base = re.split(r"[\\/]", text)[-1]
    base = re.sub(f"{_UNSAFE}+", "_", _kept_characters(base)).strip(" .")
    stem, suffix = os.path.splitext(base)
    if len(suffix.encode()) > _MAX_SUFFIX:
        stem, suffix = base, ""
    suffix = suffix.lower()
    stem = stem.strip(" .") or "unggahan"
    if stem.split(".")[0].strip().upper() in _WINDOWS_RESERVED:  # 'con.xlsx' cannot be opened on Windows
        stem = "_" + stem
    return _truncate_utf8(stem, _MAX_NAME - len(suffix.encode())).rstrip(" .") + suffix


def _kept_characters(base: str) -> str:
    """Each character kept, folded to ASCII, dropped (format characters) or replaced by the placeholder."""
    out: list[str] = []
    for char in base:
        if char in _SAFE_ASCII:
            out.append(char)
            continue
        category = unicodedata.category(char)
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if category == "Cf" or (category[0] == "M" and out and out[-1] in _SAFE_ASCII):
            continue  # invisible format characters (bidi overrides); accents left over on a folded letter
        if folded and set(folded) <= _SAFE_ASCII:
            out.append(folded)
        elif category[0] in "LN" or _is_mark_of_kept_letter(category, out):
            out.append(char)
        else:
            out.append(_UNSAFE)
    return "".join(out)


def _is_mark_of_kept_letter(category: str, out: list[str]) -> bool:
    """Vowel signs of Devanagari, Arabic harakat…: kept after a kept non-ASCII letter (accents on ASCII are folded)."""
    return category[0] == "M" and bool(out) and not out[-1].isascii()


def _truncate_utf8(text: str, limit: int) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def save_upload(
    name: str,
    content: bytes,
    folder: str | Path,
    area: str,
    *,
    retire_demo: bool = True,
    now: dt.datetime | None = None,
    db: Engine | None = None,
) -> SaveResult:
    """Validate an uploaded workbook, then save it into `folder` atomically, archiving what it replaces.

    `retire_demo`: a real (non-demo) upload moves the demo workbooks to the archive (see the module docstring).
    `db`: store it in that database instead (default: the configured one when OVOP_DATABASE_URL is set); the
    folder's workbooks then only seed a database that never held one.
    """
    file = safe_file_name(name)
    if Path(file).suffix not in SPREADSHEET_SUFFIXES:
        return SaveResult(
            False,
            f"Berkas '{file}' bukan spreadsheet yang dikenal; gunakan .xlsx, .xls, .ods atau .csv.",
            file,
            code="bukan_spreadsheet",
        )
    if len(content) > MAX_BYTES:
        return SaveResult(
            False,
            f"Berkas '{file}' terlalu besar (lebih dari {MAX_BYTES // (1024 * 1024)} MB).",
            file,
            code="terlalu_besar",
        )
    try:
        sheets = read_upload(file, content)
    except ReadError as err:
        return SaveResult(False, f"{err} Data di folder tidak diubah.", file, code="tidak_terbaca")
    tables, sheet_findings = tables_from_sheets(sheets)
    data = masked_dataset(build_dataset(tables, area, extra_findings=sheet_findings, files=[file]))
    result = SaveResult(False, "", file, counts=data.counts, findings=data.findings, rejected=data.rejected)
    if not tables:
        result.code = "tanpa_tabel"
        result.message = (
            f"Berkas '{file}' tidak berisi tabel produk, kunjungan atau aspirasi yang dikenali "
            "(periksa judul kolom; unduh templat di halaman ini). Data di folder tidak diubah."
        )
        return result
    accepted = sum(c["accepted"] for c in data.counts.values())
    if not accepted:
        result.code = "tanpa_baris_diterima"
        result.message = (
            f"Tidak ada baris di '{file}' yang lolos pemeriksaan; perbaiki baris yang ditolak "
            "lalu unggah lagi. Data di folder tidak diubah."
        )
        return result

    folder = Path(folder)
    real = file not in demo_files(sheets)  # an upload of the demo itself retires nothing
    if db is not None or shared_database():
        return _save_in_database(result, content, data, folder, real=real, retire_demo=retire_demo, db=db)
    refusal = writes_refused()
    if refusal:
        result.code = "disk_sementara"
        result.message = f"Berkas '{file}' tidak disimpan. {refusal}"
        return result
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    try:
        saved = _replace_keeping_archive(folder, file, content, stamp, retire_demo=retire_demo and real)
    except Timeout:
        result.code = "folder_sibuk"
        result.message = (
            f"Berkas '{file}' tidak disimpan: unggahan lain ke folder data belum selesai setelah "
            f"{LOCK_TIMEOUT:.0f} detik. Coba lagi sebentar lagi. Data di folder tidak diubah."
        )
        return result
    except OSError as err:
        result.code = "folder_tidak_bisa_ditulis"
        result.message = (
            f"Berkas '{file}' tidak disimpan: folder data '{folder}' tidak bisa ditulis "
            f"({_write_reason(err)}). Minta administrator memeriksa folder itu. Data di folder tidak diubah."
        )
        return result
    target, previous, demos, demo_error = saved
    result.ok, result.path = True, target
    result.archived = [*([previous] if previous else []), *demos]
    result.message = _saved_message(
        file,
        data,
        f"Versi sebelumnya disimpan di arsip sebagai '{previous.name}'." if previous else "",
        [p.name.split("_", 1)[1] for p in demos],
    )
    if demo_error:
        result.message += (
            f" Data demo belum bisa dipindahkan ke arsip ({_write_reason(demo_error)}); pindahkan berkas demo_* "
            "dari folder data secara manual agar tidak tercampur dengan data asli."
        )
    return result


def _save_in_database(
    result: SaveResult, content: bytes, data: Dataset, folder: Path, *, real: bool, retire_demo: bool, db: Engine | None
) -> SaveResult:
    """The database branch of save_upload: a new version of the name, the previous one and the demo archived."""
    file = result.file
    try:
        stored = store_workbook(
            file, content, demo=not real, retire_demo=retire_demo and real, seed_folder=folder, db=db
        )
    except SQLAlchemyError as err:
        result.code = "basis_data_gagal"
        result.message = (
            f"Berkas '{file}' tidak disimpan: basis data tidak bisa ditulis ({type(err).__name__}). Minta "
            "administrator memeriksa OVOP_DATABASE_URL dan server basis datanya. Data tidak diubah."
        )
        return result
    result.ok, result.version = True, stored.versi
    result.message = _saved_message(
        file,
        data,
        f"Versi sebelumnya (versi {stored.replaced}) tetap tersimpan di arsip basis data; ini versi {stored.versi}."
        if stored.replaced
        else "",
        list(stored.retired_demos),
    )
    return result


def _demo_workbooks(folder: Path, *, besides: str) -> list[Path]:
    """The folder's workbooks that carry the demo mark: decided by their content, never by their name."""
    found = []
    for path in workbook_paths(folder):
        if path.name == besides:
            continue
        try:
            sheets = read_sheets(path)
        except ReadError:  # an unreadable file is not the demo: it stays where it is
            continue
        if path.name in demo_files(sheets):
            found.append(path)
    return found


def _replace_keeping_archive(
    folder: Path, file: str, content: bytes, stamp: str, *, retire_demo: bool
) -> tuple[Path, Path | None, list[Path], OSError | None]:
    """Write `content` as folder/file; under the folder's lock archive the old file, rename, retire the demos.

    Returns the target, the archived previous version, the archived demo files and the error that stopped
    the demo files from moving (the upload itself is saved by then, so that error is reported, not raised).
    Raises OSError (nothing changed, no temporary file left) when the folder cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file
    if target.resolve().parent != folder.resolve():  # cannot happen after safe_file_name; checked all the same
        raise ValueError(f"Nama berkas '{file}' menunjuk ke luar folder data.")
    temp = _write_temporary(folder, content)
    try:
        with FileLock(folder / LOCK_FILE, timeout=LOCK_TIMEOUT):
            demos = _demo_workbooks(folder, besides=file) if retire_demo else []
            previous = None
            if target.exists() or demos:
                (folder / ARCHIVE).mkdir(exist_ok=True)
            if target.exists():
                previous = _archive(target, folder, stamp, place=_link_or_copy)
            try:
                os.replace(temp, target)
            except OSError:
                if previous:  # the live file is still the old one: its archive entry would only be a duplicate
                    previous.unlink()
                raise
            archived_demos: list[Path] = []
            try:
                for demo in demos:
                    archived_demos.append(_archive(demo, folder, stamp, place=_move))
            except OSError as err:
                return target, previous, archived_demos, err
            return target, previous, archived_demos, None
    finally:
        temp.unlink(missing_ok=True)  # gone already after the rename; removes a half-written upload otherwise


def _write_temporary(folder: Path, content: bytes) -> Path:
    """Write the bytes to a hidden temporary file in `folder` (same file system, so a rename is atomic)."""
    handle, name = tempfile.mkstemp(prefix=".unggah-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            os.chmod(name, FILE_MODE)  # mkstemp's 0600 would hide the file from the web server's other users
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _archive(path: Path, folder: Path, stamp: str, *, place: Callable[[Path, Path], None]) -> Path:
    """Put a file at <folder>/arsip/<stamp>_<name> (or <stamp>-2_<name>, …): a name nobody used before."""
    archive = folder / ARCHIVE
    n = 1
    while True:
        copy = archive / (f"{stamp}_{path.name}" if n == 1 else f"{stamp}-{n}_{path.name}")
        try:
            place(path, copy)
        except FileExistsError:
            n += 1
            continue
        return copy


def _link_or_copy(path: Path, copy: Path) -> None:
    """Hard-link `path` as `copy` (fails if `copy` exists); an exclusive byte copy where links are unsupported."""
    try:
        os.link(path, copy)
    except FileExistsError:
        raise
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        _copy_exclusively(path, copy)


def _move(path: Path, copy: Path) -> None:
    """Move `path` to `copy` without ever replacing an existing `copy`."""
    _link_or_copy(path, copy)
    path.unlink()


def _copy_exclusively(path: Path, copy: Path) -> None:
    handle = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(handle, "wb") as out, path.open("rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, copy)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise


def _write_reason(err: OSError) -> str:
    return _WRITE_REASONS.get(err.errno or 0, err.strerror or type(err).__name__)


def _saved_message(file: str, data: Dataset, previous: str, demos: list[str]) -> str:
    rows = ", ".join(f"{c['accepted']} baris {t} diterima" for t, c in data.counts.items() if c["rows_in"])
    rejected = sum(c["rejected"] for c in data.counts.values())
    text = f"Berkas '{file}' disimpan: {rows}."
    if rejected:
        text += f" {rejected} baris ditolak (lihat daftar di bawah)."
    if previous:
        text += f" {previous}"
    if demos:
        text += f" Data demo ({', '.join(demos)}) dipindahkan ke arsip agar tidak tercampur dengan data asli."
    return text


def folder_files(folder: str | Path, data: Dataset) -> pd.DataFrame:
    """The workbooks loaded: name, size, modification time, and rows per table (accepted, rejected).

    From the data folder, or with a database configured the database's active versions (time: when uploaded).
    """
    rows = []
    for name, size, changed in _listed_files(Path(folder)):
        row = {
            "berkas": name,
            "ukuran_kb": round(size / 1024, 1) if size is not None else None,
            "diubah": dt.datetime.fromtimestamp(changed).replace(microsecond=0) if changed is not None else None,
        }
        for table in ("produk", "kunjungan", "aspirasi"):
            clean = getattr(data, table)
            mine = clean.loc[clean["sumber"] == name] if "sumber" in clean else clean.iloc[0:0]
            row[table] = int(mine[["sheet", "baris"]].drop_duplicates().shape[0]) if len(mine) else 0
        rejected = data.rejected
        row["ditolak"] = int((rejected["file"] == name).sum()) if "file" in rejected else 0
        rows.append(row)
    columns = ["berkas", "ukuran_kb", "diubah", "produk", "kunjungan", "aspirasi", "ditolak"]
    return pd.DataFrame(rows, columns=columns)


def _listed_files(folder: Path) -> list[tuple[str, int | None, float | None]]:
    """(name, bytes, POSIX time) of each workbook loaded: the database's active versions, else the folder's files."""
    if shared_database():
        return [(str(r["nama"]), int(r["ukuran"]), as_utc(r["waktu"]).timestamp()) for r in active_workbooks()]
    listed = []
    for path in workbook_paths(folder) if folder.is_dir() else []:
        try:
            stat = path.stat()
        except OSError:  # a broken link or a file gone since the listing: listed without size; its finding says why
            listed.append((path.name, None, None))
            continue
        listed.append((path.name, stat.st_size, stat.st_mtime))
    return listed


__all__ = [
    "ARCHIVE",
    "FILE_MODE",
    "LOCK_FILE",
    "MAX_BYTES",
    "SaveResult",
    "folder_files",
    "safe_file_name",
    "save_upload",
]
