"""Throttling of password attempts: a few free failures, then a growing wait, then a temporary lockout.

Records are kept per key, and a key is any string: a browser session, a client address, later a user name.
An attempt is allowed only when every one of its keys allows it, and a failure counts against all of them, so
opening a new session does not escape the address's record. Waits are enforced by refusing attempts until
their time has passed, never by sleeping in the server. The clock is injectable for tests.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_LOG = logging.getLogger("ovop.auth")

TANPA_ALAMAT = "tanpa-alamat"


@dataclass(frozen=True)
class Policy:
    """How many failures are free, how the wait grows, and when a key is locked (times in seconds)."""

    free_failures: int = 3
    first_wait: float = 10.0
    max_wait: float = 5 * 60.0
    lock_after: int = 10
    window: float = 15 * 60.0
    lock_for: float = 15 * 60.0
    max_keys: int = 10_000

    def wait_after(self, failures: int) -> float:
        """Seconds before the next attempt once a key has this many failures in the window (0 while free)."""
        if failures <= self.free_failures:
            return 0.0
        return min(self.first_wait * 2 ** (failures - self.free_failures - 1), self.max_wait)


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be made now; if not, how many seconds are left and whether it is a lockout."""

    allowed: bool
    wait: float = 0.0
    locked: bool = False
    failures: int = 0

    @property
    def message(self) -> str:
        """The refusal as the user reads it: 'Terlalu banyak percobaan; coba lagi dalam 4 menit.'"""
        return f"Terlalu banyak percobaan; coba lagi dalam {wait_text(self.wait)}."


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    not_before: float = 0.0
    locked: bool = False

    def prune(self, now: float, window: float) -> None:
        while self.failures and self.failures[0] <= now - window:
            self.failures.popleft()

    def expired(self, now: float, window: float) -> bool:
        return now >= self.not_before and (not self.failures or self.failures[-1] <= now - window)


class Throttle:
    """Failed attempts per key, thread-safe, with bounded memory; one instance is shared by all sessions."""

    def __init__(self, policy: Policy | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or Policy()
        self._clock = clock
        self._lock = threading.Lock()
        # Ordered by last failure, oldest first: expired records are dropped from the front, and when the table
        # is full the least recently failing key goes, never the address an attacker is busy with.
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def check(self, keys: Iterable[str]) -> Verdict:
        """May an attempt for these keys be made now? Refused while any key waits or is locked."""
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            records = [self._records.get(key) for key in keys]
            for record in records:
                if record is not None:
                    record.prune(now, self.policy.window)
            return self._verdict(records, now)

    def record_failure(self, keys: Iterable[str]) -> Verdict:
        """Count a failed attempt against every key; returns the verdict for the next attempt."""
        policy = self.policy
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            records = []
            for key in dict.fromkeys(keys):
                record = self._records.pop(key, None) or _Record()
                self._records[key] = record  # to the end: the most recently failing key
                record.prune(now, policy.window)
                record.locked = record.locked and record.not_before > now
                record.failures.append(now)
                if len(record.failures) >= policy.lock_after:
                    record.not_before, record.locked = now + policy.lock_for, True
                else:
                    record.not_before = max(record.not_before, now + policy.wait_after(len(record.failures)))
                records.append(record)
            self._enforce_bound()
            return self._verdict(records, now)

    def clear(self, keys: Iterable[str]) -> None:
        """Forget these keys after a success. Pass only keys the successful caller owns (its session), not
        ones it shares with others (an address): someone else's success must not reset an attacker's count."""
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def _verdict(self, records: list[_Record | None], now: float) -> Verdict:
        live = [r for r in records if r is not None]
        if not live:
            return Verdict(allowed=True)
        waiting = [r for r in live if r.not_before > now]
        failures = max(len(r.failures) for r in live)
        if not waiting:
            return Verdict(allowed=True, failures=failures)
        return Verdict(
            allowed=False,
            wait=max(r.not_before for r in waiting) - now,
            locked=any(r.locked for r in waiting),
            failures=failures,
        )

    def _drop_expired(self, now: float) -> None:
        while self._records:
            key, record = next(iter(self._records.items()))
            if not record.expired(now, self.policy.window):
                break
            del self._records[key]

    def _enforce_bound(self) -> None:
        dropped = 0
        while len(self._records) > self.policy.max_keys:
            self._records.popitem(last=False)
            dropped += 1
        if dropped:
            # Many live keys at once means many addresses are guessing: worth an administrator's look.
            _LOG.warning("Catatan percobaan sandi penuh (%d kunci): %d catatan tertua dibuang.", len(self), dropped)


def wait_text(seconds: float) -> str:
    """Seconds left as words, rounded up: 7.2 -> '8 detik', 200 -> '4 menit'."""
    if seconds < 60:
        return f"{max(1, math.ceil(seconds))} detik"
    return f"{math.ceil(seconds / 60)} menit"


def address_key(ip: str | None) -> str:
    """The throttle key of a client address: IPv6 by its /64 (one household or server holds a whole /64),
    no address (localhost, a proxy that does not forward it) as one shared key."""
    if not ip:
        return f"alamat:{TANPA_ALAMAT}"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"alamat:{ip[:64]}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"alamat:{address.ipv4_mapped}"
        return f"alamat:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"alamat:{address}"
