"""Recipe 2 for real: two replicas behind the shipped nginx site under /ovop/, sharing one PostgreSQL.

Debian's nginx (the shipped deploy/nginx-ovop.conf, only ports, certificate and name changed: tests/nginx_server.py)
and a throw-away PostgreSQL cluster run on loopback; each replica is started with the shipped systemd unit's
command line, on its own private data folder marked ephemeral (OVOP_DISK_SEMENTARA=1). A browser pinned by its
sticky cookie to replica A and another pinned to replica B (nginx's access log proves which replica answered)
check that a workbook uploaded through A and a follow-up recorded through A both show through B, and that
B, restarted mid-way on a brand-new empty disk, loses nothing.

The sekretariat uploads on A's Data page (its account, created in the shared database, is what unlocks it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from nginx_server import (
    access_log_lines,
    free_port,
    replica_command,
    replica_port,
    replicas_seen,
    running_proxy,
)
from oidc_server import stop_server
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.engine import make_url

from ovop_data import store
from ovop_data.demo_mark import DEMO_MARK
from ovop_data.store import db as store_db

from .conftest import (
    APP_RUN_MS,
    OUTSIDE_REQUESTS,
    ROOT,
    SCRIPT_RUN_COUNTER,
    VIEWPORTS,
    BrowserErrors,
    Network,
    _wait_until_healthy,
    new_page,
    script_runs,
    sign_in_with_password,
    wait_for_app,
)
from .test_tindak_lanjut import choose

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-sekretariat-uji"
NOTE = "Dikerjakan lewat replika A"


@dataclass
class Replica:
    """A running `streamlit run` started with the shipped unit's command line."""

    name: str
    port: int
    data: Path
    log: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ovop/"


def start_replica(name: str, port: int, work: Path, env: dict[str, str], *, demo: bool) -> Replica:
    """One replica on `port`, its data folder private (with the bundled demo workbooks, or empty)."""
    folder = work / f"{name}-{uuid.uuid4().hex[:6]}"
    data = folder / "data"
    data.mkdir(parents=True)
    if demo:
        for workbook in (ROOT / "data").glob("demo_*.xlsx"):
            shutil.copy(workbook, data / workbook.name)
    log = folder / "streamlit.log"
    replica_env = {**env, "OVOP_DATA_DIR": str(data), "OVOP_GEO_DIR": str(folder / "geo")}
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            replica_command(port), cwd=ROOT, env=replica_env, stdout=output, stderr=subprocess.STDOUT
        )
    replica = Replica(name, port, data, log, process)
    _wait_until_healthy(replica.url, process, log)
    return replica


def stop_replica(replica: Replica) -> None:
    stop_server(replica.process)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new database in the session's PostgreSQL cluster; dropped after."""
    import psycopg
    from psycopg import sql

    server = make_url(server_url)
    name = f"replika_{uuid.uuid4().hex[:10]}"
    conninfo = f"host={server.host} port={server.port} user={server.username} dbname=postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        store_db.dispose(url)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def real_workbook(path: Path) -> Path:
    """The demo visits and aspirations with the demo mark taken out: real data, which retires the demo."""
    book = openpyxl.load_workbook(ROOT / "data" / "demo_kunjungan_ovop.xlsx")
    for sheet in book.worksheets:
        title = sheet.cell(1, 1).value
        if isinstance(title, str) and title.startswith(DEMO_MARK):
            sheet.cell(1, 1).value = title.removeprefix(DEMO_MARK).strip()
    book.properties.subject = None
    book.save(path)
    return path


def pinned_context(browser: Browser, network: Network, proxy, key: str) -> BrowserContext:
    """A browser context carrying sticky key `key` (what nginx would have given it), trusting the test certificate."""
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"], locale="id-ID", timezone_id="Asia/Jakarta", ignore_https_errors=True
    )
    context.set_default_timeout(APP_RUN_MS)
    context.route(OUTSIDE_REQUESTS, network.handle)
    context.add_init_script(SCRIPT_RUN_COUNTER)
    context.add_cookies([{"name": "ovop_replika", "value": key, "url": proxy.url}])
    return context


def key_for(proxy, port: int) -> str:
    """A sticky key that nginx sends to the replica on `port`."""
    for i in range(200):
        key = f"{i:032x}"
        if replica_port(proxy, key) == port:
            return key
    raise AssertionError(f"no sticky key leads to port {port}")


def sign_in(page: Page, base: str) -> None:
    sign_in_with_password(page, base, "sekretariat", PASSWORD)


def open_page(page: Page, title: str) -> None:
    runs = script_runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_for_app(page, after=runs)


def overdue(page: Page) -> str:
    """The 'Terlambat' figure of the follow-up page (text, as shown)."""
    metric = page.get_by_test_id("stMetric").filter(has_text="Terlambat")
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_two_replicas_share_uploads_and_follow_ups(
    browser: Browser, network: Network, geo_server: str, postgres_server: str, tmp_path: Path
) -> None:
    errors = BrowserErrors()
    with fresh_database(postgres_server) as url:
        database = store.engine(url)
        one_time = store.add_account("sekretariat", "sekretariat", db=database)
        store.change_password("sekretariat", one_time, PASSWORD, db=database)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("OVOP_BATAS_DESA", "OVOP_DATA_DIR")},
            store_db.URL_VARIABLE: url,
            "OVOP_DISK_SEMENTARA": "1",  # nothing on a replica's disk may matter
            "OVOP_WILAYAH": "35.05",
            "OVOP_GEO_BASE_URL": geo_server,
            "OVOP_GEO_WAIT": "60",
            "PYTHONUNBUFFERED": "1",
        }
        a = start_replica("a", free_port(), tmp_path, env, demo=True)
        b = start_replica("b", free_port(), tmp_path, env, demo=True)
        replicas = [a, b]
        try:
            with running_proxy([a.port, b.port]) as proxy:
                key_a, key_b = key_for(proxy, a.port), key_for(proxy, b.port)
                page_a = new_page(pinned_context(browser, network, proxy, key_a), errors)
                page_b = new_page(pinned_context(browser, network, proxy, key_b), errors)

                # Both start on the demo: the first replica seeded the empty database from its folder.
                for page in (page_a, page_b):
                    page.goto(proxy.url)
                    wait_for_app(page)
                    expect(page.get_by_text("DATA DEMO").first).to_be_visible()

                # The sekretariat signs in through A and uploads real data there.
                sign_in(page_a, proxy.url)
                open_page(page_a, "Data")
                runs = script_runs(page_a)
                page_a.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                    str(real_workbook(tmp_path / "kunjungan_2025.xlsx"))
                )
                wait_for_app(page_a, after=runs)
                saved = page_a.get_by_test_id("stAlertContentSuccess").filter(has_text="kunjungan_2025.xlsx")
                expect(saved).to_contain_text("dipindahkan ke arsip")  # the demo retired: real data now
                assert not (a.data / "kunjungan_2025.xlsx").exists()  # in the database, not on A's disk
                assert [(r["nama"], r["aktif"]) for r in store.workbook_versions(db=database)][-1] == (
                    "kunjungan_2025.xlsx",
                    True,
                )

                # B shows it on its next run: no demo badge any more.
                page_b.reload()
                wait_for_app(page_b)
                expect(page_b.get_by_text("DATA DEMO")).to_have_count(0)

                sign_in(page_b, proxy.url)
                open_page(page_b, "Tindak Lanjut")
                before = overdue(page_b)

                # B is restarted mid-way, on a brand-new empty disk. While it is down (and warming up), nginx hands
                # its browser to A and, after 3 failed attempts, leaves B out for fail_timeout (10 s): as designed.
                # Stickiness is checked before, and again once nginx sends B's browser back to B.
                assert set(replicas_seen(proxy, key_b)) == {b.port}
                stop_replica(b)
                b = start_replica("b", b.port, tmp_path, env, demo=False)
                replicas[1] = b
                deadline = time.monotonic() + 30
                while replica_port(proxy, key_b) != b.port:
                    assert time.monotonic() < deadline, "nginx never sent B's browser back to the restarted B"
                    time.sleep(0.5)
                back = access_log_lines(proxy)

                # A follow-up recorded through A.
                open_page(page_a, "Tindak Lanjut")
                assert overdue(page_a) == before
                choose(page_a, "Status baru", "Selesai")
                page_a.get_by_label("Catatan (wajib untuk Selesai)").fill(NOTE)
                runs = script_runs(page_a)
                page_a.get_by_role("button", name="Kirim laporan").click()
                wait_for_app(page_a, after=runs)
                expect(page_a.get_by_text("Laporan tersimpan.")).to_be_visible()
                after = overdue(page_a)
                assert int(after.replace(".", "")) == int(before.replace(".", "")) - 1

                # Through the restarted B: the upload and the follow-up are both there.
                sign_in(page_b, proxy.url)  # a restart ends the sessions that lived in B
                expect(page_b.get_by_text("DATA DEMO")).to_have_count(0)
                open_page(page_b, "Tindak Lanjut")
                assert overdue(page_b) == after
                expect(page_b.get_by_test_id("stException")).to_have_count(0)
                expect(page_a.get_by_test_id("stException")).to_have_count(0)

                # Each browser really stayed on its replica, and B's new disk holds only copies.
                assert set(replicas_seen(proxy, key_a)) == {a.port}
                assert set(replicas_seen(proxy, key_b, since=back)) == {b.port}
                assert [p.name for p in b.data.iterdir()] == [store.workbooks.CACHE_FOLDER]
                events = store.all_events(db=database)
                assert list(events["catatan"]) == [NOTE] and list(events["oleh"]) == ["sekretariat"]
                assert errors.all() == []
        except BaseException:
            for replica in replicas:
                tail = replica.log.read_text(errors="replace")[-4000:]
                print(f"--- replica {replica.name} ({replica.port}) ---\n{tail}")
            raise
        finally:
            for replica in replicas:
                stop_replica(replica)
