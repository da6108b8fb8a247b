"""Comment routes: load, check, call a service, commit, redirect or render.

Every page works without JavaScript: the comment form sits under the threads,
replies, edits and deletions have pages of their own, and every change is a POST
with a CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from genius.challenges.models import Challenge
from genius.challenges.permissions import can_moderate_challenge
from genius.comments import queries, services
from genius.comments.forms import CommentForm, DeleteCommentForm, EditCommentForm, QuestionForm, ReplyForm
from genius.comments.models import EDIT_MINUTES, THREADS_PER_PAGE, Comment
from genius.comments.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_post_comment,
    can_reply_to_comment,
    can_view_comment,
    can_view_comments,
    edit_deadline,
    is_comment_author,
)
from genius.comments.threads import PAGE_ARG
from genius.core.models import utcnow
from genius.core.permissions import is_signed_in, require
from genius.core.security import log_event
from genius.extensions import db, limiter
from genius.ideas import queries as idea_queries
from genius.ideas.permissions import can_see_author

bp = Blueprint("comments", __name__)
# The partial asks the same questions the routes do, of comments already loaded.
for _check in (can_reply_to_comment, can_edit_comment, can_delete_comment):
    bp.add_app_template_global(_check)


def _comment_limit() -> str:
    return current_app.config["COMMENT_LIMIT"]


def _person_key() -> str:
    return f"user:{current_user.id}" if is_signed_in(current_user) else request.remote_addr or "unknown"


# One budget for every way of writing (comment, question, reply, edit), per person and per address.
per_person = limiter.shared_limit(_comment_limit, scope="comment-person", key_func=_person_key, methods=["POST"])
per_address = limiter.shared_limit(_comment_limit, scope="comment-address", methods=["POST"])


# Loading: not found when missing or invisible (the existence of staff-only content is not disclosed).

def _load_idea(idea_id: int):
    idea = db.session.scalar(idea_queries.idea_with_context(idea_id))
    if idea is None or not can_view_comments(current_user, idea.challenge, idea):
        abort(404)
    return idea


def _load_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.scalar(
        select(Challenge).options(joinedload(Challenge.champion)).where(Challenge.id == challenge_id)
    )
    if challenge is None or not can_view_comments(current_user, challenge):
        abort(404)
    return challenge


def _load_comment(comment_id: int) -> Comment:
    comment = db.session.scalar(queries.comment_with_context(comment_id))
    if comment is None or not can_view_comment(current_user, comment):
        abort(404)
    if comment.parent_id is not None and not can_moderate_challenge(current_user, comment.challenge):
        # A reply under a held or hidden comment is hidden with its thread: its own address must not
        # open it either (its author included: they were told the thread was hidden).
        ancestors = {comment.parent_id, comment.root_id} - {None}
        states = db.session.scalars(select(Comment.moderation_state).where(Comment.id.in_(ancestors))).all()
        if any(state != "visible" for state in states):
            abort(404)
    return comment


def _target_url(comment: Comment, page: int = 1) -> str:
    args = {PAGE_ARG: page} if page > 1 else {}
    if comment.idea_id is not None:
        return url_for("ideas.detail", idea_id=comment.idea_id, **args)
    return url_for("challenges.detail", challenge_id=comment.challenge_id, **args)


def comment_url(comment: Comment) -> str:
    """The page of threads that holds the comment, scrolled to it."""
    root = comment if comment.parent_id is None else db.session.get(Comment, comment.root_id)
    before = db.session.scalar(queries.threads_before(root, current_user))
    return _target_url(comment, before // THREADS_PER_PAGE + 1) + f"#comment-{comment.id}"


def _author_label(comment: Comment) -> str:
    idea = comment.idea
    if idea is not None and idea.anonymous and comment.author_id == idea.author_id and not can_see_author(current_user, idea):
        return "The author of the idea"
    return comment.author.display_name


def _posted_message(comment: Comment, noun: str) -> str:
    if comment.moderation_state == "held":
        return f"Your {noun} has been sent. A moderator will check it before anyone else can see it."
    return f"Your {noun} has been posted."


def _unconfirmed_redirect():
    flash("Confirm your email address before you comment. We can send the link again from your account page.", "info")
    return redirect(url_for("accounts.account"))


def _post(challenge: Challenge, idea, form: CommentForm, back: str):
    if not current_user.is_confirmed:
        return _unconfirmed_redirect()
    require(can_post_comment(current_user, challenge, idea))
    if form.validate_on_submit():
        try:
            comment = services.post_comment(current_user, challenge, idea, form.body.data)
        except services.CommentError as error:
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            log_event("comment_posted", user=current_user.id, comment=comment.id, state=comment.moderation_state)
            flash(_posted_message(comment, "comment"), "success")
            return redirect(comment_url(comment))
    if form.website.errors:
        log_event("honeypot", form="comment")
    return render_template("comments/new.html", form=form, challenge=challenge, idea=idea, back=back), \
        (400 if form.errors else 200)


@bp.route("/ideas/<int:idea_id>/comments", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def post_on_idea(idea_id: int):
    idea = _load_idea(idea_id)
    return _post(idea.challenge, idea, CommentForm(), url_for("ideas.detail", idea_id=idea.id, _anchor="comments"))


@bp.route("/challenges/<int:challenge_id>/comments", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def post_on_challenge(challenge_id: int):
    challenge = _load_challenge(challenge_id)
    return _post(challenge, None, QuestionForm(),
                 url_for("challenges.detail", challenge_id=challenge.id, _anchor="comments"))


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id: int):
    comment = _load_comment(comment_id)
    return redirect(comment_url(comment))


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def reply(comment_id: int):
    comment = _load_comment(comment_id)
    if not current_user.is_confirmed:
        return _unconfirmed_redirect()
    require(can_reply_to_comment(current_user, comment))
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            new = services.post_comment(current_user, comment.challenge, comment.idea, form.body.data, reply_to=comment)
        except services.CommentError as error:
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            log_event("comment_posted", user=current_user.id, comment=new.id, reply_to=comment.id,
                      state=new.moderation_state)
            flash(_posted_message(new, "reply"), "success")
            return redirect(comment_url(new))
    if form.website.errors:
        log_event("honeypot", form="reply")
    return render_template("comments/reply.html", form=form, comment=comment, author_label=_author_label(comment),
                           back=comment_url(comment)), (400 if form.errors else 200)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def edit(comment_id: int):
    comment = _load_comment(comment_id)
    if is_comment_author(current_user, comment) and not comment.is_deleted and utcnow() >= edit_deadline(comment):
        flash(f"You can only edit a comment in the {EDIT_MINUTES} minutes after posting it.", "info")
        return redirect(comment_url(comment))
    require(can_edit_comment(current_user, comment))
    form = EditCommentForm(data={"body": comment.body_source} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_comment(comment, form.body.data)
        except services.CommentError as error:
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash("Your comment has been updated.", "success")
            return redirect(comment_url(comment))
    return render_template("comments/edit.html", form=form, comment=comment, deadline=edit_deadline(comment),
                           back=comment_url(comment)), (400 if form.errors else 200)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    comment = _load_comment(comment_id)
    require(can_delete_comment(current_user, comment))
    form = DeleteCommentForm()
    if form.validate_on_submit():
        services.delete_comment(comment)
        db.session.commit()
        log_event("comment_deleted", user=current_user.id, comment=comment.id)
        flash("Your comment has been deleted.", "success")
        return redirect(comment_url(comment))
    return render_template("comments/delete.html", form=form, comment=comment, back=comment_url(comment))
