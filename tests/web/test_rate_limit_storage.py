"""The rate limiter's default store (``swept-memory://``): counts as limits' memory storage does, without
the thread that storage starts after a count, which cost about 1 ms of CPU per answer under load.
These tests fail if a new version of limits stops calling the hook the store overrides."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from quizapp.extensions import limiter
from quizapp.rate_limit_storage import SweptMemoryStorage


def _sweeping_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


def test_the_app_counts_in_the_swept_store_by_default(app):
    assert isinstance(limiter.storage, SweptMemoryStorage)
    assert isinstance(storage_from_string("swept-memory://"), SweptMemoryStorage)


def test_limits_memory_storage_starts_a_thread_on_a_count_and_the_swept_store_does_not():
    plain = MemoryStorage()
    plain.timer.join()  # the one started as it is made
    FixedWindowRateLimiter(plain).hit(parse("5 per minute"), "ana")
    assert plain.timer in _sweeping_threads()  # what the swept store is for: limits still does this
    plain.timer.cancel()

    swept = SweptMemoryStorage()
    counter = FixedWindowRateLimiter(swept)
    before = set(_sweeping_threads())
    for key in ("ana", "ben", "ana"):
        counter.hit(parse("5 per minute"), key)
    assert set(_sweeping_threads()) <= before


def test_the_swept_store_keeps_a_limit_exactly():
    counter = FixedWindowRateLimiter(SweptMemoryStorage())
    three = parse("3 per minute")
    assert [counter.hit(three, "ana") for _ in range(4)] == [True, True, True, False]
    assert counter.hit(three, "ben")  # counted per key
    assert counter.get_window_stats(three, "ana").remaining == 0


def test_expired_counters_are_swept_by_a_later_count_at_most_once_a_second():
    storage = SweptMemoryStorage()
    counter = FixedWindowRateLimiter(storage)
    counter.hit(parse("5 per minute"), "ana")
    (ana,) = storage.storage
    storage.expirations[ana] = time.time() - 1  # her window is over, and nobody has read her counter since
    counter.hit(parse("5 per minute"), "ben")  # within a second of the last sweep: none now
    assert ana in storage.storage
    storage.next_sweep = time.monotonic()  # a second later
    counter.hit(parse("5 per minute"), "ben")
    assert ana not in storage.storage and len(storage.storage) == 1
    assert storage.next_sweep > time.monotonic() + 0.9  # and the next sweep a second after this one
