"""A real OpenID Connect provider on loopback for the sign-in tests: `oidc-provider-mock` in its own process.

The provider accepts any client ID and secret, shows a form where the test types the subject (`sub`) to sign
in as, and takes each user's claims (e-mail, email_verified, name…) through its `PUT /users/<sub>` API, so a
test chooses exactly what the identity provider says about the user. Started on a free port, stopped after.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

START_S = 30


@dataclass(frozen=True)
class Provider:
    """A running provider: its issuer URL (no trailing slash) and its log file."""

    url: str
    log: Path

    @property
    def metadata_url(self) -> str:
        """What `server_metadata_url` in the `[auth]` secrets points at."""
        return f"{self.url}/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims: object) -> None:
        """Decide what the provider says about `sub` when it signs in (claims such as email, email_verified)."""
        request = urllib.request.Request(
            f"{self.url}/users/{quote(sub, safe='')}",
            data=json.dumps(claims).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 204:
                raise RuntimeError(f"the provider refused the user {sub!r}: HTTP {response.status}")

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of the provider's output (printed when a test fails)."""
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(provider: Provider, process: subprocess.Popen) -> None:
    """Poll the discovery document until it answers; raise with the provider's output if it dies or times out."""
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(provider.metadata_url, timeout=2) as response:
                if json.load(response).get("issuer") == provider.url:
                    return
        except OSError:  # not listening yet: ask again
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"the OIDC provider did not start (exit code {process.poll()}); its output:\n{provider.log_tail()}"
    )


@contextmanager
def running_provider(folder: Path) -> Iterator[Provider]:
    """`python -m oidc_provider_mock` on 127.0.0.1 and a free port until the block ends; its log in `folder`."""
    port = _free_port()
    provider = Provider(f"http://127.0.0.1:{port}", folder / "oidc-provider.log")
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    with provider.log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(provider, process)
        yield provider
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server started for a test: SIGTERM, and SIGKILL if it has not ended within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
