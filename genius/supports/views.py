"""Support routes: load, check, call a service, commit, answer (a page or JSON)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from genius.core.permissions import is_signed_in
from genius.core.security import log_event, safe_local_path
from genius.extensions import db, limiter
from genius.ideas.models import Idea
from genius.ideas.permissions import can_view_idea
from genius.supports import queries, services
from genius.supports.permissions import Refusal, duplicate_refusal, supports_refusal

bp = Blueprint("supports", __name__)

# The HTTP status for each kind of refusal (permissions.Refusal.kind).
STATUS_FOR = {"sign_in": 401, "hidden": 404, "confirm": 403, "withdrawn": 403, "not_open": 403, "closed": 403,
              "limit": 409, "restricted": 403, "duplicate": 409}


@dataclass
class SupportPanel:
    """What the support box on an idea page shows, for one reader."""

    idea_id: int
    count: int
    supported: bool
    limit: int | None
    used: int
    refusal: Refusal | None

    @property
    def left(self) -> int | None:
        return None if not self.limit else max(0, self.limit - self.used)

    @property
    def can_act(self) -> bool:
        return self.refusal is None

    @property
    def limit_reached(self) -> bool:
        return self.left == 0 and not self.supported

    @property
    def left_text(self) -> str:
        if not self.limit:
            return ""
        if self.left == 0:
            return services.used_all_message(self.limit)
        return f"You have {self.left} of {self.limit} supports left in this challenge."


def panel_for(user, idea: Idea) -> SupportPanel:
    """The reader's support box: one query when signed in (none for anonymous readers)."""
    limit = idea.challenge.support_limit or None
    supported, used = False, 0
    if is_signed_in(user):
        if limit:
            used, flag = db.session.execute(queries.standing(user.id, idea.challenge_id, idea.id)).one()
            supported = bool(flag)
        else:
            supported = bool(db.session.scalar(queries.has_supported(user.id, idea.id)))
    refusal = supports_refusal(user, idea)
    if refusal is None and not supported:
        refusal = duplicate_refusal(idea)  # a duplicate keeps its supports (they may be withdrawn), takes no new ones
    return SupportPanel(idea_id=idea.id, count=idea.supports_count, supported=supported, limit=limit, used=int(used),
                        refusal=refusal)


def panel_after_support(user, idea: Idea, done: services.Supported) -> SupportPanel:
    """The box after supporting, from what the service learnt: the person supports the idea now."""
    limit = idea.challenge.support_limit or None
    return SupportPanel(idea_id=idea.id, count=idea.supports_count, supported=True, limit=limit,
                        used=done.used if limit else 0, refusal=supports_refusal(user, idea))


def _support_limit() -> str:
    return current_app.config["SUPPORT_LIMIT"]


def _user_key() -> str:
    return f"user:{current_user.id}" if is_signed_in(current_user) else f"address:{request.remote_addr or 'unknown'}"


def _wants_json() -> bool:
    if request.headers.get("X-Requested-With", "").lower() == "fetch":
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _answer(panel: SupportPanel, message: str, status: int = 200):
    return jsonify(supported=panel.supported, supports_count=panel.count, supports_left=panel.left,
                   supports_limit=panel.limit, message=message), status


def _result_message(action: str, changed: bool, panel: SupportPanel) -> str:
    if action == "support":
        text = "You support this idea." if changed else "You already support this idea."
    else:
        text = "You have withdrawn your support." if changed else "You were not supporting this idea."
    text += f" It has {panel.count:,} support{'' if panel.count == 1 else 's'}."
    if panel.limit:
        text += " " + panel.left_text
    return text


def _act(idea_id: int, action: str):
    idea = db.session.scalar(queries.idea_to_support(idea_id))
    if idea is None or not can_view_idea(current_user, idea):
        if _wants_json():
            return jsonify(message="Idea not found."), 404
        abort(404)
    back = safe_local_path(request.form.get("next")) or url_for("ideas.detail", idea_id=idea.id)
    if not is_signed_in(current_user):
        if _wants_json():
            return jsonify(supported=False, supports_count=idea.supports_count, supports_left=None,
                           message="Sign in to support ideas."), 401
        flash("Sign in to support ideas.", "info")
        return redirect(url_for("accounts.sign_in", next=url_for("ideas.detail", idea_id=idea.id)))
    try:
        if action == "support":
            done = services.support(current_user, idea)
            changed = done.added
        else:
            changed = services.withdraw_support(current_user, idea)
    except services.SupportError as error:
        db.session.rollback()
        log_event("support_refused", user=current_user.id, idea=idea.id, reason=error.kind)
        status = STATUS_FOR.get(error.kind, 403)
        if _wants_json():
            return _answer(panel_for(current_user, idea), str(error), status)
        return render_template("supports/refused.html", idea=idea, message=str(error), action=action,
                               back=back), status
    # The panel is made before the commit, which would expire the person, the idea and its
    # challenge and cost statements to reload them. After a support the service knows it all;
    # after a withdrawal the standing is read again, in the transaction, so it sees the change.
    panel = panel_after_support(current_user, idea, done) if action == "support" else panel_for(current_user, idea)
    db.session.commit()
    message = _result_message(action, changed, panel)
    if _wants_json():
        return _answer(panel, message)
    flash(message, "success" if changed else "info")
    return redirect(back)


@bp.post("/ideas/<int:idea_id>/support")
@limiter.shared_limit(_support_limit, scope="support-user", key_func=_user_key)
@limiter.shared_limit(_support_limit, scope="support-address")
def support(idea_id: int):
    return _act(idea_id, "support")


@bp.post("/ideas/<int:idea_id>/withdraw-support")
@limiter.shared_limit(_support_limit, scope="support-user", key_func=_user_key)
@limiter.shared_limit(_support_limit, scope="support-address")
def withdraw(idea_id: int):
    return _act(idea_id, "withdraw")
