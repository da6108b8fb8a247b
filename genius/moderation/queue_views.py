"""Moderation routes for moderators: the queue and dashboard, one item, one person, the audit log.
Load, check, call a service, commit once, redirect or render.

Every page works by keyboard alone and without JavaScript: the queue's bulk action is one
form of checkboxes and radios; each action on an item is its own small form.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from genius.accounts.models import User
from genius.core.permissions import require
from genius.core.security import log_event
from genius.extensions import db
from genius.moderation import forms, people, queries, services
from genius.moderation.blueprint import KINDS, bp, load_person, load_target
from genius.moderation.permissions import (
    can_moderate,
    can_moderate_people,
    can_propose_duplicate,
    can_read_log,
    can_see_queue,
)

LOG_PER_PAGE = 50


def _target_url(kind: str, target) -> str:
    if kind == "idea":
        return url_for("ideas.detail", idea_id=target.id)
    return url_for("comments.permalink", comment_id=target.id)


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
            target = load_person(int(raw_id))
        else:
            if kind not in KINDS or not raw_id.isdigit():
                abort(400)
            target = load_target(kind, int(raw_id))
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
    target = load_target(kind, target_id)
    require(can_moderate(current_user, target))
    return _item_page(kind, target)


@bp.post("/moderation/<kind>/<int:target_id>/<any(approve, hide, restore, dismiss):action>")
@login_required
def act(kind: str, target_id: int, action: str):
    target = load_target(kind, target_id)
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
    target = load_target(kind, target_id)
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
    return _person_page(load_person(user_id))


@bp.post("/moderation/people/<int:user_id>/<any(hide_all, suspend, ban, lift, dismiss):action>")
@login_required
def person_act(user_id: int, action: str):
    require(can_moderate_people(current_user))
    target = load_person(user_id)
    form = {"hide_all": forms.HideAllForm, "suspend": forms.SuspendForm, "ban": forms.BanForm,
            "lift": forms.LiftForm, "dismiss": forms.DecisionForm}[action](prefix=action)
    if form.validate_on_submit():
        try:
            if action == "hide_all":
                count = people.hide_all_content(target, current_user, form.reason.data, form.note.data or "")
                message = f"Hid {count} idea{'s' if count != 1 else ''} and comment{'s' if count != 1 else ''}."
            elif action == "suspend":
                people.suspend(target, current_user, form.days.data, form.reason.data)
                message = f"{target.display_name} is suspended and has been signed out everywhere."
            elif action == "ban":
                people.ban(target, current_user, form.reason.data)
                message = f"{target.display_name} is banned and has been signed out everywhere."
            elif action == "lift":
                people.lift_restrictions(target, current_user, form.note.data or "")
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


