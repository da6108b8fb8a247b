"""Challenge routes: load, check, call a service, commit, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from genius.challenges import queries, services
from genius.challenges.forms import ChallengeForm, ChallengeStatusForm, parse_tags
from genius.challenges.models import Challenge, ChallengeStatusChange
from genius.challenges.permissions import (
    can_change_challenge_status,
    can_create_challenge,
    can_edit_challenge,
    can_propose_idea,
    can_see_champion_dashboard,
    can_view_challenge,
)
from genius.comments.threads import discussion
from genius.core.dates import last_local_day, local_day
from genius.core.pagecache import public_page
from genius.core.pagination import ListPagination
from genius.core.permissions import is_signed_in, require
from genius.extensions import db
from genius.ideas import counts as idea_counts
from genius.ideas import queries as idea_queries
from genius.ideas.models import Idea, IdeaStatus
from genius.notifications.models import FollowTarget
from genius.notifications.services import one_with_following

bp = Blueprint("challenges", __name__)
idea_counts.register_events()

CHALLENGES_PER_PAGE = 20
IDEAS_PER_PAGE = 20
STATUS_FILTERS = {
    "open": "Open for ideas",
    "reviewing": "Reviewing",
    "decided": "Decided",
    "archived": "Archived",
}
STATUS_LABELS = {
    "draft": "Draft",
    "open": "Open",
    "opening soon": "Opening soon",
    "closed for ideas": "Closed for ideas",
    "reviewing": "Reviewing",
    "decided": "Decided",
    "archived": "Archived",
}
MOVE_LABELS = {
    "open": "Open it: people can post ideas between the opening and closing dates",
    "reviewing": "Reviewing: no new ideas or supports; comments stay open",
    "decided": "Decided: publish the outcome and highlight the selected ideas",
    "archived": "Archived: the challenge and its ideas stay readable; nothing can be added",
}


MAX_PAGE = 10_000  # far past any real list; a larger OFFSET overflows the database's integer (a 500)


def _page_number() -> int:
    page = max(1, request.args.get("page", 1, type=int) or 1)
    if page > MAX_PAGE:
        abort(404)
    return page


def load_challenge(challenge_id: int) -> Challenge:
    return _load_challenge(challenge_id, reader_id=None)[0]


def load_challenge_and_following(challenge_id: int) -> tuple[Challenge, bool]:
    """The challenge, and whether the reader follows it, in one statement (its page shows both)."""
    return _load_challenge(challenge_id, reader_id=current_user.id if is_signed_in(current_user) else None)


def _load_challenge(challenge_id: int, reader_id: int | None) -> tuple[Challenge, bool]:
    # Its few tags in the same statement (a joined collection): one statement fewer on every challenge page.
    stmt = (select(Challenge)
            .options(joinedload(Challenge.champion), joinedload(Challenge.owner_group), joinedload(Challenge.tags))
            .where(Challenge.id == challenge_id))
    found = one_with_following(stmt, FollowTarget.CHALLENGE, Challenge.id, reader_id)
    # Invisible challenges are "not found", not "forbidden": their existence is not disclosed.
    if found is None or not can_view_challenge(current_user, found[0]):
        abort(404)
    return found


@bp.get("/challenges")
@public_page
def index():
    status = request.args.get("status", "")
    status = status if status in STATUS_FILTERS or (status == "draft" and current_user.is_authenticated and current_user.is_staff) else ""
    tag = request.args.get("tag", "")[:40]
    number = _page_number()
    items = db.session.scalars(queries.challenge_index_page(current_user, status, tag, number, CHALLENGES_PER_PAGE)).all()
    total = db.session.scalar(queries.challenge_index_count(current_user, status, tag))
    page = ListPagination(items, total, number, CHALLENGES_PER_PAGE)
    tags = db.session.scalars(queries.visible_tag_names(current_user)).all()
    return render_template("challenges/index.html", page=page, status=status, tag=tag, tags=tags,
                           status_filters=STATUS_FILTERS, can_create=can_create_challenge(current_user))


def _champion_choices(form: ChallengeForm) -> None:
    from wtforms import SelectChoice

    form.champion_id.choices = [
        SelectChoice(u.id, f"{u.display_name} ({u.organisation})" if u.organisation else u.display_name)
        for u in services.staff_members()
    ]
    from genius.groups import queries as group_queries

    form.owner_group_id.choices = [SelectChoice(0, "None")] + [
        SelectChoice(g.id, g.name) for g in db.session.scalars(group_queries.council_teams())
    ]


def _form_data(form: ChallengeForm) -> services.ChallengeData:
    return services.ChallengeData(
        title=form.title.data, summary=form.summary.data, background=form.background.data or "",
        champion_id=form.champion_id.data, opens_on=form.opens_on.data, closes_on=form.closes_on.data,
        audience=form.audience.data, public_on=form.public_on.data, owner_team=form.owner_team.data or "",
        tags=parse_tags(form.tags.data or ""), next_steps=form.next_steps.data or "", prize_note=form.prize_note.data or "",
        support_limit=form.support_limit.data, owner_group_id=form.owner_group_id.data or None,
        premoderate_ideas=bool(form.premoderate_ideas.data), premoderate_comments=bool(form.premoderate_comments.data),
    )


@bp.route("/challenges/new", methods=["GET", "POST"])
@login_required
def create():
    require(can_create_challenge(current_user))
    form = ChallengeForm()
    _champion_choices(form)
    if request.method == "GET":
        form.champion_id.data = current_user.id
    if form.validate_on_submit():
        try:
            challenge = services.create_challenge(_form_data(form), current_user)
        except services.ChallengeError as error:
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            flash("Your challenge has been saved as a draft. Only staff can see it until you open it.", "success")
            return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    return render_template("challenges/form.html", form=form, challenge=None), (400 if form.errors else 200)


@bp.route("/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit(challenge_id: int):
    challenge = load_challenge(challenge_id)
    require(can_edit_challenge(current_user, challenge))
    form = ChallengeForm(obj=None if request.method == "POST" else challenge)
    _champion_choices(form)
    if request.method == "GET":
        form.background.data = challenge.background_source
        form.next_steps.data = challenge.next_steps_source
        form.tags.data = ", ".join(challenge.tag_names)
        form.opens_on.data = local_day(challenge.opens_at)
        form.closes_on.data = last_local_day(challenge.closes_at)
        form.public_on.data = local_day(challenge.public_from)
        form.owner_group_id.data = challenge.owner_group_id or 0
    if form.validate_on_submit():
        try:
            services.update_challenge(challenge, _form_data(form))
        except services.ChallengeError as error:
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            flash("The challenge has been updated.", "success")
            return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    return render_template("challenges/form.html", form=form, challenge=challenge), (400 if form.errors else 200)


@bp.route("/challenges/<int:challenge_id>/status", methods=["GET", "POST"])
@login_required
def change_status(challenge_id: int):
    challenge = load_challenge(challenge_id)
    require(can_change_challenge_status(current_user, challenge))
    form = ChallengeStatusForm()
    from wtforms import SelectChoice

    form.status.choices = [SelectChoice(s, MOVE_LABELS[s]) for s in services.allowed_next_statuses(challenge)]
    if form.validate_on_submit():
        try:
            services.change_status(challenge, form.status.data, current_user, form.outcome.data or "")
        except services.ChallengeError as error:
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The challenge is now: {STATUS_LABELS[challenge.status]}.", "success")
            return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    history = db.session.scalars(
        select(ChallengeStatusChange).where(ChallengeStatusChange.challenge_id == challenge.id).order_by(ChallengeStatusChange.id)
    ).all()
    return render_template("challenges/status.html", form=form, challenge=challenge, history=history), (400 if form.errors else 200)


@bp.get("/challenges/<int:challenge_id>")
@public_page
def detail(challenge_id: int):
    challenge, following = load_challenge_and_following(challenge_id)
    sort = request.args.get("sort", "newest")
    sort = sort if sort in idea_queries.SORTS else "newest"
    status = request.args.get("status", "")
    status = status if status in {s.value for s in IdeaStatus} | {"withdrawn"} else ""
    tag_id = request.args.get("tag", type=int)
    tag_id = tag_id if tag_id in {t.id for t in challenge.tags} else None
    area = request.args.get("area", "")
    area = area if area in current_app.config["AREAS"] else ""
    counts: dict[str, int] = {}  # by status, withdrawn ideas apart
    tag_counts: dict[int, int] = {}
    area_counts: dict[str, int] = {}
    # Cached per challenge and version for what everyone sees; this reader's extra ideas counted live.
    for kind, key, withdrawn, count in idea_counts.count_rows(challenge, current_user):
        if kind == "status":
            key = "withdrawn" if withdrawn else key
            counts[key] = counts.get(key, 0) + count
        elif kind == "tag":
            tag_counts[int(key)] = tag_counts.get(int(key), 0) + count
        else:
            area_counts[key] = area_counts.get(key, 0) + count
    listed = idea_queries.ideas_for_challenge(current_user, challenge, sort, status, tag_id, area)
    # The filter labels' counts already hold the total for no filter or one; only a combination of
    # filters needs a count of its own (a count reads every idea of the challenge: costly at scale).
    filters = [f for f in (status, tag_id, area) if f]
    if not filters:
        total = sum(counts.values())
    elif len(filters) == 1:
        total = counts.get(status, 0) if status else tag_counts.get(tag_id, 0) if tag_id else area_counts.get(area, 0)
    else:
        total = db.session.scalar(select(func.count()).select_from(listed.with_only_columns(Idea.id).order_by(None).subquery()))
    number = _page_number()
    items = db.session.scalars(idea_queries.page_of_ideas(listed, sort, number, IDEAS_PER_PAGE)).unique().all()
    ideas = ListPagination(items, total, number, IDEAS_PER_PAGE)
    selected = db.session.scalars(idea_queries.selected_ideas(challenge)).all() if challenge.status in ("decided", "archived") else []
    return render_template(
        "challenges/detail.html", challenge=challenge, ideas=ideas, sort=sort, sorts=idea_queries.SORTS,
        status=status, tag_id=tag_id, area=area, areas=current_app.config["AREAS"], counts=counts,
        tag_counts=tag_counts, area_counts=area_counts,
        idea_statuses=list(IdeaStatus), selected=selected,
        filter_args={"sort": sort, "status": status, "tag": tag_id or "", "area": area},
        can_propose=can_propose_idea(current_user, challenge),
        can_edit=can_edit_challenge(current_user, challenge),
        can_change_status=can_change_challenge_status(current_user, challenge),
        discussion=discussion(current_user, challenge),
        following=following,
    )


@bp.get("/dashboard/responses")
@login_required
def dashboard():
    require(can_see_champion_dashboard(current_user))
    scope = "all" if request.args.get("scope") == "all" and current_user.is_admin else "mine"
    page = db.paginate(idea_queries.awaiting_response(current_user, champion_only=scope == "mine"),
                       page=_page_number(), per_page=50, error_out=False)
    return render_template("challenges/dashboard.html", page=page, scope=scope)
