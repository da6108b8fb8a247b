"""XSS and template injection through the comment body (post, reply, edit): the stored HTML is
inert, every page that shows it is inert, and {{7*7}} shows as typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from challenges.factories import XSS_PAYLOADS, assert_inert, assert_page_inert, main_of
from comments.support import send
from genius.comments.models import Comment
from genius.extensions import db

MORE = [
    "<iframe src=javascript:alert(1)>",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<details open ontoggle=alert(1)>",
    "![x](javascript:alert(1))",
    "`<script>alert(1)</script>`",
    "<scr<script>ipt>alert(1)</script>",
]


def assert_no_live_markup(html: str) -> None:
    """No script element, and no handler or javascript: URL inside any tag. (The typed text itself,
    escaped, may say "javascript:" or "onerror": it is shown, as typed, not run.)"""
    assert "<script" not in html.lower()
    for tag in re.findall(r"<[^>]*>", html):
        lowered = tag.lower()
        assert "javascript:" not in lowered and not re.search(r"\son\w+\s*=", lowered), tag


def stored() -> list[Comment]:
    db.session.rollback()
    return db.session.scalars(select(Comment).order_by(Comment.id)).all()


@pytest.mark.parametrize("payload", XSS_PAYLOADS + MORE)
def test_payloads_never_run(as_role, make_challenge, make_idea, payload):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    resident, _ = as_role("resident")
    assert send(resident, f"/ideas/{idea.id}/comments", {"body": payload}).status_code == 302
    assert send(resident, f"/challenges/{challenge.id}/comments", {"body": payload}).status_code == 302
    on_idea, on_challenge = stored()
    author, _ = as_role("author")
    assert send(author, f"/comments/{on_idea.id}/reply", {"body": payload}).status_code == 302
    assert send(resident, f"/comments/{on_challenge.id}/edit", {"body": payload + " edited"}).status_code == 302
    for comment in stored():
        assert comment.body_source.startswith(payload)
        assert_inert(comment.body_html)
        assert_no_live_markup(comment.body_html)
    pages = [f"/ideas/{idea.id}", f"/challenges/{challenge.id}", f"/comments/{on_idea.id}/reply",
             f"/comments/{on_challenge.id}/reply", f"/comments/{on_challenge.id}/edit", f"/comments/{on_idea.id}/delete"]
    for client in (resident, author, as_role("anonymous")[0]):
        for path in pages:
            response = client.get(path)
            if response.status_code == 200:
                assert_page_inert(response.get_data(as_text=True))
                assert_no_live_markup(main_of(response.get_data(as_text=True)))
    # A refused (too long) body comes back in the form: still inert.
    refused = send(resident, f"/ideas/{idea.id}/comments", {"body": payload * (5001 // len(payload) + 1)})
    assert refused.status_code == 400
    assert_page_inert(refused.get_data(as_text=True))


def test_template_syntax_shows_as_typed(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    resident, _ = as_role("resident")
    send(resident, f"/ideas/{idea.id}/comments", {"body": "{{7*7}} and {% raw %}x{% endraw %}"})
    [comment] = stored()
    page = resident.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "{{7*7}} and {% raw %}x{% endraw %}" in page and ">49<" not in page
    assert ">{{7*7}} and {% raw %}x{% endraw %}</textarea>" in resident.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert "{{7*7}}" in resident.get(f"/comments/{comment.id}/reply").get_data(as_text=True)


def test_links_are_kept_safe(as_role, make_challenge, make_idea):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    resident, _ = as_role("resident")
    send(resident, f"/ideas/{idea.id}/comments", {"body": "See [the plan](https://example.org/plan)."})
    [comment] = stored()
    assert ('<a class="govuk-link" href="https://example.org/plan" rel="nofollow ugc noopener">the plan</a>'
            in comment.body_html)
