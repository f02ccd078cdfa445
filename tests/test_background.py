"""Background jobs: started once however many callers ask, bounded waits, failures kept as messages."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import filelock
import pytest

from ovop_data import background


@pytest.fixture
def name(request: pytest.FixtureRequest) -> str:
    """A job name of its own per test (jobs are remembered for the life of the process)."""
    return f"uji:{request.node.nodeid}"


def test_many_callers_start_one_job_and_wait_at_most_their_wait(name: str) -> None:
    release = threading.Event()
    runs: list[int] = []

    def work() -> None:
        runs.append(1)
        release.wait(10)

    started = time.monotonic()
    callers = [threading.Thread(target=background.run_once, args=(name, work), kwargs={"wait": 0.2}) for _ in range(8)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert time.monotonic() - started < 2.0
    assert background.job_status(name) == background.JobStatus(background.BERJALAN, attempt=1)
    later = time.monotonic()
    assert background.run_once(name, work, wait=0.2).running
    assert time.monotonic() - later < 0.1  # the wait counts from the job's start: a later caller never waits
    release.set()
    assert background.run_once(name, work, wait=None).state == background.SELESAI
    assert runs == [1]


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (LookupError("kode tidak ada"), (LookupError,), "kode tidak ada"),  # expected: its message as it is
        (ZeroDivisionError("division by zero"), (), "ZeroDivisionError: division by zero"),
    ],
)
def test_an_exception_in_the_thread_is_the_status_error(
    name: str, error: Exception, expected: tuple[type[Exception], ...], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise error

    status = background.run_once(name, work, wait=None, expected=expected)
    assert status.state == background.GAGAL and status.error == message
    assert caplog.records  # logged, never swallowed


def test_a_finished_job_runs_again_only_after_retry_after(name: str) -> None:
    def work() -> None:
        raise OSError("tidak tersambung")

    assert background.run_once(name, work, wait=None, retry_after=60).attempt == 1
    assert background.run_once(name, work, wait=None, retry_after=60).attempt == 1
    assert background.run_once(name, work, wait=None, retry_after=0).attempt == 2


def test_a_lock_held_by_another_process_too_long_is_reported(name: str, tmp_path: Path) -> None:
    lock = tmp_path / ".kunci"
    with filelock.FileLock(lock):
        status = background.run_once(name, lambda: None, wait=None, lock_file=lock, lock_timeout=0.2)
    assert status.state == background.GAGAL and "proses lain" in status.error
