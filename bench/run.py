"""`make bench`: GenIUS under load, per database and scale (see bench/README.md).

For each database (SQLite, PostgreSQL), and at each scale of it (small, x10
by default): prepare the data (cached: bench/cache.py), pick the pages to ask
for (bench/targets.py) and start gunicorn with 2 workers in production mode.
Then, with every scale's server up, load each route for --duration seconds at
each scale from a separate process (wrk, or bench/load.py), in --rounds rounds
in which the scales take turns, and read the workers' memory; the signed-in
routes and the supports sign in a pool of residents first. The report goes to bench/results/<date>.md (raw JSON in bench/results/raw/) and
the README's "Latest benchmark" section.

    python -m bench.run --scales "small x10" --dbs "sqlite postgresql" --duration 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import cache, load, report, targets
from bench.server import Server

RESULTS = cache.ROOT / "bench" / "results"
README = cache.ROOT / "bench" / "README.md"
SQL_HEADER = "X-Genius-SQL-Statements"
OPTIONAL = {"network graph (site)", "profile"}  # arrive from other branches: 404 means "not available"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SORTS = ("newest", "most_supported", "most_discussed", "trending", "recently_updated")


def get(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "",
        headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    # Long enough for a first request that fills a cache (the network graph at x10).
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=170)
    all_headers = {"Cookie": cookie} if cookie else {}
    if body:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    all_headers.update(headers or {})
    conn.request(method, path, body=body or None, headers=all_headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, response.msg, text


def session_cookie(message: http.client.HTTPMessage) -> str:
    for value in message.get_all("Set-Cookie") or []:
        if value.startswith("genius_session="):
            return value.split(";", 1)[0]
    return ""


def sign_in(port: int, email: str, password: str) -> tuple[str, str]:
    """A real sign-in through the server; returns (Cookie header, CSRF token for later POSTs)."""
    status, message, html = get(port, "/sign-in")
    cookie = session_cookie(message)
    token = CSRF_RE.search(html).group(1)
    status, message, _ = get(port, "/sign-in", cookie, "POST",
                             urlencode({"email": email, "password": password, "csrf_token": token}))
    if status != 302:
        raise RuntimeError(f"signing in {email} answered {status}")
    cookie = session_cookie(message) or cookie
    # The home page's sign-out form puts a CSRF token in the session: keep the cookie it sets.
    status, message, html = get(port, "/", cookie)
    cookie = session_cookie(message) or cookie
    match = CSRF_RE.search(html)
    if status != 200 or not match:
        raise RuntimeError(f"no CSRF token on the home page for {email}")
    return cookie, match.group(1)


def get_routes(t: targets.Targets) -> list[tuple[str, str]]:
    routes = [(report.HELLO, "/bench/hello"), ("home", "/"), ("challenge index", "/challenges")]
    for sort in SORTS:
        for page in (1, 10):
            routes.append((f"challenge, {sort.replace('_', ' ')}, page {page}",
                           f"/challenges/{t.challenge_id}?sort={sort}&page={page}"))
    routes += [
        ("idea with most comments", f"/ideas/{t.idea_id}"),
        ("search", f"/search?q={quote(t.search_word)}"),
        ("network graph (site)", "/network/graph.json?scope=site"),
        ("profile", f"/people/{t.profile_id}"),
    ]
    return routes


# Signed-in readers never get a cached page (genius/core/pagecache.py): these show the work behind one.
SIGNED_IN = report.SIGNED_IN


def signed_in_routes(t: targets.Targets) -> list[tuple[str, str]]:
    return [(f"{SIGNED_IN}challenge, newest, page 1", f"/challenges/{t.challenge_id}?sort=newest&page=1"),
            (f"{SIGNED_IN}challenge, trending, page 10", f"/challenges/{t.challenge_id}?sort=trending&page=10"),
            (f"{SIGNED_IN}idea with most comments", f"/ideas/{t.idea_id}"),
            (f"{SIGNED_IN}search", f"/search?q={quote(t.search_word)}"),
            (f"{SIGNED_IN}profile", f"/people/{t.profile_id}")]


def wanted(name: str, only: list[str]) -> bool:
    """With --only, the routes whose names contain one of its words (hello world, the ceiling, always)."""
    return not only or name == report.HELLO or any(word in name for word in only)


def probe(port: int, path: str, times: int = 3, **kwargs) -> tuple[list[int], int | None]:
    """A few requests outside the timed run: warm-up, status, and the SQL statement count header."""
    statuses, counts = [], []
    for _ in range(times):
        status, message, _ = get(port, path, **kwargs)
        statuses.append(status)
        if message.get(SQL_HEADER) is not None:
            counts.append(int(message[SQL_HEADER]))
    return statuses, (max(counts) if counts else None)


def support_check(database_url: str) -> tuple[int, int]:
    """(supports, ideas whose stored counter differs from COUNT(*) of their supports)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        total = conn.scalar(sa.text("SELECT count(*) FROM supports"))
        mismatched = conn.scalar(sa.text(
            "SELECT count(*) FROM ideas i WHERE i.supports_count <> "
            "(SELECT count(*) FROM supports s WHERE s.idea_id = i.id)"))
    engine.dispose()
    return total, mismatched


@dataclass
class Stand:
    """One scale of one database under test: its data, its targets, its server and what it measured."""

    scale: str
    prepared: cache.Prepared
    targets: targets.Targets
    server: Server
    run: dict
    reader: str = ""  # a signed-in resident's cookie, for the signed-in routes


def path_in(routes_of: Callable[[targets.Targets], list[tuple[str, str]]], name: str) -> Callable[[targets.Targets], str]:
    """The route's path at a scale, from that scale's targets (they differ between scales)."""
    return lambda t: dict(routes_of(t))[name]


def round_seconds(args) -> int:
    """Each round's length: --duration split over --rounds, in whole seconds (wrk's unit), at least one."""
    return max(1, round(args.duration / args.rounds))


def load_rounds(name: str, loads: list[tuple[Stand, list[dict]]], args) -> dict[str, dict]:
    """Load a route at every scale in --rounds rounds, the scales taking turns (load.turns): the figures
    compared across scales are then measured over the same minutes. `loads` gives each stand the spec of
    each round. Returns each scale's combined result (load.combine), with its workers' memory."""
    kept: dict[str, list[dict]] = {stand.scale: [] for stand, _ in loads}
    for n, order in enumerate(load.turns(loads, args.rounds)):
        for stand, specs in order:
            kept[stand.scale].append(load.run(stand.server.port, specs[n], round_seconds(args), args.connections,
                                              args.tool))
    results = {}
    for stand, _ in loads:
        result = load.combine(kept[stand.scale])
        result["rss_mb"] = stand.server.worker_rss_mb()
        log(f"    {stand.scale:<6} {name:<42} {result['requests_per_s']:>8.1f} req/s  p50 {result['p50_ms']} ms  "
            f"p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms  RSS {result['rss_mb']} MB")
        results[stand.scale] = result
    return results


def reader_cookie(port: int, t: targets.Targets, password: str) -> str:
    """A signed-in resident's session cookie (one of the support pool), or "" if none could sign in."""
    for email in sorted({email for email, _ in t.pairs})[:3]:
        try:
            return sign_in(port, email, password)[0]
        except (RuntimeError, AttributeError, OSError) as error:
            log(f"    could not sign in {email}: {error}")
    return ""


# Supporting an idea, measured apart in challenges without a support limit and with one (bench/targets.py):
# the route's name, the targets' pairs, and what the report says where a scale has none.
SUPPORT_ROUTES = ((report.SUPPORT, "pairs", "no open challenge without a support limit at this scale"),
                  (report.SUPPORT_LIMITED, "limited_pairs", "no open challenge with a support limit at this scale"))


def support_sessions(stand: Stand, emails: set[str], args) -> dict[str, tuple[str, str]]:
    """Sign in residents through the stand's server: {email: (cookie, CSRF token)}."""
    log(f"    {stand.scale:<6} signing in {len(emails)} residents...")

    def try_sign_in(email: str) -> tuple[str, str] | None:
        try:
            return sign_in(stand.server.port, email, args.password)
        except (RuntimeError, AttributeError, OSError) as error:
            log(f"    could not sign in {email}: {error}")
            return None

    ordered = sorted(emails)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {e: s for e, s in zip(ordered, pool.map(try_sign_in, ordered)) if s is not None}


def bench_supports(stands: list[Stand], args) -> None:
    """POST each (person, idea) pair once, signed in, in rounds as the GETs are, for each support route
    asked for; then compare every idea's counter with COUNT(*) of its supports."""
    routes = [route for route in SUPPORT_ROUTES if wanted(route[0], args.only)]
    sessions, before, sent = {}, {}, Counter()
    for stand in stands:
        emails = {email for _, attr, _ in routes for email, _ in getattr(stand.targets, attr)}
        sessions[stand.scale] = support_sessions(stand, emails, args) if emails else {}
        before[stand.scale], _ = support_check(stand.prepared.url)
    for name, attr, missing in routes:
        bench_support_route(stands, name, attr, missing, sessions, sent, args)
    for stand in stands:
        after, mismatched = support_check(stand.prepared.url)
        stand.run["support_check"] = {"requests": sent[stand.scale], "added": after - before[stand.scale],
                                      "mismatched_ideas": mismatched}


def bench_support_route(stands: list[Stand], name: str, attr: str, missing: str, sessions: dict, sent: Counter,
                        args) -> None:
    """One support route at every scale: probe three pairs, then post the rest in rounds (each round its
    own share of the pairs, still interleaved: consecutive POSTs come from different people)."""
    loads, probes = [], {}
    for stand in stands:
        signed_in = sessions[stand.scale]
        pairs = getattr(stand.targets, attr)
        if len(pairs) < 4:
            stand.run["routes"].append({"name": name, "available": False, "notes": [missing]})
            log(f"    {stand.scale:<6} {name:<42} not available: {missing}")
            continue
        pairs = [pair for pair in pairs if pair[0] in signed_in]
        if len(pairs) < 4:
            stand.run["routes"].append({"name": name, "available": False,
                                        "error": "too few residents could sign in", "notes": []})
            continue

        def spec_for(email: str, idea_id: int, signed_in=signed_in) -> dict:
            cookie, token = signed_in[email]
            return {"method": "POST", "path": f"/ideas/{idea_id}/support", "body": urlencode({"csrf_token": token}),
                    "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                                "X-Requested-With": "fetch", "Accept": "application/json"}}

        statuses, counts = [], []
        for item in (spec_for(*pair) for pair in pairs[:3]):
            status, message, _ = get(stand.server.port, item["path"], method="POST", body=item["body"],
                                     headers=item["headers"])
            statuses.append(status)
            counts.append(int(message.get(SQL_HEADER, 0)))
        sent[stand.scale] += len(statuses)
        if set(statuses) != {200}:
            stand.run["routes"].append({"name": name, "available": False, "error": f"answered {statuses}", "notes": []})
            continue
        probes[stand.scale] = (max(counts), len(pairs))
        rest = pairs[3:]
        share = -(-len(rest) // args.rounds)
        loads.append((stand, [{"requests": [spec_for(*pair) for pair in rest[n * share:(n + 1) * share]],
                               "once": True} for n in range(args.rounds)]))
    if not loads:
        return
    for scale, result in load_rounds(name, loads, args).items():
        stand = next(stand for stand, _ in loads if stand.scale == scale)
        sql, pairs = probes[scale]
        sent[scale] += result["requests"]
        route = {"name": name, "path": "/ideas/<id>/support", "method": "POST", "available": True, "sql": sql,
                 **result, "notes": []}
        if result["exhausted"]:
            route["notes"].append(f"all {pairs} (person, idea) pairs used before the time was up; "
                                  "the rate is over the run's real length")
        stand.run["routes"].append(route)


def measure(stands: list[Stand], name: str, path_for: Callable[[targets.Targets], str], args,
            signed_in: bool = False) -> None:
    """Probe a GET route at every scale (status, SQL statements, warm-up), then load it in rounds.
    `path_for(targets)` gives the route's path at a scale (the targets differ between scales)."""
    if not wanted(name, args.only):
        return
    loads, sqls = [], {}
    for stand in stands:
        path = path_for(stand.targets)
        cookie = stand.reader if signed_in else ""
        if signed_in and not cookie:
            continue
        try:
            statuses, sql = probe(stand.server.port, path, cookie=cookie)
        except OSError as error:  # a timeout, or a worker killed mid-request
            statuses, sql = [f"{type(error).__name__}"], None
        if name in OPTIONAL and 404 in statuses:
            stand.run["routes"].append({"name": name, "path": path, "available": False,
                                        "notes": ["answered 404: not on this branch yet"]})
            log(f"    {stand.scale:<6} {name:<42} not available (404)")
            continue
        if set(statuses) != {200}:
            # Reported, not fatal: the other routes still get measured.
            stand.run["routes"].append({"name": name, "path": path, "available": False,
                                        "error": f"answered {statuses}", "notes": []})
            log(f"    {stand.scale:<6} {name:<42} FAILED: answered {statuses}")
            continue
        request = {"method": "GET", "path": path, "headers": {"Cookie": cookie} if cookie else {}}
        loads.append((stand, [{"requests": [request]}] * args.rounds))
        sqls[stand.scale] = (path, sql)
    if not loads:
        return
    for scale, result in load_rounds(name, loads, args).items():
        path, sql = sqls[scale]
        stand = next(stand for stand, _ in loads if stand.scale == scale)
        stand.run["routes"].append({"name": name, "path": path, "method": "GET", "available": True, "sql": sql,
                                    **result, "notes": []})


def bench_db(dbkind: str, scales: list[str], args, head: str) -> list[dict]:
    """Every scale of one database: prepare each, serve them all at once (one gunicorn each), then measure
    route by route, the scales taking turns in each route's rounds."""
    with ExitStack() as stack:
        stands = []
        for scale in scales:
            log(f"== {dbkind}, {scale} ==")
            prepared = cache.prepare(dbkind, scale, args.seed, head, args.pg_url, log=log)
            if not args.keep:
                stack.callback(cache.discard, prepared, args.pg_url)
            max_pairs = max(2000, int(args.duration * 800))
            t = targets.choose(prepared.url, pool_size=args.pool, max_pairs=max_pairs)
            log(f"  challenge {t.challenge_id} ({t.challenge_ideas} ideas), idea {t.idea_id} ({t.idea_comments} "
                f"comments), profile {t.profile_id}, search {t.search_word!r}, {len(t.pairs)} support pairs")
            run = {"db": dbkind, "scale": scale, "routes": [], "load_average": [round(os.getloadavg()[0], 2)],
                   "prepare": {"key": prepared.key, "generated": prepared.generated,
                               "seconds": round(prepared.seconds, 1)},
                   "targets": {k: v for k, v in t.__dict__.items() if k not in ("pairs", "limited_pairs")}}
            (RESULTS / "raw").mkdir(parents=True, exist_ok=True)
            # A network cache of its own, empty: the site network's first request builds it at every scale, as
            # networks kept from an earlier run (whose data version the supports may or may not have reached)
            # would answer some runs with 2 statements and others with a build.
            networks = stack.enter_context(tempfile.TemporaryDirectory(prefix="genius-bench-network-"))
            server = stack.enter_context(Server(prepared.url, workers=args.workers, log=RESULTS / "raw" / "gunicorn.log",
                                                extra_env={"NETWORK_CACHE_FOLDER": networks}))
            log(f"  gunicorn on port {server.port}, workers {server.worker_pids()}")
            stands.append(Stand(scale, prepared, t, server, run))
        log(f"== {dbkind}: {args.rounds} rounds of {round_seconds(args)} s per route and scale, "
            f"the scales taking turns ==")
        # The site network goes last: its first build is the heaviest single request (seconds at x10,
        # before NETWORK_SITE_MAX_PEOPLE bounded it, longer than the client's timeout), and a build
        # still running in a worker would slow every route measured after it.
        names = [name for name, _ in get_routes(stands[0].targets)]
        last = ["network graph (site)"]

        for name in names:
            if name not in last:
                measure(stands, name, path_in(get_routes, name), args)
        signed_in = [name for name, _ in signed_in_routes(stands[0].targets) if wanted(name, args.only)]
        if signed_in:
            for stand in stands:
                stand.reader = reader_cookie(stand.server.port, stand.targets, args.password)
        for name in signed_in:
            measure(stands, name, path_in(signed_in_routes, name), args, signed_in=True)
        if any(wanted(name, args.only) for name, _, _ in SUPPORT_ROUTES):
            bench_supports(stands, args)
        for name in last:
            measure(stands, name, path_in(get_routes, name), args)
        for stand in stands:
            stand.run["load_average"].append(round(os.getloadavg()[0], 2))
        return [stand.run for stand in stands]


def log(message: str) -> None:
    print(message, flush=True)


def machine(dbs: list[str], pg_url: str) -> str:
    parts = [f"{os.cpu_count()} CPUs", f"Python {platform.python_version()}"]
    if "postgresql" in dbs:
        try:
            with cache._admin(pg_url) as conn:
                parts.append("PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0])
        except Exception:  # noqa: BLE001 - only a label
            pass
    import sqlite3

    parts.append(f"SQLite {sqlite3.sqlite_version}")
    return ", ".join(parts)


def write_raw(results: dict, results_dir: Path = RESULTS) -> Path:
    (results_dir / "raw").mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["started"].replace(":", "").replace("-", "")
    path = results_dir / "raw" / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2))
    return path


def write(results: dict, results_dir: Path = RESULTS, readme: Path = README) -> Path:
    write_raw(results, results_dir)
    text = report.render(results)
    page = results_dir / f"{results['meta']['date']}.md"
    page.write_text(text)
    report.update_readme(readme, report.render(results, passes=False) + f"\nEvery check: [{page.name}](results/{page.name}).\n")
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GenIUS load benchmark (issue 7). See bench/README.md.")
    parser.add_argument("--scales", default=os.environ.get("SCALES", "small x10"),
                        help="space-separated: small, york, x10 (default: small x10)")
    parser.add_argument("--dbs", default=os.environ.get("DBS", "sqlite postgresql"),
                        help="space-separated: sqlite, postgresql (default: both)")
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", "10")),
                        help="seconds of load per route and scale, split into --rounds (default 10)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "3")),
                        help="split each route's --duration into this many rounds, the scales taking turns; "
                             "each percentile is the median of the rounds' (default 3)")
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", "4")))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", type=int, default=1000,
                        help="residents who sign in and support (default 1000)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default=os.environ.get("LOAD_TOOL", "auto"),
                        help="auto: wrk when installed, else the Python generator")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", cache.DEFAULT_PG),
                        help="a PostgreSQL server URL; databases genius_bench_<scale> are made on it")
    parser.add_argument("--password", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep each run's working copy of the database")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="only the routes whose names contain TEXT (repeatable; hello world always runs); "
                             "the figures are printed and kept in bench/results/raw/, the report is not rewritten")
    args = parser.parse_args(argv)
    scales, dbs = args.scales.split(), args.dbs.split()
    from genius.demodata import SCALES as KNOWN

    for scale in scales:
        if scale not in KNOWN:
            parser.error(f"unknown scale {scale!r}: use {', '.join(KNOWN)}")
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    for db in dbs:
        if db not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {db!r}: use sqlite or postgresql")
    if args.password is None:
        from genius.demo import DEMO_PASSWORD

        args.password = DEMO_PASSWORD
    if args.tool == "wrk" and not load.have_wrk():
        parser.error("wrk is not installed (Debian: apt-get install wrk); use --tool python")
    tool = "wrk" if args.tool == "wrk" or (args.tool == "auto" and load.have_wrk()) else "bench/load.py"
    head = cache.alembic_head()
    started = datetime.now(timezone.utc)
    results = {"meta": {"date": started.strftime("%Y-%m-%d"), "started": started.strftime("%Y-%m-%dT%H:%M:%S"),
                        "tool": tool, "connections": args.connections, "duration": args.duration,
                        "rounds": args.rounds, "round_seconds": round_seconds(args),
                        "workers": args.workers, "seed": args.seed, "head": head, "machine": machine(dbs, args.pg_url)},
               "runs": []}
    begun = time.perf_counter()
    for db in dbs:
        results["runs"] += bench_db(db, scales, args, head)
    if args.only:
        raw = write_raw(results)
        log(f"Wrote {raw.relative_to(cache.ROOT)} (--only: the report and bench/README.md are left as they were) "
            f"in {time.perf_counter() - begun:.0f} s.")
        return 0
    page = write(results)
    log(f"Wrote {page.relative_to(cache.ROOT)} and updated bench/README.md in {time.perf_counter() - begun:.0f} s.")
    failed = [b for b in report.check_budgets(results["runs"]) if b.passed is False]
    for budget in failed:
        log(f"  budget missed: {budget.rule} ({budget.where}: {budget.value})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
