"""Challenge writes. Services flush, never commit: the view commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from genius.accounts.models import STAFF_ROLES, User
from genius.challenges.models import NEXT_STATUSES, Audience, Challenge, ChallengeStatus, ChallengeStatusChange, ChallengeTag
from genius.core.dates import end_of_day, start_of_day
from genius.core.text import render_markdown
from genius.extensions import db
from genius.notifications import events
from genius.notifications.models import FollowTarget
from genius.notifications.services import follow
from genius.search import services as search


class ChallengeError(ValueError):
    """A change that the lifecycle does not allow; the message says what to do (next to `field`)."""

    def __init__(self, message: str, field: str = "champion_id") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ChallengeData:
    title: str
    summary: str
    background: str
    champion_id: int
    opens_on: date
    closes_on: date
    audience: str = Audience.PUBLIC.value
    public_on: date | None = None
    owner_team: str = ""
    tags: list[str] | None = None
    next_steps: str = ""
    prize_note: str = ""
    support_limit: int | None = None
    premoderate_ideas: bool = False
    premoderate_comments: bool = False
    owner_group_id: int | None = None


def staff_members():
    return db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES), User.deleted_at.is_(None)).order_by(User.display_name)
    ).all()


def _apply(challenge: Challenge, data: ChallengeData) -> None:
    champion = db.session.get(User, data.champion_id)
    if champion is None or not champion.is_staff:
        raise ChallengeError("Choose a member of staff as the challenge champion")
    challenge.title = data.title.strip()
    challenge.summary = data.summary.strip()
    challenge.background_source = data.background
    challenge.background_html = render_markdown(data.background)
    challenge.champion_id = champion.id
    challenge.owner_team = (data.owner_team or "").strip()
    challenge.opens_at = start_of_day(data.opens_on)
    challenge.closes_at = end_of_day(data.closes_on)
    challenge.audience = Audience(data.audience).value
    challenge.public_from = start_of_day(data.public_on) if (data.audience == Audience.STAFF_FIRST.value and data.public_on) else None
    challenge.next_steps_source = data.next_steps or ""
    challenge.next_steps_html = render_markdown(data.next_steps or "")
    challenge.prize_note = (data.prize_note or "").strip()
    if data.support_limit is not None and not 1 <= data.support_limit <= 100:
        raise ChallengeError("Supports per person must be a whole number from 1 to 100, or left empty", field="support_limit")
    challenge.support_limit = data.support_limit
    challenge.premoderate_ideas = bool(data.premoderate_ideas)
    challenge.premoderate_comments = bool(data.premoderate_comments)
    challenge.owner_group_id = _owner_group(data.owner_group_id)
    _set_tags(challenge, data.tags or [])


def _owner_group(group_id: int | None) -> int | None:
    from genius.groups.services import GroupError, council_team_id

    try:
        return council_team_id(group_id)
    except GroupError as error:
        raise ChallengeError(str(error), field="owner_group_id") from None


def _set_tags(challenge: Challenge, names: list[str]) -> None:
    wanted = {n.lower(): n for n in names}
    for tag in list(challenge.tags):
        if tag.name.lower() not in wanted:
            challenge.tags.remove(tag)  # ideas lose the tag too (ON DELETE CASCADE)
        else:
            tag.name = wanted.pop(tag.name.lower())
    for name in wanted.values():
        challenge.tags.append(ChallengeTag(name=name))


def create_challenge(data: ChallengeData, created_by: User) -> Challenge:
    challenge = Challenge(created_by_id=created_by.id, status=ChallengeStatus.DRAFT.value, ideas_count=0, tags=[])
    _apply(challenge, data)
    db.session.add(challenge)
    db.session.flush()
    db.session.add(ChallengeStatusChange(challenge_id=challenge.id, from_status=None, to_status="draft", changed_by_id=created_by.id))
    search.index_challenge(challenge)
    # The author and the champion hear about new ideas and questions.
    follow(created_by.id, FollowTarget.CHALLENGE, challenge.id)
    follow(challenge.champion_id, FollowTarget.CHALLENGE, challenge.id)
    return challenge


def update_challenge(challenge: Challenge, data: ChallengeData) -> None:
    _apply(challenge, data)
    db.session.flush()
    search.index_challenge(challenge)


def allowed_next_statuses(challenge: Challenge) -> tuple[str, ...]:
    return NEXT_STATUSES[challenge.status]


def change_status(challenge: Challenge, new_status: str, by: User, outcome: str = "") -> ChallengeStatusChange:
    if new_status not in allowed_next_statuses(challenge):
        raise ChallengeError(f"A {challenge.status} challenge cannot be moved to {new_status}")
    if new_status == ChallengeStatus.DECIDED.value:
        if not outcome.strip():
            raise ChallengeError("Enter the outcome: what was decided and why")
        challenge.outcome_source = outcome
        challenge.outcome_html = render_markdown(outcome)
    change = ChallengeStatusChange(challenge_id=challenge.id, from_status=challenge.status, to_status=new_status, changed_by_id=by.id)
    challenge.status = new_status
    db.session.add(change)
    db.session.flush()
    events.challenge_status_changed(challenge, new_status, by.id)
    return change

