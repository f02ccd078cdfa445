"""Shared fixtures: paths to the reference data beside the repository."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from geo_server import serve_directory

ROOT = Path(__file__).resolve().parent.parent
#: OVOP_TEST_SHARED_GEO (read by the tests only) points elsewhere, e.g. at a missing folder to check that
#: the tests needing no real boundaries run on a machine without ../shared/geo.
SHARED_GEO = Path(os.environ.get("OVOP_TEST_SHARED_GEO") or ROOT.parent / "shared" / "geo")
NO_SHARED_GEO = "../shared/geo tidak ada di mesin ini (data batas wilayah untuk uji)"


def has_shared_geo() -> bool:
    """Whether the real boundaries for the tests are here."""
    return (SHARED_GEO / "blitar_desa.geojson").exists()


@pytest.fixture(scope="session")
def shared_geo() -> Path:
    """../shared/geo (real boundaries); CI always has it, a user's machine may not."""
    if not has_shared_geo():
        pytest.skip(NO_SHARED_GEO)
    return SHARED_GEO


@pytest.fixture(scope="session")
def boundaries_are_real() -> bool:
    """Whether app_env holds the real boundaries (else the pages draw the schematic map)."""
    return has_shared_geo()


def closed_port_url() -> str:
    """The address of a local port nobody listens on: a download from it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def geo_server(shared_geo: Path) -> Iterator[str]:
    """Base URL of a local HTTP server for ../shared/geo/source (the boundary download without internet)."""
    with serve_directory(shared_geo / "source") as url:
        yield url


#: A hostile or overloaded boundary server: 2 KB at a time with pauses (the issue measured 2 KB every 5 s;
#: shorter pauses keep the tests fast, the ~1 MB village file would still take ~100 s).
TRICKLE = (2048, 0.2)


@pytest.fixture
def trickle_server(shared_geo: Path) -> Iterator[tuple[str, list[str]]]:
    """(base URL, paths requested so far) of a local server that trickles ../shared/geo/source."""
    requests: list[str] = []
    with serve_directory(shared_geo / "source", trickle=TRICKLE, requests=requests) as url:
        yield url, requests


@pytest.fixture(scope="session")
def app_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment for running the dashboard in tests: a copy of data/, never the repository's own folders
    or the internet.

    With ../shared/geo, a boundary cache filled from the local geo server; without it, an empty cache and a
    download refused at once, so the pages draw the schematic map (tests needing the real ones ask for shared_geo).
    """
    import shutil

    from ovop_data import geo

    data = tmp_path_factory.mktemp("data")
    for workbook in (ROOT / "data").glob("demo_*.xlsx"):
        shutil.copy(workbook, data / workbook.name)
    geo_dir = tmp_path_factory.mktemp("geo")
    if has_shared_geo():
        base = request.getfixturevalue("geo_server")
        geo.fetch_boundaries(base, cache_folder=geo_dir)
        env = {"OVOP_GEO_BASE_URL": base}
    else:
        env = {"OVOP_GEO_BASE_URL": closed_port_url(), geo.ENV_WAIT: "2", geo.ENV_DEADLINE: "5"}
    env = {"OVOP_DATA_DIR": str(data), "OVOP_GEO_DIR": str(geo_dir), **env}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    yield env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def run_app(app_env: dict[str, str]):
    """Run the dashboard with AppTest: run_app(page="peta", params={...}, state={...}) -> the AppTest after one run.

    Later interactions go on the returned AppTest (set a widget, `.run()`); state and params given here are
    what a fresh visitor with that URL and those widget values would have.
    """
    from streamlit.testing.v1 import AppTest

    def run(
        page: str | None = None, params: dict | None = None, state: dict | None = None, secrets: dict | None = None
    ) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        for key, value in (state or {}).items():
            at.session_state[key] = value
        if secrets:
            at.secrets.update(secrets)
        at.run()
        if page and page != "ringkasan":
            # AppTest knows the url paths of st.navigation only after a run of app.py.
            at.switch_page(str(ROOT / "halaman" / f"{page}.py"))
            for key, value in (params or {}).items():
                at.query_params[key] = value
            at.run()
        return at

    return run


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of the session's throw-away PostgreSQL cluster (started on first use, stopped at the end)."""
    from postgres_server import throwaway_cluster

    with throwaway_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    """An empty follow-up database, once on an SQLite file and once on a fresh PostgreSQL database."""
    from ovop_data.store import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ovop.sqlite3'}"
        yield url
        db.dispose(url)
        return
    import uuid

    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    server = make_url(request.getfixturevalue("postgres_server"))
    name = f"uji_{uuid.uuid4().hex[:12]}"
    conninfo = f"host={server.host} port={server.port} user={server.username} dbname=postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server.set(database=name).render_as_string(hide_password=False)
    yield url
    db.dispose(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
