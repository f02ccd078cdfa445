"""Workbooks kept in the database (when OVOP_DATABASE_URL is set): every version, and a local copy to read.

With several replicas, or on a platform whose disk is wiped at every restart, the data folder cannot be where
uploads live: each replica would serve its own files. So with a database configured an accepted upload is
stored in the table `buku_kerja` *instead of* the data folder (one source of truth, nothing on a replica's
disk that matters). Every version is kept: a new version of a name archives the previous one (aktif = False),
and the first real upload archives the demo workbooks, as in the folder. Nothing is ever deleted.

The loader reads files (through the sandboxed reader process), so each replica writes the active versions
into a private cache folder (`<data folder>/.basisdata/<id>/<name>`, the hidden folder the loader skips)
and loads those. A version's bytes never change, so a copy already there with the right checksum is reused.

The first time a database holds no workbook at all, the data folder's workbooks (the bundled demo, or the
files a server had before the database was set) are copied in as version 1: switching the setting on keeps
what the dashboard showed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, update

from ..config import data_dir
from ..demo_mark import demo_files
from ..io import ReadError, read_sheets
from ..limits import LIMITS
from ..load import workbook_paths
from .db import engine as default_engine
from .tables import buku_kerja, tindak_lanjut

#: Hidden sub-folder of the data folder holding this replica's copy of the database's workbooks.
CACHE_FOLDER = ".basisdata"
_ADVISORY_KEY = 0x0F0B1B  # PostgreSQL advisory lock held while the set of active workbooks changes


@dataclass(frozen=True)
class DataVersion:
    """What a replica compares to know its cached data is current: workbooks and follow-up events."""

    #: (newest workbook version id, number of active workbooks): changes with every upload or archiving
    workbooks: tuple[int, int]
    #: newest follow-up event number (0 before the first)
    events: int


@dataclass(frozen=True)
class StoredWorkbook:
    """A version saved by `store_workbook`: its row id and version number, and what it archived."""

    id: int
    versi: int
    replaced: int | None  # the version number it replaced, if the name existed
    retired_demos: tuple[str, ...]


def data_version(*, db: Engine | None = None) -> DataVersion:
    """The data version in one query (a few indexed maxima): the key of every replica's dataset cache."""
    db = db or default_engine()
    query = select(
        select(func.max(buku_kerja.c.id)).scalar_subquery(),
        select(func.count()).where(buku_kerja.c.aktif.is_(True)).scalar_subquery(),
        select(func.max(tindak_lanjut.c.urutan)).scalar_subquery(),
    )
    with db.connect() as conn:
        newest, active, event = conn.execute(query).one()
    return DataVersion((newest or 0, active or 0), event or 0)


def _lock(conn: Connection) -> None:
    """One writer of the workbook set at a time (SQLite's BEGIN IMMEDIATE does this already)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_ADVISORY_KEY)))


def _is_demo(path: Path) -> bool:
    try:
        return path.name in demo_files(read_sheets(path))
    except ReadError:  # unreadable is not the demo; the loader reports the file
        return False


def _seed(conn: Connection, folder: Path, now: dt.datetime) -> None:
    """Copy the folder's workbooks in as version 1, once: only into a database that never held a workbook."""
    if conn.execute(select(func.count()).select_from(buku_kerja)).scalar():
        return
    for path in workbook_paths(folder):
        try:
            with path.open("rb") as source:
                content = source.read(LIMITS.file_bytes + 1)
        except OSError:  # a broken link or a file gone: not data to carry over
            continue
        if len(content) > LIMITS.file_bytes:
            continue
        conn.execute(insert(buku_kerja).values(**_row(path.name, 1, content, now, demo=_is_demo(path))))


def _row(nama: str, versi: int, content: bytes, now: dt.datetime, *, demo: bool) -> dict[str, object]:
    return {
        "nama": nama,
        "versi": versi,
        "sha256": hashlib.sha256(content).hexdigest(),
        "waktu": now,
        "ukuran": len(content),
        "isi": content,
        "demo": demo,
        "aktif": True,
    }


def store_workbook(
    nama: str,
    content: bytes,
    *,
    demo: bool,
    retire_demo: bool,
    seed_folder: Path | None = None,
    db: Engine | None = None,
) -> StoredWorkbook:
    """Save `content` as the new active version of `nama`, archiving the previous one (and the demo, if asked).

    `nama` must already be a safe file name and `content` validated (uploads.save_upload does both).
    """
    db = db or default_engine()
    now = dt.datetime.now(dt.UTC)
    with db.begin() as conn:
        _lock(conn)
        _seed(conn, Path(seed_folder or data_dir()), now)
        previous = conn.execute(select(func.max(buku_kerja.c.versi)).where(buku_kerja.c.nama == nama)).scalar()
        had_active = conn.execute(
            select(buku_kerja.c.versi).where(buku_kerja.c.nama == nama, buku_kerja.c.aktif.is_(True))
        ).scalar()
        conn.execute(update(buku_kerja).where(buku_kerja.c.nama == nama).values(aktif=False))
        retired: list[str] = []
        if retire_demo:
            demos = buku_kerja.c.demo.is_(True) & buku_kerja.c.aktif.is_(True) & (buku_kerja.c.nama != nama)
            retired = sorted(conn.execute(select(buku_kerja.c.nama).where(demos)).scalars())
            conn.execute(update(buku_kerja).where(demos).values(aktif=False))
        versi = (previous or 0) + 1
        result = conn.execute(insert(buku_kerja).values(**_row(nama, versi, content, now, demo=demo)))
        return StoredWorkbook(int(result.inserted_primary_key[0]), versi, had_active, tuple(retired))


def active_workbooks(*, db: Engine | None = None) -> list[dict[str, object]]:
    """The active versions (id, nama, versi, sha256, waktu, ukuran), by name; the bytes stay in the database."""
    db = db or default_engine()
    columns = [buku_kerja.c[c] for c in ("id", "nama", "versi", "sha256", "waktu", "ukuran")]
    query = select(*columns).where(buku_kerja.c.aktif.is_(True)).order_by(buku_kerja.c.nama)
    with db.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def workbook_versions(*, db: Engine | None = None) -> list[dict[str, object]]:
    """Every version ever saved (without the bytes), oldest first: the archive."""
    db = db or default_engine()
    columns = [buku_kerja.c[c] for c in ("id", "nama", "versi", "sha256", "waktu", "ukuran", "demo", "aktif")]
    with db.connect() as conn:
        return [dict(row) for row in conn.execute(select(*columns).order_by(buku_kerja.c.id)).mappings()]


def workbook_content(version_id: int, *, db: Engine | None = None) -> bytes:
    """The bytes of one version (any, archived included)."""
    db = db or default_engine()
    with db.connect() as conn:
        return bytes(conn.execute(select(buku_kerja.c.isi).where(buku_kerja.c.id == version_id)).scalar_one())


def workbook_files(folder: Path | None = None, *, db: Engine | None = None) -> list[Path]:
    """This replica's copies of the active workbooks (written on first need), sorted by name: what the loader reads.

    `folder` is the data folder (default OVOP_DATA_DIR): its workbooks seed an empty database, and its hidden
    `.basisdata` sub-folder holds the copies. Copies of versions no longer active are removed.
    """
    db = db or default_engine()
    folder = Path(folder or data_dir())
    if not data_version(db=db).workbooks[0]:  # the write lock only for a database that never held a workbook
        with db.begin() as conn:
            _lock(conn)
            _seed(conn, folder, dt.datetime.now(dt.UTC))
    cache = folder / CACHE_FOLDER
    active = active_workbooks(db=db)
    paths = [_cached_copy(cache, row, db) for row in active]
    _prune(cache, keep={str(row["id"]) for row in active})
    return sorted(paths, key=lambda p: p.name)


def _cached_copy(cache: Path, row: dict[str, object], db: Engine) -> Path:
    """cache/<id>/<nama>, written atomically unless a copy with the right checksum is there already."""
    path = cache / str(row["id"]) / str(row["nama"])
    if path.is_file() and path.stat().st_size == row["ukuran"] and _sha256(path) == row["sha256"]:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".salin-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(workbook_content(int(row["id"]), db=db))
        stamp = as_utc(row["waktu"]).timestamp()  # the copy's time is when it was uploaded, as a saved file's is
        os.utime(temp, (stamp, stamp))
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
    return path


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the stored UTC time without its zone; PostgreSQL with it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _prune(cache: Path, keep: set[str]) -> None:
    """Remove the copies of archived versions: they are in the database, and a replica's disk should stay small."""
    if not cache.is_dir():
        return
    for child in cache.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)  # another process of this data folder may be removing it too
