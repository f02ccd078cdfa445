"""deploy/: the nginx site passes `nginx -t` and routes for real (sticky, websocket headers, upload bound, health,
the front end compressed and cached),
the systemd unit starts a replica the way the README says, and the three upload bounds agree."""

from __future__ import annotations

import configparser
import gzip as gzip_module
import http.client
import http.server
import itertools
import json
import re
import secrets
import shlex
import ssl
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from nginx_server import ROOT, SHIPPED_PYTHON, SITE, UNIT, check, prepared, replica_command, running_proxy

from ovop_data.store import MAX_BYTES

MB = 1024 * 1024


def test_shipped_site_passes_nginx_t(tmp_path: Path):
    config, _ = prepared(tmp_path, [8501, 8502])
    done = check(config)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_upload_bounds_agree():
    """nginx's client_max_body_size = Streamlit's server.maxUploadSize = the app's MAX_BYTES."""
    nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", SITE.read_text()).group(1))
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert nginx_mb == config["server"]["maxUploadSize"] == MAX_BYTES // MB


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_unit_runs_a_replica_as_a_plain_user_under_the_sub_path():
    service = unit()["Service"]
    assert service["User"] not in ("", "root") and service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/ovop/ovop.env"
    assert service["ExecStart"] == shlex.join(shlex.split(service["ExecStart"]))  # one plain command line
    command = replica_command(8501)
    options = dict(itertools.pairwise(command))
    assert command[1:5] == ["-m", "streamlit", "run", "serve.py"]
    assert options["--server.port"] == "8501" and options["--server.address"] == "127.0.0.1"
    assert options["--server.baseUrlPath"] == "ovop" and options["--server.headless"] == "true"


def test_unit_passes_systemd_analyze_verify(tmp_path: Path):
    """systemd's own check of the shipped unit (only the server's venv Python swapped for this machine's)."""
    (tmp_path / UNIT.name).write_text(UNIT.read_text().replace(SHIPPED_PYTHON, sys.executable))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "ovop@8501.service")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def test_env_example_names_only_documented_settings():
    names = re.findall(r"^#? ?(OVOP_[A-Z_]+)=", (ROOT / "deploy" / "ovop.env.example").read_text(), re.M)
    assert set(names) == {"OVOP_DATABASE_URL", "OVOP_DATA_DIR", "OVOP_GEO_DIR", "OVOP_WILAYAH", "OVOP_DISK_SEMENTARA"}


def test_secrets_example_is_valid_toml():
    secrets = tomllib.loads((ROOT / "deploy" / "secrets.toml.example").read_text())
    assert secrets["editor_password"].startswith("GANTI")


# --- the site routing for real, in front of two stand-in replicas ---------------------------------------------


#: What a stand-in serves under /ovop/static/: a front-end script, as Streamlit sends it (uncompressed, immutable).
SCRIPT = b"".join(b"export const baris%d = 'Dasbor OVOP Kabupaten Blitar';\n" % i for i in range(2000))


class _Replica(http.server.BaseHTTPRequestHandler):
    """Answers every request with its name, the path and the headers it received (as JSON); /ovop/static/ files
    with SCRIPT. Counts the requests per path it received (`server.seen`)."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen[self.path] = self.server.seen.get(self.path, 0) + 1
        if self.path.startswith("/ovop/static/"):
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Cache-Control", "public, immutable, max-age=31536000")
            self.send_header("Content-Length", str(len(SCRIPT)))
            self.end_headers()
            self.wfile.write(SCRIPT)
            return
        body = json.dumps(
            {"replika": self.server.name, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:  # quiet: pytest shows failures, not every request
        return


@contextmanager
def stand_in(name: str) -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
    server.name = name
    server.seen = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def replicas() -> Iterator[dict[str, http.server.ThreadingHTTPServer]]:
    with stand_in("A") as a, stand_in("B") as b:
        yield {"A": a, "B": b}


@pytest.fixture(scope="module")
def proxy(replicas):
    with running_proxy([server.server_address[1] for server in replicas.values()]) as running:
        yield running


def request(proxy, path: str, *, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
    """(status, response headers, JSON body or None) of one HTTPS request through the proxy (the raw body stays on
    the response as `.data`)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's self-signed certificate
    connection = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=context, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.data = response.read()
        parsed = json.loads(data) if response.getheader("Content-Type") == "application/json" else None
        return response.status, response, parsed
    finally:
        connection.close()


def cookie(response) -> str:
    found = re.match(
        r"ovop_replika=([0-9a-f]{32}); Path=/ovop/; Secure; HttpOnly; SameSite=Lax$", response.getheader("Set-Cookie")
    )
    assert found, response.getheader("Set-Cookie")
    return found.group(1)


def test_a_browser_keeps_its_replica_and_browsers_spread(proxy):
    status, response, _ = request(proxy, "/ovop/")
    assert status == 200
    key = cookie(response)
    seen = {request(proxy, "/ovop/", headers={"Cookie": f"ovop_replika={key}"})[2]["replika"] for _ in range(12)}
    assert len(seen) == 1
    spread = {request(proxy, "/ovop/", headers={"Cookie": f"ovop_replika={i:032x}"})[2]["replika"] for i in range(24)}
    assert spread == {"A", "B"}


def test_the_sub_path_is_passed_unchanged_with_websocket_headers(proxy):
    _, _, answer = request(proxy, "/ovop/_stcore/stream", headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    assert answer["path"] == "/ovop/_stcore/stream"
    assert answer["headers"]["upgrade"] == "websocket" and answer["headers"]["connection"] == "upgrade"
    assert answer["headers"]["x-forwarded-proto"] == "https"
    _, _, plain = request(proxy, "/ovop/peta")
    assert plain["headers"]["connection"] == "close" and "upgrade" not in plain["headers"]


def test_health_redirects_and_upload_bound(proxy):
    assert request(proxy, "/ovop/_stcore/health")[2]["path"] == "/ovop/_stcore/health"
    status, response, _ = request(proxy, "/ovop")
    assert status == 301 and response.getheader("Location").endswith("/ovop/")
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    plain.request("GET", "/ovop/")
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location").startswith("https://")
    plain.close()
    assert request(proxy, "/ovop/unggah", method="POST", body=b"x" * MB)[0] == 200
    too_big = {"Content-Length": str(MAX_BYTES + MB), "Content-Type": "application/octet-stream"}
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy.https_port, context=ssl._create_unverified_context(), timeout=30
    )
    connection.putrequest("POST", "/ovop/unggah")
    for name, value in too_big.items():
        connection.putheader(name, value)
    connection.endheaders()  # nginx judges the declared length before any byte of the body
    assert connection.getresponse().status == 413
    connection.close()


def test_the_front_end_is_compressed_and_served_from_nginx_cache(proxy, replicas):
    path = "/ovop/static/js/index.Ab12Cd34.js"
    gzip = {"Accept-Encoding": "gzip"}
    status, first, _ = request(proxy, path, headers=gzip)
    assert status == 200 and first.getheader("Content-Encoding") == "gzip"
    assert gzip_module.decompress(first.data) == SCRIPT and len(first.data) < len(SCRIPT) / 4
    assert first.getheader("X-Cache-Status") == "MISS"
    for _ in range(5):  # every later visitor, whichever replica their cookie names: nginx's copy
        again = request(proxy, path, headers={**gzip, "Cookie": f"ovop_replika={secrets.token_hex(16)}"})[1]
        assert again.getheader("X-Cache-Status") == "HIT" and gzip_module.decompress(again.data) == SCRIPT
    plain = request(proxy, path)[1]  # a client that cannot decompress gets the file as is
    assert plain.getheader("Content-Encoding") is None and plain.data == SCRIPT
    assert sum(server.seen.get(path, 0) for server in replicas.values()) == 1
    # Pages and the app's own answers are never cached: each goes to a replica.
    for _ in range(2):
        request(proxy, "/ovop/peta", headers={"Cookie": "ovop_replika=" + "0" * 32})
    assert sum(server.seen.get("/ovop/peta", 0) for server in replicas.values()) >= 2


def test_a_replica_that_is_down_hands_its_browsers_to_another(replicas):
    with stand_in("C") as spare:
        ports = [replicas["A"].server_address[1], spare.server_address[1]]
        with running_proxy(ports) as proxy:
            pinned = next(
                key
                for key in (f"{i:032x}" for i in range(64))
                if request(proxy, "/ovop/", headers={"Cookie": f"ovop_replika={key}"})[2]["replika"] == "C"
            )
            spare.shutdown()
            spare.server_close()
            status, _, answer = request(proxy, "/ovop/", headers={"Cookie": f"ovop_replika={pinned}"})
            assert status == 200 and answer["replika"] == "A"
