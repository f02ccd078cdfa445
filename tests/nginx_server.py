"""The shipped nginx site (deploy/nginx-ovop.conf) run for real on loopback: Debian's nginx, a temp prefix.

One source of truth: the tests do not write their own proxy configuration, they take the shipped file and
change only what differs on a test machine — the listening addresses (free loopback ports, no IPv6), the
certificate (self-signed, made with openssl), the replicas' ports and the server name. Everything else (sticky
hashing, websocket headers, timeouts, upload bound, health location) is what a server would run.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oidc_server import stop_server

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx-ovop.conf"
UNIT = ROOT / "deploy" / "ovop@.service"
SHIPPED_PYTHON = "/srv/ovop/.venv/bin/python"
NGINX = Path("/usr/sbin/nginx")
INSTALL_HINT = "nginx tidak terpasang: jalankan `apt-get install -y nginx` (scripts/test.sh memasangnya)."
SHIPPED_REPLICAS = (8501, 8502)
SHIPPED_NAME = "ovop.contoh.go.id"


@dataclass(frozen=True)
class Proxy:
    """A running nginx: its HTTPS and HTTP ports on 127.0.0.1, its error log and its access log.

    The access log (a format of the test's nginx.conf, not of the shipped site) names the replica that answered
    each request and the browser's sticky key: `replica_port` reads it.
    """

    https_port: int
    http_port: int
    error_log: Path

    @property
    def access_log(self) -> Path:
        """One line per request: "<replica address> <sticky key> <request line>"."""
        return self.error_log.with_name("access.log")

    @property
    def url(self) -> str:
        """The dashboard's address through the proxy."""
        return f"https://127.0.0.1:{self.https_port}/ovop/"


def replica_command(port: int) -> list[str]:
    """The shipped unit's ExecStart for instance `port`, with this machine's Python instead of the server's venv."""
    line = next(raw for raw in UNIT.read_text().splitlines() if raw.startswith("ExecStart="))
    command = shlex.split(line.removeprefix("ExecStart=").replace("%i", str(port)))
    assert command[0] == SHIPPED_PYTHON, command[0]
    return [sys.executable, *command[1:]]


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) for 127.0.0.1, made by openssl, valid one day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def site_for_test(replicas: list[int], https_port: int, http_port: int, cert: Path, key: Path, cache: Path) -> str:
    """The shipped site with this machine's ports, certificate and name; fails if the shipped file changed shape."""
    text = SITE.read_text(encoding="utf-8")
    replaced = {
        r"listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        r"listen 80;": f"listen 127.0.0.1:{http_port};",
        r"ssl_certificate /etc/letsencrypt/live/ovop\.contoh\.go\.id/fullchain\.pem;": f"ssl_certificate {cert};",
        r"ssl_certificate_key /etc/letsencrypt/live/ovop\.contoh\.go\.id/privkey\.pem;": f"ssl_certificate_key {key};",
        r"proxy_cache_path /var/cache/nginx/ovop ": f"proxy_cache_path {cache} ",
    }
    for pattern, new in replaced.items():
        text, count = re.subn(pattern, new, text)
        assert count == 1, f"deploy/nginx-ovop.conf: '{pattern}' expected once, found {count} times"
    text, count = re.subn(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)  # a test container may have no IPv6
    assert count == 2
    shipped = [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", text)]
    assert shipped == list(SHIPPED_REPLICAS), shipped
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in replicas)
    text = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers + "\n", text)
    return text.replace(SHIPPED_NAME, "127.0.0.1")


def main_config(folder: Path, site: Path) -> Path:
    """A minimal nginx.conf around the site: everything nginx writes stays in `folder`."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(
        f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format replika '$upstream_addr $ovop_replika "$request"';
    access_log {folder}/access.log replika;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
""",
        encoding="utf-8",
    )
    if os.geteuid() == 0:  # workers run as `nobody`: they write the temp folders
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            shutil.chown(folder / sub, "nobody")
    return config


def _nginx() -> Path:
    if not NGINX.exists():
        raise RuntimeError(INSTALL_HINT)
    return NGINX


def prepared(folder: Path, replicas: list[int]) -> tuple[Path, Proxy]:
    """Write the test's nginx.conf (with the shipped site rewritten) into `folder`: (config, its ports)."""
    cert, key = self_signed_certificate(folder)
    proxy = Proxy(free_port(), free_port(), folder / "error.log")
    site = folder / "ovop.conf"
    cache = folder / "cache" / "ovop"  # /var/cache/nginx/ovop: the README's step makes the parent, nginx the rest
    cache.parent.mkdir(exist_ok=True)
    site.write_text(site_for_test(replicas, proxy.https_port, proxy.http_port, cert, key, cache), encoding="utf-8")
    return main_config(folder, site), proxy


def check(config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the config: its exit code and messages."""
    return subprocess.run(
        [str(_nginx()), "-t", "-c", str(config), "-p", str(config.parent), "-e", str(config.parent / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )


@contextlib.contextmanager
def running_proxy(replicas: list[int]) -> Iterator[Proxy]:
    """nginx with the shipped site in front of the given replica ports, on free loopback ports; stopped after."""
    folder = Path(tempfile.mkdtemp(prefix="ovop-nginx-"))
    os.chmod(folder, 0o755)
    try:
        config, proxy = prepared(folder, replicas)
        process = subprocess.Popen(
            [str(_nginx()), "-c", str(config), "-p", str(folder), "-e", str(proxy.error_log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_listening(proxy.https_port, process, proxy.error_log)
            yield proxy
        finally:
            stop_server(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def replica_port(proxy: Proxy, key: str) -> int:
    """The port of the replica that nginx sends a browser with sticky key `key` to (asked, then read in the log)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's self-signed certificate
    connection = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=context, timeout=30)
    try:
        connection.request("GET", "/ovop/_stcore/host-config", headers={"Cookie": f"ovop_replika={key}"})
        connection.getresponse().read()
    finally:
        connection.close()
    return replicas_seen(proxy, key)[-1]


def access_log_lines(proxy: Proxy) -> int:
    """How many requests nginx has logged so far (pass it to replicas_seen as `since`)."""
    return len(proxy.access_log.read_text().splitlines())


def replicas_seen(proxy: Proxy, key: str, *, since: int = 0) -> list[int]:
    """The replica ports that answered the requests of sticky key `key` (after the first `since` logged requests),
    in order. A front-end file that nginx answered from its cache reached no replica (upstream address "-")."""
    fields = [line.split() for line in proxy.access_log.read_text().splitlines()[since:]]
    return [int(upstream.rsplit(":", 1)[1]) for upstream, sticky, *_ in fields if sticky == key and upstream != "-"]


def _wait_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    output = log.read_text(errors="replace") if log.exists() else ""
    raise RuntimeError(f"nginx did not start (exit code {process.poll()}):\n{output}")
