"""Per-run cost of the dataset cache key: `python scripts/bench_data_version.py [--runs 2000] [--url URL]`.

Every script run asks "has the data changed?" before using the cached dataset. In the folder case that is
the workbooks' (path, size, mtime) signature; with a database it is `store.data_version()`, one query. This
measures both on this machine: the demo data folder, an SQLite file and a PostgreSQL database (--url, or a
throw-away cluster started from Debian's binaries as the tests do), each holding the demo workbooks and
1,000 follow-up events. Prints JSON (milliseconds per call). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ovop_data import store  # noqa: E402
from ovop_data.store import db as store_db  # noqa: E402
from ovop_ui.cache import files_signature  # noqa: E402

EVENTS = 1_000


def _timed(call, runs: int) -> dict[str, float]:
    call()  # connection pool and caches warm, as on every run after a server's first
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(len(times) * 0.95)], 3)}


def _filled(url: str, folder: Path) -> None:
    """The demo workbooks and EVENTS follow-up events in the database at `url`."""
    made = store.engine(url)
    store.workbook_files(folder, db=made)
    store.add_account("sekretariat", "sekretariat", db=made)
    item = store.Item("ASP-BENCH", None, "Belum")
    for i in range(EVENTS):
        store.record_event(item, "sekretariat", catatan=f"catatan {i}", db=made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throw-away cluster)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ovop-bench-versi-"))
    try:
        folder = work / "data"
        folder.mkdir()
        for demo in (ROOT / "data").glob("demo_*.xlsx"):
            shutil.copy(demo, folder / demo.name)
        result = {"runs": args.runs, "folder_signature": _timed(lambda: files_signature(folder), args.runs)}
        sqlite = f"sqlite:///{work / 'ovop.sqlite3'}"
        _filled(sqlite, folder)
        result["sqlite_data_version"] = _timed(lambda: store.data_version(db=store.engine(sqlite)), args.runs)
        with contextlib.ExitStack() as stack:
            url = args.url
            if not url:
                from postgres_server import throwaway_cluster

                url = stack.enter_context(throwaway_cluster())
            _filled(url, folder)
            result["postgresql_data_version"] = _timed(lambda: store.data_version(db=store.engine(url)), args.runs)
            store_db.dispose()
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
