"""gunicorn for the benchmark: start, wait until it answers, read its workers' memory, stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.cache import ROOT, app_env

# Rate limits raised for the run through the app's own settings (genius/config.py):
# the load comes from one address and a small pool of people.
RAISED_LIMITS = {name: "1000000 per minute" for name in
                 ("SIGN_IN_LIMIT", "REGISTER_LIMIT", "EMAIL_LIMIT", "IDEA_LIMIT", "COMMENT_LIMIT", "SUPPORT_LIMIT")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, workers: int = 2, port: int | None = None, log: Path | None = None,
                 extra_env: dict | None = None) -> None:
        self.database_url, self.workers = database_url, workers
        self.port = port or free_port()
        self.log = log
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        env = app_env(self.database_url, GENIUS_BENCH="1", **RAISED_LIMITS, **self.extra_env)
        command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "--timeout", "180",
                   "genius:create_app()"]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench/hello")
                if conn.getresponse().status == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> float | None:
        """The largest resident set of the workers now (VmRSS, from /proc), in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return round(max(sizes), 1) if sizes else None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)  # gunicorn's master stops its own workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # our own process group (start_new_session)
            self.process.wait(timeout=5)
