"""A throw-away PostgreSQL cluster for the store's tests: Debian's binaries, a temp folder, a free loopback port.

Started once per test session and stopped afterwards (the folder removed). PostgreSQL refuses to run as root,
so as root (CI) the server runs as the unprivileged user `nobody`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

_BIN_GLOB = "/usr/lib/postgresql/*/bin"
INSTALL_HINT = "PostgreSQL tidak terpasang: jalankan `apt-get install -y postgresql` (scripts/test.sh memasangnya)."


def _bin_dir() -> Path:
    found = sorted(glob.glob(_BIN_GLOB), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    if not found or not (Path(found[-1]) / "initdb").exists():
        raise RuntimeError(INSTALL_HINT)
    return Path(found[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yield the URL (postgresql+psycopg://postgres@127.0.0.1:PORT/postgres) of a fresh cluster; stop it after."""
    binaries = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="ovop-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(
            _as_server_user(
                [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_server_user(
                [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
