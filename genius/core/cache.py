"""Where cached bytes live: Redis when REDIS_URL is set (shared by every app process), else this process's
memory (a least-recently-used store bounded in bytes). If Redis stops answering, memory, with one logged
warning, until it answers again. Used by the rendered-page cache (core/pagecache.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

log = logging.getLogger("genius.cache")


class MemoryStorage:
    """This process's memory: a least-recently-used store of bytes, with expiry, at most `max_bytes` in all."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return found[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + seconds, value)
            self.size += len(value)
            while self.size > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        _, value = self._items.pop(key)
        self.size -= len(value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class RedisStorage:
    """Redis, shared by every process; falls back to memory (with a warning) when Redis fails."""

    def __init__(self, url: str, prefix: str, fallback_bytes: int):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.prefix = prefix
        self.fallback = MemoryStorage(fallback_bytes)
        self._warned = False

    def _failed(self, error: Exception) -> None:
        if not self._warned:
            log.warning("cache %s: Redis is unavailable (%s); using this process's memory", self.prefix, error)
            self._warned = True

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(self.prefix + key)
        except Exception as error:  # noqa: BLE001 - any Redis failure means: use memory
            self._failed(error)
            return self.fallback.get(key)

    def set(self, key: str, value: bytes, seconds: int) -> None:
        try:
            self.client.set(self.prefix + key, value, ex=seconds)
            self._warned = False
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            self.fallback.set(key, value, seconds)

    def clear(self) -> None:
        try:
            for key in self.client.scan_iter(self.prefix + "*"):
                self.client.delete(key)
        except Exception as error:  # noqa: BLE001
            self._failed(error)
        self.fallback.clear()


def storage_for(app, name: str, memory_bytes: int):
    """The app's store called `name`: Redis under the prefix "genius:<name>:" when REDIS_URL is set."""
    key = f"genius_cache_{name}"
    found = app.extensions.get(key)
    if found is None:
        url = app.config.get("REDIS_URL") or ""
        found = RedisStorage(url, f"genius:{name}:", memory_bytes) if url else MemoryStorage(memory_bytes)
        app.extensions[key] = found
    return found
