"""Idea routes: load, check, call a service, commit, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from genius.challenges.permissions import can_propose_idea
from genius.challenges.views import load_challenge
from genius.comments.threads import discussion
from genius.core.pagecache import public_page
from genius.core.permissions import is_signed_in, require
from genius.core.security import log_event
from genius.extensions import db, limiter
from genius.ideas import queries, services
from genius.ideas.forms import IdeaForm, RespondForm, WithdrawForm
from genius.ideas.models import Idea
from genius.moderation import queries as moderation_queries
from genius.moderation.permissions import can_moderate, can_propose_duplicate
from genius.ideas.permissions import (
    can_edit_idea,
    can_respond_to_idea,
    can_see_author,
    can_view_idea,
    can_withdraw_idea,
    is_author,
)
from genius.notifications.models import FollowTarget
from genius.notifications.services import one_with_following
from genius.search.queries import similar_ideas
from genius.supports.views import panel_for

bp = Blueprint("ideas", __name__)


def _idea_limit() -> str:
    return current_app.config["IDEA_LIMIT"]


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if is_signed_in(current_user) else request.remote_addr or "unknown"


def load_idea(idea_id: int) -> Idea:
    return _load_idea(idea_id, reader_id=None)[0]


def load_idea_and_following(idea_id: int) -> tuple[Idea, bool]:
    """The idea, and whether the reader follows it, in one statement (its page shows both)."""
    return _load_idea(idea_id, reader_id=current_user.id if is_signed_in(current_user) else None)


def _load_idea(idea_id: int, reader_id: int | None) -> tuple[Idea, bool]:
    found = one_with_following(queries.idea_with_context(idea_id), FollowTarget.IDEA, Idea.id, reader_id)
    if found is None or not can_view_idea(current_user, found[0]):
        abort(404)
    return found


def _data(form: IdeaForm) -> services.IdeaData:
    return services.IdeaData(
        title=form.title.data, summary=form.summary.data, description=form.description.data or "",
        tag_ids=list(form.tags.data or []), area=form.area.data or None, anonymous=bool(form.anonymous.data),
        group_id=form.group_id,
    )


def _groups_for_form(author_id: int, idea=None) -> list:
    """The groups an idea may be proposed on behalf of: the author's, plus the idea's current one."""
    from genius.groups import queries as group_queries

    groups = list(db.session.scalars(group_queries.groups_of(author_id)))
    if idea is not None and idea.group is not None and idea.group.id not in {g.id for g in groups}:
        groups.append(idea.group)
    return groups


def _field_error(form: IdeaForm, error: services.IdeaError) -> None:
    field = getattr(form, error.field, None) if error.field in form else None
    (field or form.title).errors.append(str(error))


@bp.route("/challenges/<int:challenge_id>/ideas/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_idea_limit, methods=["POST"], key_func=_user_key, scope="idea-user")
@limiter.limit(_idea_limit, methods=["POST"], scope="idea-address")
def propose(challenge_id: int):
    challenge = load_challenge(challenge_id)
    if not current_user.is_confirmed:
        flash("Confirm your email address before you post an idea. We can send the link again from your account page.", "info")
        return redirect(url_for("accounts.account"))
    if not can_propose_idea(current_user, challenge):
        flash("This challenge is not taking new ideas.", "info")
        return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    form = IdeaForm()
    form.set_choices(challenge, current_app.config["AREAS"], _groups_for_form(current_user.id))
    similar = []
    if form.validate_on_submit():
        # Before the first post, show lookalikes so people can support instead of duplicating.
        similar = similar_ideas(challenge.id, form.title.data, current_user, limit=5)
        if similar and form.checked_similar.data != form.title.data:
            form.checked_similar.data = form.title.data
            return render_template("ideas/form.html", form=form, challenge=challenge, idea=None, similar=similar,
                                   similar_notice=True)
        try:
            idea = services.propose_idea(challenge, current_user, _data(form))
        except services.IdeaError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            log_event("idea_posted", user=current_user.id, idea=idea.id, state=idea.moderation_state)
            if idea.moderation_state == "held":
                flash("Your idea has been sent. A moderator will check it before anyone else can see it.", "success")
            else:
                flash("Your idea has been posted.", "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    if form.website.errors:
        log_event("honeypot", form="idea")
    return render_template("ideas/form.html", form=form, challenge=challenge, idea=None, similar=similar,
                           similar_notice=False), (400 if form.errors else 200)


@bp.get("/ideas/<int:idea_id>")
@public_page
def detail(idea_id: int):
    idea, following = load_idea_and_following(idea_id)
    trail = db.session.scalars(queries.status_trail(idea)).all()
    mine = is_author(current_user, idea)
    original = db.session.get(Idea, idea.duplicate_of_id) if idea.duplicate_of_id else None
    if original is not None and not can_view_idea(current_user, original):
        original = None
    proposal = db.session.scalar(moderation_queries.pending_duplicate(idea.id)) if mine else None
    expected_wait = moderation_queries.expected_wait_text() if mine and idea.moderation_state == "held" else ""
    return render_template(
        "ideas/detail.html", idea=idea, challenge=idea.challenge, trail=trail,
        original=original, duplicate_proposal=proposal, expected_wait=expected_wait,
        can_moderate_idea=can_moderate(current_user, idea),
        can_mark_duplicate=can_propose_duplicate(current_user, idea),
        show_author=can_see_author(current_user, idea), is_author=is_author(current_user, idea),
        can_edit=can_edit_idea(current_user, idea), can_withdraw=can_withdraw_idea(current_user, idea),
        can_respond=can_respond_to_idea(current_user, idea),
        support=panel_for(current_user, idea),
        discussion=discussion(current_user, idea.challenge, idea),
        following=following,
    )


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id: int):
    idea = load_idea(idea_id)
    require(can_edit_idea(current_user, idea))
    form = IdeaForm(obj=None if request.method == "POST" else idea)
    form.set_choices(idea.challenge, current_app.config["AREAS"], _groups_for_form(idea.author_id, idea))
    if request.method == "GET":
        form.description.data = idea.description_source
        if "group" in form:
            form.group.data = idea.group_id or 0
        form.tags.data = [t.id for t in idea.tags]
        form.area.data = idea.area or ""
    if form.validate_on_submit():
        try:
            services.edit_idea(idea, _data(form))
        except services.IdeaError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash("Your idea has been updated.", "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("ideas/form.html", form=form, challenge=idea.challenge, idea=idea, similar=[],
                           similar_notice=False), (400 if form.errors else 200)


@bp.route("/ideas/<int:idea_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(idea_id: int):
    idea = load_idea(idea_id)
    require(can_withdraw_idea(current_user, idea))
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw_idea(idea)
        db.session.commit()
        flash("Your idea has been withdrawn. It stays on the site, marked as withdrawn, with its discussion.", "success")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("ideas/withdraw.html", form=form, idea=idea)


@bp.route("/ideas/<int:idea_id>/respond", methods=["GET", "POST"])
@login_required
def respond(idea_id: int):
    idea = load_idea(idea_id)
    require(can_respond_to_idea(current_user, idea))
    form = RespondForm(status=idea.status) if request.method == "GET" else RespondForm()
    if form.validate_on_submit():
        try:
            services.respond(idea, current_user, form.status.data, form.message.data)
        except services.IdeaError as error:
            form.message.errors.append(str(error))
        else:
            db.session.commit()
            log_event("idea_response", user=current_user.id, idea=idea.id, status=idea.status)
            flash("Your official response has been published.", "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id) + "#status-trail")
    return render_template("ideas/respond.html", form=form, idea=idea), (400 if form.errors else 200)
