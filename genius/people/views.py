"""Profile pages: load, check, render. Deleted accounts are not found."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from genius.core.pagecache import public_page
from genius.core.permissions import is_signed_in
from genius.extensions import db
from genius.groups import queries as group_queries
from genius.groups.views import _page
from genius.people import queries

bp = Blueprint("people", __name__)

IDEAS_PER_PAGE = 10
COMMENTS_PER_PAGE = 10
GROUPS_ON_PROFILE = 50


@bp.get("/people/<int:user_id>")
@public_page
def profile(user_id: int):
    person = db.session.scalar(queries.person(user_id))
    if person is None:
        abort(404)
    ideas = db.paginate(queries.ideas_by(current_user, person.id), page=_page("ideas_page"),
                        per_page=IDEAS_PER_PAGE, error_out=False)
    comments = db.paginate(queries.comments_by(current_user, person.id), page=_page("comments_page"),
                           per_page=COMMENTS_PER_PAGE, error_out=False)
    groups = db.session.scalars(group_queries.groups_of(person.id).limit(GROUPS_ON_PROFILE)).all()
    return render_template("people/profile.html", person=person, ideas=ideas, comments=comments, groups=groups,
                           is_self=is_signed_in(current_user) and current_user.id == person.id)
