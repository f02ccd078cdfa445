"""How many viewers one server holds: `python scripts/loadtest.py --url URL --sessions N --pages / /peta --json`.

Each session is what a browser tab does, without the browser: it opens Streamlit's own websocket
(``/_stcore/stream``), asks for each page in turn with the BackMsg ``rerun_script`` a tab sends when
it opens a URL (``page_name`` is the page's url path, as st.navigation names it), and waits for the
ForwardMsg ``script_finished``. A page's time is request → script finished (the first page's also
counts the connection): the server's share of "page ready", not the browser drawing the map.

All sessions start at once and stay connected, idle, until the server's memory has been read, so
``rss_mb_after - rss_mb_before`` is what N idle sessions cost. ``--pid`` is the server's process id
(RSS summed with its children from /proc); without it the memory figures are null.

Bounded on purpose: at most MAX_SESSIONS sessions, one overall deadline (--timeout), and only a
loopback address (a load test must never be pointed at someone else's server). A measurement, not a
test: the numbers depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import ssl
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

MAX_SESSIONS = 200
LOOPBACK_NAMES = {"localhost"}
# A page with a map sends ~0.5 MB in one message; websockets' default 1 MiB limit would cut a bigger one.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
_FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


class LoadTestError(ValueError):
    """A request the load test refuses (bad URL, too many sessions)."""


@dataclass
class PageResult:
    """One page opened by one session."""

    page: str
    seconds: float | None = None
    received_bytes: int = 0
    error: str = ""


@dataclass
class SessionResult:
    """The pages one session opened, in order."""

    pages: list[PageResult] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """Every page finished without an error."""
        return not self.error and all(not p.error and p.seconds is not None for p in self.pages)


def loopback_url(url: str) -> str:
    """The URL with a trailing slash, when its host is this machine; LoadTestError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise LoadTestError(f"URL harus http:// atau https://, bukan {url!r}")
    host = parts.hostname or ""
    try:
        local = host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost: never resolved, never load-tested
        local = False
    if not local:
        raise LoadTestError(f"Uji beban hanya untuk server di mesin ini (127.0.0.1, ::1, localhost), bukan {host!r}")
    return url if url.endswith("/") else url + "/"


def stream_url(url: str) -> str:
    """The websocket address of the app at `url` (its base path kept)."""
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path}_stcore/stream"


def page_request(page: str) -> tuple[str, str]:
    """(page_name, query_string) that a tab opening `page` ("/peta?kecamatan=Wlingi") sends."""
    path, _, query = page.partition("?")
    return path.strip("/"), query


def rerun_message(page_name: str, query_string: str) -> bytes:
    """The BackMsg that asks the server to run the script for a page."""
    msg = BackMsg()
    msg.rerun_script.page_name = page_name
    msg.rerun_script.query_string = query_string
    return msg.SerializeToString()


def _shown_page(navigation) -> str | None:
    """url_pathname of the page the server ran ('' for the default page), from a `navigation` ForwardMsg."""
    for app_page in navigation.app_pages:
        if app_page.page_script_hash == navigation.page_script_hash:
            return "" if app_page.is_default else app_page.url_pathname
    return None


async def open_page(ws: ClientConnection, page: str, started: float) -> PageResult:
    """Ask for one page and read ForwardMsgs until its script run has finished."""
    result = PageResult(page)
    page_name, query = page_request(page)
    await ws.send(rerun_message(page_name, query))
    shown = None
    while True:
        raw = await ws.recv()
        result.received_bytes += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            shown = _shown_page(msg.navigation)
        elif kind == "page_not_found":
            result.error = f"{page}: halaman tidak ditemukan"
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception" and not result.error:
                result.error = f"{page}: {element.exception.type}: {element.exception.message[:200]}"
        elif kind == "script_finished" and msg.script_finished != _FINISHED_EARLY_FOR_RERUN:
            if msg.script_finished == _FINISHED_WITH_COMPILE_ERROR:
                result.error = result.error or f"{page}: skrip gagal dikompilasi"
            elif shown != page_name and not result.error:
                result.error = f"{page}: server menjalankan halaman {shown!r}"
            result.seconds = time.perf_counter() - started
            return result


async def run_session(
    url: str, pages: list[str], done: asyncio.Event, release: asyncio.Event, tls: ssl.SSLContext | None = None
) -> SessionResult:
    """One viewer: connect, open each page in turn (then set `done`), stay connected and idle until `release`."""
    session = SessionResult()
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    started = time.perf_counter()
    try:
        async with connect(
            stream_url(url),
            subprotocols=["streamlit"],
            origin=origin,
            max_size=MAX_MESSAGE_BYTES,
            open_timeout=None,  # the overall deadline bounds it
            ping_interval=None,  # a browser sends no websocket pings: a busy server is waited for, as a tab would
            **({"ssl": tls} if tls is not None and url.startswith("https") else {}),
        ) as ws:
            for page in pages:
                session.pages.append(await open_page(ws, page, started))
                started = time.perf_counter()
            done.set()
            await release.wait()
    except asyncio.CancelledError:  # the overall deadline
        session.error = "batas waktu keseluruhan habis"
    except Exception as error:  # refused, closed by the server, bad handshake: an error of this session
        session.error = f"{type(error).__name__}: {error}"
    finally:
        done.set()
    return session


def _process_tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the command name is in brackets and may hold spaces: the fields after the last ')'
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process and all its descendants in MB (None without a pid)."""
    if pid is None:
        return None
    total_kb = 0
    for member in _process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return round(total_kb / 1024, 1)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a process and its descendants have used so far (None without a pid).

    On a shared machine the wall-clock times depend on what else runs; the server's CPU seconds per page
    do not, and say how many pages a core can serve.
    """
    if pid is None:
        return None
    ticks = 0
    for member in _process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0–1) of the values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(
    sessions: list[SessionResult],
    pages: list[str],
    rss_before: float | None,
    rss_after: float | None,
    cpu_s: float | None = None,
) -> dict:
    """The figures issue 10 asks for, plus per-page times and the bytes each session received."""
    times = [p.seconds for s in sessions for p in s.pages if p.seconds is not None and not p.error]
    ok = sum(s.ok for s in sessions)
    per_page = {}
    for page in pages:
        own = [p.seconds for s in sessions for p in s.pages if p.page == page and p.seconds is not None]
        per_page[page] = {"p50_s": _round(percentile(own, 0.5)), "p95_s": _round(percentile(own, 0.95))}
    received = [sum(p.received_bytes for p in s.pages) for s in sessions if s.ok]
    errors = [s.error for s in sessions if s.error] + [p.error for s in sessions for p in s.pages if p.error]
    return {
        "sessions": len(sessions),
        "ok": ok,
        "errors": len(sessions) - ok,
        "p50_s": _round(percentile(times, 0.5)),
        "p95_s": _round(percentile(times, 0.95)),
        "max_s": _round(max(times, default=None)),
        "rss_mb_before": rss_before,
        "rss_mb_after": rss_after,
        "pages": per_page,
        "server_cpu_s": _round(cpu_s),
        "server_cpu_s_per_page": _round(cpu_s / len(times)) if cpu_s is not None and times else None,
        "mb_received_per_session": _round(statistics.median(received) / 1e6) if received else None,
        "error_examples": sorted(set(errors))[:5],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _total(measure, pids: list[int]) -> float | None:
    """`measure` (rss_mb or cpu_seconds) summed over several servers (replicas); None without a pid."""
    values = [measure(pid) for pid in pids]
    return None if not values or None in values else sum(values)


async def load_test(
    url: str,
    sessions: int,
    pages: list[str],
    *,
    timeout: float,
    settle: float,
    pid: int | list[int] | None,
    tls: ssl.SSLContext | None = None,
) -> dict:
    """Run `sessions` concurrent viewers over `pages` within `timeout` seconds; the summary dict.

    `pid`: the server's process id, or every replica's (memory and CPU are then their sums)."""
    pids = [] if pid is None else [pid] if isinstance(pid, int) else list(pid)
    rss_before, cpu_before = _total(rss_mb, pids), _total(cpu_seconds, pids)
    release = asyncio.Event()
    done = [asyncio.Event() for _ in range(sessions)]
    tasks = [asyncio.create_task(run_session(url, pages, event, release, tls)) for event in done]
    deadline = time.monotonic() + timeout
    # Sessions still on a page at the deadline are cancelled below and count as errors.
    await asyncio.wait([asyncio.create_task(event.wait()) for event in done], timeout=timeout)
    await asyncio.sleep(max(0.0, min(settle, deadline - time.monotonic())))
    rss_after = _total(rss_mb, pids)  # every session that got through is still connected, idle
    cpu_after = _total(cpu_seconds, pids)
    cpu = None if cpu_after is None or cpu_before is None else cpu_after - cpu_before
    release.set()
    for task, event in zip(tasks, done, strict=True):
        if not event.is_set():  # still on a page at the deadline
            task.cancel()
    results = await asyncio.gather(*tasks)
    return summary(list(results), pages, rss_before, rss_after, cpu)


def main(argv: list[str] | None = None) -> int:
    """Print the load test's figures (JSON with --json); exit 1 when a session failed, 2 on a refused request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="alamat dasbor di mesin ini, mis. http://127.0.0.1:8501/")
    parser.add_argument("--sessions", type=int, default=10, help=f"sesi serentak (1–{MAX_SESSIONS})")
    parser.add_argument("--pages", nargs="+", default=["/"], help="halaman tiap sesi, berurutan: / /peta …")
    parser.add_argument(
        "--pid", type=int, nargs="+", help="PID server (atau tiap replika), untuk memori (RSS, termasuk proses anak)"
    )
    parser.add_argument("--ca", type=Path, help="sertifikat yang dipercaya untuk https (mis. self-signed di loopback)")
    parser.add_argument("--timeout", type=float, default=300.0, help="batas waktu keseluruhan, detik")
    parser.add_argument("--settle", type=float, default=5.0, help="detik menunggu sesi diam sebelum membaca RSS")
    parser.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
    args = parser.parse_args(argv)
    try:
        url = loopback_url(args.url)
        if not 1 <= args.sessions <= MAX_SESSIONS:
            raise LoadTestError(f"--sessions harus 1–{MAX_SESSIONS}, bukan {args.sessions}")
        if args.timeout <= 0:
            raise LoadTestError("--timeout harus lebih dari 0 detik")
    except LoadTestError as error:
        print(f"Ditolak: {error}", file=sys.stderr)
        return 2
    tls = ssl.create_default_context(cafile=str(args.ca)) if args.ca else None
    result = asyncio.run(
        load_test(
            url, args.sessions, args.pages, timeout=args.timeout, settle=max(0.0, args.settle), pid=args.pid, tls=tls
        )
    )
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
