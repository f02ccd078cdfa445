"""Workbooks in the database (OVOP_DATABASE_URL): every version kept, every replica reading the same data.

Each database test runs on an SQLite file and on a fresh PostgreSQL database (the `database_url` fixture).
Two data folders stand for two replicas' private disks.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_store_uploads import DEMO, GOOD, ROOT, distinct_workbook, snapshot, workbook

from ovop_data import store
from ovop_data.load import load_dataset
from ovop_data.store import db as store_db
from ovop_data.store import workbooks

AREA = "35.05"
KOPI = workbook([("Kopi Robusta", "Minuman", "Kemloko", "Nglegok")])


@pytest.fixture
def db(database_url):
    return store.engine(database_url)


@pytest.fixture
def replica_a(tmp_path: Path) -> Path:
    """Replica A's data folder: the bundled demo workbook, as a fresh checkout has."""
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "demo_produk_ovop.xlsx").write_bytes(DEMO)
    return folder


@pytest.fixture
def replica_b(tmp_path: Path) -> Path:
    """Replica B's data folder: empty, nothing on its disk."""
    folder = tmp_path / "b"
    folder.mkdir()
    return folder


def names(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_upload_goes_to_the_database_not_the_folder(db, replica_a: Path, replica_b: Path):
    before = snapshot(replica_a)
    result = store.save_upload("produk 2025.xlsx", GOOD, replica_a, AREA, db=db)

    assert result.ok and result.version == 1, result.message
    assert result.path is None and snapshot(replica_a) == before  # the folder only seeded the database
    assert "Data demo (demo_produk_ovop.xlsx) dipindahkan ke arsip" in result.message
    rows = workbooks.workbook_versions(db=db)
    assert [(r["nama"], r["versi"], r["demo"], r["aktif"]) for r in rows] == [
        ("demo_produk_ovop.xlsx", 1, True, False),  # seeded from the folder, then retired by real data
        ("produk 2025.xlsx", 1, False, True),
    ]
    # The other replica, with nothing on its disk, serves the same data.
    files = store.workbook_files(replica_b, db=db)
    assert names(files) == ["produk 2025.xlsx"] and files[0].read_bytes() == GOOD
    data = load_dataset(files, AREA)
    assert data.produk["nama_produk"].tolist() == ["Keripik Tempe"] and not data.is_demo


def test_every_version_is_kept_and_only_the_newest_is_served(db, replica_a: Path, replica_b: Path):
    contents = [distinct_workbook(i) for i in range(3)]
    results = [store.save_upload("produk.xlsx", c, replica_a, AREA, db=db) for c in contents]

    assert [r.version for r in results] == [1, 2, 3]
    assert "versi 2" in results[2].message and "arsip basis data" in results[2].message
    kept = [r for r in workbooks.workbook_versions(db=db) if r["nama"] == "produk.xlsx"]
    assert [(r["versi"], r["aktif"]) for r in kept] == [(1, False), (2, False), (3, True)]
    assert [workbooks.workbook_content(r["id"], db=db) for r in kept] == contents
    assert [p.read_bytes() for p in store.workbook_files(replica_b, db=db)] == [contents[2]]


def test_uploading_the_demo_retires_nothing(db, replica_a: Path, replica_b: Path):
    assert store.save_upload("salinan_demo.xlsx", DEMO, replica_a, AREA, db=db).ok
    assert names(store.workbook_files(replica_b, db=db)) == ["demo_produk_ovop.xlsx", "salinan_demo.xlsx"]
    assert load_dataset(store.workbook_files(replica_b, db=db), AREA).is_demo


def test_a_refused_upload_leaves_the_database_untouched(db, replica_a: Path):
    bad = workbook([("Keripik", "Makanan olahan", "Antah Berantah", "")])
    before = store.data_version(db=db)
    result = store.save_upload("ditolak.xlsx", bad, replica_a, AREA, db=db)
    assert not result.ok and result.code == "tanpa_baris_diterima"
    assert store.data_version(db=db) == before and workbooks.workbook_versions(db=db) == []


def test_an_empty_database_is_seeded_once_from_the_data_folder(db, replica_a: Path, replica_b: Path):
    assert names(store.workbook_files(replica_a, db=db)) == ["demo_produk_ovop.xlsx"]
    (replica_b / "lain.xlsx").write_bytes(KOPI)  # a second replica's folder does not seed it again
    assert names(store.workbook_files(replica_b, db=db)) == ["demo_produk_ovop.xlsx"]
    assert len(workbooks.workbook_versions(db=db)) == 1


def test_the_local_copies_follow_the_database(db, replica_a: Path, replica_b: Path):
    store.save_upload("produk.xlsx", GOOD, replica_a, AREA, db=db)
    first = store.workbook_files(replica_b, db=db)[0]
    assert first.parent.parent == replica_b / workbooks.CACHE_FOLDER
    uploaded = workbooks.active_workbooks(db=db)[0]["waktu"]
    assert abs(first.stat().st_mtime - workbooks.as_utc(uploaded).timestamp()) < 1  # the upload's time
    first.write_bytes(b"rusak")  # a damaged copy is written again from the database
    assert store.workbook_files(replica_b, db=db)[0].read_bytes() == GOOD

    store.save_upload("produk.xlsx", KOPI, replica_a, AREA, db=db)
    second = store.workbook_files(replica_b, db=db)[0]
    assert second.read_bytes() == KOPI and not first.exists()  # the archived version's copy is removed


def test_data_version_changes_with_uploads_and_events_only(db, replica_a: Path):
    start = store.data_version(db=db)
    assert start == store.DataVersion((0, 0), 0)
    assert store.data_version(db=db) == start  # reading it writes nothing
    store.save_upload("produk.xlsx", GOOD, replica_a, AREA, db=db)
    uploaded = store.data_version(db=db)
    assert uploaded.workbooks != start.workbooks and uploaded.events == 0
    store.add_account("sekretariat", "sekretariat", db=db)
    store.record_event(store.Item("ASP-1", None, "Belum"), "sekretariat", status="Proses", db=db)
    reported = store.data_version(db=db)
    assert reported.workbooks == uploaded.workbooks and reported.events > uploaded.events


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_configured_database_is_used_by_default(database_url, replica_a: Path, monkeypatch):
    monkeypatch.setenv(store_db.URL_VARIABLE, database_url)
    result = store.save_upload("produk.xlsx", GOOD, replica_a, AREA)
    assert result.ok and result.version == 1 and not (replica_a / "produk.xlsx").exists()
    listed = store.folder_files(replica_a, load_dataset(store.workbook_files(replica_a), AREA))
    assert listed[["berkas", "produk", "ditolak"]].values.tolist() == [["produk.xlsx", 1, 1]]


def test_an_sqlite_url_keeps_the_workbooks_in_the_folder(replica_a: Path, tmp_path: Path, monkeypatch):
    """An SQLite file lives on this disk like the folder: nothing to gain from moving the workbooks into it."""
    monkeypatch.setenv(store_db.URL_VARIABLE, f"sqlite:///{tmp_path / 'ovop.sqlite3'}")
    assert not store.shared_database()
    result = store.save_upload("produk.xlsx", GOOD, replica_a, AREA)
    assert result.ok and (replica_a / "produk.xlsx").read_bytes() == GOOD
    assert not (tmp_path / "ovop.sqlite3").exists()


def test_an_unreachable_database_refuses_the_upload_clearly(replica_a: Path, monkeypatch):
    from conftest import closed_port_url

    monkeypatch.setenv(store_db.URL_VARIABLE, closed_port_url().replace("http", "postgresql") + "/ovop")
    before = snapshot(replica_a)
    result = store.save_upload("produk.xlsx", GOOD, replica_a, AREA)
    assert not result.ok and result.code == "basis_data_gagal"
    assert "basis data tidak bisa ditulis" in result.message and "OVOP_DATABASE_URL" in result.message
    assert snapshot(replica_a) == before


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_cli_unggah_stores_in_the_configured_database(database_url, replica_a: Path, replica_b: Path, tmp_path):
    upload = tmp_path / "kopi.xlsx"
    upload.write_bytes(KOPI)
    env = {**os.environ, store_db.URL_VARIABLE: database_url, "OVOP_DATA_DIR": str(replica_a)}
    done = subprocess.run(
        [sys.executable, "-m", "ovop_data", "unggah", str(upload)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Berkas 'kopi.xlsx' disimpan" in done.stdout
    assert not (replica_a / "kopi.xlsx").exists()
    assert names(store.workbook_files(replica_b, db=store.engine(database_url))) == ["kopi.xlsx"]


# --- an ephemeral disk ---------------------------------------------------------------------------------


@pytest.fixture
def ephemeral(monkeypatch, tmp_path: Path) -> Path:
    """OVOP_DISK_SEMENTARA=1 and no database: the data folder (with the SQLite default) is on a passing disk."""
    monkeypatch.setenv("OVOP_DISK_SEMENTARA", "1")
    monkeypatch.delenv(store_db.URL_VARIABLE, raising=False)
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("OVOP_DATA_DIR", str(folder))
    return folder


def test_ephemeral_disk_without_database_refuses_uploads(ephemeral: Path):
    result = store.save_upload("produk.xlsx", GOOD, ephemeral, AREA)
    assert not result.ok and result.code == "disk_sementara"
    assert "Disk server ini sementara" in result.message and "OVOP_DATABASE_URL" in result.message
    assert result.counts["produk"]["accepted"] == 1  # the check still ran: the report can be shown
    assert list(ephemeral.iterdir()) == []


def test_ephemeral_disk_without_database_refuses_follow_up_writes(ephemeral: Path):
    with pytest.raises(store.Refused, match="Disk server ini sementara"):
        store.record_event(store.Item("ASP-1", None, "Belum"), "sekretariat", status="Proses")
    with pytest.raises(store.AccountError, match="OVOP_DATABASE_URL"):
        store.add_account("sekretariat", "sekretariat")
    assert list(ephemeral.iterdir()) == []  # not even the SQLite file was created


def test_ephemeral_disk_with_an_sqlite_url_is_still_refused(ephemeral: Path, monkeypatch):
    monkeypatch.setenv(store_db.URL_VARIABLE, f"sqlite:///{ephemeral / 'lain.sqlite3'}")  # on the same passing disk
    assert "Disk server ini sementara" in store.writes_refused()
    assert store.save_upload("produk.xlsx", GOOD, ephemeral, AREA).code == "disk_sementara"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_ephemeral_disk_with_database_works(ephemeral: Path, database_url, monkeypatch):
    monkeypatch.setenv(store_db.URL_VARIABLE, database_url)
    assert store.writes_refused() is None
    assert store.save_upload("produk.xlsx", GOOD, ephemeral, AREA).ok
    store.add_account("sekretariat", "sekretariat")
    assert store.record_event(store.Item("ASP-1", None, "Belum"), "sekretariat", status="Proses") > 0
    assert store.data_version().events > 0


@pytest.mark.parametrize(("value", "refused"), [("1", True), ("ya", True), ("true", True), ("0", False), ("", False)])
def test_the_setting_values(monkeypatch, value: str, refused: bool):
    monkeypatch.setenv("OVOP_DISK_SEMENTARA", value)
    monkeypatch.delenv(store_db.URL_VARIABLE, raising=False)
    assert (store.writes_refused() is not None) is refused


def test_upload_times_are_utc(db, replica_a: Path):
    store.save_upload("produk.xlsx", GOOD, replica_a, AREA, db=db)
    saved = workbooks.as_utc(workbooks.active_workbooks(db=db)[0]["waktu"])
    assert abs(saved - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
