"""The database connection: OVOP_DATABASE_URL (PostgreSQL for a hosted instance) or an SQLite file in the data folder.

SQLite is opened in WAL mode with foreign keys on and a busy timeout, and every transaction starts with
BEGIN IMMEDIATE, so two writers queue instead of failing halfway. The schema is brought up to date with the
Alembic migrations shipped in this package the first time a process uses a database (once per URL), under a
lock (a file lock beside the SQLite file, an advisory lock on PostgreSQL) so that two processes starting
together do not both migrate.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url

from ..config import DISK_SEMENTARA, data_dir, disk_sementara

#: Environment variable with the database URL, e.g. postgresql+psycopg://ovop:…@localhost/ovop.
URL_VARIABLE = "OVOP_DATABASE_URL"
#: Name of the default SQLite file in the data folder.
SQLITE_FILE = "ovop.sqlite3"
#: Milliseconds an SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 15_000
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_KEY = 0x0F0B1A  # any constant: the PostgreSQL advisory lock held while migrating
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    """The configured database URL: OVOP_DATABASE_URL, else the SQLite file in the data folder."""
    configured = os.environ.get(URL_VARIABLE, "").strip()
    if configured:
        url = make_url(configured)
        if url.drivername in ("postgresql", "postgres"):  # psycopg 3, not the psycopg2 SQLAlchemy assumes
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{data_dir() / SQLITE_FILE}"


def shared_database() -> bool:
    """Whether OVOP_DATABASE_URL names a database server (not an SQLite file on this disk).

    Then uploads live there too and a replica's disk holds nothing that matters. An SQLite URL is a file beside
    the data folder: it lasts exactly as long as that disk, so it changes nothing about where workbooks go.
    """
    configured = os.environ.get(URL_VARIABLE, "").strip()
    return bool(configured) and make_url(configured).get_backend_name() != "sqlite"


def writes_refused() -> str | None:
    """Why nothing may be written (ephemeral disk, no database), in Bahasa Indonesia; None when writes are fine."""
    if not disk_sementara() or shared_database():
        return None
    return (
        f"Disk server ini sementara ({DISK_SEMENTARA}): berkas dan catatan yang ditulis ke sana hilang saat server "
        f"dimulai ulang, jadi unggahan dan tindak lanjut tidak disimpan. Minta administrator mengatur "
        f"{URL_VARIABLE} ke basis data PostgreSQL agar data tersimpan."
    )


def database_exists(url: str) -> bool:
    """False only for an SQLite file not created yet (a server database is assumed to exist)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return not parsed.database or parsed.database == ":memory:" or Path(parsed.database).exists()


def engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: `database_url()`), its schema migrated to the latest version."""
    url = url or database_url()
    with _engines_lock:
        if url not in _engines:
            made = _new_engine(url)
            upgrade(made)
            _engines[url] = made
        return _engines[url]


def dispose(url: str | None = None) -> None:
    """Close the pooled connections of one engine (tests dropping a database) or of all of them."""
    with _engines_lock:
        for key in [url] if url else list(_engines):
            made = _engines.pop(key, None)
            if made is not None:
                made.dispose()


def _new_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    made = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(made, "connect")
    def _sqlite_settings(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below decides when transactions start
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        cursor.close()

    @event.listens_for(made, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return made


def _alembic_config(connection):
    from alembic.config import Config  # imported on first use: pages that never migrate do not pay for it

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(made: Engine) -> None:
    """Apply the shipped migrations up to the latest, holding a lock against another process doing the same."""
    from alembic import command

    if made.dialect.name == "sqlite":
        database = made.url.database
        hidden = Path(database).with_name(f".{Path(database).name}.migrasi.lock") if database else None
        lock = FileLock(hidden) if hidden and database != ":memory:" else None
        if lock:
            with lock, made.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
        else:
            with made.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
        return
    with made.begin() as connection:
        connection.execute(select(func.pg_advisory_xact_lock(_ADVISORY_KEY)))
        command.upgrade(_alembic_config(connection), "head")


def current_revision(made: Engine) -> str | None:
    """The migration the database is at (None before the first)."""
    from alembic.runtime.migration import MigrationContext

    with made.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
