from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from genius.accounts import queries, services
from genius.accounts.forms import RoleForm
from genius.accounts.models import ROLE_VALUES, Role
from genius.accounts.permissions import can_change_role, can_manage_people
from genius.core.permissions import require
from genius.core.security import log_event
from genius.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


@bp.get("/people")
@login_required
def people():
    require(can_manage_people(current_user))
    search = request.args.get("q", "")[:100]
    role = request.args.get("role", "")
    if role not in ROLE_VALUES:
        role = ""
    page = db.paginate(queries.people(search, role), per_page=PER_PAGE, error_out=False, count=True)
    return render_template("admin/people.html", page=page, search=search, role=role, roles=list(Role))


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
@login_required
def change_role(user_id: int):
    target = services.get_user(user_id)
    if target is None:
        abort(404)
    require(can_change_role(current_user, target))
    form = RoleForm(role=target.role)
    if form.validate_on_submit():
        new_role = Role(form.role.data)
        if new_role.value != target.role:
            old = target.role
            services.set_role(target, new_role, granted_by="admin")
            db.session.commit()
            log_event("role_changed", admin=current_user.id, user=target.id, old=old, new=new_role.value)
        flash(f"{target.display_name} is now: {new_role.label}.", "success")
        return redirect(url_for("admin.people"))
    return render_template("admin/change_role.html", form=form, person=target), (400 if form.errors else 200)
