"""The benchmark harness (bench/, `make bench`): its pure parts with real inputs, the GENIUS_BENCH
hooks, the database cache, the load generator against a served app, and gunicorn's start and stop.

The full run (every route, both databases, x10) is `make bench`, not a test.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from conftest import PG_URL, TEST_DB, make_app
from genius.challenges.models import Challenge
from genius.demodata import SCALES, load_scale
from genius.extensions import db
from genius.ideas.models import Idea, Support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is a folder of the repository, not part of the installed app

from bench import cache, load, report, run, targets  # noqa: E402
from bench.server import Server  # noqa: E402


# --- percentiles ------------------------------------------------------------------------------

def test_percentiles_interpolate_between_ranks_as_numpy_does():
    values = sorted([0.004, 0.001, 0.003, 0.002])
    assert report.percentile(values, 0) == 0.001
    assert report.percentile(values, 100) == 0.004
    assert report.percentile(values, 50) == pytest.approx(0.0025)
    assert report.percentile(values, 95) == pytest.approx(0.00385)
    assert report.percentile([7.0], 99) == 7.0
    hundred = [float(n) for n in range(1, 101)]
    assert report.percentile(hundred, 99) == pytest.approx(99.01)
    with pytest.raises(ValueError):
        report.percentile([], 50)
    with pytest.raises(ValueError):
        report.percentile(values, 101)


def test_the_summary_of_a_run_reports_milliseconds_and_rate():
    latencies = [n / 1000 for n in range(1, 201)]  # 1 ms .. 200 ms
    summary = load.summarise(latencies, 2.0, Counter({200: 199, 404: 1}), Counter())
    assert summary["requests"] == 200
    assert summary["requests_per_s"] == 100.0
    assert summary["p50_ms"] == pytest.approx(100.5)
    assert summary["p95_ms"] == pytest.approx(190.05)
    assert summary["statuses"] == {"200": 199, "404": 1}


def _round(rps, p50, p95, p99, requests, seconds, statuses=None, exhausted=False):
    return {"requests": requests, "seconds": seconds, "requests_per_s": rps, "p50_ms": p50, "p95_ms": p95,
            "p99_ms": p99, "statuses": statuses or {"200": requests}, "errors": {}, "exhausted": exhausted,
            "tool": "wrk"}


def test_rounds_combine_into_medians_and_the_whole_rate():
    """A hiccup in one round (the third here: 9 ms at p95) does not decide the figure; the rate is
    over the whole time, not an average of the rounds' rates."""
    rounds = [_round(1000.0, 1.0, 1.5, 2.0, 3000, 3.0), _round(500.0, 1.2, 1.7, 2.5, 1000, 2.0, {"200": 999, "404": 1}),
              _round(900.0, 1.1, 9.0, 12.0, 2700, 3.0, exhausted=True)]
    combined = load.combine(rounds)
    assert combined["requests"] == 6700 and combined["seconds"] == 8.0
    assert combined["requests_per_s"] == 837.5
    assert (combined["p50_ms"], combined["p95_ms"], combined["p99_ms"]) == (1.1, 1.7, 2.5)
    assert combined["statuses"] == {"200": 6699, "404": 1}
    assert combined["exhausted"] is True
    assert [r["p95_ms"] for r in combined["rounds"]] == [1.5, 1.7, 9.0]
    assert load.combine(rounds[:2])["p95_ms"] == pytest.approx(1.6)  # two rounds: halfway
    assert load.combine([_round(0.0, None, None, None, 0, 1.0)])["p95_ms"] is None
    with pytest.raises(ValueError):
        load.combine([])


def test_the_scales_take_turns_forwards_then_backwards():
    assert load.turns(["small", "x10"], 3) == [["small", "x10"], ["x10", "small"], ["small", "x10"]]
    assert load.turns(["small"], 2) == [["small"], ["small"]]


# --- the report and the budgets ---------------------------------------------------------------

def _route(name, rps, p95, sql=None, rss=90.0, method="GET", available=True):
    return {"name": name, "method": method, "available": available, "requests_per_s": rps, "p50_ms": p95 / 2,
            "p95_ms": p95, "p99_ms": p95 * 1.5, "sql": sql, "rss_mb": rss, "notes": []}


def _run(db_name, scale, challenge_rps, challenge_p95, rss=90.0, support_rps=320.0, mismatched=0, sql=8):
    # Figures shaped like a real small run on this machine (see bench/results/).
    return {
        "db": db_name, "scale": scale,
        "prepare": {"key": f"{scale}-seed1-ac96a59fb10c", "generated": False, "seconds": 0.1},
        "targets": {"challenge_id": 6, "challenge_ideas": 33, "challenge_status": "decided", "idea_id": 75, "idea_comments": 31, "profile_id": 1,
                    "search_word": "fitness"},
        "routes": [
            _route("hello world", 2000.0, 2.8, sql=0, rss=rss),
            _route("home", 820.0, 8.0, sql=2, rss=rss),
            _route("challenge index", 140.0, 45.6, sql=4, rss=rss),
            _route("challenge, newest, page 1", challenge_rps, challenge_p95, sql=sql, rss=rss),
            _route("network graph (site)", None, 0, available=False),
            _route("support (POST)", support_rps, 40.0, sql=15, rss=rss, method="POST"),
        ],
        "support_check": {"requests": 250, "added": 253, "mismatched_ideas": mismatched},
        "load_average": [1.5, 2.25],
    }


def _budgets(runs):
    return {(b.rule, b.where): b for b in report.check_budgets(runs)}


def test_budgets_at_small_scale_only():
    sqlite = _run("sqlite", "small", 700.0, 30.0)
    sqlite["routes"].append({"name": "search", "path": "/search?q=x", "available": False, "error": "answered [500, 500, 500]"})
    budgets = _budgets([sqlite, _run("postgresql", "small", 40.0, 90.0, support_rps=36.7)])
    assert not budgets[("every route answers", "sqlite small: search")].passed
    assert "| search | **failed**: answered [500, 500, 500] |" in "\n".join(report.route_table(sqlite))
    share = budgets[("challenge page >= 30% of hello-world req/s", "sqlite small: challenge, newest, page 1")]
    assert (share.value, share.passed) == ("35%", True)
    assert not budgets[("challenge page >= 30% of hello-world req/s", "postgresql small: challenge, newest, page 1")].passed
    # The challenge index is not "a challenge page"; the POST is not a page for the SQL budget.
    assert not any("challenge index" in where for rule, where in budgets if rule.startswith("challenge page"))
    assert not any("support" in where for rule, where in budgets if rule.startswith("<= 10 SQL"))
    assert budgets[("<= 10 SQL statements", "sqlite small: challenge, newest, page 1")].passed
    assert not budgets[(">= 300 support POST/s on PostgreSQL", "postgresql small")].passed
    assert ("support POST/s", "sqlite small") not in budgets, "the POST/s budget is for PostgreSQL"
    assert budgets[("support counters equal COUNT(*) after the run", "sqlite small")].passed
    assert not any("x10" in rule for rule, _ in budgets), "x10 budgets wait for an x10 run"


def test_budgets_comparing_x10_with_small():
    small = _run("postgresql", "small", 100.0, 20.0)
    x10 = _run("postgresql", "x10", 90.0, 27.0, rss=151.0, mismatched=2, sql=9)
    budgets = _budgets([small, x10])
    growth = budgets[("p95 at x10 <= 1.3 x p95 at small", "postgresql: challenge, newest, page 1")]
    assert (growth.value, growth.passed) == ("1.35x", False)
    assert budgets[("p95 at x10 <= 1.3 x p95 at small", "postgresql: hello world")].passed
    assert not budgets[("worker RSS <= 150 MB at x10", "postgresql x10")].passed
    assert budgets[("same SQL statements at small and x10", "postgresql: challenge, newest, page 1")].passed is False
    assert budgets[("same SQL statements at small and x10", "postgresql: home")].passed
    x10["targets"]["challenge_status"] = "open"  # small's busiest is decided: not like with like
    for run, sql in ((small, 9), (x10, 8)):  # the same page signed in: its selected ideas, at small only
        run["routes"].append(_route(f"{report.SIGNED_IN}challenge, newest, page 1", 40.0, 50.0, sql=sql))
    unlike = _budgets([small, x10])
    statements = unlike[("same SQL statements at small and x10", "postgresql: challenge, newest, page 1")]
    assert statements.passed is None and statements.value == "8 -> 9 (a decided challenge at small, open at x10)"
    signed_in = unlike[("same SQL statements at small and x10", "postgresql: signed in: challenge, newest, page 1")]
    assert signed_in.passed is None and signed_in.value == "9 -> 8 (a decided challenge at small, open at x10)"
    assert not any("signed in" in where for rule, where in unlike if rule.startswith("challenge page >= 30%")), \
        "the 30% budget is for the pages the issue lists, read by someone not signed in"
    assert not budgets[("support counters equal COUNT(*) after the run", "postgresql x10")].passed


def test_supports_with_a_limit_are_a_route_of_their_own_with_the_same_budgets():
    """Supports in a challenge with a limit (two statements more) are compared with their own kind at small;
    the POST/s budget holds for them too; a scale without such a challenge leaves the comparison out."""
    small = _run("postgresql", "small", 100.0, 20.0)
    x10 = _run("postgresql", "x10", 90.0, 22.0)
    small["routes"].append(_route(report.SUPPORT_LIMITED, 420.0, 10.0, sql=6, method="POST"))
    x10["routes"].append(_route(report.SUPPORT_LIMITED, 250.0, 14.0, sql=6, method="POST"))
    budgets = _budgets([small, x10])
    growth = budgets[("p95 at x10 <= 1.3 x p95 at small", f"postgresql: {report.SUPPORT_LIMITED}")]
    assert (growth.value, growth.passed) == ("1.40x", False)
    assert budgets[(">= 300 support POST/s on PostgreSQL", f"postgresql small: {report.SUPPORT_LIMITED}")].passed
    assert not budgets[(">= 300 support POST/s on PostgreSQL", f"postgresql x10: {report.SUPPORT_LIMITED}")].passed
    assert budgets[(">= 300 support POST/s on PostgreSQL", "postgresql x10")].passed  # the other kind, 320
    small["routes"][-1] = {"name": report.SUPPORT_LIMITED, "available": False,
                           "notes": ["no open challenge with a support limit at this scale"]}
    budgets = _budgets([small, x10])
    assert ("p95 at x10 <= 1.3 x p95 at small", f"postgresql: {report.SUPPORT_LIMITED}") not in budgets
    assert "no open challenge with a support limit at this scale" in report.render({
        "meta": {"date": "2026-11-29", "tool": "wrk", "connections": 4, "duration": 10, "workers": 2, "seed": 1,
                 "head": "b3e8d5f2a914", "machine": "2 CPUs"}, "runs": [small, x10]})


def test_the_report_has_a_table_per_run_with_ratios_and_the_budgets(tmp_path):
    results = {"meta": {"date": "2026-11-28", "started": "2026-11-28T09:40:00", "tool": "wrk", "connections": 4,
                        "duration": 3.0, "workers": 2, "seed": 1, "head": "ac96a59fb10c", "machine": "2 CPUs"},
               "runs": [_run("sqlite", "small", 100.0, 20.0), _run("sqlite", "x10", 50.0, 40.0)]}
    text = report.render(results)
    assert "## sqlite, small" in text and "## sqlite, x10" in text
    assert "Challenge 6 (33 ideas, decided)" in text
    assert "| challenge, newest, page 1 | 100.0 | 10.00 | 20.00 | 30.00 | 8 | 90 | 5% |" in text
    # x10 rows carry the x10/small ratios: requests/s halved, p95 doubled.
    assert "| challenge, newest, page 1 | 50.0 | 20.00 | 40.00 | 60.00 | 8 | 90 | 2% | 0.50 | 2.00 |" in text
    assert "| network graph (site) | not available |" in text
    assert "| p95 at x10 <= 1.3 x p95 at small | sqlite: challenge, newest, page 1 | 2.00x | **miss** |" in text
    budgets = text[text.index("## Budgets"):]
    assert budgets.count("| <= 10 SQL statements |") == 6  # home, index, challenge; twice
    rules = [line.split(" | ")[0] for line in budgets.splitlines() if line.startswith("| ") and "---" not in line][1:]
    groups = [rule for n, rule in enumerate(rules) if n == 0 or rules[n - 1] != rule]
    assert len(groups) == len(set(rules)), "each rule's checks stand together"
    assert "supports: 253 added by 250 POSTs; 0 ideas whose counter differs" in text
    assert "load average (1 minute) before and after this run: 1.50 and 2.25" in text
    assert "4 connections, 3.0 s per route" in text
    in_rounds = {**results, "meta": {**results["meta"], "rounds": 3, "round_seconds": 1}}
    assert ("4 connections, 3 rounds of 1 s per route at each scale, the scales taking turns"
            in report.render(in_rounds))

    readme = tmp_path / "README.md"
    readme.write_text(f"# Bench\n\n## Latest benchmark\n\n{report.README_START}\nold\n{report.README_END}\n\n## After\n")
    page = run.write(results, tmp_path / "results", readme)
    assert page == tmp_path / "results" / "2026-11-28.md"
    assert page.read_text() == text
    assert len(list((tmp_path / "results" / "raw").glob("*.json"))) == 1
    updated = readme.read_text()
    assert "old" not in updated and "### sqlite, small" in updated and updated.endswith("## After\n")
    assert "\n# GenIUS benchmark" not in updated, "headings are demoted under the README's own"
    assert "checks pass; the others:" in updated and "| pass |" not in updated and "| **miss** |" in updated
    assert "Every check: [2026-11-28.md](results/2026-11-28.md)." in updated
    with pytest.raises(ValueError):
        report.update_readme(tmp_path / "results" / "2026-11-28.md", text)


# --- targets ----------------------------------------------------------------------------------

def test_common_word_and_interleaving():
    assert targets.common_word(["Safer cycling routes", "Cycling to school", "More trees near schools"]) == "cycling"
    assert targets.common_word(["a b c"]) == "idea"
    pairs = targets.interleave({"a": [1, 2, 3], "b": [4], "c": [5, 6]}, limit=5)
    assert pairs == [("a", 1), ("b", 4), ("c", 5), ("a", 2), ("c", 6)]


def test_only_picks_routes_by_name_and_always_keeps_the_ceiling():
    assert run.wanted("signed in: search", [])
    assert run.wanted("signed in: search", ["search"])
    assert run.wanted("support (POST)", ["profile", "support"])
    assert not run.wanted("signed in: profile", ["support"])
    assert run.wanted(report.HELLO, ["support"])


@pytest.fixture
def small_demo(app):
    load_scale("small", seed=1)
    db.session.commit()
    return app.config["SQLALCHEMY_DATABASE_URI"]


def test_targets_come_from_the_data_and_every_pair_may_be_supported(small_demo):
    chosen = targets.choose(small_demo, pool_size=30, max_pairs=500)
    busiest = db.session.scalar(select(func.max(Challenge.ideas_count)).where(Challenge.status != "draft",
                                                                             Challenge.audience == "public"))
    assert chosen.challenge_ideas == busiest
    assert chosen.challenge_status == db.session.get(Challenge, chosen.challenge_id).status
    assert db.session.get(Challenge, chosen.challenge_id).champion_id == chosen.profile_id
    assert db.session.get(Idea, chosen.idea_id).comments_count == db.session.scalar(select(func.max(Idea.comments_count)))
    assert chosen.search_word.isalpha() and len(chosen.search_word) >= 5
    # Both kinds of support exist at small: the demo's first challenge, open, always has a limit.
    assert chosen.pairs and chosen.limited_pairs, "the small demo has open challenges with and without a limit"
    every = chosen.pairs + chosen.limited_pairs
    assert len(set(every)) == len(every)
    from genius.accounts.models import User

    ids = {email: user_id for user_id, email in db.session.execute(select(User.id, User.email))}
    already = {tuple(row) for row in db.session.execute(select(Support.user_id, Support.idea_id))}
    assert not {(ids[email], idea) for email, idea in every} & already
    # Each list holds its kind only, and the per-challenge limits hold with every planned support added.
    planned = Counter()
    for pairs, limited in ((chosen.pairs, False), (chosen.limited_pairs, True)):
        for email, idea_id in pairs:
            idea = db.session.get(Idea, idea_id)
            assert idea.challenge.accepts_ideas() and idea.withdrawn_at is None
            assert bool(idea.challenge.support_limit) is limited
            planned[(ids[email], idea.challenge_id)] += 1
    for (user_id, challenge_id), n in planned.items():
        limit = db.session.get(Challenge, challenge_id).support_limit
        if limit:
            used = db.session.scalar(select(func.count()).select_from(Support).join(Idea, Idea.id == Support.idea_id)
                                     .where(Support.user_id == user_id, Idea.challenge_id == challenge_id,
                                            Idea.withdrawn_at.is_(None)))
            assert used + n <= limit


def test_the_support_check_finds_a_counter_that_differs_from_its_rows(small_demo):
    total, mismatched = run.support_check(small_demo)
    assert total == db.session.scalar(select(func.count()).select_from(Support))
    assert mismatched == 0
    idea = db.session.scalars(select(Idea).where(Idea.supports_count > 0).limit(1)).one()
    idea.supports_count += 1
    db.session.commit()
    assert run.support_check(small_demo) == (total, 1)


# --- the GENIUS_BENCH hooks -------------------------------------------------------------------

@pytest.fixture
def bench_app(app, tmp_path):
    """A second app on the test database with GENIUS_BENCH on (the `app` fixture empties the tables)."""
    bench = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "bench-instance", GENIUS_BENCH=True)
    yield bench
    with bench.app_context():
        db.engine.dispose()


def test_the_hello_route_and_sql_header_exist_only_with_the_bench_setting(client, bench_app, small_demo):
    plain = client.get("/bench/hello")
    assert plain.status_code == 404
    assert "X-Genius-SQL-Statements" not in client.get("/").headers

    bench_client = bench_app.test_client()
    hello = bench_client.get("/bench/hello")
    assert (hello.status_code, hello.get_data(as_text=True)) == (200, "ok")
    assert hello.headers["X-Genius-SQL-Statements"] == "0"

    challenge_id = db.session.scalar(select(Challenge.id).where(Challenge.status == "open", Challenge.audience == "public")
                                     .order_by(Challenge.ideas_count.desc()).limit(1))
    seen: list[str] = []

    def before(conn, cursor, statement, *_args):
        seen.append(statement)

    with bench_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        page = bench_client.get(f"/challenges/{challenge_id}?sort=most_supported")
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert page.status_code == 200
    assert int(page.headers["X-Genius-SQL-Statements"]) == len(seen) > 0


# --- the load generator against a served app --------------------------------------------------

@pytest.fixture
def served(bench_app, small_demo):
    """The bench app served by a thread (werkzeug), on a free port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, bench_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=10)


def _in_thread(coroutine):
    """asyncio.run in a thread of its own: a browser test in the same worker leaves Playwright's loop running."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_raw_http_parsing_reads_lengths_and_chunks():
    async def parse(data: bytes):
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await load.read_response(reader)

    status, headers, body = _in_thread(parse(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nokNEXT"))
    assert (status, headers["x-a"], body) == (200, "b", b"ok")
    status, _, body = _in_thread(parse(b"HTTP/1.1 404 NOT FOUND\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
    assert (status, body) == (404, b"abcde")
    request = load.raw_request("POST", "/x", "h:1", {"Cookie": "a=b"}, "csrf_token=t")
    assert request.startswith(b"POST /x HTTP/1.1\r\nHost: h:1\r\n")
    assert request.endswith(b"Content-Length: 12\r\n\r\ncsrf_token=t")


@pytest.mark.slow
def test_the_python_load_generator_drives_a_served_app(served):
    hello = load.run_python(served, {"requests": [{"method": "GET", "path": "/bench/hello"}]}, 1.0, 2)
    assert hello["tool"] == "python"
    assert hello["requests"] > 10 and hello["statuses"] == {"200": hello["requests"]}
    assert 0 < hello["p50_ms"] <= hello["p95_ms"] <= hello["p99_ms"]
    assert hello["requests_per_s"] == pytest.approx(hello["requests"] / hello["seconds"], rel=0.01)

    # "once": each request at most once, then it stops before the time is up.
    once = load.run_python(served, {"requests": [{"method": "GET", "path": f"/bench/hello?n={n}"} for n in range(7)]
                                    + [{"method": "GET", "path": "/no-such-page"}], "once": True}, 30.0, 3)
    assert once["requests"] == 8 and once["exhausted"] and once["seconds"] < 10
    assert once["statuses"] == {"200": 7, "404": 1}


def test_the_scales_take_turns_and_each_round_sends_its_own_requests(bench_app, served):
    """run.load_rounds against a served app: round by round, small then x10, x10 then small, and so on, each
    sending that round's share (as the supports do); each scale's figures combine its own three rounds."""
    from types import SimpleNamespace

    from flask import request

    heard = []
    bench_app.before_request(lambda: heard.append(request.full_path))
    server = SimpleNamespace(port=served, worker_rss_mb=lambda: None)
    stands = [run.Stand(scale, None, None, server, {}) for scale in ("small", "x10")]
    loads = [(stand, [{"requests": [{"method": "GET", "path": f"/bench/hello?{stand.scale}-{n}"}], "once": True}
                      for n in range(3)]) for stand in stands]
    args = SimpleNamespace(rounds=3, duration=3, connections=1, tool="python")
    results = run.load_rounds("hello world", loads, args)
    assert heard == ["/bench/hello?small-0", "/bench/hello?x10-0", "/bench/hello?x10-1", "/bench/hello?small-1",
                     "/bench/hello?small-2", "/bench/hello?x10-2"]
    for scale in ("small", "x10"):
        assert results[scale]["requests"] == 3 and len(results[scale]["rounds"]) == 3
        assert results[scale]["statuses"] == {"200": 3}


@pytest.mark.slow
@pytest.mark.skipif(not load.have_wrk(), reason="wrk is not installed (Debian: apt-get install wrk)")
def test_wrk_reports_through_the_lua_script(served):
    result = load.run_wrk(served, {"requests": [{"method": "GET", "path": "/bench/hello"}]}, 1.0, 2)
    assert result["tool"] == "wrk" and result["requests"] > 10
    assert result["statuses"] == {"2xx/3xx": result["requests"]}
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    with pytest.raises(ValueError):
        load.run_wrk(served, {"requests": [{"method": "GET", "path": "/"}], "once": True}, 1.0, 1)


# --- gunicorn, and the database cache -----------------------------------------------------------

@pytest.mark.slow
def test_gunicorn_starts_two_workers_in_production_mode_and_stops(small_demo, tmp_path):
    with Server(small_demo, workers=2, log=tmp_path / "gunicorn.log") as server:
        assert len(server.worker_pids()) == 2
        assert 20 < server.worker_rss_mb() < 1000
        status, message, body = run.get(server.port, "/bench/hello")
        assert (status, body) == (200, "ok")
        status, message, _ = run.get(server.port, "/")
        assert status == 200 and "max-age" in message["Strict-Transport-Security"], "production settings"
        pids = server.worker_pids()
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)
    # gunicorn.conf.py, read from the directory gunicorn starts in: each worker sets its start-up objects aside.
    set_aside = re.findall(r"Set aside (\d+) objects made at start-up", (tmp_path / "gunicorn.log").read_text())
    assert len(set_aside) == 2 and all(int(n) > 10_000 for n in set_aside), set_aside


@pytest.mark.slow
@pytest.mark.skipif(TEST_DB != "sqlite", reason="one database is enough: the bench's own SQLite run")
def test_the_site_network_is_built_afresh_in_every_run(monkeypatch, tmp_path):
    """Each run serves from an empty network cache of its own, so the route's statements are a build's in
    every run, not 2 when a network kept from an earlier run happens to match."""
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    monkeypatch.setattr(cache, "DATA", tmp_path / "data")  # not the developer's cache in bench/data
    kept = []
    monkeypatch.setattr(run, "write_raw", lambda results: kept.append(results) or cache.ROOT / "raw.json")
    for _ in range(2):
        assert run.main(["--scales", "small", "--dbs", "sqlite", "--only", "network", "--duration", "2",
                         "--rounds", "2", "--tool", "python"]) == 0
    routes = [route for results in kept for one in results["runs"] for route in one["routes"]
              if route["name"] == "network graph (site)"]
    counts = [route["sql"] for route in routes]
    assert len(counts) == 2 and counts[0] == counts[1] > 2, counts
    # Measured in the rounds asked for, each a second long, and combined over their whole time.
    assert all(len(route["rounds"]) == 2 and route["seconds"] >= 1.9 for route in routes), routes
    assert kept[0]["meta"]["rounds"] == 2 and kept[0]["meta"]["round_seconds"] == 1


def test_the_cache_key_follows_the_real_migrations_head(migrated):
    engine = sa.create_engine(migrated)
    with engine.connect() as conn:
        applied = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert cache.alembic_head() == applied
    assert cache.cache_key("x10", 1, applied) == f"x10-seed1-{applied}-{cache.demo_version()}"
    assert cache.cache_key("small", 2, applied) != cache.cache_key("small", 1, applied)
    with pytest.raises(ValueError):
        cache.cache_key("small; DROP", 1, applied)


@pytest.mark.slow
@pytest.mark.skipif(TEST_DB != "sqlite", reason="the SQLite cache")
def test_sqlite_cache_is_reused_and_made_again_when_the_head_changes(tmp_path):
    quiet = dict(log=lambda _m: None, data=tmp_path, quiet=True)
    first = cache.prepare_sqlite("small", 1, "aaaa1111", **quiet)
    assert first.generated and (tmp_path / f"genius-{cache.cache_key('small', 1, 'aaaa1111')}.db").exists()
    again = cache.prepare_sqlite("small", 1, "aaaa1111", **quiet)
    assert not again.generated and again.url == first.url
    moved = cache.prepare_sqlite("small", 1, "bbbb2222", **quiet)
    assert moved.generated
    assert sorted(p.name for p in tmp_path.glob("genius-*.db")) == [f"genius-{cache.cache_key('small', 1, 'bbbb2222')}.db"]
    engine = sa.create_engine(moved.url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM users")) == SCALES["small"].people
    engine.dispose()
    cache.discard(moved)
    assert not list(tmp_path.glob("run-*"))


@pytest.mark.slow
@pytest.mark.skipif(TEST_DB != "postgresql", reason="the PostgreSQL cache")
def test_postgresql_cache_is_a_commented_database_copied_for_each_run():
    prefix = "genius_bench_test"
    quiet = dict(log=lambda _m: None, prefix=prefix, quiet=True)
    first = cache.prepare_postgresql("small", 1, "aaaa1111", PG_URL, **quiet)
    try:
        assert first.generated
        assert cache.pg_cached_key(PG_URL, f"{prefix}_small") == cache.cache_key("small", 1, "aaaa1111")
        assert sa.make_url(first.url).database == f"{prefix}_small_run"
        engine = sa.create_engine(first.url)
        with engine.begin() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM users")) == SCALES["small"].people
            conn.execute(sa.text("DELETE FROM follows"))  # the run's copy changes; the cache does not
        engine.dispose()
        again = cache.prepare_postgresql("small", 1, "aaaa1111", PG_URL, **quiet)
        assert not again.generated
        engine = sa.create_engine(again.url)
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM follows")) > 0
        engine.dispose()
        cache.discard(again, PG_URL)
        assert cache.pg_cached_key(PG_URL, f"{prefix}_small_run") is None
        moved = cache.prepare_postgresql("small", 1, "bbbb2222", PG_URL, **quiet)
        assert moved.generated and cache.pg_cached_key(PG_URL, f"{prefix}_small") == cache.cache_key("small", 1, "bbbb2222")
        cache.discard(moved, PG_URL)
    finally:
        with cache._admin(PG_URL) as conn:  # noqa: SLF001
            for name in (f"{prefix}_small", f"{prefix}_small_run"):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_cache_key_follows_the_demo_generator(tmp_path):
    """A scale's size lives in genius/demodata: a database generated before it changed is not reused."""
    from shutil import copytree

    copy = copytree(ROOT / "genius" / "demodata", tmp_path / "demodata")
    assert cache.demo_version(copy) == cache.demo_version()
    loader = copy / "loader.py"
    loader.write_text(loader.read_text().replace('"small": Scale(', '"small": Scale(1 + ', 1))
    changed = cache.demo_version(copy)
    assert changed != cache.demo_version()
    assert cache.cache_key("small", 1, "aaaa1111", changed) != cache.cache_key("small", 1, "aaaa1111")
