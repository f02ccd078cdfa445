"""Slow work no visitor waits for: one job per name in this process, one per lock file across processes.

`run_once(name, work, ...)` starts ``work`` in a daemon thread the first time it is
asked for, then only waits for it (at most ``wait`` seconds) on later calls:
a second visitor, or a second session, never starts a second download. A
lock file (filelock) makes replicas of the dashboard on one machine or one
shared folder take turns; the work itself should check whether another
process already did it. An exception in the thread is never lost: it is
logged with its traceback and returned as the job's ``error`` for the page to
show. A failed job may be started again after ``retry_after`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import filelock

log = logging.getLogger(__name__)

BELUM = "belum"  # never started in this process
BERJALAN = "berjalan"
SELESAI = "selesai"
GAGAL = "gagal"


@dataclass(frozen=True)
class JobStatus:
    """Where a named job stands in this process; ``error`` is the user-facing message of a failure."""

    state: str  # BELUM | BERJALAN | SELESAI | GAGAL
    error: str = ""
    attempt: int = 0  # how many times the job was started: part of a cache key that must change per attempt

    @property
    def running(self) -> bool:
        return self.state == BERJALAN


@dataclass
class _Job:
    done: threading.Event
    started: float
    attempt: int
    error: str = ""
    finished: float | None = None


_jobs: dict[str, _Job] = {}
_registry = threading.Lock()


def job_status(name: str) -> JobStatus:
    """The current status of the job called `name` in this process."""
    with _registry:
        job = _jobs.get(name)
    return _status(job)


def run_once(
    name: str,
    work: Callable[[], None],
    *,
    wait: float | None,
    lock_file: Path | None = None,
    lock_timeout: float = 0.0,
    retry_after: float = 300.0,
    expected: tuple[type[Exception], ...] = (),
) -> JobStatus:
    """Start `work` in the background unless it is running or done; wait for it until `wait` s after it started.

    Only the first callers wait, none longer than ``wait`` (None: until it is done); callers arriving
    later get the status at once. ``lock_file`` is held (waiting at most ``lock_timeout`` s for another process)
    while ``work`` runs. The message of an ``expected`` exception is shown to
    users as it is; any other is shown with its type and logged with its traceback.
    A finished job is started again after ``retry_after`` s when asked for.
    """
    with _registry:
        job = _jobs.get(name)
        stale = job is not None and job.finished is not None and time.monotonic() - job.finished >= retry_after
        if job is None or stale:
            job = _Job(done=threading.Event(), started=time.monotonic(), attempt=(job.attempt if job else 0) + 1)
            _jobs[name] = job
            thread = threading.Thread(
                target=_run, args=(job, work, lock_file, lock_timeout, expected), name=f"ovop-{name}", daemon=True
            )
            thread.start()
    job.done.wait(None if wait is None else max(0.0, job.started + wait - time.monotonic()))
    return _status(job)


def _status(job: _Job | None) -> JobStatus:
    if job is None:
        return JobStatus(BELUM)
    if not job.done.is_set():
        return JobStatus(BERJALAN, attempt=job.attempt)
    return JobStatus(GAGAL if job.error else SELESAI, job.error, job.attempt)


def _run(
    job: _Job,
    work: Callable[[], None],
    lock_file: Path | None,
    lock_timeout: float,
    expected: tuple[type[Exception], ...],
) -> None:
    try:
        if lock_file is None:
            work()
        else:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            with filelock.FileLock(lock_file, timeout=lock_timeout):
                work()
    except filelock.Timeout:
        job.error = (
            f"proses lain (mis. replika dasbor yang lain) masih mengunduh; kunci {lock_file.name} "
            f"belum dilepas setelah {lock_timeout:.0f} detik."
        )
    except expected as err:
        log.warning("%s: %s", threading.current_thread().name, err)
        job.error = str(err)
    except Exception as err:  # a thread's exception would otherwise vanish: it becomes the page's note
        log.exception("%s gagal", threading.current_thread().name)
        job.error = f"{type(err).__name__}: {err}"
    finally:
        job.finished = time.monotonic()
        job.done.set()
