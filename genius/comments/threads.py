"""A page of threads for an idea's (or a challenge's) page: what the `comments/_threads.html`
partial shows. The idea and challenge views call `discussion()` and pass it on.

Cost: two statements whatever the threads hold: the page of top-level comments with
their total (a window count, so no separate COUNT), then all their replies; authors
are joined into both, and no statement runs per comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import func
from sqlalchemy.orm.attributes import set_committed_value

from genius.challenges.models import Challenge
from genius.comments import queries
from genius.comments.forms import CommentForm, QuestionForm
from genius.comments.models import THREADS_PER_PAGE, Comment, accepts_comments
from genius.comments.permissions import can_post_comment
from genius.core.permissions import is_signed_in, is_staff
from genius.extensions import db
from genius.ideas.models import Idea
from genius.ideas.permissions import can_see_author

PAGE_ARG = "comments_page"
MAX_PAGE = 10_000  # far past any real discussion; a larger OFFSET overflows the database's integer
# Arguments of the challenge page that a comments page link keeps (its ideas list and filters).
CHALLENGE_PAGE_ARGS = ("sort", "status", "tag", "area", "page")


@dataclass
class Discussion:
    challenge: Challenge
    idea: Idea | None
    page: Pagination
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    form: CommentForm | None = None
    closed_reason: str = ""  # why there is no form, for people who are signed in and confirmed
    # An anonymous idea's author commenting is shown as "the idea's author" to those who may not know them.
    hide_idea_author: bool = False
    link_args: dict = field(default_factory=dict)
    # The reader itself, not Flask-Login's proxy: the partial asks five permission questions per comment,
    # and each attribute read through the proxy costs a context lookup.
    viewer: object = None

    @property
    def count(self) -> int:
        return (self.idea or self.challenge).comments_count

    @property
    def endpoint(self) -> str:
        return "ideas.detail" if self.idea is not None else "challenges.detail"

    @property
    def post_endpoint(self) -> str:
        return "comments.post_on_idea" if self.idea is not None else "comments.post_on_challenge"

    @property
    def target_args(self) -> dict:
        return {"idea_id": self.idea.id} if self.idea is not None else {"challenge_id": self.challenge.id}

    def _withholds_name(self, comment: Comment) -> bool:
        return self.hide_idea_author and self.idea is not None and comment.author_id == self.idea.author_id

    def author_label(self, comment: Comment) -> str:
        if self._withholds_name(comment):
            return "The author of the idea"
        return comment.author.display_name

    def author_profile_id(self, comment: Comment) -> int | None:
        """Whose profile the name links to: none when the name is withheld or the account is closed."""
        if comment.is_deleted or self._withholds_name(comment) or comment.author.deleted_at is not None:
            return None
        return comment.author_id


class ThreadPage(SelectPagination):
    """A page of threads that reads the total in the same statement as the items."""

    _total: int | None = None

    def _query_items(self) -> list:
        stmt = self._query_args["select"].add_columns(func.count().over().label("total"))
        rows = self._query_args["session"].execute(stmt.limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0].total if rows else None
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        # An empty page: none at all (page 1), or a page past the end (count them).
        return 0 if self.page == 1 else super()._query_count()


def page_number() -> int:
    page = max(1, request.args.get(PAGE_ARG, 1, type=int) or 1)
    if page > MAX_PAGE:
        abort(404)
    return page


def closed_reason(challenge: Challenge, idea: Idea | None) -> str:
    if idea is not None and idea.is_withdrawn:
        return "The author withdrew this idea, so its discussion is closed."
    if challenge.status == "archived":
        return "This challenge is archived, so its discussions are closed."
    return "Comments are not open yet."


def discussion(user, challenge: Challenge, idea: Idea | None = None) -> Discussion:
    page = ThreadPage(select=queries.threads(challenge, idea, user), session=db.session, page=page_number(),
                      per_page=THREADS_PER_PAGE, max_per_page=None, error_out=False)
    loaded: list[Comment] = list(page.items)
    replies: dict[int, list[Comment]] = {}
    if page.items:
        for reply in db.session.scalars(queries.replies([c.id for c in page.items], user)).unique():
            replies.setdefault(reply.parent_id, []).append(reply)
            loaded.append(reply)
    for comment in loaded:
        # The permission checks in the partial read these: no query per comment.
        set_committed_value(comment, "challenge", challenge)
        set_committed_value(comment, "idea", idea)
    form = None
    reason = ""
    if can_post_comment(user, challenge, idea):
        form = CommentForm() if idea is not None else QuestionForm()
    elif is_signed_in(user) and user.is_confirmed and not accepts_comments(challenge, idea, by_staff=is_staff(user)):
        reason = closed_reason(challenge, idea)
    if idea is not None:
        link_args = {"idea_id": idea.id}
    else:
        link_args = {k: v for k, v in request.args.items() if k in CHALLENGE_PAGE_ARGS and v}
        link_args["challenge_id"] = challenge.id
    hide = idea is not None and idea.anonymous and not can_see_author(user, idea)
    viewer = user._get_current_object() if hasattr(user, "_get_current_object") else user
    return Discussion(challenge=challenge, idea=idea, page=page, replies=replies, form=form, closed_reason=reason,
                      hide_idea_author=hide, link_args=link_args, viewer=viewer)
