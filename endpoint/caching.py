"""The one bounded cache of the web tier: a small thread-safe LRU.

Every cache here has the same job — keep what was expensive to make (a document's
description, a finished body, a file's digest) for as long as there is room — so there
is one kind of cache, bounded by entries and, where the values vary in size, by bytes.
The per-build caches live on the pages' build indexes and go with the build; the others
are keyed by what makes them stale (a file's path, mtime and size).

>>> cache: LRU[str, int] = LRU(max_entries=2)
>>> cache.put("a", 1); cache.put("b", 2); cache.put("c", 3)
>>> cache.get("a") is None, cache.get("c"), len(cache)
(True, 3, 2)
>>> sized: LRU[str, bytes] = LRU(max_entries=10, max_size=5)
>>> sized.put("x", b"abc", 3); sized.put("y", b"def", 3)
>>> sized.get("x") is None, sized.size
(True, 3)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A thread-safe LRU bounded by entries and (optionally) by the sum of the sizes given to :meth:`put`."""

    def __init__(self, max_entries: int, max_size: int | None = None) -> None:
        self.max_entries = max_entries
        self.max_size = max_size
        self.size = 0
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            self._data.move_to_end(key)
            return item[0]

    def put(self, key: K, value: V, size: int = 0) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._data[key] = (value, size)
            self.size += size
            while len(self._data) > self.max_entries or (self.max_size is not None and self.size > self.max_size and len(self._data) > 1):
                _, (_, evicted) = self._data.popitem(last=False)
                self.size -= evicted

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, made (outside the lock) and kept when missing."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def __len__(self) -> int:
        return len(self._data)
