"""Role x action: every moderation action, through its real route, for every role. An action counts as
allowed only if its effect reached the database; refused ones leave nothing behind.

Roles: anonymous, unconfirmed, resident, the author of the content, council staff, the champion of the
content's challenge, moderator, admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from challenges.factories import reload
from conftest import csrf_token
from genius.accounts.models import User
from genius.extensions import db
from genius.moderation import counters, duplicates, people, services
from genius.moderation.models import DuplicateProposal, Report, SiteSetting

ROLES = ("anonymous", "unconfirmed", "resident", "author", "staff", "champion", "moderator", "admin")
MATRIX = {
    #                         anon unconf resid author staff champ mod admin
    "see_queue":              "N    N     N     N      N     Y     Y   Y",
    "see_item":               "N    N     N     N      N     Y     Y   Y",
    "approve":                "N    N     N     N      N     Y     Y   Y",
    "hide":                   "N    N     N     N      N     Y     Y   Y",
    "restore":                "N    N     N     N      N     Y     Y   Y",
    "dismiss_reports":        "N    N     N     N      N     Y     Y   Y",
    "edit":                   "N    N     N     N      N     Y     Y   Y",
    "bulk":                   "N    N     N     N      N     Y     Y   Y",
    "mark_duplicate":         "N    N     N     Y      N     Y     Y   Y",
    "decide_duplicate":       "N    N     N     Y      N     N     N   N",
    "see_person":             "N    N     N     N      N     N     Y   Y",
    "hide_all":               "N    N     N     N      N     N     Y   Y",
    "suspend":                "N    N     N     N      N     N     Y   Y",
    "ban":                    "N    N     N     N      N     N     Y   Y",
    "lift":                   "N    N     N     N      N     N     Y   Y",
    "dismiss_person_reports": "N    N     N     N      N     N     Y   Y",
    "read_log":               "N    N     N     N      N     N     Y   Y",
    "site_settings":          "N    N     N     N      N     N     N   Y",
    "report_idea":            "N    N     Y     N      Y     Y     Y   Y",
    "report_comment":         "N    N     Y     N      Y     Y     Y   Y",
    "report_person":          "N    N     Y     Y      Y     Y     Y   Y",
}


def _params():
    params = []
    for action, row in MATRIX.items():
        answers = row.split()
        assert len(answers) == len(ROLES), action
        params += [pytest.param(action, role, answer == "Y", id=f"{action}-{role}") for role, answer in zip(ROLES, answers)]
    return params


@dataclass
class World:
    """What the actions act on, made on first use: content by the author in the champion's challenge."""

    make_challenge: object
    make_idea: object
    make_comment: object
    make_user: object
    cast: object
    made: dict = field(default_factory=dict)

    def _once(self, key, build):
        if key not in self.made:
            self.made[key] = build()
        return self.made[key]

    @property
    def challenge(self):
        return self._once("challenge", lambda: self.make_challenge())

    def idea(self, state: str = "visible", title: str = "Bike racks"):
        def build():
            idea = self.make_idea(self.challenge, title=f"{title} ({state})")
            if state == "held":
                counters.count_change(idea, "visible", "held")
                services.hold(idea, "premoderation")
            elif state == "hidden":
                services.hide(idea, self.cast("moderator"), "spam")
            db.session.commit()
            return idea
        return self._once(("idea", state, title), build)

    @property
    def reported_idea(self):
        def build():
            idea = self.idea("visible", "Reported")
            services.report(idea, self.make_user(), "spam")
            db.session.commit()
            return idea
        return self._once("reported", build)

    @property
    def comment(self):
        return self._once("comment", lambda: self.make_comment(self.challenge, self.idea(), author=self.cast("author"),
                                                               body="A comment to act on"))

    @property
    def target(self) -> User:
        return self._once("target", lambda: self.make_user(name="Target Person"))

    @property
    def reported_target(self) -> User:
        def build():
            services.report(self.target, self.make_user(), "abusive")
            db.session.commit()
            return self.target
        return self._once("reported_target", build)

    @property
    def suspended_target(self) -> User:
        def build():
            person = self.make_user(name="Suspended Person")
            people.suspend(person, self.cast("moderator"), 3, "Cool off")
            db.session.commit()
            return person
        return self._once("suspended", build)

    @property
    def proposal(self) -> DuplicateProposal:
        def build():
            original = self.idea("visible", "Original")
            proposal = duplicates.propose_duplicate(self.idea(), original, self.cast("moderator"))
            db.session.commit()
            return proposal
        return self._once("proposal", build)


def _scalar(stmt):
    db.session.rollback()
    return db.session.scalar(stmt)


def _open_reports(kind: str, target_id: int) -> int:
    return _scalar(select(func.count()).select_from(Report).where(Report.target_kind == kind, Report.target_id == target_id,
                                                                  Report.resolved_at.is_(None)))


def _reports() -> int:
    return _scalar(select(func.count()).select_from(Report))


# Each action: (make the request, did its effect happen?). The request gets the world and a client.
def _post(client, path, pairs, role):
    token = csrf_token(client, "/sign-in" if role == "anonymous" else "/account")
    return client.post(path, data=MultiDict([("csrf_token", token), *pairs]))


def _act(w: World, client, role: str, action: str):
    idea_path = lambda idea: f"/moderation/idea/{idea.id}"  # noqa: E731
    if action == "see_queue":
        return client.get("/moderation"), None
    if action == "see_item":
        return client.get(idea_path(w.idea("held"))), None
    if action == "approve":
        idea = w.idea("held")
        return _post(client, f"{idea_path(idea)}/approve", [], role), lambda: reload(idea).moderation_state == "visible"
    if action == "hide":
        idea = w.idea()
        return (_post(client, f"{idea_path(idea)}/hide", [("hide-reason", "spam")], role),
                lambda: reload(idea).moderation_state == "hidden")
    if action == "restore":
        idea = w.idea("hidden")
        return _post(client, f"{idea_path(idea)}/restore", [], role), lambda: reload(idea).moderation_state == "visible"
    if action == "dismiss_reports":
        idea = w.reported_idea
        return _post(client, f"{idea_path(idea)}/dismiss", [], role), lambda: _open_reports("idea", idea.id) == 0
    if action == "edit":
        comment = w.comment
        return (_post(client, f"/moderation/comment/{comment.id}/edit", [("body", "Edited"), ("note", "Tidied")], role),
                lambda: reload(comment).body_source == "Edited")
    if action == "bulk":
        idea = w.idea("held")
        return (_post(client, "/moderation/bulk", [("items", f"idea:{idea.id}"), ("action", "approve"), ("reason", "")],
                      role), lambda: reload(idea).moderation_state == "visible")
    if action == "mark_duplicate":
        idea, original = w.idea(), w.idea("visible", "Original")
        return (_post(client, f"/ideas/{idea.id}/duplicate", [("original", str(original.id))], role),
                lambda: _scalar(select(func.count()).select_from(DuplicateProposal)) == 1)
    if action == "decide_duplicate":
        proposal = w.proposal
        return (_post(client, f"/duplicates/{proposal.id}", [("decision", "accept")], role),
                lambda: reload(proposal).state == "accepted")
    if action == "see_person":
        return client.get(f"/moderation/people/{w.target.id}"), None
    if action == "hide_all":
        idea = w.make_idea(w.challenge, author=w.target, title="Target's idea")
        return (_post(client, f"/moderation/people/{w.target.id}/hide_all", [("hide_all-reason", "spam")], role),
                lambda: reload(idea).moderation_state == "hidden")
    if action == "suspend":
        person = w.target
        return (_post(client, f"/moderation/people/{person.id}/suspend", [("suspend-days", "3"),
                                                                          ("suspend-reason", "Insults")], role),
                lambda: reload(person).suspended_until is not None)
    if action == "ban":
        person = w.target
        return (_post(client, f"/moderation/people/{person.id}/ban", [("ban-reason", "Spam")], role),
                lambda: reload(person).banned_at is not None)
    if action == "lift":
        person = w.suspended_target
        return (_post(client, f"/moderation/people/{person.id}/lift", [], role),
                lambda: reload(person).suspended_until is None)
    if action == "dismiss_person_reports":
        person = w.reported_target
        return (_post(client, f"/moderation/people/{person.id}/dismiss", [], role),
                lambda: _open_reports("person", person.id) == 0)
    if action == "read_log":
        return client.get("/moderation/log"), None
    if action == "site_settings":
        return (_post(client, "/admin/settings", [("hold_first_contributions", "1"), ("reports_threshold", "2")], role),
                lambda: _scalar(select(func.count()).select_from(SiteSetting)) > 0)
    if action in ("report_idea", "report_comment", "report_person"):
        before = _reports()
        target = {"report_idea": w.idea, "report_comment": lambda: w.comment, "report_person": lambda: w.target}[action]()
        before = _reports()
        kind = action.split("_")[1]
        return (_post(client, f"/report/{kind}/{target.id}", [("reason", "spam")], role),
                lambda: _reports() == before + 1)
    raise AssertionError(action)


@pytest.mark.parametrize("action, role, allowed", _params())
def test_role_x_action(action, role, allowed, make_challenge, make_idea, make_comment, make_user, cast, as_role):
    world = World(make_challenge, make_idea, make_comment, make_user, cast)
    world.challenge  # noqa: B018 - the cast's champion owns it
    client, _ = as_role(role)
    response, effect = _act(world, client, role, action)
    if effect is None:  # a page: seen (200) or refused
        assert (response.status_code == 200) is allowed, (action, role, response.status_code)
        if not allowed:
            assert response.status_code in (302, 403, 404), response.status_code
        return
    assert response.status_code < 500, response.status_code
    assert effect() is allowed, (action, role, response.status_code)
    if not allowed:
        if role == "anonymous":
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
        else:
            assert response.status_code in (302, 403, 404), response.status_code
