"""Profile pages: load, check, render. Deleted accounts are not found."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from genius.core.pagecache import public_page
from genius.core.permissions import is_signed_in
from genius.extensions import db
from genius.groups import queries as group_queries
from genius.groups.views import _page
from genius.people import queries
from genius.people.feed import comment_feed

bp = Blueprint("people", __name__)

IDEAS_PER_PAGE = 10
COMMENTS_PER_PAGE = 10
GROUPS_ON_PROFILE = 50
MAX_ID = 2**31 - 1  # a larger id overflows PostgreSQL's integer


def _comment_cursor(name: str) -> int | None:
    value = request.args.get(name, type=int)
    if value is None or value < 1:
        return None
    if value > MAX_ID:
        abort(404)
    return value


@bp.get("/people/<int:user_id>")
@public_page
def profile(user_id: int):
    person = db.session.scalar(queries.person(user_id))
    if person is None:
        abort(404)
    ideas = db.paginate(queries.ideas_by(current_user, person.id), page=_page("ideas_page"),
                        per_page=IDEAS_PER_PAGE, error_out=False)
    comments = comment_feed(current_user, person.id, before=_comment_cursor("comments_before"),
                            after=_comment_cursor("comments_after"), per_page=COMMENTS_PER_PAGE)
    groups = db.session.scalars(group_queries.groups_of(person.id).limit(GROUPS_ON_PROFILE)).all()
    return render_template("people/profile.html", person=person, ideas=ideas, comments=comments, groups=groups,
                           is_self=is_signed_in(current_user) and current_user.id == person.id)
