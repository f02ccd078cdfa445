"""scripts/loadtest.py against a real `streamlit run serve.py`: sessions that open pages over Streamlit's websocket.

The figures themselves are a benchmark (README); here only that the script really drives the app (a page
that is not there, or a server that is not there, is an error), counts what it did, and stays on this machine.
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc_server import stop_server

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "loadtest.py"
_spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
loadtest = importlib.util.module_from_spec(_spec)
sys.modules["loadtest"] = loadtest  # its dataclasses look their module up
_spec.loader.exec_module(loadtest)


def main_in_thread(argv: list[str]) -> int:
    """`loadtest.main` in a thread of its own: asyncio.run needs a thread without a running event loop, and the
    browser tests' Playwright (sync API) keeps one running in the main thread for the rest of the session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(loadtest.main, argv).result()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(app_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """(URL, PID) of the dashboard run by streamlit on a free local port, on the tests' copy of the data."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("loadtest") / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **app_env}, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:  # not listening yet
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        stop_server(process)


def run_loadtest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )


def test_three_sessions_open_two_pages_each(server: tuple[str, int]) -> None:
    url, pid = server
    done = run_loadtest("--url", url, "--sessions", "3", "--pages", "/", "/peta", "--json", "--pid", str(pid),
                        "--settle", "0.5", "--timeout", "90")  # fmt: skip

    result = json.loads(done.stdout)
    assert done.returncode == 0, done
    assert (result["sessions"], result["ok"], result["errors"]) == (3, 3, 0), result
    assert 0 < result["p50_s"] <= result["p95_s"] <= result["max_s"] < 90
    assert set(result["pages"]) == {"/", "/peta"}
    assert result["rss_mb_before"] > 50 and result["rss_mb_after"] > 50  # a Python process with pandas loaded
    assert result["server_cpu_s"] > 0
    # both pages carry a map of every village: far more than a page of text
    assert result["mb_received_per_session"] > 0.1


# The rest call the script's main() in this process (a new interpreter costs seconds of imports each).


def test_a_page_that_is_not_there_is_an_error(server: tuple[str, int], capsys: pytest.CaptureFixture) -> None:
    url, _ = server
    code = main_in_thread(["--url", url, "--sessions", "2", "--pages", "/tidak-ada", "--json", "--settle", "0"])

    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (result["ok"], result["errors"]) == (0, 2)
    assert result["error_examples"] == ["/tidak-ada: halaman tidak ditemukan"]


def test_a_server_that_is_not_there_is_an_error(capsys: pytest.CaptureFixture) -> None:
    url = f"http://127.0.0.1:{_free_port()}/"
    code = main_in_thread(
        ["--url", url, "--sessions", "2", "--pages", "/", "--json", "--timeout", "20", "--settle", "0"]
    )

    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (result["ok"], result["errors"]) == (0, 2)
    assert "ConnectionRefusedError" in result["error_examples"][0]


@pytest.mark.parametrize(
    "url", ["http://192.0.2.10:8501/", "http://example.com/", "http://127.0.0.1.example.com:8501/", "ftp://127.0.0.1/"]
)
def test_a_url_off_this_machine_is_refused_before_connecting(url: str, capsys: pytest.CaptureFixture) -> None:
    code = main_in_thread(["--url", url, "--sessions", "1", "--pages", "/", "--json"])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "Ditolak" in err


@pytest.mark.parametrize("sessions", ["0", str(loadtest.MAX_SESSIONS + 1)])
def test_the_number_of_sessions_is_bounded(sessions: str, capsys: pytest.CaptureFixture) -> None:
    code = main_in_thread(["--url", "http://127.0.0.1:9/", "--sessions", sessions, "--pages", "/", "--json"])

    assert code == 2
    assert "--sessions" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "stream"),
    [
        ("http://127.0.0.1:8501", "ws://127.0.0.1:8501/_stcore/stream"),
        ("http://localhost:8501/ovop/", "ws://localhost:8501/ovop/_stcore/stream"),
        ("https://[::1]:8443/", "wss://[::1]:8443/_stcore/stream"),
    ],
)
def test_loopback_urls_and_their_websocket(url: str, stream: str) -> None:
    assert loadtest.stream_url(loadtest.loopback_url(url)) == stream


@pytest.mark.parametrize(
    ("page", "request_"),
    [("/", ("", "")), ("/peta", ("peta", "")), ("/peta?kecamatan=Wlingi", ("peta", "kecamatan=Wlingi"))],
)
def test_a_page_is_asked_for_by_its_url_path(page: str, request_: tuple[str, str]) -> None:
    assert loadtest.page_request(page) == request_
