"""Comment forms: validation only."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import SubmitField, TextAreaField
# DataRequired, not InputRequired: BaseForm strips white space, so "   " counts as empty.
from wtforms.validators import DataRequired, Length

from genius.comments.models import MAX_BODY
from genius.core.forms import BaseForm, Honeypot


def _one_newline(value):
    # Browsers send line breaks as CRLF; count each as one character, as the character count does.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _body(label: str, noun: str = "comment") -> TextAreaField:
    return TextAreaField(
        label, widget=GovCharacterCount(), filters=[_one_newline],
        validators=[DataRequired(f"Enter your {noun}"),
                    Length(max=MAX_BODY, message=f"{noun.capitalize()} must be {MAX_BODY:,} characters or fewer")],
        description="You can use Markdown: **bold**, *italic*, lists and links.",
    )


class CommentForm(BaseForm):
    body = _body("Add a comment")
    website = Honeypot()
    submit = SubmitField("Post comment", widget=GovSubmitInput())


class QuestionForm(CommentForm):
    """On a challenge: a question to its champion."""

    body = _body("Ask a question or comment on this challenge")


class ReplyForm(CommentForm):
    body = _body("Your reply", "reply")
    submit = SubmitField("Post reply", widget=GovSubmitInput())


class EditCommentForm(CommentForm):
    body = _body("Your comment")
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class DeleteCommentForm(BaseForm):
    submit = SubmitField("Delete comment", widget=GovSubmitInput())
