"""Work that only one app process on a database should do at a time (indexing the built-in
library into a shared Chroma server): ``exclusive(name)`` holds a lock named ``name`` for a
block. With SQLite there is one app process per database, so the lock is this process's own;
PostgreSQL (``postgres_store.py``) holds an advisory lock every process on the server sees.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SharedLocks:
    """``exclusive(name)``: one holder at a time (here: per process, per store)."""

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the lock ``name`` for the block, waiting for another holder to finish."""
        locks = self.__dict__.setdefault("_named_locks", {})
        guard = self.__dict__.setdefault("_named_locks_guard", threading.Lock())
        with guard:
            lock = locks.setdefault(name, threading.Lock())
        with lock:
            yield
