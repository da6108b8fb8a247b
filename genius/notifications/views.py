"""Notification routes: follow and unfollow, the notifications page, email
settings and unsubscribe links. Load, check, call a service, commit, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.challenges.permissions import can_view_challenge
from genius.core.permissions import is_signed_in
from genius.core.security import log_event
from genius.extensions import csrf, db
from genius.ideas import queries as idea_queries
from genius.ideas.permissions import can_view_idea
from genius.notifications import queries, services
from genius.notifications.delivery import read_unsubscribe_token
from genius.notifications.forms import SettingsForm
from genius.notifications.models import EmailFrequency, FollowTarget, Notification

bp = Blueprint("notifications", __name__)

PER_PAGE = 30
MAX_PAGE = 10_000
FOLLOW_KINDS = "any(challenge, idea)"

FOLLOWING_MESSAGES = {
    "idea": "You are following this idea. We will tell you about status changes and official responses.",
    "challenge": "You are following this challenge. We will tell you about new ideas and when it opens, "
                 "closes or is decided.",
}


# In every page's header, and on the account page.

def unread_for_header() -> int:
    """The header's unread count: one query, at most once per request, only when a page shows it."""
    if "genius_unread" not in g:
        g.genius_unread = db.session.scalar(queries.unread_count(current_user)) if is_signed_in(current_user) else 0
    return g.genius_unread


def email_frequency_label() -> str:
    if not is_signed_in(current_user):
        return ""
    return EmailFrequency(services.settings_for(current_user.id).email_frequency).label


@bp.app_context_processor
def _notification_globals():
    # Callables, so a page that does not show them (an error page) runs no query.
    return {"unread_notifications": unread_for_header, "email_frequency_label": email_frequency_label}


# Following

def _load_target(kind: str, target_id: int):
    """The challenge or idea, or 404 when it is missing or the reader may not see it."""
    if kind == FollowTarget.IDEA.value:
        idea = db.session.scalar(idea_queries.idea_with_context(target_id))
        if idea is None or not can_view_idea(current_user, idea):
            abort(404)
        return idea, url_for("ideas.detail", idea_id=idea.id)
    challenge = db.session.scalar(select(Challenge).options(joinedload(Challenge.champion))
                                  .where(Challenge.id == target_id))
    if challenge is None or not can_view_challenge(current_user, challenge):
        abort(404)
    return challenge, url_for("challenges.detail", challenge_id=challenge.id)


def _change_follow(kind: str, target_id: int, following: bool):
    target, back = _load_target(kind, target_id)
    if not is_signed_in(current_user):
        flash(f"Sign in to follow this {kind}.", "info")
        return redirect(url_for("accounts.sign_in", next=back))
    if following:
        services.follow(current_user.id, kind, target.id)
        message = FOLLOWING_MESSAGES[kind]
    else:
        services.unfollow(current_user.id, kind, target.id)
        message = f"You have stopped following this {kind}."
    db.session.commit()
    flash(message, "success")
    return redirect(back)


@bp.post(f"/follow/<{FOLLOW_KINDS}:kind>/<int:target_id>")
def follow(kind: str, target_id: int):
    return _change_follow(kind, target_id, following=True)


@bp.post(f"/unfollow/<{FOLLOW_KINDS}:kind>/<int:target_id>")
def unfollow(kind: str, target_id: int):
    return _change_follow(kind, target_id, following=False)


# The notifications page

def _page_number(value) -> int:
    try:
        page = max(1, int(value or 1))
    except (TypeError, ValueError):
        page = 1
    if page > MAX_PAGE:
        abort(404)
    return page


def link_for(n: Notification) -> str:
    if n.comment_id:
        return url_for("comments.permalink", comment_id=n.comment_id)
    if n.idea_id:
        return url_for("ideas.detail", idea_id=n.idea_id)
    if n.challenge_id:
        return url_for("challenges.detail", challenge_id=n.challenge_id)
    return url_for("notifications.index")


@bp.get("/notifications")
@login_required
def index():
    page = db.paginate(queries.notifications_for(current_user), page=_page_number(request.args.get("page")),
                       per_page=PER_PAGE, error_out=False)
    comment_ids = {n.comment_id for n in page.items if n.comment_id}
    deleted = set(db.session.scalars(queries.deleted_comment_ids(comment_ids))) if comment_ids else set()
    items = [{"n": n, "href": link_for(n), "comment_deleted": n.comment_id in deleted} for n in page.items]
    return render_template("notifications/index.html", page=page, items=items, unread=unread_for_header())


def _back_to_list():
    page = _page_number(request.form.get("page"))
    return redirect(url_for("notifications.index", page=page if page > 1 else None))


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    count = services.mark_read(current_user.id)
    db.session.commit()
    flash("All your notifications are marked as read." if count else "You had no unread notifications.", "success")
    return _back_to_list()


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user.id, notification.id)
    db.session.commit()
    flash(f"Marked as read: {notification.title}", "success")
    return _back_to_list()


# Email settings

@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm()
    if request.method == "GET":
        form.fill_from(services.settings_for(current_user.id))
    if form.validate_on_submit():
        services.save_settings(current_user.id, **form.values())
        db.session.commit()
        log_event("notification_settings", user=current_user.id, frequency=form.email_frequency.data)
        flash("Your email settings have been saved.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("notifications/settings.html", form=form), (400 if form.errors else 200)


# Unsubscribe links in emails

@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click POSTs come from mail programs, with no session; the signed token is the proof.
def unsubscribe(token: str):
    user_id = read_unsubscribe_token(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.deleted_at is not None:
        log_event("unsubscribe_refused")
        return render_template("notifications/unsubscribe_problem.html"), 400
    if request.method == "GET":
        # A GET changes nothing: link checkers and previews open links in emails.
        return render_template("notifications/unsubscribe.html", token=token)
    services.save_settings(user.id, email_frequency=EmailFrequency.NEVER.value)
    db.session.commit()
    log_event("unsubscribed", user=user.id, one_click=request.form.get("List-Unsubscribe") == "One-Click")
    return render_template("notifications/unsubscribed.html")
