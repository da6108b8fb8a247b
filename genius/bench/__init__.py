"""Hooks for `make bench` (bench/run.py), on only when GENIUS_BENCH=1.

- `GET /bench/hello` answers "ok" through the same app, middleware and
  extensions as every page, without templates or the database: the ceiling
  the benchmark compares every route with.
- Every response carries `X-Genius-SQL-Statements`: how many statements the
  request sent to the database (counted by a SQLAlchemy event), so the
  benchmark reads the same figure the tests check, from the real server.

Nothing here is registered in a normal run.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, has_app_context
from sqlalchemy import event

SQL_HEADER = "X-Genius-SQL-Statements"

bp = Blueprint("bench", __name__)


@bp.get("/bench/hello")
def hello():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def _count_statement(*_args) -> None:
    if has_app_context():
        g._bench_sql = g.get("_bench_sql", 0) + 1


def init_app(app: Flask) -> None:
    from genius.extensions import db, limiter

    limiter.exempt(hello)
    app.register_blueprint(bp)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)

    @app.after_request
    def _sql_header(response):
        response.headers[SQL_HEADER] = str(g.get("_bench_sql", 0))
        return response
