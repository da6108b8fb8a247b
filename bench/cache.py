"""Prepared databases, cached by scale, seed, the migrations' head and the demo generator's code.

Generating x10 takes minutes per database, so each prepared database is kept:
SQLite as bench/data/genius-<scale>-seed<N>-<head>-<demo>.db, PostgreSQL as the
database genius_bench_<scale> whose COMMENT holds the same key. A run works on
a throwaway copy (a file copy; CREATE DATABASE ... TEMPLATE), so the supports
the benchmark adds never reach the cache. When the migrations' head or the
demo generator (genius/demodata, where the scales are defined) changes, the key
changes, and the database is generated again by the real migrations and
`genius demo --scale S --seed N`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "bench-only-secret-key-not-for-any-real-site-0123456789"


def alembic_head(migrations: Path = ROOT / "migrations") -> str:
    """The head revision of the real migrations (one head; several are joined with '+')."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations))
    return "+".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def demo_version(folder: Path = ROOT / "genius" / "demodata") -> str:
    """A digest of the demo generator's code: the scales' sizes and how their rows are made."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def cache_key(scale: str, seed: int, head: str, demo: str | None = None) -> str:
    """What a prepared database depends on: change any part and it is generated again."""
    demo = demo_version() if demo is None else demo
    if not scale.isidentifier() or not head.replace("+", "").isalnum() or not demo.isalnum():
        raise ValueError(f"unexpected scale {scale!r}, head {head!r} or demo version {demo!r}")
    return f"{scale}-seed{seed}-{head}-{demo}"


def sqlite_cache_path(key: str, data: Path) -> Path:
    return data / f"genius-{key}.db"


PG_PREFIX = "genius_bench"


def pg_database_name(scale: str, run: bool = False, prefix: str = PG_PREFIX) -> str:
    return f"{prefix}_{scale}" + ("_run" if run else "")


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of every process the benchmark starts: production settings, fixed key."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_DEBUG", "GENIUS_BENCH")}
    env.update({"GENIUS_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url,
                "MAIL_BACKEND": "memory"})
    env.update(extra)
    return env


def _genius(database_url: str, *args: str, log=print, quiet: bool = False) -> None:
    command = [str(Path(sys.executable).parent / "genius"), *args]
    log(f"  $ DATABASE_URL={database_url} genius {' '.join(args)}")
    subprocess.run(command, env=app_env(database_url), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL if quiet else None)


def generate(database_url: str, scale: str, seed: int, log=print, quiet: bool = False) -> float:
    """The real migrations, then the demo data; returns the seconds it took."""
    started = time.perf_counter()
    _genius(database_url, "db", "upgrade", log=log, quiet=quiet)
    _genius(database_url, "demo", "--scale", scale, "--seed", str(seed), log=log, quiet=quiet)
    return time.perf_counter() - started


@dataclass
class Prepared:
    dbkind: str
    scale: str
    key: str
    url: str          # the working copy the server runs against
    generated: bool   # False when the cache was used
    seconds: float    # generation time, or copy time when cached


def prepare_sqlite(scale: str, seed: int, head: str, log=print, data: Path | None = None,
                   quiet: bool = False) -> Prepared:
    data = DATA if data is None else data  # read when called, so a test can point DATA elsewhere
    data.mkdir(parents=True, exist_ok=True)
    key = cache_key(scale, seed, head)
    cached = sqlite_cache_path(key, data)
    generated, started = False, time.perf_counter()
    if not cached.exists():
        # Older keys of this scale and seed are stale (the head or the generator moved): drop them.
        for old in data.glob(f"genius-{scale}-seed{seed}-*.db"):
            old.unlink()
        building = data / f"building-{key}.db"
        for leftover in data.glob(f"building-{key}.db*"):
            leftover.unlink()
        log(f"Generating the {scale} database on SQLite (seed {seed}, head {head})...")
        generate(f"sqlite:///{building}", scale, seed, log=log, quiet=quiet)
        _settle(building)
        building.rename(cached)  # only a complete database gets the cache's name
        generated = True
    else:
        log(f"Using the cached SQLite database {cached.relative_to(ROOT) if cached.is_relative_to(ROOT) else cached}.")
        with sqlite3.connect(cached) as conn:
            analysed = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
        if not analysed:
            # A cache made before `genius demo` ran ANALYZE: what a live site's nightly `genius analyze` does.
            _genius(f"sqlite:///{cached}", "analyze", log=log, quiet=quiet)
            _settle(cached)
    seconds = time.perf_counter() - started
    work = data / f"run-{scale}.db"
    for leftover in data.glob(f"run-{scale}.db*"):
        leftover.unlink()
    shutil.copyfile(cached, work)
    return Prepared("sqlite", scale, key, f"sqlite:///{work}", generated, seconds)


def _settle(path: Path) -> None:
    """Everything in the database file itself (the app opens it in WAL mode), so that a copy is whole."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")


def _server_url(pg_url: str, database: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(pg_url).set(database=database).render_as_string(hide_password=False)


def _admin(pg_url: str, database: str = "postgres"):
    import psycopg
    import sqlalchemy as sa

    url = sa.make_url(pg_url).set(drivername="postgresql", database=database)
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def pg_cached_key(pg_url: str, database: str) -> str | None:
    with _admin(pg_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
    return None if row is None else (row[0] or "")


def prepare_postgresql(scale: str, seed: int, head: str, pg_url: str = DEFAULT_PG, log=print,
                       prefix: str = PG_PREFIX, quiet: bool = False) -> Prepared:
    key = cache_key(scale, seed, head)
    name, run_name = pg_database_name(scale, prefix=prefix), pg_database_name(scale, run=True, prefix=prefix)
    generated, started = False, time.perf_counter()
    if pg_cached_key(pg_url, name) != key:
        log(f"Generating the {scale} database on PostgreSQL as {name} (seed {seed}, head {head})...")
        with _admin(pg_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        # `genius demo --scale` ends with ANALYZE, as autovacuum would on a live site within minutes of a
        # bulk load; without statistics the first plans at x10 are guesses. The run's copy inherits them.
        generate(_server_url(pg_url, name), scale, seed, log=log, quiet=quiet)
        with _admin(pg_url) as conn:
            # Set last: an interrupted generation leaves no key, so the next run starts again.
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{key}'")
        generated = True
    else:
        log(f"Using the cached PostgreSQL database {name} ({key}).")
    seconds = time.perf_counter() - started
    with _admin(pg_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
        # PostgreSQL 15 copies a template through the WAL by default, block by block: slow for
        # the gigabytes of x10. FILE_COPY copies the files (after a checkpoint).
        strategy = " STRATEGY = FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{name}"{strategy}')
    return Prepared("postgresql", scale, key, _server_url(pg_url, run_name), generated, seconds)


def discard(prepared: Prepared, pg_url: str = DEFAULT_PG) -> None:
    """Remove a run's working copy (the cache stays)."""
    import sqlalchemy as sa

    if prepared.dbkind == "sqlite":
        path = Path(prepared.url.removeprefix("sqlite:///"))
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    else:
        with _admin(pg_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{sa.make_url(prepared.url).database}" WITH (FORCE)')


def prepare(dbkind: str, scale: str, seed: int, head: str, pg_url: str = DEFAULT_PG, log=print) -> Prepared:
    if dbkind == "sqlite":
        return prepare_sqlite(scale, seed, head, log=log)
    if dbkind == "postgresql":
        return prepare_postgresql(scale, seed, head, pg_url, log=log)
    raise ValueError(f"database must be sqlite or postgresql, not {dbkind!r}")
