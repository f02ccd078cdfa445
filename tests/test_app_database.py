"""The dashboard with a database configured (AppTest): it serves the database's workbooks, and a change made
elsewhere (another replica, the command line) shows on the next run, with no timer."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import rendered_text, tables_starting
from test_store_uploads import GOOD

from ovop_data import store
from ovop_data.store import db as store_db


@pytest.fixture
def configured(database_url, monkeypatch, app_env, tmp_path: Path) -> str:
    """OVOP_DATABASE_URL set to a PostgreSQL database; this replica's data folder holds the demo copies."""
    monkeypatch.setenv(store_db.URL_VARIABLE, database_url)
    return database_url


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_upload_elsewhere_shows_on_the_next_run(run_app, configured: str, tmp_path: Path):
    at = run_app(page="data")
    assert not at.exception
    assert "DATA DEMO" in rendered_text(at)  # an empty database is seeded from the data folder: the demo
    demo_files = sorted(tables_starting(at, "Berkas", "Ukuran (KB)")[0]["Berkas"])
    assert demo_files and all(name.startswith("demo_") for name in demo_files)

    other_replica = tmp_path / "replika_lain"
    other_replica.mkdir()
    assert store.save_upload("produk_2025.xlsx", GOOD, other_replica, "35.05", db=store.engine(configured)).ok

    at.run()
    assert not at.exception
    assert tables_starting(at, "Berkas", "Ukuran (KB)")[0]["Berkas"].tolist() == ["produk_2025.xlsx"]
    assert "DATA DEMO" not in rendered_text(at)  # the demo was retired by the real upload


def test_data_page_says_when_the_disk_is_ephemeral(run_app, monkeypatch):
    monkeypatch.setenv("OVOP_DISK_SEMENTARA", "1")
    monkeypatch.delenv(store_db.URL_VARIABLE, raising=False)
    at = run_app(page="data")
    assert not at.exception
    assert any("Disk server ini sementara" in w.value and "OVOP_DATABASE_URL" in w.value for w in at.warning)


def test_data_page_is_quiet_when_the_disk_lasts(run_app, monkeypatch):
    monkeypatch.delenv("OVOP_DISK_SEMENTARA", raising=False)
    at = run_app(page="data")
    assert not any("Disk server ini sementara" in w.value for w in at.warning)
