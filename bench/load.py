"""The load: wrk (Debian's package) when it is installed, else this module's own generator.
The support POSTs, each (person, idea) pair sent once, always use this generator: wrk runs for
the whole duration, so it cannot say when such a list ran out.

Both run in a separate process from the server and report the same JSON:
requests, seconds, requests_per_s, p50/p95/p99 in milliseconds, statuses,
errors. Python generator: `python -m bench.load --port P --duration S
--connections C --spec spec.json`; one asyncio loop, raw HTTP/1.1 over
keep-alive connections (reconnecting when the server closes them, as
gunicorn's sync workers do after each response), so it costs little CPU.
A spec is a list of requests: cycled, or with "once" each sent at most once
(the support POSTs: one per (person, idea) pair); the run stops when the
time is up or a "once" list is used up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.report import percentile

WRK_DIR = Path(__file__).resolve().parent / "wrk"


def raw_request(method: str, path: str, host: str, headers: dict | None = None, body: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: genius-bench"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    data = body.encode()
    if data or method == "POST":
        lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            parts.append(chunk[:-2])
        body = b"".join(parts)
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return status, headers, body


async def drive(host: str, port: int, requests: list[bytes], once: bool, duration: float, connections: int) -> dict:
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    state = {"next": 0}
    deadline = time.perf_counter() + duration

    def take() -> bytes | None:
        index = state["next"]
        if once and index >= len(requests):
            return None
        state["next"] = index + 1
        return requests[index % len(requests)]

    async def connection() -> None:
        reader = writer = None
        while time.perf_counter() < deadline:
            request = take()
            if request is None:
                break
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                started = time.perf_counter()
                writer.write(request)
                status, headers, _ = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    reader = writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return summarise(latencies, time.perf_counter() - started, statuses, errors, exhausted=once and state["next"] >= len(requests))


def summarise(latencies: list[float], seconds: float, statuses: Counter, errors: Counter, exhausted: bool = False) -> dict:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(ordered) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ordered, 50) * 1000, 2) if ordered else None,
        "p95_ms": round(percentile(ordered, 95) * 1000, 2) if ordered else None,
        "p99_ms": round(percentile(ordered, 99) * 1000, 2) if ordered else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "exhausted": exhausted,
        "tool": "python",
    }


def turns(items: list, rounds: int) -> list[list]:
    """The order of each round: forwards, then backwards, and so on (small, x10; x10, small; small, x10),
    so a machine that drifts slower or faster during the rounds weighs on every item alike."""
    return [list(items) if n % 2 == 0 else list(reversed(items)) for n in range(rounds)]


def combine(rounds: list[dict]) -> dict:
    """One result from a route's rounds: requests, seconds, statuses and errors add up (so requests/s is
    over the whole time), and each percentile is the median of the rounds' (a hiccup in one round, such as
    the machine doing other work for a second, does not decide the figure). The rounds are kept."""
    if not rounds:
        raise ValueError("no rounds")
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    combined = {"requests": requests, "seconds": round(seconds, 3),
                "requests_per_s": round(requests / seconds, 1) if seconds else 0.0}
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        values = sorted(r[key] for r in rounds if r[key] is not None)
        combined[key] = round(percentile(values, 50), 2) if values else None
    statuses, errors = Counter(), Counter()
    for r in rounds:
        statuses.update(r["statuses"])
        errors.update(r["errors"])
    combined.update(statuses=dict(statuses), errors=dict(errors), exhausted=any(r["exhausted"] for r in rounds),
                    tool=rounds[0]["tool"],
                    rounds=[{k: r[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")} for r in rounds])
    return combined


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_python(port: int, spec: dict, duration: float, connections: int, host: str = "127.0.0.1") -> dict:
    """Runs the generator in its own process (never in the harness's, never in the server's)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.load", "--host", host, "--port", str(port), "--duration", str(duration),
             "--connections", str(connections), "--spec", handle.name],
            capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
            timeout=duration + 60,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_wrk(port: int, spec: dict, duration: float, connections: int, host: str = "127.0.0.1") -> dict:
    """wrk with one thread; a Lua script cycles through the requests and reports the percentiles as JSON."""
    if spec.get("once"):
        raise ValueError("wrk runs for the whole duration: send a 'once' list with the Python generator")
    items = spec["requests"]
    with tempfile.TemporaryDirectory() as tmp:
        requests_file = Path(tmp) / "requests.tsv"
        # One request a line: method, path, body, then header name/value pairs; tabs separate.
        with requests_file.open("w") as handle:
            for item in items:
                fields = [item["method"], item["path"], item.get("body", "")]
                for name, value in item.get("headers", {}).items():
                    fields += [name, value]
                handle.write("\t".join(fields) + "\n")
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
                   "-s", str(WRK_DIR / "bench.lua"), f"http://{host}:{port}{items[0]['path']}",
                   "--", str(requests_file)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("BENCH-JSON ")][-1]
    data = json.loads(line.removeprefix("BENCH-JSON "))
    seconds = data["duration_us"] / 1e6
    statuses = {"2xx/3xx": data["requests"] - data["status_errors"]}
    if data["status_errors"]:
        statuses["other"] = data["status_errors"]
    return {
        "requests": data["requests"],
        "seconds": round(seconds, 3),
        "requests_per_s": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p95_ms": round(data["p95_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "statuses": statuses,
        "errors": {k: v for k, v in data["errors"].items() if v},
        "exhausted": False,
        "tool": "wrk",
    }


def run(port: int, spec: dict, duration: float, connections: int, tool: str = "auto") -> dict:
    """wrk for repeated requests when it is installed (or asked for); the Python generator otherwise,
    and always for a list to send once each (it stops, and reports, when the list is used up)."""
    if not spec.get("once") and (tool == "wrk" or (tool == "auto" and have_wrk())):
        return run_wrk(port, spec, duration, connections)
    return run_python(port, spec, duration, connections)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="GenIUS bench: the Python load generator (one process).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--spec", required=True, help='JSON: {"requests": [{"method", "path", "headers", "body"}], "once": bool}')
    args = parser.parse_args(argv)
    spec = json.loads(Path(args.spec).read_text())
    host = f"{args.host}:{args.port}"
    requests = [raw_request(r["method"], r["path"], host, r.get("headers"), r.get("body", "")) for r in spec["requests"]]
    result = asyncio.run(drive(args.host, args.port, requests, bool(spec.get("once")), args.duration, args.connections))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
