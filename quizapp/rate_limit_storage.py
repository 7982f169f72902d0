"""The rate limiter's in-process store (``swept-memory://``, the default): limits' memory storage without
its sweeping thread.

limits' ``MemoryStorage`` starts a thread 10 ms after a count whenever its last one has ended, to drop
expired counters. Under load that is one new thread every few requests, and it cost about 1 ms of CPU
per answer, a third of the answer path (bench/README.md). A counter past its window is dropped anyway
when it is next read, so the sweep only frees memory: here it runs in the request that counts, at most
once a second, and no thread is started. Counts and limits are exactly as ``memory://`` keeps them.

It overrides limits' private hook ``MemoryStorage.__schedule_expiry``, which every count calls;
tests/web/test_rate_limit_storage.py fails if a new version of limits stops calling it.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_EVERY_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """Counts in this process, as ``memory://``; expired counters are swept by the request path."""

    STORAGE_SCHEME = ["swept-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one thread MemoryStorage starts as it is made
        self.next_sweep = time.monotonic() + SWEEP_EVERY_SECONDS
        self.sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:
        """Called by MemoryStorage before every count: sweep now if the last sweep is a second old and no
        other thread is sweeping."""
        now = time.monotonic()
        if now < self.next_sweep or not self.sweeping.acquire(blocking=False):
            return
        try:
            self.next_sweep = now + SWEEP_EVERY_SECONDS
            self._MemoryStorage__expire_events()
        finally:
            self.sweeping.release()
