"""Duplicates: a moderator or the author proposes "duplicate of X" in the same challenge; the
duplicate's author accepts or declines; accepted, the idea shows a banner to X, takes no new supports,
its supporters are notified and invited to support X; supports are never moved."""

from __future__ import annotations

from sqlalchemy import select

from challenges.factories import reload, submit
from genius.extensions import db
from genius.ideas.models import Support
from genius.moderation.models import DuplicateProposal
from genius.supports import services as supports
from moderation.support import count, log_actions, notifications_of


def test_a_moderators_proposal_accepted_by_the_author(make_challenge, make_idea, as_role, cast, make_user):
    challenge = make_challenge()
    original = make_idea(challenge, title="Secure bike parking", author=cast("resident"))
    duplicate = make_idea(challenge, title="Bike racks at schools")
    supporter = make_user()
    supports.support_idea(supporter, reload(duplicate))
    db.session.commit()

    moderator, _ = as_role("moderator")
    page = f"/ideas/{duplicate.id}/duplicate"
    assert "Secure bike parking" in moderator.get(page).get_data(as_text=True)
    assert submit(moderator, page, {"original": str(original.id), "note": "Same idea"}).status_code == 302
    [proposal] = db.session.scalars(select(DuplicateProposal)).all()
    assert proposal.state == "proposed" and reload(duplicate).duplicate_of_id is None

    author, _ = as_role("author")
    detail = author.get(f"/ideas/{duplicate.id}").get_data(as_text=True)
    assert f"/duplicates/{proposal.id}" in detail
    assert submit(author, f"/duplicates/{proposal.id}", {"decision": "accept"}).status_code == 302
    assert reload(duplicate).duplicate_of_id == original.id

    anonymous, _ = as_role("anonymous")
    banner = anonymous.get(f"/ideas/{duplicate.id}").get_data(as_text=True)
    assert "This idea is a duplicate of" in banner and f'href="/ideas/{original.id}"' in banner
    # Supports stay where they were; the supporter is told and invited to support the original.
    assert count(Support, Support.idea_id == duplicate.id) == 1 and count(Support, Support.idea_id == original.id) == 0
    [told] = notifications_of(supporter.id, "idea_status_changed")
    assert "is a duplicate of" in told.title and told.idea_id == original.id
    # No new supports, with a clear message; the existing one can still be withdrawn.
    newcomer, _ = as_role("staff")
    refused = submit(newcomer, f"/ideas/{duplicate.id}/support", {}, token_from=f"/ideas/{duplicate.id}")
    assert refused.status_code == 409
    assert "takes no new supports" in refused.get_data(as_text=True)
    assert supports.withdraw_support(supporter, reload(duplicate)) is True
    assert log_actions("idea", duplicate.id) == ["propose_duplicate", "accept_duplicate"]


def test_the_author_declines(make_challenge, make_idea, as_role):
    challenge = make_challenge()
    original = make_idea(challenge, title="Secure bike parking")
    duplicate = make_idea(challenge, title="Bike racks at schools")
    moderator, _ = as_role("moderator")
    submit(moderator, f"/ideas/{duplicate.id}/duplicate", {"original": str(original.id)})
    proposal = db.session.scalar(select(DuplicateProposal))
    author, _ = as_role("author")
    assert submit(author, f"/duplicates/{proposal.id}", {"decision": "decline"}).status_code == 302
    assert reload(duplicate).duplicate_of_id is None and reload(proposal).state == "declined"
    # Decided once: the page is gone.
    assert author.get(f"/duplicates/{proposal.id}").status_code == 403


def test_the_author_marks_their_own_idea_at_once(make_challenge, make_idea, as_role):
    challenge = make_challenge()
    original = make_idea(challenge, title="Secure bike parking")
    duplicate = make_idea(challenge, title="Bike racks at schools")
    author, _ = as_role("author")
    assert "Mark as a duplicate" in author.get(f"/ideas/{duplicate.id}").get_data(as_text=True)
    assert submit(author, f"/ideas/{duplicate.id}/duplicate", {"original": str(original.id)}).status_code == 302
    assert reload(duplicate).duplicate_of_id == original.id


def test_only_an_idea_in_the_same_challenge(make_challenge, make_idea, as_role):
    duplicate = make_idea(make_challenge(title="One"))
    elsewhere = make_idea(make_challenge(title="Two"), title="Elsewhere")
    moderator, _ = as_role("moderator")
    page = f"/ideas/{duplicate.id}/duplicate"
    assert "Elsewhere" not in moderator.get(page).get_data(as_text=True)
    response = submit(moderator, page, {"original": str(elsewhere.id)})
    assert response.status_code == 400
    assert "Choose the idea it duplicates from the list" in response.get_data(as_text=True)
    assert count(DuplicateProposal) == 0


def test_other_people_cannot_propose_or_decide(make_challenge, make_idea, as_role):
    challenge = make_challenge()
    original = make_idea(challenge, title="Secure bike parking")
    duplicate = make_idea(challenge, title="Bike racks at schools")
    resident, _ = as_role("resident")
    assert resident.get(f"/ideas/{duplicate.id}/duplicate").status_code == 403
    moderator, _ = as_role("moderator")
    submit(moderator, f"/ideas/{duplicate.id}/duplicate", {"original": str(original.id)})
    proposal = db.session.scalar(select(DuplicateProposal))
    assert resident.get(f"/duplicates/{proposal.id}").status_code == 403
    assert moderator.get(f"/duplicates/{proposal.id}").status_code == 403
