"""Moderation routes: the queue and dashboard, item and person pages, the audit log, reports,
duplicates and site settings. Load, check, call a service, commit once, redirect or render.

Every page works by keyboard alone and without JavaScript: the queue's bulk action is one
form of checkboxes and radios; each action on an item is its own small form.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from genius.accounts.models import User
from genius.comments import queries as comment_queries
from genius.comments.permissions import can_view_comment
from genius.core.models import utcnow
from genius.core.permissions import is_signed_in, require
from genius.core.security import log_event, safe_local_path
from genius.extensions import db, limiter
from genius.ideas import queries as idea_queries
from genius.ideas.models import Idea
from genius.ideas.permissions import can_view_idea
from genius.moderation import duplicates, forms, queries, services
from genius.moderation import settings as site_settings
from genius.moderation.models import DuplicateProposal, HideReason, ReportReason
from genius.moderation.permissions import (
    can_change_site_settings,
    can_decide_duplicate,
    can_moderate,
    can_moderate_people,
    can_propose_duplicate,
    can_read_log,
    can_report,
    can_see_queue,
)

bp = Blueprint("moderation", __name__)
# Pages of other features (idea, comments) ask these of objects already loaded: no query.
for _check in (can_report, can_moderate, can_moderate_people):
    bp.add_app_template_global(_check)

LOG_PER_PAGE = 50
KINDS = ("idea", "comment")


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


def _person_key() -> str:
    return f"user:{current_user.id}" if is_signed_in(current_user) else request.remote_addr or "unknown"


per_person = limiter.shared_limit(_report_limit, scope="report-person", key_func=_person_key, methods=["POST"])
per_address = limiter.shared_limit(_report_limit, scope="report-address", methods=["POST"])


@bp.app_template_global()
def hide_reason_label(reason: str) -> str:
    if reason in services.HOLD_REASONS:
        return services.HOLD_REASONS[reason]
    try:
        return HideReason(reason).label
    except ValueError:
        return reason


@bp.app_template_global()
def waited(moment) -> str:
    """How long something has waited: '3 days', '5 hours', 'less than an hour'."""
    if moment is None:
        return ""
    seconds = max(0, (utcnow() - moment).total_seconds())
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return "less than an hour"


@bp.app_template_global()
def report_reason_label(reason: str) -> str:
    return ReportReason(reason).label


@bp.app_template_global()
def moderation_action_label(action: str) -> str:
    return queries.ACTIONS.get(action, action)


# -- loading --------------------------------------------------------------------------------------

def _load(kind: str, target_id: int):
    """The idea or comment with what permission checks read; 404 when missing or invisible to the reader."""
    if kind == "idea":
        target = db.session.scalar(idea_queries.idea_with_context(target_id))
        if target is None or not can_view_idea(current_user, target):
            abort(404)
    elif kind == "comment":
        target = db.session.scalar(comment_queries.comment_with_context(target_id))
        if target is None or not can_view_comment(current_user, target):
            abort(404)
    else:
        abort(404)
    return target


def _load_person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None:
        abort(404)
    return person


def _target_url(kind: str, target) -> str:
    if kind == "idea":
        return url_for("ideas.detail", idea_id=target.id)
    if kind == "comment":
        return url_for("comments.permalink", comment_id=target.id)
    return url_for("moderation.person", user_id=target.id)


def _back() -> str:
    return url_for("moderation.index")


# -- the queue and dashboard --------------------------------------------------------------------

@bp.get("/moderation")
@login_required
def index():
    require(can_see_queue(current_user, queries.champions_a_challenge(current_user)))
    items = queries.queue(current_user)
    form = forms.BulkForm()
    return render_template("moderation/index.html", items=items, form=form,
                           dashboard=queries.dashboard(current_user, items),
                           can_moderate_people=can_moderate_people(current_user),
                           can_read_log=can_read_log(current_user))


def _apply(action: str, target, note: str, reason: str = "") -> None:
    if action == "approve":
        services.approve(target, current_user, note)
    elif action == "hide":
        services.hide(target, current_user, reason, note)
    elif action == "restore":
        services.restore(target, current_user, note)
    elif action == "dismiss":
        services.dismiss_reports(target, current_user, note)
    else:
        abort(404)


@bp.post("/moderation/bulk")
@login_required
def bulk():
    require(can_see_queue(current_user, queries.champions_a_challenge(current_user)))
    form = forms.BulkForm()
    keys = request.form.getlist("items")[:200]
    valid = form.validate_on_submit()
    if not valid or not keys:
        items = queries.queue(current_user)
        return render_template("moderation/index.html", items=items, form=form,
                               dashboard=queries.dashboard(current_user, items), selected=set(keys),
                               items_error="" if keys else "Select at least one item",
                               can_moderate_people=can_moderate_people(current_user),
                               can_read_log=can_read_log(current_user)), 400
    done, skipped = 0, []
    for key in keys:
        kind, _, raw_id = key.partition(":")
        if kind == "person":
            if form.action.data != "dismiss" or not can_moderate_people(current_user) or not raw_id.isdigit():
                skipped.append(key)
                continue
            target = _load_person(int(raw_id))
        else:
            if kind not in KINDS or not raw_id.isdigit():
                abort(400)
            target = _load(kind, int(raw_id))
            require(can_moderate(current_user, target))
        try:
            # Each service checks before it writes, so a refused item leaves nothing half-done.
            _apply(form.action.data, target, form.note.data or "", form.reason.data or "")
        except services.ModerationError:
            skipped.append(key)
        else:
            done += 1
    db.session.commit()
    log_event("moderation_bulk", user=current_user.id, action=form.action.data, done=done, skipped=len(skipped))
    message = f"Done for {done} item{'s' if done != 1 else ''}."
    if skipped:
        message += f" {len(skipped)} could not take this action (for example, approving an item that is not waiting) and were left as they were."
    flash(message, "success" if done else "info")
    return redirect(_back())


# -- one item ---------------------------------------------------------------------------------------

def _item_page(kind: str, target, status: int = 200, **form_overrides):
    reports = db.session.scalars(queries.reports_on(kind, target.id)).all()
    history = queries.author_histories({target.author_id}).get(target.author_id, {})
    entries = db.session.scalars(queries.log_entries(kind=kind, target_id=target.id).limit(20)).all()
    page_forms = {"approve": forms.DecisionForm(prefix="approve"), "hide": forms.HideForm(prefix="hide"),
                  "restore": forms.DecisionForm(prefix="restore"), "dismiss": forms.DecisionForm(prefix="dismiss")}
    page_forms.update(form_overrides)
    return render_template("moderation/item.html", kind=kind, target=target, reports=reports, history=history,
                           entries=entries, forms=page_forms, target_url=_target_url(kind, target),
                           open_reports=sum(1 for r in reports if r.resolved_at is None),
                           can_duplicate=kind == "idea" and can_propose_duplicate(current_user, target),
                           can_moderate_people=can_moderate_people(current_user),
                           form=next(iter(form_overrides.values()), None)), status


@bp.get("/moderation/<kind>/<int:target_id>")
@login_required
def item(kind: str, target_id: int):
    target = _load(kind, target_id)
    require(can_moderate(current_user, target))
    return _item_page(kind, target)


@bp.post("/moderation/<kind>/<int:target_id>/<any(approve, hide, restore, dismiss):action>")
@login_required
def act(kind: str, target_id: int, action: str):
    target = _load(kind, target_id)
    require(can_moderate(current_user, target))
    form = forms.HideForm(prefix="hide") if action == "hide" else forms.DecisionForm(prefix=action)
    if form.validate_on_submit():
        try:
            _apply(action, target, form.note.data or "", getattr(form, "reason", None) and form.reason.data or "")
        except services.ModerationError as error:
            form.note.errors = list(form.note.errors) + [str(error)]
        else:
            db.session.commit()
            log_event("moderation", user=current_user.id, action=action, kind=kind, target=target.id)
            flash({"approve": "Approved: it is now public.", "hide": "Hidden. The author has been told why.",
                   "restore": "Restored: it is public again.", "dismiss": "The reports were dismissed."}[action],
                  "success")
            return redirect(_back())
    return _item_page(kind, target, 400, **{action: form})


@bp.route("/moderation/<kind>/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit(kind: str, target_id: int):
    target = _load(kind, target_id)
    require(can_moderate(current_user, target))
    if kind == "idea":
        form = forms.EditIdeaForm(data={"title": target.title, "summary": target.summary,
                                        "description": target.description_source} if request.method == "GET" else None)
    else:
        if target.is_deleted:
            abort(404)
        form = forms.EditCommentForm(data={"body": target.body_source} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            if kind == "idea":
                services.edit(target, current_user, form.note.data, title=form.title.data, summary=form.summary.data,
                              description=form.description.data or "")
            else:
                services.edit(target, current_user, form.note.data, body=form.body.data)
        except services.ModerationError as error:
            form.note.errors = list(form.note.errors) + [str(error)]
        else:
            db.session.commit()
            log_event("moderation", user=current_user.id, action="edit", kind=kind, target=target.id)
            flash("Your edit has been saved, and the author has been told.", "success")
            return redirect(url_for("moderation.item", kind=kind, target_id=target.id))
    return render_template("moderation/edit.html", form=form, kind=kind, target=target), (400 if form.errors else 200)


# -- people ---------------------------------------------------------------------------------------

def _person_page(person: User, status: int = 200, **form_overrides):
    ideas, comments = queries.person_content(person.id)
    reports = db.session.scalars(queries.reports_on("person", person.id)).all()
    history = queries.author_histories({person.id}).get(person.id, {})
    entries = db.session.scalars(queries.log_entries(kind="person", target_id=person.id).limit(20)).all()
    page_forms = {"hide_all": forms.HideAllForm(prefix="hide_all"), "suspend": forms.SuspendForm(prefix="suspend"),
                  "ban": forms.BanForm(prefix="ban"), "lift": forms.LiftForm(prefix="lift"),
                  "dismiss": forms.DecisionForm(prefix="dismiss")}
    page_forms.update(form_overrides)
    return render_template("moderation/person.html", person=person, ideas=ideas, comments=comments, reports=reports,
                           history=history, entries=entries, forms=page_forms,
                           open_reports=sum(1 for r in reports if r.resolved_at is None),
                           form=next(iter(form_overrides.values()), None)), status


@bp.get("/moderation/people/<int:user_id>")
@login_required
def person(user_id: int):
    require(can_moderate_people(current_user))
    return _person_page(_load_person(user_id))


@bp.post("/moderation/people/<int:user_id>/<any(hide_all, suspend, ban, lift, dismiss):action>")
@login_required
def person_act(user_id: int, action: str):
    require(can_moderate_people(current_user))
    target = _load_person(user_id)
    form = {"hide_all": forms.HideAllForm, "suspend": forms.SuspendForm, "ban": forms.BanForm,
            "lift": forms.LiftForm, "dismiss": forms.DecisionForm}[action](prefix=action)
    if form.validate_on_submit():
        try:
            if action == "hide_all":
                count = services.hide_all_content(target, current_user, form.reason.data, form.note.data or "")
                message = f"Hid {count} idea{'s' if count != 1 else ''} and comment{'s' if count != 1 else ''}."
            elif action == "suspend":
                services.suspend(target, current_user, form.days.data, form.reason.data)
                message = f"{target.display_name} is suspended and has been signed out everywhere."
            elif action == "ban":
                services.ban(target, current_user, form.reason.data)
                message = f"{target.display_name} is banned and has been signed out everywhere."
            elif action == "lift":
                services.lift_restrictions(target, current_user, form.note.data or "")
                message = f"{target.display_name} can sign in and take part again."
            else:
                services.dismiss_reports(target, current_user, form.note.data or "")
                message = "The reports were dismissed."
        except services.ModerationError as error:
            field = form.reason if hasattr(form, "reason") else form.note  # every person form has one of them
            field.errors = list(field.errors) + [str(error)]
        else:
            db.session.commit()
            log_event("moderation", user=current_user.id, action=action, kind="person", target=target.id)
            flash(message, "success")
            return redirect(url_for("moderation.person", user_id=target.id))
    return _person_page(target, 400, **{action: form})


# -- the audit log --------------------------------------------------------------------------------

@bp.get("/moderation/log")
@login_required
def log():
    require(can_read_log(current_user))
    action = request.args.get("action", "")
    action = action if action in queries.ACTIONS else ""
    kind = request.args.get("kind", "")
    kind = kind if kind in ("idea", "comment", "person") else ""
    actor_id = request.args.get("actor", type=int)
    page_number = min(max(1, request.args.get("page", 1, type=int) or 1), 10_000)
    page = db.paginate(queries.log_entries(action, kind, actor_id), page=page_number, per_page=LOG_PER_PAGE,
                       error_out=False)
    return render_template("moderation/log.html", page=page, action=action, kind=kind, actor_id=actor_id,
                           actions=queries.ACTIONS)


# -- reports ----------------------------------------------------------------------------------------

def _report(kind: str, target, back: str):
    if not current_user.is_confirmed:
        flash("Confirm your email address before you report anything. We can send the link again from your account page.", "info")
        return redirect(url_for("accounts.account"))
    require(can_report(current_user, target, kind))
    form = forms.ReportForm()
    if form.validate_on_submit():
        try:
            added = services.report(target, current_user, form.reason.data, form.text.data or "")
        except services.ModerationError as error:
            form.reason.errors = list(form.reason.errors) + [str(error)]
        else:
            db.session.commit()
            log_event("report", user=current_user.id, kind=kind, target=target.id, new=added)
            flash("Thank you. A moderator will look at your report." if added else
                  "You have already reported this. A moderator will look at it.", "success" if added else "info")
            return redirect(back)
    if form.website.errors:
        log_event("honeypot", form="report")
    return render_template("moderation/report.html", form=form, kind=kind, target=target, back=back), \
        (400 if form.errors else 200)


@bp.route("/report/idea/<int:idea_id>", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def report_idea(idea_id: int):
    idea = _load("idea", idea_id)
    return _report("idea", idea, url_for("ideas.detail", idea_id=idea.id))


@bp.route("/report/comment/<int:comment_id>", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def report_comment(comment_id: int):
    comment = _load("comment", comment_id)
    return _report("comment", comment, url_for("comments.permalink", comment_id=comment.id))


@bp.route("/report/person/<int:user_id>", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def report_person(user_id: int):
    person = _load_person(user_id)
    back = safe_local_path(request.args.get("next")) or url_for("pages.home")
    return _report("person", person, back)


# -- duplicates -------------------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/duplicate", methods=["GET", "POST"])
@login_required
def propose_duplicate(idea_id: int):
    idea = _load("idea", idea_id)
    require(can_propose_duplicate(current_user, idea))
    form = forms.DuplicateForm()
    candidates = db.session.scalars(
        select(Idea).where(Idea.challenge_id == idea.challenge_id, Idea.id != idea.id, Idea.moderation_state == "visible",
                           Idea.withdrawn_at.is_(None), Idea.duplicate_of_id.is_(None))
        .order_by(Idea.title, Idea.id).limit(500)).all()
    form.original.choices = [SelectChoice(0, "Choose an idea")] + [SelectChoice(i.id, f"{i.title} (idea {i.id})") for i in candidates]
    if form.validate_on_submit():
        original = next((i for i in candidates if i.id == form.original.data), None)
        try:
            duplicates.propose_duplicate(idea, original, current_user, form.note.data or "")
        except services.ModerationError as error:
            form.original.errors = list(form.original.errors) + [str(error)]
        else:
            db.session.commit()
            log_event("moderation", user=current_user.id, action="propose_duplicate", idea=idea.id)
            if idea.author_id == current_user.id:
                flash("Your idea is now marked as a duplicate. Its supporters have been told.", "success")
            else:
                flash("The author has been asked to accept or decline.", "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("moderation/duplicate.html", form=form, idea=idea), (400 if form.errors else 200)


@bp.route("/duplicates/<int:proposal_id>", methods=["GET", "POST"])
@login_required
def decide_duplicate(proposal_id: int):
    proposal = db.session.get(DuplicateProposal, proposal_id)
    if proposal is None:
        abort(404)
    idea = _load("idea", proposal.idea_id)
    require(can_decide_duplicate(current_user, idea) and proposal.state == "proposed")
    original = db.session.scalar(idea_queries.idea_with_context(proposal.duplicate_of_id))
    form = forms.DuplicateDecisionForm()
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        try:
            duplicates.decide_duplicate(proposal, idea, original, current_user, accept)
        except services.ModerationError as error:
            form.decision.errors = list(form.decision.errors) + [str(error)]
        else:
            db.session.commit()
            flash("Your idea now points people to the other idea. Its supporters have been told."
                  if accept else "Thank you: your idea stays as it is.", "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("moderation/decide_duplicate.html", form=form, idea=idea, original=original,
                           proposal=proposal), (400 if form.errors else 200)


# -- site settings ---------------------------------------------------------------------------------

@bp.route("/admin/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(can_change_site_settings(current_user))
    stored = site_settings.current()
    form = forms.SettingsForm(data=vars(stored) if request.method == "GET" else None)
    if form.validate_on_submit():
        new = site_settings.ModerationSettings(
            hold_first_contributions=form.hold_first_contributions.data,
            hold_links_from_new_accounts=bool(form.hold_links_from_new_accounts.data),
            reports_threshold=form.reports_threshold.data)
        site_settings.save(new)
        from genius.moderation.models import ModerationAction

        db.session.add(ModerationAction(actor_id=current_user.id, action="settings", target_kind="site", target_id=0,
                                        before=_json(vars(stored)), after=_json(vars(new)), created_at=utcnow()))
        db.session.commit()
        log_event("site_settings", user=current_user.id)
        flash("The settings have been saved.", "success")
        return redirect(url_for("moderation.settings"))
    return render_template("moderation/settings.html", form=form), (400 if form.errors else 200)


def _json(values: dict) -> str:
    import json

    return json.dumps(values)
