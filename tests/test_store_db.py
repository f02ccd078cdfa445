"""The follow-up database on SQLite and on a real PostgreSQL: accounts, append-only events, logs, migrations.

Every test runs twice through the `database_url` fixture (an SQLite file; a fresh database in the session's
throw-away PostgreSQL cluster). No mocks of the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from argon2 import PasswordHasher, Type
from sqlalchemy import inspect, select

from ovop_data import store
from ovop_data.store import accounts
from ovop_data.store import db as store_db
from ovop_data.store.tables import akun, metadata, tindak_lanjut

DINKES = "Dinas Kesehatan"
DISPERTA = "Dinas Pertanian dan Pangan"
_PRODUCTION_HASHER = accounts._HASHER  # before the fixture below swaps it
ITEM = store.Item("ASP-20250301-abcdef0123", DINKES, "Belum")


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id at its lowest cost: the same algorithm and code path, without 0.2 s per hash on a busy machine."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))


def test_production_hashes_are_argon2id_at_the_recommended_cost():
    hasher = _PRODUCTION_HASHER
    assert hasher.type is Type.ID and hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2


@pytest.fixture
def db(database_url):
    """The engine, migrated, with one account per role."""
    made = store.engine(database_url)
    store.add_account("dinkes", "opd", DINKES, db=made)
    store.add_account("disperta", "opd", DISPERTA, db=made)
    store.add_account("sekretariat", "sekretariat", db=made)
    store.add_account("pimpinan", "pimpinan", db=made)
    return made


def test_migrations_create_exactly_the_declared_tables(database_url):
    made = store.engine(database_url)
    assert store_db.current_revision(made) == "0002"
    assert set(inspect(made).get_table_names()) == {*metadata.tables, "alembic_version"}
    with made.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    store_db.upgrade(made)  # running again changes nothing
    assert store_db.current_revision(made) == "0002"


def test_sqlite_file_is_in_wal_mode_with_foreign_keys(tmp_path):
    made = store.engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with made.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store_db.BUSY_TIMEOUT_MS
    store_db.dispose(f"sqlite:///{tmp_path / 'x.sqlite3'}")


def test_default_url_is_the_sqlite_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(store_db.URL_VARIABLE, raising=False)
    monkeypatch.setenv("OVOP_DATA_DIR", str(tmp_path))
    assert store.database_url() == f"sqlite:///{tmp_path / 'ovop.sqlite3'}"
    monkeypatch.setenv(store_db.URL_VARIABLE, "postgresql://ovop:rahasia@db.example/ovop")
    assert store.database_url() == "postgresql+psycopg://ovop:rahasia@db.example/ovop"


def test_password_is_argon2id_and_never_stored_in_clear(db):
    password = store.add_account("baru@blitarkab.go.id", "opd", DINKES, db=db)
    with db.connect() as conn:
        rows = [tuple(map(str, r)) for t in metadata.sorted_tables for r in conn.execute(select(t))]
        stored = conn.execute(select(akun.c.hash_sandi).where(akun.c.nama == "baru@blitarkab.go.id")).scalar()
    assert stored.startswith("$argon2id$")
    assert not any(password in cell for row in rows for cell in row)
    found = store.verify_password("BARU@blitarkab.go.id", password, db=db)
    assert found is not None and found.wajib_ganti and found.opd == DINKES


def test_sign_in_failures_are_logged_without_the_password(db):
    assert store.verify_password("dinkes", "salah-sekali-123", alamat="10.0.0.7", db=db) is None
    assert store.verify_password("siapa", "apa-saja-123", db=db) is None
    log = store.signin_failures(db=db)
    assert log["alasan"].tolist() == ["akun_tidak_dikenal", "sandi_salah"]
    assert log["alamat"].tolist() == [None, "10.0.0.7"]
    assert not log.astype(str).apply(lambda c: c.str.contains("salah-sekali|apa-saja")).any().any()


def test_change_password_clears_the_flag_and_ends_other_sessions(db):
    first = store.add_account("kadis", "opd", DINKES, db=db)
    before = store.verify_password("kadis", first, db=db)
    with pytest.raises(store.AccountError, match="paling sedikit"):
        store.change_password("kadis", first, "pendek", db=db)
    with pytest.raises(store.AccountError, match="lama salah"):
        store.change_password("kadis", "bukan-ini-1234", "sandi-baru-yang-panjang", db=db)
    store.change_password("kadis", first, "sandi-baru-yang-panjang", db=db)
    after = store.verify_password("kadis", "sandi-baru-yang-panjang", db=db)
    assert after is not None and not after.wajib_ganti
    assert store.verify_password("kadis", first, db=db) is None
    assert store.session_account("kadis", before.generasi_sesi, db=db) is None
    assert store.session_account("kadis", after.generasi_sesi, db=db) is not None


def test_disabling_an_account_ends_its_sessions_and_sign_in(db):
    password = store.add_account("staf", "opd", DINKES, db=db)
    session = store.verify_password("staf", password, db=db)
    assert store.session_account("staf", session.generasi_sesi, db=db) is not None
    store.disable_account("staf", db=db)
    assert store.session_account("staf", session.generasi_sesi, db=db) is None
    assert store.verify_password("staf", password, db=db) is None
    assert store.signin_failures(db=db)["alasan"].iloc[0] == "akun_nonaktif"
    with pytest.raises(store.Refused, match="nonaktif"):
        store.record_event(ITEM, "staf", status="Proses", catatan="x", db=db)


@pytest.mark.parametrize(
    ("peran", "opd", "message"),
    [
        ("opd", None, "bukan nama OPD baku"),
        ("opd", "Dinas Entah", "bukan nama OPD baku"),
        ("pimpinan", DINKES, "Hanya akun berperan opd"),
        ("raja", None, "tidak dikenal"),
    ],
)
def test_add_account_refusals(db, peran, opd, message):
    with pytest.raises(store.AccountError, match=message):
        store.add_account("x", peran, opd, db=db)


def test_duplicate_account_refused(db):
    with pytest.raises(store.AccountError, match="sudah ada"):
        store.add_account("DINKES", "opd", DINKES, db=db)


def test_events_are_appended_with_status_from_and_to(db):
    store.record_event(ITEM, "dinkes", status="Proses", catatan="survei lokasi", db=db)
    store.record_event(
        ITEM, "dinkes", catatan="anggaran", tenggat_baru=dt.date(2026, 3, 1), alasan_tenggat="P-APBD", db=db
    )
    store.record_event(ITEM, "dinkes", status="Selesai", catatan="alat diserahkan", bukti=("f.pdf", b"%PDF-1.4"), db=db)
    history = store.events_of(ITEM.id, db=db)
    assert history["status_dari"].tolist() == ["Belum", "Proses", "Proses"]
    assert history["status_ke"].tolist() == ["Proses", None, "Selesai"]
    assert history["tenggat_baru"].iloc[1] == dt.date(2026, 3, 1)
    assert history["waktu"].is_monotonic_increasing
    assert str(history["waktu"].dt.tz) == "UTC"
    assert store.evidence_of(int(history["urutan"].iloc[2]), db=db) == ("f.pdf", "application/pdf", b"%PDF-1.4")


@pytest.mark.parametrize(
    ("who", "kwargs", "message"),
    [
        ("disperta", {"status": "Proses", "catatan": "x"}, "ditugaskan ke Dinas Kesehatan"),
        ("pimpinan", {"status": "Proses", "catatan": "x"}, "tidak boleh"),
        ("tidak-ada", {"status": "Proses", "catatan": "x"}, "tidak dikenal"),
        ("dinkes", {"status": "Selesai"}, "wajib disertai catatan"),
        ("dinkes", {"status": "Selesai", "catatan": "   "}, "wajib disertai catatan"),
        ("dinkes", {"status": "Tuntas", "catatan": "x"}, "tidak dikenal"),
        ("dinkes", {"catatan": "x", "tenggat_baru": dt.date(2026, 1, 1)}, "wajib disertai alasan"),
        ("dinkes", {"catatan": "x", "bukti": ("a.jpg", b"MZ\x90")}, "foto"),
        ("dinkes", {"catatan": "x", "tautan_bukti": "javascript:alert(1)"}, "http"),
        ("dinkes", {"opd_baru": DISPERTA}, "tidak boleh"),
        ("dinkes", {"bukan_kewenangan": True}, "alasan"),
    ],
)
def test_refusals_record_nothing(db, who, kwargs, message):
    with pytest.raises(store.Refused, match=message):
        store.record_event(ITEM, who, **kwargs, db=db)
    assert store.events_of(ITEM.id, db=db).empty


def test_not_ours_goes_to_the_secretariat_then_reassignment_moves_the_permission(db):
    store.record_event(ITEM, "dinkes", bukan_kewenangan=True, catatan="urusan pertanian", db=db)
    with pytest.raises(store.Refused, match="antrean sekretariat"):
        store.record_event(ITEM, "dinkes", status="Proses", catatan="x", db=db)
    store.record_event(ITEM, "sekretariat", opd_baru=DISPERTA, catatan="dialihkan", db=db)
    store.record_event(ITEM, "disperta", status="Proses", catatan="diterima", db=db)
    with pytest.raises(store.Refused):
        store.record_event(ITEM, "dinkes", status="Selesai", catatan="x", db=db)
    assert store.events_of(ITEM.id, db=db)["jenis"].tolist() == ["bukan_kewenangan", "penugasan", "laporan"]


def test_internal_notes_hidden_from_the_public_history(db):
    store.record_event(ITEM, "dinkes", status="Proses", catatan="publik", db=db)
    store.record_event(ITEM, "dinkes", catatan="anggaran belum cair", internal=True, db=db)
    assert len(store.events_of(ITEM.id, db=db)) == 2
    assert store.events_of(ITEM.id, with_internal=False, db=db)["catatan"].tolist() == ["publik"]


def test_the_store_offers_no_way_to_edit_or_delete_an_event():
    public = set(store.__all__)
    assert not {n for n in public if any(w in n for w in ("update", "delete", "edit", "hapus", "ubah"))}


def test_effective_statuses_from_the_database(db):
    import pandas as pd

    store.record_event(ITEM, "dinkes", status="Selesai", catatan="selesai", db=db)
    out = store.effective_statuses(
        pd.DataFrame({"id": [ITEM.id, "lain"], "status": ["Belum", "Proses"], "opd_penanggung_jawab": [DINKES] * 2}),
        db=db,
    )
    assert out["status_efektif"].tolist() == ["Selesai", "Proses"]


def test_upload_log(db):
    store.record_upload("sekretariat", "aspirasi.xlsx", b"isi", 10, 2, True, "disimpan", db=db)
    store.record_upload("sekretariat", "rusak.xlsx", b"x", 0, 0, False, "tidak terbaca", db=db)
    log = store.upload_log(db=db)
    assert log["berkas"].tolist() == ["rusak.xlsx", "aspirasi.xlsx"]
    assert log["sha256"].iloc[1] == hashlib.sha256(b"isi").hexdigest()
    assert log["diterima"].iloc[1] == 10 and log["ditolak"].iloc[1] == 2


def test_two_threads_reporting_at_once_keep_every_event(db):
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def report(who: str, item: store.Item) -> None:
        try:
            start.wait()
            for n in range(10):
                store.record_event(item, who, status="Proses", catatan=f"{who} {n}", db=db)
        except BaseException as err:  # surfaced by the assertion below
            errors.append(err)

    shared = store.Item(ITEM.id, f"{DINKES}; {DISPERTA}", "Belum")
    threads = [threading.Thread(target=report, args=(w, shared)) for w in ("dinkes", "disperta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = store.events_of(ITEM.id, db=db)
    assert len(history) == 20
    assert history["status_dari"].tolist() == ["Belum"] + ["Proses"] * 19  # writers took turns
    assert sorted(history["catatan"]) == sorted(f"{w} {n}" for w in ("dinkes", "disperta") for n in range(10))
    assert list(zip(history["waktu"], history["urutan"], strict=True)) == sorted(
        zip(history["waktu"], history["urutan"], strict=True)
    )
    for who in ("dinkes", "disperta"):  # each writer's own events in the order it wrote them
        mine = history.loc[history["oleh"] == who, "catatan"].tolist()
        assert mine == [f"{who} {n}" for n in range(10)]


_WRITER = """
import sys
from ovop_data import store
url, who, opd = sys.argv[1:4]
db = store.engine(url)
item = store.Item("ASP-20250301-abcdef0123", opd, "Belum")
sys.stdin.readline()  # both processes start writing when the test says so
for n in range(10):
    store.record_event(item, who, status="Proses", catatan=f"{who} {n}", db=db)
"""


def test_two_processes_reporting_at_once_keep_every_event(db, database_url):
    owners = f"{DINKES}; {DISPERTA}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, database_url, who, owners],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("dinkes", "disperta")
    ]
    for p in procs:
        p.stdin.write("mulai\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with db.connect() as conn:
        stored = conn.execute(select(tindak_lanjut.c.catatan, tindak_lanjut.c.oleh)).all()
    assert len(stored) == 20
    history = store.events_of(ITEM.id, db=db)
    assert history["waktu"].is_monotonic_increasing
    assert history["status_dari"].tolist() == ["Belum"] + ["Proses"] * 19
    for who in ("dinkes", "disperta"):
        assert history.loc[history["oleh"] == who, "catatan"].tolist() == [f"{who} {n}" for n in range(10)]
