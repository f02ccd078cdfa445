"""A folder served over HTTP on 127.0.0.1 (a free port) in a thread: boundary downloads without internet."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(
        self,
        *args: object,
        trickle: tuple[int, float] | None,
        stop: threading.Event,
        requests: list[str] | None,
        **kwargs,
    ) -> None:
        self.trickle = trickle
        self.stop = stop
        self.requests = requests
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.requests is not None:
            self.requests.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        if self.trickle is None:
            shutil.copyfileobj(source, outputfile)
            return
        size, interval = self.trickle
        # A hostile or overloaded server: a few bytes at a time, never quite silent; stops when the server does.
        while (block := source.read(size)) and not self.stop.is_set():
            try:
                outputfile.write(block)
                outputfile.flush()
            except OSError:  # the client gave up (its deadline): nothing left to serve
                return
            self.stop.wait(interval)


@contextmanager
def serve_directory(
    folder: Path, *, trickle: tuple[int, float] | None = None, requests: list[str] | None = None
) -> Iterator[str]:
    """Serve `folder` until the block ends; yields the base URL ('http://127.0.0.1:PORT/').

    ``trickle=(bytes, seconds)`` sends each file that many bytes at a time with a pause between;
    the path of every GET request is appended to ``requests``.
    """
    stop = threading.Event()
    handler = partial(_QuietHandler, directory=str(folder), trickle=trickle, stop=stop, requests=requests)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_raw(response: bytes) -> Iterator[str]:
    """Answer one request on 127.0.0.1 with exactly `response` (status line, headers, body), then close."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def answer() -> None:
        try:
            connection, _address = listener.accept()
        except OSError:  # the test ended without asking
            return
        with connection:
            connection.recv(65536)
            connection.sendall(response)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        listener.close()
        thread.join()
