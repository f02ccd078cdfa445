"""One replica against two behind the shipped nginx site: `python scripts/bench_replicas.py [--sessions 50]`.

Starts what recipe 2 of the README runs, on this machine's loopback: a throw-away PostgreSQL, replicas with the
shipped systemd unit's command line (each with its own data folder holding the demo workbooks) and, for two
replicas, Debian's nginx with the shipped site (tests/nginx_server.py rewrites only ports and certificate). Then
`scripts/loadtest.py` opens --sessions viewers at once on Ringkasan then Peta: first against one replica directly,
then through nginx in front of two, and prints both summaries and the ratio of their p95. Each setup is warmed by
one viewer first (a new server's first run reads the workbooks and boundaries). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from loadtest import load_test  # noqa: E402
from nginx_server import free_port, replica_command, running_proxy  # noqa: E402
from oidc_server import stop_server  # noqa: E402
from postgres_server import throwaway_cluster  # noqa: E402

PAGES = ["/", "/peta"]


def _start(port: int, work: Path, env: dict[str, str]) -> subprocess.Popen:
    data = work / str(port) / "data"
    data.mkdir(parents=True)
    for workbook in (ROOT / "data").glob("demo_*.xlsx"):
        shutil.copy(workbook, data / workbook.name)
    log = (work / str(port) / "streamlit.log").open("w")
    process = subprocess.Popen(
        replica_command(port), cwd=ROOT, env={**env, "OVOP_DATA_DIR": str(data)}, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ovop/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"replica {port} did not start: see {log.name}")


def _run(url: str, sessions: int, pids: list[int], tls=None) -> dict:
    asyncio.run(load_test(url, 1, PAGES, timeout=120, settle=0, pid=None, tls=tls))  # warm-up viewer
    return asyncio.run(load_test(url, sessions, PAGES, timeout=300, settle=5, pid=pids, tls=tls))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    args = parser.parse_args(argv)
    import ssl

    work = Path(tempfile.mkdtemp(prefix="ovop-replicas-"))
    results: dict[str, dict] = {}
    try:
        with throwaway_cluster() as database:
            env = {**os.environ, "OVOP_DATABASE_URL": database, "OVOP_GEO_DIR": os.environ.get("OVOP_GEO_DIR", "")}
            ports = [free_port(), free_port()]
            replicas = [_start(port, work, env) for port in ports]
            try:
                one = f"http://127.0.0.1:{ports[0]}/ovop/"
                results["satu_replika"] = _run(one, args.sessions, [replicas[0].pid])
                with running_proxy(ports) as proxy:
                    cert = next(Path(proxy.error_log).parent.glob("cert.pem"))
                    tls = ssl.create_default_context(cafile=str(cert))
                    pids = [r.pid for r in replicas]
                    # warm the second replica too: nginx spreads the viewers over both
                    asyncio.run(
                        load_test(f"http://127.0.0.1:{ports[1]}/ovop/", 1, PAGES, timeout=120, settle=0, pid=None)
                    )
                    results["dua_replika_nginx"] = _run(proxy.url, args.sessions, pids, tls)
            finally:
                for process in replicas:
                    stop_server(process)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    one, two = results["satu_replika"]["p95_s"], results["dua_replika_nginx"]["p95_s"]
    results["rasio_p95_dua_per_satu"] = round(two / one, 2) if one and two else None
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
