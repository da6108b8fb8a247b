"""Where cached answers live, for the network view (genius/network/cache.py) and the kept pages
(core/pagecache.py): Redis when REDIS_URL is set (shared by every app process; if Redis stops answering,
this process's memory, with one logged warning, until it answers again), files in a folder the machine's
processes share, or this process's memory. Every store keeps (raw bytes, parsed data or None) under a key,
with an expiry; only memory keeps the parsed data.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger("genius.cache")
MEMORY_ENTRIES = 48


class MemoryStorage:
    """This process's memory: a least-recently-used store with expiry, bounded by a number of entries
    and, if given, by the bytes they hold in all."""

    def __init__(self, entries: int = MEMORY_ENTRIES, max_bytes: int | None = None):
        self.entries = entries
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, tuple[float, bytes, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, object] | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return found[1], found[2]

    def set(self, key: str, raw: bytes, data: object, seconds: int) -> None:
        if self.max_bytes is not None and len(raw) > self.max_bytes:
            return  # larger than the whole store
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + seconds, raw, data)
            self.size += len(raw)
            while len(self._items) > self.entries or (self.max_bytes is not None and self.size > self.max_bytes):
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        _, raw, _ = self._items.pop(key)
        self.size -= len(raw)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class RedisStorage:
    """Redis, shared by every process, under `prefix`; falls back to memory (with a warning) when it fails."""

    def __init__(self, url: str, prefix: str = "", fallback: MemoryStorage | None = None):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.prefix = prefix
        self.fallback = fallback or MemoryStorage()
        self._warned = False

    def _failed(self, error: Exception) -> None:
        if not self._warned:
            log.warning("cache: Redis is unavailable (%s); using this process's memory", error)
            self._warned = True

    def get(self, key: str) -> tuple[bytes, object] | None:
        try:
            raw = self.client.get(self.prefix + key)
        except Exception as error:  # noqa: BLE001 - any Redis failure means: use memory
            self._failed(error)
            return self.fallback.get(key)
        return (raw, None) if raw is not None else None

    def set(self, key: str, raw: bytes, data: object, seconds: int) -> None:
        try:
            self.client.set(self.prefix + key, raw, ex=seconds)
            self._warned = False
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            self.fallback.set(key, raw, data, seconds)

    def clear(self, pattern: str = "*") -> None:
        try:
            for key in self.client.scan_iter(self.prefix + pattern):
                self.client.delete(key)
        except Exception as error:  # noqa: BLE001
            self._failed(error)
        self.fallback.clear()


class FileStorage:
    """Files in a folder every process on this machine shares (without Redis): the first web worker to
    build a network writes it, the others read it instead of building it again (at 200,000 people a build
    takes seconds; reading the file, a millisecond). Each process keeps what it read in its memory too.
    A file's modification time is when it expires; writes go to a temporary file renamed into place, so a
    reader never sees half an answer. Expired files, and the oldest beyond FILE_ENTRIES, are removed."""

    FILE_ENTRIES = 96

    def __init__(self, folder: str | Path, entries: int = MEMORY_ENTRIES):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.memory = MemoryStorage(entries)

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def get(self, key: str):
        found = self.memory.get(key)
        if found is not None:
            return found
        path = self._path(key)
        try:
            left = path.stat().st_mtime - time.time()
            if left <= 0:
                path.unlink(missing_ok=True)
                return None
            raw = path.read_bytes()
        except OSError:
            return None
        self.memory.set(key, raw, None, int(left) + 1)
        return raw, None

    def set(self, key: str, raw: bytes, data: dict | None, seconds: int) -> None:
        self.memory.set(key, raw, data, seconds)
        path = self._path(key)
        temporary = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            temporary.write_bytes(raw)
            expires = time.time() + seconds
            os.utime(temporary, (expires, expires))
            os.replace(temporary, path)
            self._prune()
        except OSError as error:
            log.warning("cache: cannot write %s (%s); keeping the answer in memory", path, error)
            temporary.unlink(missing_ok=True)

    def _prune(self) -> None:
        now = time.time()
        files = []
        for path in self.folder.glob("*.json"):
            try:
                expires = path.stat().st_mtime
            except OSError:
                continue
            if expires <= now:
                path.unlink(missing_ok=True)
            else:
                files.append((expires, path))
        for _expires, path in sorted(files)[:-self.FILE_ENTRIES]:
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        self.memory.clear()
        for path in self.folder.glob("*.json"):
            path.unlink(missing_ok=True)
