"""Pages of items already in hand (a cached list, a search engine's answer), with the same arithmetic
and page links as Flask-SQLAlchemy's `db.paginate`, so templates/_pagination.html serves them all."""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination


class ListPagination(Pagination):
    """`items` are this page's items and `total` the count over every page; `extra` become attributes."""

    def __init__(self, items: list, total: int, page: int, per_page: int, **extra: Any) -> None:
        self._given = (list(items), total)
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)
        for name, value in extra.items():
            setattr(self, name, value)

    def _query_items(self) -> list:
        return self._given[0]

    def _query_count(self) -> int:
        return self._given[1]
