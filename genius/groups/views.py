"""Group routes: load, check, call a service, commit, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from genius.challenges.views import MAX_PAGE
from genius.core.pagecache import public_page
from genius.core.permissions import require
from genius.core.security import log_event
from genius.extensions import db
from genius.groups import queries, services
from genius.groups.forms import ButtonForm, GroupForm
from genius.groups.models import GROUPS_PER_PAGE, MEMBERS_PER_PAGE, GroupKind
from genius.groups.permissions import (
    allowed_kinds,
    can_edit_group,
    can_join_group,
    can_leave_group,
    can_manage_members,
    can_propose_group,
    can_review_groups,
    can_view_group,
    is_lead,
)

bp = Blueprint("groups", __name__)

IDEAS_PER_PAGE = 10


def _page(name: str = "page") -> int:
    page = max(1, request.args.get(name, 1, type=int) or 1)
    if page > MAX_PAGE:
        abort(404)
    return page


def load_group(group_id: int):
    """The group and the reader's membership of it (one statement); 404 if the reader may not see it."""
    row = db.session.execute(queries.group_with_membership(group_id, current_user)).first()
    if row is None or not can_view_group(current_user, row[0]):
        abort(404)
    return row[0], row[1]


def _form_data(form: GroupForm) -> services.GroupData:
    return services.GroupData(name=form.name.data or "", kind=form.kind.data or "",
                              description=form.description.data or "", is_open=form.joining.data == "open")


@bp.get("/groups")
@public_page
def index():
    kind = request.args.get("kind", "")
    kind = kind if kind in {k.value for k in GroupKind} else ""
    page = db.paginate(queries.group_index(kind), page=_page(), per_page=GROUPS_PER_PAGE, error_out=False)
    counts = dict(db.session.execute(queries.kind_counts()).all())
    return render_template("groups/index.html", page=page, kind=kind, kinds=list(GroupKind), counts=counts,
                           can_propose=can_propose_group(current_user), can_review=can_review_groups(current_user))


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def create():
    if not current_user.is_confirmed:
        flash("Confirm your email address before you propose a group. We can send the link again from your account page.", "info")
        return redirect(url_for("accounts.account"))
    require(can_propose_group(current_user))
    form = GroupForm()
    form.set_kinds(allowed_kinds(current_user))
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, _form_data(form))
        except services.GroupError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            log_event("group_created", user=current_user.id, group=group.id, status=group.status)
            if group.is_approved:
                flash(f"{group.name} has been created. You are its lead.", "success")
            else:
                flash(f"Thank you. {group.name} has been sent to the site's administrators, who will approve it "
                      "or explain why not. You can see it here meanwhile; nobody else can yet.", "success")
            return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/form.html", form=form, group=None), (400 if form.errors else 200)


@bp.get("/groups/<int:group_id>")
@public_page
def show(group_id: int):
    group, membership = load_group(group_id)
    members = db.paginate(queries.members(group), page=_page("members_page"), per_page=MEMBERS_PER_PAGE,
                          error_out=False)
    ideas = db.paginate(queries.ideas_for_group(current_user, group), page=_page("ideas_page"),
                        per_page=IDEAS_PER_PAGE, error_out=False)
    challenges = db.session.scalars(queries.challenges_for_group(current_user, group)).all() if group.is_council_team else []
    manage = can_manage_members(current_user, group, membership)
    requests = db.session.scalars(queries.requests(group)).all() if manage and not group.is_open else []
    # Leads on this page of members; the last-lead rule needs the real number only for a lead.
    leads = db.session.scalar(queries.leads_count(group.id)) if is_lead(membership) else 0
    return render_template(
        "groups/show.html", group=group, membership=membership, members=members, ideas=ideas, challenges=challenges,
        requests=requests, can_manage=manage, can_join=can_join_group(current_user, group, membership),
        can_leave=can_leave_group(current_user, group, membership, leads), is_last_lead=is_lead(membership) and leads <= 1,
        can_edit=can_edit_group(current_user, group, membership), can_review=can_review_groups(current_user),
        form=ButtonForm(),
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    group, membership = load_group(group_id)
    require(can_edit_group(current_user, group, membership))
    form = GroupForm(obj=None if request.method == "POST" else group)
    kinds = allowed_kinds(current_user)
    if group.kind_enum not in kinds:
        kinds = [group.kind_enum, *kinds]
    form.set_kinds(kinds)
    if request.method == "GET":
        form.joining.data = "open" if group.is_open else "closed"
    if form.validate_on_submit():
        try:
            services.edit_group(group, _form_data(form), current_user)
        except services.GroupError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash("The group has been updated.", "success")
            return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/form.html", form=form, group=group), (400 if form.errors else 200)


def _back(group_id: int, anchor: str = ""):
    return redirect(url_for("groups.show", group_id=group_id) + anchor)


def _act(group_id: int, check, action, done: str, anchor: str = ""):
    """A button on the group page: load, check, act, commit, say what happened."""
    group, membership = load_group(group_id)
    require(check(group, membership))
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        message = action(group, membership)
    except services.GroupError as error:
        db.session.rollback()
        return render_error(group, str(error))
    db.session.commit()
    flash(message or done, "success")
    return _back(group.id, anchor)


def render_error(group, message: str):
    return render_template("groups/problem.html", group=group, message=message), 409


@bp.post("/groups/<int:group_id>/join")
@login_required
def join(group_id: int):
    if not current_user.is_confirmed:
        flash("Confirm your email address before you join a group. We can send the link again from your account page.", "info")
        return redirect(url_for("accounts.account"))

    def action(group, membership):
        joined = services.join_group(group, current_user)
        if joined.state == "active":
            return f"You have joined {group.name}."
        return f"You have asked to join {group.name}. A lead of the group will accept or decline your request."

    return _act(group_id, lambda g, m: can_join_group(current_user, g, m), action, "")


@bp.post("/groups/<int:group_id>/leave")
@login_required
def leave(group_id: int):
    def check(group, membership):
        return membership is not None

    def action(group, membership):
        was_request = membership.state == "requested"
        services.leave_group(group, membership)
        return f"You have withdrawn your request to join {group.name}." if was_request else f"You have left {group.name}."

    return _act(group_id, check, action, "")


@bp.post("/groups/<int:group_id>/members/<int:membership_id>/accept")
@login_required
def accept(group_id: int, membership_id: int):
    def action(group, membership):
        accepted = services.accept_request(group, membership_id)
        return f"{accepted.user.display_name} is now a member."

    return _act(group_id, lambda g, m: can_manage_members(current_user, g, m), action, "", "#requests")


@bp.post("/groups/<int:group_id>/members/<int:membership_id>/decline")
@login_required
def decline(group_id: int, membership_id: int):
    def action(group, membership):
        services.decline_request(group, membership_id)
        return "The request has been declined."

    return _act(group_id, lambda g, m: can_manage_members(current_user, g, m), action, "", "#requests")


@bp.post("/groups/<int:group_id>/members/<int:membership_id>/make-lead")
@login_required
def make_lead(group_id: int, membership_id: int):
    def action(group, membership):
        lead = services.make_lead(group, membership_id)
        return f"{lead.user.display_name} is now a lead of {group.name}."

    return _act(group_id, lambda g, m: can_manage_members(current_user, g, m), action, "", "#members")


@bp.get("/groups/proposals")
@login_required
def proposals():
    require(can_review_groups(current_user))
    page = db.paginate(queries.proposals(), page=_page(), per_page=GROUPS_PER_PAGE, error_out=False)
    return render_template("groups/proposals.html", page=page, form=ButtonForm())


def _review(group_id: int, approve: bool):
    require(can_review_groups(current_user))
    group, _ = load_group(group_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        (services.approve_group if approve else services.reject_group)(group)
    except services.GroupError as error:
        db.session.rollback()
        return render_error(group, str(error))
    db.session.commit()
    log_event("group_reviewed", admin=current_user.id, group=group.id, status=group.status)
    flash(f"{group.name} has been {'approved' if approve else 'rejected'}.", "success")
    return redirect(url_for("groups.proposals"))


@bp.post("/groups/<int:group_id>/approve")
@login_required
def approve(group_id: int):
    return _review(group_id, approve=True)


@bp.post("/groups/<int:group_id>/reject")
@login_required
def reject(group_id: int):
    return _review(group_id, approve=False)

