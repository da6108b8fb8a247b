"""Read-only search over challenges and ideas, ranked, paginated and filtered by what the reader may see.

Two engines, one behaviour:
- SQLite: the FTS5 table `search_fts` (porter stemming), ranked by bm25 with the
  title weighted ten times the body. The reader's words never reach FTS5 as
  syntax: each word becomes a quoted FTS5 string, the last one a prefix (from two
  characters; prefixes of 2 to 6 have indexes of their own). (The
  porter tokenizer stems the prefix too, so a part-word whose stem differs,
  such as "bicy" -> "bici", misses; whole words and most part-words match.)
- PostgreSQL: the generated `search_vector` column (title weight A, body B),
  matched with websearch_to_tsquery (which never raises on odd input) and
  ranked by ts_rank_cd. The last word is a prefix there too, from two characters.

A search page costs two statements whatever the number of results, and a bounded
amount of work however many documents match: ranking is the costly part (bm25 or
ts_rank_cd reads every match's text), so only the MAX_RANKED newest visible
matches are ranked. The first statement walks the matches newest first (FTS5's
rowid order, or the primary key on PostgreSQL), keeping the visible ones, and
stops at MAX_RANKED + 1, returning their ids: the count, exact up to MAX_RANKED
("more than 300" past it). The second ranks only those documents and returns the
page, with the challenge and idea columns it shows: on PostgreSQL it ranks the
ids themselves (no visibility joins while ranking) and joins the page's rows
afterwards; FTS5's bm25() needs its MATCH, so SQLite ranks the matches from the
oldest candidate's id on. A rare word's matches are all ranked, as before; a common
word's best matches among the newest 300 come first, and the page says so and
suggests adding words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (ColumnElement, Integer, Select, and_, any_, bindparam, column, func, literal_column, or_,
                        select, table)
from sqlalchemy.dialects import postgresql as pg

from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea
from genius.core.pagination import ListPagination
from genius.ideas.queries import visible_idea_clause
from genius.search.models import SearchDocument

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# At most this many matches are ranked (the newest visible ones): 15 pages of 20. The cost of a search for a
# common word grows with it (500 made one at x10 scale 1.5 times slower than at small scale).
MAX_RANKED = 300
# Deep pages are never useful and a huge OFFSET is work for nothing.
MAX_PAGE = 500
# The last word matches as a prefix from this many characters: a single letter would match almost every
# document (30 ms at x10 scale on SQLite), and no one means "b" as "anything starting with b".
# SQLite's full-text index keeps prefix indexes for 2 to 6 characters (migration b3e8d5f2a914).
MIN_PREFIX = 2
START, STOP = "\x02", "\x03"  # highlight markers in snippets; the indexer strips them from text

# Letters and digits only: the same runs the unicode61 tokenizer keeps as words.
_WORD = re.compile(r"[^\W_]+")
_TRAILING_WORD = re.compile(r"(?:^|\s)([^\W_]+)$")
_MARKERS = re.compile(f"([{START}{STOP}])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its just more most my no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you
    your yours idea ideas""".split()
)

# The FTS5 table (made by the migration, not the models) and the table-named column MATCH and bm25 take.
_FTS_TABLE = table("search_fts", column("rowid"))
_FTS = literal_column("search_fts")
_PG_VECTOR = literal_column("search_documents.search_vector", type_=pg.TSVECTOR)
_PG_HEADLINE = f'StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "challenge" or "idea"
    id: int
    title: str
    # The snippet as (text, matched) pieces, so templates escape it and mark the matches.
    snippet: tuple[tuple[str, bool], ...]
    challenge_id: int
    challenge_title: str
    withdrawn: bool = False

    @property
    def kind_label(self) -> str:
        return "Challenge" if self.kind == "challenge" else "Idea"

    @property
    def endpoint(self) -> str:
        return "challenges.detail" if self.kind == "challenge" else "ideas.detail"

    @property
    def url_values(self) -> dict[str, int]:
        return {"challenge_id": self.id} if self.kind == "challenge" else {"idea_id": self.id}

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.snippet)


class SearchPage(ListPagination):
    """A page of search results; `q` is what was searched for.

    `total` counts the results that can be paged through; `more` says there were
    more matches than that (only the newest MAX_RANKED were ranked)."""

    def __init__(self, items: list[SearchResult], total: int, page: int, per_page: int, q: str = "",
                 more: bool = False) -> None:
        super().__init__(items, total, page, per_page, q=q, more=more)

def clean_query(q: str | None) -> str:
    """At most MAX_QUERY_LENGTH characters, control characters (PostgreSQL refuses NUL) made spaces."""
    return _CONTROL.sub(" ", (q or "")[:MAX_QUERY_LENGTH]).strip()


def search_words(q: str) -> list[str]:
    """The words of a query: runs of letters and digits, at most MAX_TERMS."""
    return _WORD.findall((q or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def significant_words(text: str) -> list[str]:
    """Words worth matching on: three letters or more, not a stop word, each once."""
    seen: dict[str, None] = {}
    for word in _WORD.findall((text or "")[:MAX_QUERY_LENGTH].lower()):
        if len(word) >= 3 and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_all_words(words: list[str]) -> str:
    """An FTS5 query: every word (the last one also as a prefix, from MIN_PREFIX characters), each a quoted
    string, never syntax."""
    parts = [_fts5_string(w) for w in words]
    if parts and len(words[-1]) >= MIN_PREFIX:
        parts[-1] += "*"
    return " AND ".join(parts)


def fts5_any_word(words: list[str]) -> str:
    return " OR ".join(_fts5_string(w) for w in words)


def _pg_search_query(q: str):
    """websearch_to_tsquery of the reader's text; a last bare word also matches as a prefix."""
    q = q.strip()
    match = _TRAILING_WORD.search(q)
    head = q[: match.start(1)] if match else q
    previous = head.split()[-1].lower() if head.split() else ""
    if match is None or len(match.group(1)) < MIN_PREFIX or q.count('"') % 2 or previous in {"or", "-"}:
        return pg.websearch_to_tsquery("english", q)
    # to_tsquery only ever sees letters and digits here, then ":*".
    prefix = pg.to_tsquery("english", match.group(1) + ":*")
    if not head.strip():
        return prefix
    return pg.websearch_to_tsquery("english", head).op("&&", return_type=pg.TSQUERY)(prefix)


def _pg_any_word(words: list[str]):
    return pg.websearch_to_tsquery("english", " or ".join(words))


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _visible_idea_clause(user) -> ColumnElement[bool]:
    """Ideas the reader may see (besides their challenge's visibility).

    The one place search asks; it defers to the ideas feature's rule, which the
    moderation issue extends to exclude hidden ideas.
    """
    return visible_idea_clause(user)


def _visible(stmt: Select, user, now: datetime) -> Select:
    """Join a statement over SearchDocument to its challenge and idea, keeping what the reader may see."""
    return (
        stmt.join(Challenge, Challenge.id == SearchDocument.challenge_id)
        .outerjoin(Idea, and_(SearchDocument.kind == "idea", Idea.id == SearchDocument.ref_id))
        .where(visible_challenge_clause(user, now))
        .where(or_(SearchDocument.kind == "challenge", and_(Idea.id.is_not(None), _visible_idea_clause(user))))
    )


def _segments(text: str | None) -> tuple[tuple[str, bool], ...]:
    pieces: list[tuple[str, bool]] = []
    matched = False
    for part in _MARKERS.split(text or ""):
        if part == START:
            matched = True
        elif part == STOP:
            matched = False
        elif part:
            pieces.append((part, matched))
    return tuple(pieces)


# -- the two queries ---------------------------------------------------------------------------

def search(user, q: str, page: int = 1, per_page: int = 20, now: datetime | None = None,
           max_ranked: int | None = None) -> SearchPage:
    """Ranked, visible results for the reader's words; two statements (candidates, page) at most.

    Only the `max_ranked` newest visible matches are candidates (see the module's docstring)."""
    q = clean_query(q)
    page = min(max(page or 1, 1), MAX_PAGE)
    words = search_words(q)
    if not words:
        return SearchPage([], 0, page, per_page, q)
    now = now or utcnow()
    max_ranked = max_ranked or MAX_RANKED

    if _is_sqlite():
        match = _FTS.op("MATCH")(fts5_all_words(words))
        rank = func.bm25(_FTS, 10.0, 1.0)
        order = (rank.asc(), SearchDocument.id.asc())
        snippet = func.snippet(_FTS, 1, START, STOP, "…", 32)
        # FTS5 walks its matches in rowid order, either way, and stops early under a LIMIT;
        # a bound on its rowid narrows the walk itself.
        newest = _FTS_TABLE.c.rowid

        def base(*columns) -> Select:
            stmt = select(*columns).select_from(SearchDocument).join(_FTS_TABLE, _FTS_TABLE.c.rowid == SearchDocument.id)
            return _visible(stmt, user, now).where(match)
    else:
        tsquery = _pg_search_query(q)
        rank = func.ts_rank_cd(_PG_VECTOR, tsquery)
        order = (rank.desc(), SearchDocument.id.asc())
        snippet = pg.ts_headline("english", SearchDocument.body, tsquery, _PG_HEADLINE)
        newest = SearchDocument.id

        def base(*columns) -> Select:
            stmt = select(*columns).select_from(SearchDocument)
            return _visible(stmt, user, now).where(_PG_VECTOR.bool_op("@@")(tsquery))

    # The visible matches, newest first, up to one past the bound: at most MAX_RANKED + 1 small integers.
    candidates = db.session.scalars(base(newest.label("id")).order_by(newest.desc()).limit(max_ranked + 1)).all()
    more = len(candidates) > max_ranked
    total = min(len(candidates), max_ranked)
    if not total or page > math.ceil(total / per_page):
        return SearchPage([], total, page, per_page, q, more)

    columns = (SearchDocument.kind, SearchDocument.ref_id, SearchDocument.title, SearchDocument.challenge_id,
               Challenge.title.label("challenge_title"), Idea.withdrawn_at, snippet.label("snippet"))
    if _is_sqlite():
        # bm25() and snippet() need the MATCH in their own statement: rank the matches from the oldest
        # candidate on, with the same visibility joins.
        ranked = base(*columns)
        if more:  # the oldest candidate found is one past the last to rank
            ranked = ranked.where(newest > candidates[-1])
        ranked = ranked.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    else:
        # Rank the candidates by their ids (already checked as visible: no joins while ranking), then
        # join the page's rows, and make their snippets, for the page alone.
        ids = bindparam("candidate_ids", list(candidates[:max_ranked]), type_=pg.ARRAY(Integer))
        best = (select(SearchDocument.id.label("id"), rank.label("rank"))
                .where(SearchDocument.id == any_(ids))
                .order_by(*order).limit(per_page).offset((page - 1) * per_page)
                .subquery("best"))
        ranked = (select(*columns).select_from(best)
                  .join(SearchDocument, SearchDocument.id == best.c.id)
                  .join(Challenge, Challenge.id == SearchDocument.challenge_id)
                  .outerjoin(Idea, and_(SearchDocument.kind == "idea", Idea.id == SearchDocument.ref_id))
                  .order_by(best.c.rank.desc(), best.c.id.asc()))
    rows = db.session.execute(ranked).all()
    items = [
        SearchResult(
            kind=row.kind,
            id=row.ref_id,
            title=row.title,
            snippet=_segments(row.snippet),
            challenge_id=row.challenge_id,
            challenge_title=row.challenge_title,
            withdrawn=row.withdrawn_at is not None,
        )
        for row in rows
    ]
    return SearchPage(items, total, page, per_page, q, more)


def similar_ideas(challenge_id: int, title: str, user, limit: int = 5, exclude_id: int | None = None,
                  now: datetime | None = None) -> list[Idea]:
    """Ideas in the same challenge sharing any significant word of `title`, best match first.

    For "support an existing idea instead of posting a duplicate": withdrawn
    ideas are left out, since they cannot be supported.
    """
    words = significant_words(title)
    if not words:
        return []
    stmt = (
        select(Idea)
        .join(SearchDocument, and_(SearchDocument.kind == "idea", SearchDocument.ref_id == Idea.id))
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(
            Idea.challenge_id == challenge_id,
            SearchDocument.challenge_id == challenge_id,
            Idea.withdrawn_at.is_(None),
            visible_challenge_clause(user, now or utcnow()),
            _visible_idea_clause(user),
        )
    )
    if exclude_id is not None:
        stmt = stmt.where(Idea.id != exclude_id)
    if _is_sqlite():
        stmt = (
            stmt.join(_FTS_TABLE, _FTS_TABLE.c.rowid == SearchDocument.id)
            .where(_FTS.op("MATCH")(fts5_any_word(words)))
            .order_by(func.bm25(_FTS, 10.0, 1.0).asc(), Idea.supports_count.desc(), Idea.id)
        )
    else:
        tsquery = _pg_any_word(words)
        stmt = stmt.where(_PG_VECTOR.bool_op("@@")(tsquery)).order_by(
            func.ts_rank_cd(_PG_VECTOR, tsquery).desc(), Idea.supports_count.desc(), Idea.id
        )
    return list(db.session.scalars(stmt.limit(limit)))
