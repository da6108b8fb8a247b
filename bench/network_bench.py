"""Benchmark of the network view at issue 6's size: 10,000 people, 1,000 groups, about 50,000 links.

    .venv/bin/python bench/network_bench.py                      # SQLite file in a temporary folder
    .venv/bin/python bench/network_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/genius_net_bench

It builds a throwaway database (the real migrations, then bulk INSERTs of a deterministic data set), then
times: the build with metrics (graph queries + networkx), a cached answer of /network/graph.json (the Flask
app, in process), and headless Chromium drawing /network (sigma, from navigation to the first frame drawn),
and saves a screenshot to bench/results/network-<date>.png and the figures to network-<date>.json.
The PostgreSQL database named in the URL is dropped and made again: never point it at real data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

PEOPLE, GROUPS, CLUSTERS = 10_000, 1_000, 100
TARGET_CO_WORKING = 40_000  # person-person pairs; memberships and on-behalf links make up the rest
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def fresh_database(url: str | None, folder: Path) -> str:
    if not url:
        return f"sqlite:///{folder / 'network-bench.db'}"
    target = sa.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    return url


def make_data(db, seed: int = 6) -> dict:
    """People live in 100 clusters of 100 (a neighbourhood, a service area); each cluster has 10 groups.
    Most work stays in a cluster, some crosses: what a council's network looks like."""
    from genius.accounts.models import User
    from genius.challenges.models import Challenge
    from genius.comments.models import Comment
    from genius.groups.models import Group, Membership
    from genius.ideas.models import Idea, Support

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start = now - timedelta(days=540)
    run = db.session.execute

    def when() -> datetime:
        return start + timedelta(seconds=rng.randrange(int((now - start).total_seconds())))

    users = [dict(id=i, email=f"p{i}@example.com", display_name=f"Person {i:05d}", password_hash="x",
                  role="staff" if i % 20 == 0 else "resident", show_in_network=rng.random() < 0.6,
                  created_at=start, updated_at=start) for i in range(1, PEOPLE + 1)]
    run(sa.insert(User), users)
    cluster_of = {i: (i - 1) % CLUSTERS for i in range(1, PEOPLE + 1)}
    members_by_cluster: dict[int, list[int]] = {}
    for person, cluster in cluster_of.items():
        members_by_cluster.setdefault(cluster, []).append(person)
    kinds = ["community_group"] * 5 + ["voluntary_organisation"] * 2 + ["business", "school_or_university", "council_team"]
    groups = [dict(id=g, name=f"Group {g:04d}", kind=kinds[g % len(kinds)], description="", description_html="",
                   is_open=True, status="approved", created_by_id=1, created_at=start, approved_at=start, members_count=0)
              for g in range(1, GROUPS + 1)]
    run(sa.insert(Group), groups)
    group_cluster = {g: (g - 1) % CLUSTERS for g in range(1, GROUPS + 1)}
    groups_by_cluster: dict[int, list[int]] = {}
    for g, cluster in group_cluster.items():
        groups_by_cluster.setdefault(cluster, []).append(g)
    memberships, seen = [], set()
    for person in range(1, PEOPLE + 1):
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
            cluster = cluster_of[person] if rng.random() < 0.85 else rng.randrange(CLUSTERS)
            g = rng.choice(groups_by_cluster[cluster])
            if (g, person) not in seen:
                seen.add((g, person))
                memberships.append(dict(group_id=g, user_id=person, role="member", state="active",
                                        created_at=start, joined_at=when()))
    run(sa.insert(Membership), memberships)
    challenges = [dict(id=c, title=f"Challenge {c}", summary="A challenge", champion_id=20, created_by_id=20,
                       opens_at=start, closes_at=now + timedelta(days=30), status="open",
                       audience="staff" if c % 10 == 0 else "public", created_at=start, updated_at=start)
                  for c in range(1, 51)]
    run(sa.insert(Challenge), challenges)
    person_groups: dict[int, list[int]] = {}
    for m in memberships:
        person_groups.setdefault(m["user_id"], []).append(m["group_id"])
    ideas = []
    for i in range(1, 4001):
        author = rng.randrange(1, PEOPLE + 1)
        own = person_groups.get(author)
        ideas.append(dict(id=i, challenge_id=rng.randrange(1, 51), author_id=author, title=f"Idea {i}", summary="An idea",
                          group_id=rng.choice(own) if own and rng.random() < 0.4 else None,
                          created_at=when(), updated_at=now, last_activity_at=now))
    run(sa.insert(Idea), ideas)
    ideas_by_cluster: dict[int, list[dict]] = {}
    for idea in ideas:
        ideas_by_cluster.setdefault(cluster_of[idea["author_id"]], []).append(idea)
    pairs, comments, supports, supported = set(), [], [], set()
    while len(pairs) < TARGET_CO_WORKING:
        person = rng.randrange(1, PEOPLE + 1)
        cluster = cluster_of[person] if rng.random() < 0.9 else rng.randrange(CLUSTERS)
        idea = rng.choice(ideas_by_cluster[cluster])
        if idea["author_id"] == person:
            continue
        pairs.add((min(person, idea["author_id"]), max(person, idea["author_id"])))
        if rng.random() < 0.5 and (idea["id"], person) not in supported:
            supported.add((idea["id"], person))
            supports.append(dict(idea_id=idea["id"], user_id=person, created_at=when()))
        else:
            for _ in range(rng.choice([1, 1, 2, 3])):
                at = when()
                comments.append(dict(challenge_id=idea["challenge_id"], idea_id=idea["id"], author_id=person, depth=0,
                                     body_source="A comment", body_html="<p>A comment</p>", created_at=at, updated_at=at))
    for chunk in range(0, len(comments), 5000):
        run(sa.insert(Comment), comments[chunk:chunk + 5000])
    for chunk in range(0, len(supports), 5000):
        run(sa.insert(Support), supports[chunk:chunk + 5000])
    db.session.commit()
    return {"people": PEOPLE, "groups": GROUPS, "memberships": len(memberships), "ideas": len(ideas),
            "comments": len(comments), "supports": len(supports), "co_working_pairs": len(pairs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL of a throwaway database (dropped and made again)")
    parser.add_argument("--repeat", type=int, default=3, help="builds to time (the best and the median are shown)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium drawing")
    parser.add_argument("--max-people", type=int, default=0,
                        help="NETWORK_SITE_MAX_PEOPLE for the timed builds, the page and the drawing (default 0: the "
                             "whole network, as the targets were set); the default limit is timed as well")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from genius import create_app
    from genius.extensions import db
    from genius.network import services
    from genius.network.scope import Scope

    folder = Path(tempfile.mkdtemp(prefix="genius-network-bench-"))
    url = fresh_database(args.database_url, folder)
    app = create_app({"GENIUS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder / "instance"),
                      "MAIL_BACKEND": "memory", "SERVER_NAME": None, "WTF_CSRF_ENABLED": False,
                      "NETWORK_SITE_MAX_PEOPLE": args.max_people})
    figures: dict = {"database": sa.make_url(url).get_backend_name(), "date": date.today().isoformat(),
                     "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        figures["data"] = make_data(db)
        figures["data_seconds"] = round(time.perf_counter() - started, 1)
        print(f"data: {figures['data']} in {figures['data_seconds']} s", flush=True)

    builds = []
    with app.test_request_context("/network"):
        from flask_login import AnonymousUserMixin

        for _ in range(args.repeat):
            started = time.perf_counter()
            data = services.build_network(AnonymousUserMixin(), Scope())
            builds.append((time.perf_counter() - started, data["timing_ms"]))
            db.session.rollback()
        # The same build with the default limit on the people shown (what the site serves out of the box).
        app.config["NETWORK_SITE_MAX_PEOPLE"] = services.SITE_MAX_PEOPLE
        capped = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            limited = services.build_network(AnonymousUserMixin(), Scope())
            capped.append(time.perf_counter() - started)
            db.session.rollback()
        app.config["NETWORK_SITE_MAX_PEOPLE"] = args.max_people
    figures["max_people"] = args.max_people
    figures["default_limit"] = {"max_people": services.SITE_MAX_PEOPLE, "best_s": round(min(capped), 3),
                                "people": limited["summary"]["people"], "groups": limited["summary"]["groups"],
                                "links": limited["summary"]["links"], "json_bytes": len(json.dumps(limited))}
    print(f"with the default limit ({services.SITE_MAX_PEOPLE} people): {figures['default_limit']}", flush=True)
    figures["graph"] = {k: data["summary"][k] for k in ("people", "anonymous_people", "groups", "links", "communities",
                                                         "modularity", "betweenness_samples")}
    figures["graph"]["connectors"] = len(data["summary"]["connectors"])
    figures["graph"]["isolated_groups"] = len(data["summary"]["isolated_groups"])
    totals = sorted(b[0] for b in builds)
    figures["build_with_metrics_s"] = {"best": round(totals[0], 3), "median": round(statistics.median(totals), 3),
                                       "parts_ms_of_best": min(builds)[1]}
    print(f"graph: {figures['graph']}", flush=True)
    best = min(builds)[1]
    print(f"build + metrics: best {totals[0]:.2f} s, median {statistics.median(totals):.2f} s "
          f"(queries and assembly {best['build']} ms, metrics and layout {best['metrics']} ms; "
          f"CPU time of this process {best['cpu']} ms)", flush=True)

    client = app.test_client()
    response = client.get("/network/graph.json")  # fills the cache
    assert response.status_code == 200, response.status_code
    figures["json_bytes"] = len(response.data)
    cached = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get("/network/graph.json")
        cached.append(time.perf_counter() - started)
        assert response.status_code == 200
    page = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/network").status_code == 200
        page.append(time.perf_counter() - started)
    figures["cached_json_ms"] = {"median": round(statistics.median(cached) * 1000, 1), "max": round(max(cached) * 1000, 1)}
    figures["cached_page_ms"] = {"median": round(statistics.median(page) * 1000, 1)}
    print(f"cached /network/graph.json ({figures['json_bytes']:,} bytes): median {figures['cached_json_ms']['median']} ms, "
          f"max {figures['cached_json_ms']['max']} ms; cached /network page: median {figures['cached_page_ms']['median']} ms",
          flush=True)

    if not args.no_browser:
        figures["chromium"] = draw(app, folder)
        print(f"Chromium: {figures['chromium']}", flush=True)

    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = ROOT / "bench" / "results" / f"network-{figures['date']}-{figures['database']}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures saved to {out.relative_to(ROOT)}")
    return 0


def draw(app, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    shot = ROOT / "bench" / "results" / f"network-{date.today().isoformat()}.png"
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for attempt in range(3):
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                started = time.perf_counter()
                page.goto(f"{base}/network")
                page.wait_for_selector("#network-drawing[data-state=drawn]", timeout=60_000)
                wall = time.perf_counter() - started
                script_ms = int(page.locator("#network-drawing").get_attribute("data-draw-ms"))
                marks = json.loads(page.locator("#network-drawing").get_attribute("data-marks"))
                results.append({"navigation_to_drawn_s": round(wall, 2), "script_to_drawn_s": round(script_ms / 1000, 2),
                                "script_marks_ms": marks})
                if attempt == 2:
                    page.locator("#network-canvas").scroll_into_view_if_needed()
                    page.select_option("#network-colour", "community")
                    page.wait_for_timeout(500)
                    page.locator(".genius-network-stage").screenshot(path=str(shot))
                page.close()
            browser.close()
    finally:
        server.shutdown()
    best = min(results, key=lambda r: r["navigation_to_drawn_s"])
    return {"runs": results, "best_navigation_to_drawn_s": best["navigation_to_drawn_s"],
            "screenshot": str(shot.relative_to(ROOT))}


if __name__ == "__main__":
    raise SystemExit(main())
