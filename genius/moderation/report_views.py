"""Moderation routes that members and admins start: reports, duplicate proposals and their
answers, and the site's moderation settings. They share the `moderation` blueprint with
`queue_views`, so their endpoint names stay `moderation.report_idea` and so on.
"""

from __future__ import annotations

import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from genius.core.models import utcnow
from genius.core.permissions import is_signed_in, require
from genius.core.security import log_event, safe_local_path
from genius.extensions import db, limiter
from genius.ideas import queries as idea_queries
from genius.ideas.models import Idea
from genius.moderation import duplicates, forms, services
from genius.moderation import settings as site_settings
from genius.moderation.blueprint import bp, load_person, load_target
from genius.moderation.models import DuplicateProposal, ModerationAction
from genius.moderation.permissions import (
    can_change_site_settings,
    can_decide_duplicate,
    can_propose_duplicate,
    can_report,
)


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


def _person_key() -> str:
    return f"user:{current_user.id}" if is_signed_in(current_user) else request.remote_addr or "unknown"


per_person = limiter.shared_limit(_report_limit, scope="report-person", key_func=_person_key, methods=["POST"])
per_address = limiter.shared_limit(_report_limit, scope="report-address", methods=["POST"])


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
    idea = load_target("idea", idea_id)
    return _report("idea", idea, url_for("ideas.detail", idea_id=idea.id))


@bp.route("/report/comment/<int:comment_id>", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def report_comment(comment_id: int):
    comment = load_target("comment", comment_id)
    return _report("comment", comment, url_for("comments.permalink", comment_id=comment.id))


@bp.route("/report/person/<int:user_id>", methods=["GET", "POST"])
@login_required
@per_person
@per_address
def report_person(user_id: int):
    person = load_person(user_id)
    back = safe_local_path(request.args.get("next")) or url_for("pages.home")
    return _report("person", person, back)


# -- duplicates -------------------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/duplicate", methods=["GET", "POST"])
@login_required
def propose_duplicate(idea_id: int):
    idea = load_target("idea", idea_id)
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
    idea = load_target("idea", proposal.idea_id)
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
        db.session.add(ModerationAction(actor_id=current_user.id, action="settings", target_kind="site", target_id=0,
                                        before=json.dumps(vars(stored)), after=json.dumps(vars(new)), created_at=utcnow()))
        db.session.commit()
        log_event("site_settings", user=current_user.id)
        flash("The settings have been saved.", "success")
        return redirect(url_for("moderation.settings"))
    return render_template("moderation/settings.html", form=form), (400 if form.errors else 200)
