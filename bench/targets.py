"""What the benchmark asks for, chosen from the prepared database with the app's own queries.

Read in-process (create_app on the run's database) before the server starts:
the challenge with the most ideas, the idea with the most comments, a profile
(that challenge's champion, staff, so shown by default), a common search word,
and (user, idea) pairs a pool of residents may support right now: in challenges
without a support limit, and apart from them, in challenges with one (a support
there also locks the person and counts their supports in the challenge: two
statements more, so the two are measured, and compared across scales, apart).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import zip_longest


@dataclass
class Targets:
    challenge_id: int
    challenge_ideas: int
    challenge_status: str
    idea_id: int
    idea_comments: int
    profile_id: int
    search_word: str
    pairs: list[tuple[str, int]] = field(default_factory=list)  # (email, idea id), each to support once
    limited_pairs: list[tuple[str, int]] = field(default_factory=list)  # the same, in challenges with a limit


def common_word(titles: list[str], min_length: int = 5) -> str:
    """The most frequent word of at least `min_length` letters (ties: alphabetical)."""
    words = Counter(w for title in titles for w in re.findall(r"[a-z]+", title.lower()) if len(w) >= min_length)
    if not words:
        return "idea"
    best = max(words.values())
    return min(w for w, n in words.items() if n == best)


def interleave(per_user: dict[str, list[int]], limit: int) -> list[tuple[str, int]]:
    """Round-robin over people, so consecutive POSTs come from different people (as on a real site)."""
    pairs = []
    for batch in zip_longest(*[[(email, idea) for idea in ideas] for email, ideas in per_user.items()]):
        for pair in batch:
            if pair is not None:
                pairs.append(pair)
                if len(pairs) >= limit:
                    return pairs
    return pairs


def choose(database_url: str, pool_size: int = 100, max_pairs: int = 6000) -> Targets:
    from flask_login import AnonymousUserMixin
    from sqlalchemy import func, or_, select

    from genius import create_app
    from genius.accounts.models import User
    from genius.challenges.models import Challenge
    from genius.challenges.queries import visible_challenge_clause
    from genius.core.models import utcnow
    from genius.extensions import db
    from genius.ideas.models import Idea, Support
    from genius.ideas.queries import visible_idea_clause

    from bench.cache import DATA, SECRET_KEY

    app = create_app({"GENIUS_ENV": "production", "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_PATH": str(DATA / "instance")})
    anonymous = AnonymousUserMixin()
    now = utcnow()
    with app.app_context():
        challenge = db.session.execute(
            select(Challenge.id, Challenge.ideas_count, Challenge.champion_id, Challenge.status)
            .where(visible_challenge_clause(anonymous, now)).order_by(Challenge.ideas_count.desc(), Challenge.id).limit(1)
        ).one()
        idea = db.session.execute(
            select(Idea.id, Idea.comments_count).join(Challenge, Challenge.id == Idea.challenge_id)
            .where(visible_challenge_clause(anonymous, now), visible_idea_clause(anonymous))
            .order_by(Idea.comments_count.desc(), Idea.id).limit(1)
        ).one()
        titles = db.session.scalars(select(Idea.title).order_by(Idea.id).limit(5000)).all()

        # Residents with a confirmed address: the pool that signs in and supports.
        able = [User.role == "resident", User.email_confirmed_at.is_not(None)]
        # Once moderation lands, generated data may hold suspended or banned people: leave them out.
        if hasattr(User, "banned_at"):
            able.append(User.banned_at.is_(None))
        if hasattr(User, "suspended_until"):
            able.append(or_(User.suspended_until.is_(None), User.suspended_until < now))
        pool = db.session.execute(select(User.id, User.email).where(*able).order_by(User.id).limit(pool_size)).all()
        pool_ids = {user_id: email for user_id, email in pool}
        open_ideas = db.session.execute(
            select(Idea.id, Idea.challenge_id, Challenge.support_limit)
            .join(Challenge, Challenge.id == Idea.challenge_id)
            .where(visible_challenge_clause(anonymous, now), visible_idea_clause(anonymous),
                   Challenge.status == "open", Challenge.opens_at <= now, Challenge.closes_at > now,
                   Idea.withdrawn_at.is_(None))
            .order_by(Idea.id)
        ).all()
        supported = set(tuple(row) for row in db.session.execute(
            select(Support.user_id, Support.idea_id).where(Support.user_id.in_(pool_ids))
        ).all())
        used = Counter({
            (user_id, challenge_id): n for user_id, challenge_id, n in db.session.execute(
                select(Support.user_id, Idea.challenge_id, func.count())
                .join(Idea, Idea.id == Support.idea_id)
                .where(Support.user_id.in_(pool_ids), Idea.withdrawn_at.is_(None))
                .group_by(Support.user_id, Idea.challenge_id)
            )
        })
        db.session.remove()
        db.engine.dispose()

    enough = max_pairs // max(1, len(pool_ids)) + 1  # at x10 there are far more pairs than a run can send

    def pairs_in(ideas: list) -> list[tuple[str, int]]:
        """Each person's ideas to support among these (none they support, within each challenge's limit)."""
        per_user: dict[str, list[int]] = defaultdict(list)
        for index, (user_id, email) in enumerate(pool_ids.items()):
            # Each person starts at a different idea, so concurrent POSTs rarely update the same row.
            shift = index % max(1, len(ideas))
            taken = Counter()
            for idea_id, challenge_id, limit in ideas[shift:] + ideas[:shift]:
                if (user_id, idea_id) in supported:
                    continue
                if limit and used[(user_id, challenge_id)] + taken[challenge_id] >= limit:
                    continue
                taken[challenge_id] += 1
                per_user[email].append(idea_id)
                if len(per_user[email]) >= enough:
                    break
        return interleave(per_user, max_pairs)

    return Targets(
        challenge_id=challenge.id, challenge_ideas=challenge.ideas_count, challenge_status=challenge.status,
        idea_id=idea.id,
        idea_comments=idea.comments_count, profile_id=challenge.champion_id, search_word=common_word(titles),
        pairs=pairs_in([row for row in open_ideas if not row.support_limit]),
        limited_pairs=pairs_in([row for row in open_ideas if row.support_limit]),
    )
