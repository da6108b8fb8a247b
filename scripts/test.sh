#!/usr/bin/env bash
# Runs the whole suite, browser tests included, on SQLite and then on PostgreSQL.
# PostgreSQL is used when reachable at TEST_DATABASE_URL; with CI=true it is required.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
unset DATABASE_URL REDIS_URL GENIUS_ENV

# The Nu HTML Checker (vnu.jar) comes from npm; fetch the pinned test tools once.
if [ ! -f frontend/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing the pinned front-end test tools (npm ci)..."
    (cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  else
    echo "npm not found: HTML checks in the browser tests will be skipped."
  fi
fi

# Two workers by default (pytest-xdist; each has its own database). TEST_WORKERS=0 runs in one process.
WORKERS=(-n "${TEST_WORKERS:-2}")
[ "${TEST_WORKERS:-2}" = "0" ] && WORKERS=()

start=$(date +%s)
echo "== Tests on SQLite =="
GENIUS_TEST_DB=sqlite "$BIN/python" -m pytest "${WORKERS[@]}" "$@"

if "$BIN/python" - <<'PY'
import os, sys
import psycopg
url = os.environ["TEST_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as error:  # noqa: BLE001
    print(f"PostgreSQL is not reachable at {url}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== Tests on PostgreSQL =="
  GENIUS_TEST_DB=postgresql "$BIN/python" -m pytest "${WORKERS[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL is not reachable: failing, because the PostgreSQL run is required in CI." >&2
  exit 1
else
  echo "Skipped the PostgreSQL run: start PostgreSQL or set TEST_DATABASE_URL to include it."
fi
echo "make test took $(( $(date +%s) - start )) s"
