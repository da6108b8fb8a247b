"""Search routes: the search page, and similar ideas for the idea form (JSON)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user

from genius.challenges.models import Challenge
from genius.challenges.permissions import can_view_challenge
from genius.core.pagecache import public_page
from genius.extensions import db
from genius.search import queries

bp = Blueprint("search", __name__)

PER_PAGE = 20
SIMILAR_LIMIT = 5


def _text_arg(name: str) -> str:
    return queries.clean_query(request.args.get(name, "", type=str))


@bp.get("/search")
@public_page
def index():
    q = _text_arg("q")
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > queries.MAX_PAGE:
        abort(404)
    results = queries.search(current_user, q, page=page, per_page=PER_PAGE) if q else None
    if results is not None and page > max(results.pages, 1):
        abort(404)
    return render_template("search/results.html", q=q, results=results)


@bp.get("/search/similar-ideas")
def similar_ideas():
    """Ideas like the one being written, so the author can support one instead of duplicating it."""
    challenge_id = request.args.get("challenge_id", type=int)
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    if not can_view_challenge(current_user, challenge):
        abort(404)
    exclude_id = request.args.get("exclude_id", type=int)
    ideas = queries.similar_ideas(challenge.id, _text_arg("title"), current_user, limit=SIMILAR_LIMIT,
                                  exclude_id=exclude_id)
    return jsonify([
        {
            "id": idea.id,
            "title": idea.title,
            "summary": idea.summary,
            "url": url_for("ideas.detail", idea_id=idea.id),
            "supports_count": idea.supports_count,
        }
        for idea in ideas
    ])
