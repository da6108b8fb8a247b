"""The database itself keeps moderation data sound, whatever code writes to it: a moderation state is
visible, held or hidden; an idea marked as a duplicate points at an idea that exists."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from challenges.factories import reload
from genius.comments.models import Comment
from genius.extensions import db
from genius.ideas.models import Idea


@pytest.mark.parametrize("model", [Idea, Comment])
def test_an_unknown_moderation_state_is_refused(model, make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    target = idea if model is Idea else make_comment(challenge, idea, author=cast("resident"), body="Hello")
    for state in ("visible", "held", "hidden"):
        db.session.execute(sa.update(model).where(model.id == target.id).values(moderation_state=state))
        db.session.commit()
    for state in ("gone", "Visible", ""):
        with pytest.raises(IntegrityError):
            db.session.execute(sa.update(model).where(model.id == target.id).values(moderation_state=state))
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(sa.select(model.moderation_state).where(model.id == target.id)) == "hidden"


def test_a_duplicate_must_point_at_an_idea_and_stands_alone_if_it_goes(make_challenge, make_idea):
    challenge = make_challenge()
    original, duplicate = make_idea(challenge), make_idea(challenge)
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Idea).where(Idea.id == duplicate.id).values(duplicate_of_id=original.id + 1000))
        db.session.flush()
    db.session.rollback()
    db.session.execute(sa.update(Idea).where(Idea.id == duplicate.id).values(duplicate_of_id=original.id))
    db.session.commit()
    db.session.execute(sa.delete(Idea).where(Idea.id == original.id))
    db.session.commit()
    assert reload(duplicate).duplicate_of_id is None
