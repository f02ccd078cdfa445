"""Time of each dashboard page: `python scripts/bench_pages.py [--repeat 5]` or `… --browser URL [URL …]`.

Without --browser it measures, with Streamlit's AppTest (the script run on the server, no browser):
- cold: the very first run in a fresh process (reads the workbooks and the boundaries);
- first: a new visitor's first run once the caches are warm;
- rerun: the same visitor changing the kecamatan filter.
Uses the configured data folder and boundary cache (OVOP_DATA_DIR, OVOP_GEO_DIR). `--events N` first copies the
data folder to a temporary one whose follow-up database holds N reports spread over the aspirations (what the
pages then read on every run), so the figures are those of a dashboard in use.

With --browser, what a visitor waits for: each page with a map opened in a fresh chromium tab on each
running dashboard (the browser tests' set-up: Debian's chromium, CDN files from .e2e), navigation → every
village drawn, median of --repeat. Several URLs are visited in turn, page by page, so an A/B comparison of
two servers shares the machine's ups and downs. A measurement, not a test.

With --fresh ENTRY [ENTRY …] (e.g. `--fresh app.py serve.py`), the first visitor after a restart: each repeat
starts a new `streamlit run ENTRY` per entry, in turn, on a copy of the data folder and of the boundary cache
(an installed server restarting), waits for its health check, and times that server's first visitor in chromium
(navigation → every village of Ringkasan drawn); also how long the start took until healthy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers import the test servers as pytest does

from ovop_ui.pages import PAGE_NAMES  # noqa: E402

PROFILE_DESA = "35.05.17.2009"  # Balerejo, Wlingi
#: The pages with a map of every village, by URL path (as the browser tests time them).
MAP_PAGES = ("", "peta", "kunjungan", f"profil-desa?desa={PROFILE_DESA}")
VILLAGES = 248


def _visit(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if name != "ringkasan":
        at.switch_page(str(ROOT / "halaman" / f"{name}.py"))
        at.run()
    if at.exception:
        raise SystemExit(f"{name}: {at.exception[0].message}")
    return at


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def browser_times(urls: list[str], paths: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    """Seconds from navigation to every village drawn: url -> path -> one figure per repeat."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, BrowserErrors, Network, map_frame, new_context, new_page

    times: dict[str, dict[str, list[float]]] = {url: {path: [] for path in paths} for url in urls}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(repeat):
            for path in paths:
                for url in urls:
                    context = new_context(browser, Network())
                    page = new_page(context, BrowserErrors())
                    page.goto(url + path)
                    times[url][path].append(map_frame(page, min_shapes=VILLAGES).ms_to_shapes / 1000)
                    context.close()
        browser.close()
    return times


def fresh_visits(entries: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    """entry -> {"healthy": seconds from start to health ok, "first visitor": navigation → villages drawn}."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile
    import urllib.request

    from playwright.sync_api import sync_playwright

    from ovop_data import geo
    from ovop_data.config import data_dir
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, BrowserErrors, Network, map_frame, new_context, new_page

    times: dict[str, dict[str, list[float]]] = {e: {"healthy": [], "first visitor": []} for e in entries}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(repeat):
            for entry in entries:
                work = Path(tempfile.mkdtemp(prefix="ovop-fresh-"))
                shutil.copytree(data_dir(), work / "data", ignore=shutil.ignore_patterns("arsip", ".*", "*.sqlite3*"))
                shutil.copytree(geo.cache_dir(), work / "geo")
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", 0))
                    port = probe.getsockname()[1]
                env = {**os.environ, "OVOP_DATA_DIR": str(work / "data"), "OVOP_GEO_DIR": str(work / "geo")}
                command = [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
                           "--server.address", "127.0.0.1", "--server.port", str(port),
                           "--browser.gatherUsageStats", "false"]  # fmt: skip
                url = f"http://127.0.0.1:{port}/"
                started = time.perf_counter()
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                try:
                    while True:
                        try:
                            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                                if response.read().strip() == b"ok":
                                    break
                        except OSError:
                            if process.poll() is not None or time.perf_counter() - started > 120:
                                raise SystemExit(f"{entry}: the server did not start") from None
                            time.sleep(0.05)
                    times[entry]["healthy"].append(time.perf_counter() - started)
                    context = new_context(browser, Network())
                    page = new_page(context, BrowserErrors())
                    page.goto(url)
                    times[entry]["first visitor"].append(map_frame(page, min_shapes=VILLAGES).ms_to_shapes / 1000)
                    context.close()
                finally:
                    process.terminate()
                    process.wait(timeout=30)
                    shutil.rmtree(work, ignore_errors=True)
        browser.close()
    return times


def seed_events(count: int) -> Path:
    """A temporary copy of the data folder (OVOP_DATA_DIR is pointed at it) whose database holds `count` reports."""
    import os
    import shutil
    import tempfile

    from ovop_data import store
    from ovop_data.config import area, data_dir
    from ovop_data.followup import tracking_ids
    from ovop_data.load import load_dataset, workbook_paths

    folder = Path(tempfile.mkdtemp(prefix="ovop-bench-")) / "data"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("arsip", ".*", "*.sqlite3*"))
    os.environ["OVOP_DATA_DIR"] = str(folder)
    aspirasi = load_dataset(workbook_paths(folder), area()).aspirasi
    items = [
        store.Item(i, None if pd.isna(o) else str(o), None if pd.isna(s) else str(s))
        for i, o, s in zip(tracking_ids(aspirasi), aspirasi["opd_penanggung_jawab"], aspirasi["status"], strict=True)
    ]
    store.add_account("bench", "sekretariat")
    for n in range(count):
        store.record_event(items[n % len(items)], "bench", status=("Proses", "Selesai")[n % 2], catatan=f"laporan {n}")
    return folder


def main(argv: list[str] | None = None) -> int:
    """Print cold, first-run and rerun seconds (median of --repeat) per page, or browser times with --browser."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--browser", nargs="+", metavar="URL", help="running dashboards to time in chromium")
    parser.add_argument("--pages", nargs="+", default=list(MAP_PAGES), help="URL paths for --browser ('' = /)")
    parser.add_argument("--events", type=int, default=0, help="follow-up reports in a temporary copy's database")
    parser.add_argument("--fresh", nargs="+", metavar="ENTRY", help="scripts to start anew and time a first visitor of")
    args = parser.parse_args(argv)
    if args.events:
        started = time.perf_counter()
        folder = seed_events(args.events)
        print(f"{args.events} reports recorded in {folder} ({time.perf_counter() - started:.1f} s)")
    if args.fresh:
        for entry, measures in fresh_visits(args.fresh, args.repeat).items():
            for what, seconds in measures.items():
                shown = " ".join(f"{x:.2f}" for x in seconds)
                print(f"{entry} {what}: median {statistics.median(seconds):.2f} s  ({shown})")
        return 0
    if args.browser:
        urls = [url if url.endswith("/") else url + "/" for url in args.browser]
        times = browser_times(urls, args.pages, args.repeat)
        for url, per_path in times.items():
            for path, seconds in per_path.items():
                shown = " ".join(f"{s:.2f}" for s in seconds)
                print(f"{url}{path}: median {statistics.median(seconds):.2f} s  ({shown})")
        return 0
    cold, _ = _timed(lambda: _visit("ringkasan"))
    print(f"cold start (Ringkasan, reads workbooks + boundaries): {cold:.2f} s")
    print(f"{'page':<14}{'first run':>12}{'rerun (filter)':>16}")
    for name in PAGE_NAMES:
        # the switch costs one Ringkasan run; measure the page's own run
        firsts, reruns = [], []
        for _ in range(args.repeat):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            if name != "ringkasan":
                at.switch_page(str(ROOT / "halaman" / f"{name}.py"))
            if name == "profil_desa":  # a village's profile, as a shared link opens it
                at.query_params["desa"] = PROFILE_DESA
            seconds, _ = _timed(at.run)
            firsts.append(seconds)
            at.sidebar.multiselect(key="f_kecamatan").select("Wlingi")
            seconds, _ = _timed(at.run)
            reruns.append(seconds)
            if at.exception:
                raise SystemExit(f"{name}: {at.exception[0].message}")
        print(f"{name:<14}{statistics.median(firsts):>11.2f}s{statistics.median(reruns):>15.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
