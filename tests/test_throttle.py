"""Throttling of password attempts with a fake clock: free failures, growing waits, lockout, expiry, bounds."""

from __future__ import annotations

import logging
import threading

import pytest

from ovop_data.throttle import Policy, Throttle, Verdict, address_key, wait_text

SESI, A, B = "sesi:1", "alamat:10.0.0.1", "alamat:10.0.0.2"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def throttle(clock: FakeClock) -> Throttle:
    return Throttle(Policy(), clock=clock)


def fail_allowed(throttle: Throttle, clock: FakeClock, keys: list[str], times: int) -> Verdict:
    """Fail `times` times, each as soon as it is allowed (what a patient attacker does)."""
    verdict = Verdict(allowed=True)
    for _ in range(times):
        verdict = throttle.check(keys)
        clock.advance(verdict.wait)
        assert throttle.check(keys).allowed
        verdict = throttle.record_failure(keys)
    return verdict


def test_first_failures_are_free(throttle):
    for _ in range(3):
        assert throttle.record_failure([SESI, A]).allowed
    assert throttle.check([SESI, A]) == Verdict(allowed=True, failures=3)


def test_waits_grow_exponentially_up_to_the_cap_then_lock(throttle, clock):
    fail_allowed(throttle, clock, [A], 3)
    waits = []
    for _ in range(6):
        verdict = throttle.record_failure([A])
        assert not verdict.allowed and not verdict.locked
        waits.append(verdict.wait)
        clock.advance(verdict.wait)
    assert waits == [10, 20, 40, 80, 160, 300]
    locked = throttle.record_failure([A])
    assert locked.locked and locked.wait == 15 * 60 and locked.failures == 10
    assert locked.message == "Terlalu banyak percobaan; coba lagi dalam 15 menit."


def test_an_attempt_during_a_wait_is_refused_until_the_time_has_passed(throttle, clock):
    wait = fail_allowed(throttle, clock, [A], 4).wait
    clock.advance(wait - 1)
    refused = throttle.check([A])
    assert not refused.allowed and refused.wait == pytest.approx(1)
    clock.advance(1)
    assert throttle.check([A]).allowed


def test_lockout_expires_and_the_record_is_dropped(throttle, clock):
    assert fail_allowed(throttle, clock, [A], 10).locked
    clock.advance(15 * 60 - 1)
    assert not throttle.check([A]).allowed
    clock.advance(1)
    assert throttle.check([A]).allowed
    assert len(throttle) == 0


def test_failures_outside_the_window_are_forgotten(throttle, clock):
    throttle.record_failure([A])
    throttle.record_failure([A])
    clock.advance(15 * 60)
    assert throttle.record_failure([A]).failures == 1


def test_keys_are_independent_address_a_locked_b_can_still_log_in(throttle, clock):
    fail_allowed(throttle, clock, ["sesi:penyerang", A], 10)
    assert throttle.check(["sesi:baru", A]).locked  # a new session from A is still locked
    assert throttle.check(["sesi:editor", B]).allowed


def test_a_new_session_does_not_escape_the_address(throttle, clock):
    for n in range(4):
        throttle.record_failure([f"sesi:{n}", A])
    assert not throttle.check(["sesi:baru", A]).allowed


def test_success_clears_only_the_keys_given(throttle, clock):
    fail_allowed(throttle, clock, [SESI, A], 4)
    throttle.clear([SESI])
    assert throttle.check([SESI]).allowed
    assert not throttle.check(["sesi:lain", A]).allowed  # the address keeps its count


def test_the_verdict_is_the_strictest_of_the_keys(throttle, clock):
    fail_allowed(throttle, clock, [A], 10)
    verdict = throttle.check([SESI, A, B])
    assert verdict.locked and verdict.wait == 15 * 60


def test_memory_is_bounded_and_the_busy_key_survives(clock):
    throttle = Throttle(Policy(max_keys=50), clock=clock)
    for n in range(500):
        throttle.record_failure([f"sesi:{n}", A])
    assert len(throttle) == 50
    assert throttle.check([A]).locked  # evicting the least recently failing keys keeps the attacker's address


def test_expired_records_are_dropped(throttle, clock):
    for n in range(100):
        throttle.record_failure([f"sesi:{n}"])
    clock.advance(15 * 60)
    throttle.check([SESI])
    assert len(throttle) == 0


def test_full_table_is_logged(clock, caplog):
    throttle = Throttle(Policy(max_keys=2), clock=clock)
    with caplog.at_level(logging.WARNING, logger="ovop.auth"):
        for n in range(3):
            throttle.record_failure([f"sesi:{n}"])
    assert "penuh" in caplog.text


def test_thread_safe_counting(throttle):
    def fail() -> None:
        for _ in range(200):
            throttle.record_failure([A])

    threads = [threading.Thread(target=fail) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert throttle.check([A]).failures == 800


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 detik"), (7.2, "8 detik"), (59.5, "60 detik"), (60, "1 menit"), (200, "4 menit"), (900, "15 menit")],
)
def test_wait_text(seconds, text):
    assert wait_text(seconds) == text


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        (None, "alamat:tanpa-alamat"),
        ("", "alamat:tanpa-alamat"),
        ("203.0.113.7", "alamat:203.0.113.7"),
        ("::ffff:203.0.113.7", "alamat:203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "alamat:2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "alamat:2001:db8:1:2::/64"),
        ("bukan-alamat", "alamat:bukan-alamat"),
    ],
)
def test_address_key(ip, key):
    assert address_key(ip) == key
