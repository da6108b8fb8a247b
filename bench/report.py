"""The benchmark's pure parts: percentiles, ratios, the issue's budgets, the Markdown report."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

HELLO = "hello world"
SUPPORT = "support (POST)"  # in challenges without a support limit
SUPPORT_LIMITED = "support (POST), challenge with a limit"
SIGNED_IN = "signed in: "  # the prefix of the routes measured with a signed-in reader
SQL_BUDGET = 10
P95_GROWTH_BUDGET = 1.3        # p95 at x10 <= 1.3 x p95 at small
CHALLENGE_SHARE_BUDGET = 0.30  # a challenge page >= 30% of hello-world's requests/s
SUPPORT_RATE_BUDGET = 300      # POST/s on PostgreSQL
RSS_BUDGET_MB = 150            # per worker, at x10
README_START = "<!-- bench:latest:start -->"
README_END = "<!-- bench:latest:end -->"


def percentile(ordered: list[float], p: float) -> float:
    """The p-th percentile of sorted values, interpolating between ranks (numpy's default 'linear')."""
    if not ordered:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def routes_by_name(run: dict) -> dict[str, dict]:
    return {route["name"]: route for route in run["routes"]}


def is_page(route: dict) -> bool:
    """A page (or the network JSON) that a reader asks for: the SQL budget's subject. Not the ceiling, not a POST."""
    return route["name"] != HELLO and route.get("method", "GET") == "GET"


def is_challenge_page(route: dict) -> bool:
    """A challenge page as the issue lists them (read by someone not signed in): the 30% budget's subject."""
    return route["name"].startswith("challenge,")


def shows_the_challenge(route: dict) -> bool:
    """A challenge page, signed in or not: what it lists depends on the challenge's state."""
    return route["name"].removeprefix(SIGNED_IN).startswith("challenge,")


@dataclass
class Budget:
    rule: str
    where: str
    value: str
    passed: bool | None  # None: not comparable (shown as n/a)


def _fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def check_budgets(runs: list[dict]) -> list[Budget]:
    """Every budget of issue 7 that the runs can answer; a budget needing x10 waits for an x10 run."""
    budgets: list[Budget] = []
    by_key = {(run["db"], run["scale"]): run for run in runs}
    for run in runs:
        where = f"{run['db']} {run['scale']}"
        routes = routes_by_name(run)
        hello = routes.get(HELLO, {}).get("requests_per_s")
        for route in run["routes"]:
            if route.get("error"):
                budgets.append(Budget("every route answers", f"{where}: {route['name']}", route["error"], False))
            if not route.get("available", True) or not is_page(route):
                continue
            if route.get("sql") is not None:
                budgets.append(Budget(f"<= {SQL_BUDGET} SQL statements", f"{where}: {route['name']}",
                                      str(route["sql"]), route["sql"] <= SQL_BUDGET))
            if is_challenge_page(route) and route.get("requests_per_s") is not None:
                share = ratio(route["requests_per_s"], hello)
                if share is not None:
                    budgets.append(Budget(f"challenge page >= {CHALLENGE_SHARE_BUDGET:.0%} of hello-world req/s",
                                          f"{where}: {route['name']}", f"{share:.0%}", share >= CHALLENGE_SHARE_BUDGET))
        supports = [routes[name] for name in (SUPPORT, SUPPORT_LIMITED)
                    if name in routes and routes[name].get("available", True)]
        for support in supports:
            if run["db"] == "postgresql" and support.get("requests_per_s") is not None:
                label = where if support["name"] == SUPPORT else f"{where}: {support['name']}"
                budgets.append(Budget(f">= {SUPPORT_RATE_BUDGET} support POST/s on PostgreSQL", label,
                                      _fmt(support["requests_per_s"]), support["requests_per_s"] >= SUPPORT_RATE_BUDGET))
        check = run.get("support_check")
        if supports and check:
            budgets.append(Budget("support counters equal COUNT(*) after the run", where,
                                  f"{check['mismatched_ideas']} ideas differ", check["mismatched_ideas"] == 0))
        if run["scale"] == "x10":
            rss = max((r["rss_mb"] for r in run["routes"] if r.get("rss_mb") is not None), default=None)
            if rss is not None:
                budgets.append(Budget(f"worker RSS <= {RSS_BUDGET_MB} MB at x10", where, f"{rss:.0f} MB",
                                      rss <= RSS_BUDGET_MB))
            small = by_key.get((run["db"], "small"))
            if small:
                small_routes = routes_by_name(small)
                for route in run["routes"]:
                    before = small_routes.get(route["name"])
                    if not before or not route.get("available", True) or not before.get("available", True):
                        continue
                    growth = ratio(route.get("p95_ms"), before.get("p95_ms"))
                    if growth is not None:
                        budgets.append(Budget(f"p95 at x10 <= {P95_GROWTH_BUDGET} x p95 at small",
                                              f"{run['db']}: {route['name']}", f"{growth:.2f}x",
                                              growth <= P95_GROWTH_BUDGET))
                    if is_page(route) and route.get("sql") is not None and before.get("sql") is not None:
                        figure, same = f"{before['sql']} -> {route['sql']}", before["sql"] == route["sql"]
                        states = (small.get("targets", {}).get("challenge_status"),
                                  run.get("targets", {}).get("challenge_status"))
                        if shows_the_challenge(route) and states[0] != states[1] and not same:
                            # The busiest challenge differs in kind (a decided one lists its selected ideas).
                            article = "an" if str(states[0])[:1] in "aeiou" else "a"
                            figure, same = f"{figure} ({article} {states[0]} challenge at small, {states[1]} at x10)", None
                        budgets.append(Budget("same SQL statements at small and x10", f"{run['db']}: {route['name']}",
                                              figure, same))
    return budgets


def route_table(run: dict, small: dict | None = None) -> list[str]:
    """One Markdown table for one database at one scale; with `small`, the <scale>/small columns too (x10/small for the budgets)."""
    routes = routes_by_name(run)
    hello = routes.get(HELLO, {}).get("requests_per_s")
    small_routes = routes_by_name(small) if small else {}
    header = ["route", "req/s", "p50 ms", "p95 ms", "p99 ms", "SQL/req", "RSS MB", "req/s vs hello"]
    if small:
        header += [f"{run['scale']}/small req/s", f"{run['scale']}/small p95"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for route in run["routes"]:
        if not route.get("available", True):
            cells = [route["name"], f"**failed**: {route['error']}" if route.get("error") else "not available"]
            cells += [""] * (len(header) - 2)
            lines.append("| " + " | ".join(cells) + " |")
            continue
        share = ratio(route.get("requests_per_s"), hello)
        cells = [route["name"], _fmt(route.get("requests_per_s")), _fmt(route.get("p50_ms"), 2),
                 _fmt(route.get("p95_ms"), 2), _fmt(route.get("p99_ms"), 2), _fmt(route.get("sql")),
                 _fmt(route.get("rss_mb"), 0), "–" if share is None else f"{share:.0%}"]
        if small:
            before = small_routes.get(route["name"], {})
            rps = ratio(route.get("requests_per_s"), before.get("requests_per_s"))
            p95 = ratio(route.get("p95_ms"), before.get("p95_ms"))
            cells += ["–" if rps is None else f"{rps:.2f}", "–" if p95 is None else f"{p95:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(results: dict, passes: bool = True) -> str:
    """The whole report: settings, a table per database and scale, notes, then the budgets
    (every check; with passes=False, as in the README, only the misses and the n/a)."""
    meta = results["meta"]
    runs = results["runs"]
    by_key = {(run["db"], run["scale"]): run for run in runs}
    out = [f"# GenIUS benchmark, {meta['date']}", ""]
    posts = ("; the support POSTs through bench/load.py, as each pair is sent once" if meta["tool"] == "wrk"
             else " (Python, asyncio)")
    rounds = meta.get("rounds", 1)
    if rounds > 1:
        per = (f"{rounds} rounds of {meta['round_seconds']} s per route at each scale, the scales taking turns "
               "(the servers of both scales run throughout); each percentile is the median of the rounds'")
    else:
        per = f"{meta['duration']} s per route"
    out.append(f"Load: {meta['tool']} from a separate process, {meta['connections']} connections, {per}"
               f"{posts}. Server: gunicorn, {meta['workers']} sync workers, production settings. Data: "
               f"`genius demo --scale S --seed {meta['seed']}` at migration head `{meta['head']}`. "
               f"Machine: {meta['machine']}.")
    out.append("")
    for run in runs:
        small = by_key.get((run["db"], "small")) if run["scale"] != "small" else None
        out.append(f"## {run['db']}, {run['scale']}")
        out.append("")
        prep = run.get("prepare", {})
        targets = run.get("targets", {})
        if prep:
            how = f"generated in {prep['seconds']:.0f} s" if prep.get("generated") else "from the cache"
            out.append(f"Database {how} (`{prep['key']}`). Challenge {targets.get('challenge_id')} "
                       f"({targets.get('challenge_ideas')} ideas, {targets.get('challenge_status', '?')}), idea {targets.get('idea_id')} "
                       f"({targets.get('idea_comments')} comments), profile {targets.get('profile_id')}, "
                       f"search for \"{targets.get('search_word')}\".")
            out.append("")
        if run.get("load_average"):
            out.append("The machine's load average (1 minute) before and after this run: "
                       + " and ".join(f"{value:.2f}" for value in run["load_average"])
                       + "; above the CPU count, other work competed with the benchmark and the figures are noisy.")
            out.append("")
        out += route_table(run, small)
        out.append("")
        notes = [f"- {route['name']}: {note}" for route in run["routes"] for note in route.get("notes", [])]
        check = run.get("support_check")
        if check:
            notes.append(f"- supports: {check['added']} added by {check['requests']} POSTs; "
                         f"{check['mismatched_ideas']} ideas whose counter differs from COUNT(*).")
        if notes:
            out += notes + [""]
    out.append("## Budgets (issue 7)")
    out.append("")
    budgets = check_budgets(runs)
    if budgets:
        order = {rule: n for n, rule in enumerate(dict.fromkeys(b.rule for b in budgets))}
        budgets.sort(key=lambda b: order[b.rule])  # grouped by rule, in the order of the runs within
        passed = sum(b.passed is True for b in budgets)
        out += [f"{passed} of {len(budgets)} checks pass" + ("." if passes else "; the others:"), ""]
        shown = [b for b in budgets if passes or b.passed is not True]
        if shown:
            out += ["| budget | where | figure | result |", "|---|---|---|---|"]
            out += [f"| {b.rule} | {b.where} | {b.value} | {'n/a' if b.passed is None else 'pass' if b.passed else '**miss**'} |"
                    for b in shown]
    else:
        out.append("No budget could be checked by these runs.")
    missing = sorted({"x10"} - {run["scale"] for run in runs})
    if missing:
        out += ["", "Not run at x10 here: the x10/small ratios, the p95 growth and the RSS budget need "
                "`make bench SCALES=\"small x10\"`."]
    out.append("")
    return "\n".join(out)


def update_readme(readme: Path, table: str) -> None:
    """Replace what stands between the README's markers with the latest report."""
    text = readme.read_text()
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {README_START} ... {README_END} markers")
    body = table.replace("\n# ", "\n### ").replace("\n## ", "\n### ")
    if body.startswith("# "):
        body = "### " + body[2:]
    text = pattern.sub(lambda _m: f"{README_START}\n{body.strip()}\n{README_END}", text)
    readme.write_text(text)
