"""Workbooks are read in a separate, memory- and time-capped process, so no file can end the server.

python-calamine is Rust: a sheet whose one cell sits at XFD1048576 makes it allocate ~550 GB,
and a failed allocation aborts the whole process (every Streamlit session with it). Here the
read runs in a small reader process (this module, `python -m ovop_data.readworker`) that imports
only the stdlib, `limits`, `bounds` and python_calamine, caps its own address space
(RLIMIT_AS) before touching a file, and answers over a pipe. If it dies (abort, signal,
MemoryError) or overruns the time bound, that file gets a clear error and the server lives.

The reader processes are kept (at most two, the machine's cores) and reused, so a read pays a
pipe round trip rather than a Python start-up. A reader that died is replaced; the file it died
on is tried once more with a full cell-reference scan, which names the bound it passed.

Protocol: frames of a 4-byte big-endian length and a pickle. The server's answers are unpickled
with an allow-list (plain values and datetime types only), so even a reader subverted by a file
cannot make the server run code.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import os
import pickle
import struct
import subprocess
import sys
import threading
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import ParseError

from .bounds import Exceeded, Extent, check_workbook, column_letters
from .limits import LIMITS, Limits, angka, over

ROOT = Path(__file__).resolve().parent.parent
#: Reader processes alive at once: reads beyond this wait (the machine has two cores).
MAX_READERS = 2
# A reader that grew past this (resident, after a big file) exits after answering, returning its memory.
_RECYCLE_KB = 512 * 1024
_HEADER = struct.Struct(">I")
T = TypeVar("T")
_ALLOWED = {("datetime", name) for name in ("date", "datetime", "time", "timedelta")}


class ReaderRefused(Exception):
    """The reader refused or could not read the file; `kind` is refused/locked/unreadable/missing/died/timeout.

    The message is set for refused/died/timeout (it names the bound); the caller words the others.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# --- client (the server's side) -----------------------------------------------------------------


class _Died(Exception):
    """The reader process ended without an answer (abort, signal, out of memory) or was killed on time."""

    def __init__(self, timed_out: bool, returncode: int | None, answered: bool = False) -> None:
        super().__init__(returncode)
        self.timed_out, self.returncode, self.answered = timed_out, returncode, answered


class _Unpickler(pickle.Unpickler):
    """Unpickles plain values and datetime types only: an answer can never name other code to run."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) in _ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"reader answered with a forbidden type {module}.{name}")


#: Seconds a new reader process may take to say it is ready (a Python start-up takes about 0.1 s).
_START_SECONDS = 20


class _Reader:
    """One reader process and its pipes."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.retiring = False  # the process grew large on a big file and exits after its answer
        self.reads = 0  # requests answered: a reused reader that died unanswered is not the new file's fault
        env = {**os.environ, "RUST_BACKTRACE": "0"}
        # cwd=ROOT: `-m ovop_data.readworker` finds the package beside this file, whatever the server's cwd.
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ovop_data.readworker", str(memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=ROOT,
                env=env,
            )
        except OSError as err:  # no process to be had (EAGAIN, ENOMEM): this file fails, the server lives
            raise ReaderRefused("unreadable", "") from err
        timer = threading.Timer(_START_SECONDS, self.process.kill)  # a reader stuck at start-up holds no slot
        timer.start()
        try:
            ready = self._receive(1024) == ("ready",)
        except Exception:  # anything but the handshake: this process is not a reader
            ready = False
        finally:
            timer.cancel()
        if not ready:
            self.close()
            raise ReaderRefused("unreadable", "")

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            # a request left in the buffer of a pipe whose reader is gone cannot be flushed: nothing to lose
            with contextlib.suppress(BrokenPipeError):
                pipe.close()

    def _receive(self, most: int) -> tuple | None:
        header = self.process.stdout.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack(header)
        if size > most:
            raise pickle.UnpicklingError(f"reader answered with {size} bytes")
        body = self.process.stdout.read(size)
        if len(body) < size:
            return None
        return _Unpickler(io.BytesIO(body)).load()

    def read(self, request: dict, limits: Limits, convert: Callable[[list[list]], T]) -> list[tuple[str, T]]:
        """Send one request and collect its sheets; _Died when the process ends or overruns the time bound.

        Each sheet is converted as it arrives, while the reader process reads the next one.
        """
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self.process.kill()

        timer = threading.Timer(limits.read_seconds, expire)
        timer.start()
        answered = False
        try:
            body = pickle.dumps(request)
            self.process.stdin.write(_HEADER.pack(len(body)) + body)
            self.process.stdin.flush()
            sheets = []
            # a frame is at most the file's unpacked bound (the reader refuses larger) plus pickle framing
            while (answer := self._receive(limits.unpacked_bytes + 1024 * 1024)) is not None:
                answered = True
                if answer[0] == "sheet":
                    sheets.append((answer[1], convert(answer[2])))
                elif answer[0] == "ok":
                    self.retiring = answer[1]
                    self.reads += 1
                    return sheets
                else:
                    self.reads += 1
                    raise ReaderRefused(answer[1], answer[2])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the process died before or while reading the request
        except ReaderRefused:
            raise
        except Exception:  # an answer outside the protocol (or one convert cannot take): not trusted again
            self.close()
            raise ReaderRefused("unreadable", "") from None
        finally:
            timer.cancel()
        self.close()
        raise _Died(timed_out=expired.is_set(), returncode=self.process.returncode, answered=answered)


class _Pool:
    """At most MAX_READERS reader processes, reused between reads and replaced when they die."""

    def __init__(self) -> None:
        self._slots = threading.BoundedSemaphore(MAX_READERS)
        self._lock = threading.Lock()
        self._idle: list[_Reader] = []

    def read(self, request: dict, limits: Limits, convert: Callable[[list[list]], T]) -> list[tuple[str, T]]:
        with self._slots:
            while True:
                reader = self._take(limits.reader_memory_mb)
                try:
                    sheets = reader.read(request, limits, convert)
                except ReaderRefused:
                    self._give_back(reader)
                    raise
                except _Died as died:  # already closed
                    if reader.reads and not died.answered and not died.timed_out:
                        continue  # an idle reader had ended before this request reached it: ask a live one
                    raise
                except BaseException:  # interrupted mid-answer: the pipe is out of step, so this reader goes
                    reader.close()
                    raise
                self._give_back(reader)
                return sheets

    def _take(self, memory_mb: int) -> _Reader:
        with self._lock:
            while self._idle:
                reader = self._idle.pop()
                if reader.alive() and reader.memory_mb == memory_mb:
                    return reader
                reader.close()
        return _Reader(memory_mb)

    def close(self) -> None:
        """End every idle reader (at exit: no reader outlives the server, none is left a zombie)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close()

    def _give_back(self, reader: _Reader) -> None:
        if reader.retiring or not reader.alive():
            reader.close()
            return
        with self._lock:
            self._idle.append(reader)


_POOL = _Pool()
atexit.register(_POOL.close)


def read_workbook(
    path: Path, file: str, limits: Limits = LIMITS, convert: Callable[[list[list]], T] = list
) -> list[tuple[str, T]]:
    """(sheet name, convert(rows)) of every worksheet, read in a capped reader process; ReaderRefused if it cannot be.

    The rows are what python-calamine's `to_python(skip_empty_area=False)` gives: padded from A1.
    """
    request = {"path": str(path), "file": file, "limits": limits.as_dict(), "scan_cells": False}
    try:
        return _POOL.read(request, limits, convert)
    except _Died as first:
        if first.timed_out:
            raise ReaderRefused("timeout", _timeout_message(file, limits)) from None
    # The reader died on this file: once more in a fresh reader, now scanning every cell reference first,
    # so a lying <dimension> gets the message that names the bound (and a one-off crash a second chance).
    try:
        return _POOL.read({**request, "scan_cells": True}, limits, convert)
    except _Died as second:
        if second.timed_out:
            raise ReaderRefused("timeout", _timeout_message(file, limits)) from None
        raise ReaderRefused(
            "died",
            f"Berkas '{file}' terlalu besar untuk dibaca: pembacaannya melampaui batas memori "
            f"{angka(limits.reader_memory_mb)} MB dan dihentikan (kemungkinan isinya jauh lebih besar daripada "
            "tampaknya, mis. sel di baris atau kolom yang sangat jauh).",
        ) from None


def _timeout_message(file: str, limits: Limits) -> str:
    return (
        f"Berkas '{file}' terlalu besar untuk dibaca: pembacaannya melampaui batas waktu "
        f"{angka(limits.read_seconds)} detik dan dihentikan."
    )


# --- server (the reader process) ----------------------------------------------------------------


def _cap_resources(memory_mb: int) -> None:
    """Cap this process's address space and file writes before any file is touched."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the separate process and the time bound still protect the server
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # the reader never writes a file


def _grown_too_large() -> bool:
    try:
        import resource
    except ImportError:
        return False
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > _RECYCLE_KB


def _serve_one(request: dict, send, calamine) -> None:
    """Check the file's declared size, then read it sheet by sheet, checking what the reader built."""
    limits = Limits(**request["limits"])
    path, file = Path(request["path"]), request["file"]
    check_workbook(path, file, limits, scan_cells=request["scan_cells"])
    try:
        workbook = calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError:
        raise ReaderRefused("locked", "") from None
    except calamine.CalamineError:
        # The extension may lie (an .xls saved as .xlsx): let calamine sniff the content instead.
        with path.open("rb") as handle:
            workbook = calamine.CalamineWorkbook.from_filelike(handle)
    with workbook:
        metas = [m for m in workbook.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        if len(metas) > limits.sheets:
            raise Exceeded(over(file, "buku kerjanya", len(metas), limits.sheets, "sheet", "per berkas"))
        extent, sent = Extent(file, limits), 0
        for meta in metas:
            sheet = workbook.get_sheet_by_name(meta.name)
            # Grid from A1 to the last used cell, before a single Python object is made for it.
            rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            extent.add(meta.name, rows, columns)
            grid = sheet.to_python(skip_empty_area=False)
            _check_cell_chars(grid, file, meta.name, limits)
            frame = _frame(("sheet", meta.name, grid))
            sent += len(frame)
            if sent > limits.unpacked_bytes:
                raise Exceeded(
                    f"Berkas '{file}' terlalu besar: isinya setelah dibaca melebihi "
                    f"{angka(limits.unpacked_bytes // (1024 * 1024))} MB."
                )
            send(frame)


def _check_cell_chars(grid: list[list], file: str, sheet: str, limits: Limits) -> None:
    """Exceeded at the first text cell longer than the bound (one pass, ~10 ms per 300,000 cells)."""
    most = limits.cell_chars
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value.__class__ is str and len(value) > most:
                where = f"sel {column_letters(j + 1)}{i + 1} di sheet '{sheet}'"
                raise Exceeded(over(file, where, len(value), most, "karakter", "per sel"))


def _frame(answer: tuple) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: rows hold no shared structure, and the memo doubles the cost
    pickler.dump(answer)
    body = buffer.getvalue()
    return _HEADER.pack(len(body)) + body


def main(argv: list[str]) -> int:
    """Serve read requests on stdin until it closes (the server ended), one answer stream per request."""
    _cap_resources(int(argv[0]))
    import python_calamine as calamine  # after the cap: nothing of the reader runs uncapped

    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the answer stream
    stdin = sys.stdin.buffer

    def send(frame: bytes) -> None:
        out.write(frame)
        out.flush()

    send(_frame(("ready",)))
    while header := stdin.read(_HEADER.size):
        (size,) = _HEADER.unpack(header)
        request = pickle.loads(stdin.read(size))  # from the server that started this process: trusted
        try:
            _serve_one(request, send, calamine)
            send(_frame(("ok", _grown_too_large())))
        except Exceeded as err:
            send(_frame(("error", "refused", str(err))))
        except ReaderRefused as err:
            send(_frame(("error", err.kind, str(err))))
        except FileNotFoundError:
            send(_frame(("error", "missing", "")))
        except calamine.PasswordError:
            send(_frame(("error", "locked", "")))
        except (calamine.CalamineError, zipfile.BadZipFile, ParseError, KeyError, EOFError, OSError, ValueError):
            # KeyError: a zip without a workbook's parts; ValueError: a malformed number in the XML.
            send(_frame(("error", "unreadable", "")))
        except MemoryError:
            os._exit(1)  # as if the cap had aborted it: the server retries with a scan and names the bound
        except Exception:
            traceback.print_exc()  # to the server's log: a file the checks above should learn to name
            send(_frame(("error", "unreadable", "")))
        if _grown_too_large():
            return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
