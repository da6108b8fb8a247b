"""Moderation forms: validation only."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from genius.challenges.forms import GovWholeNumberInput, from_the_list
from genius.core.forms import BaseForm, Honeypot
from genius.moderation.models import HideReason, ReportReason

HIDE_CHOICES = [SelectChoice(r.value, r.label) for r in HideReason if r is not HideReason.REPORTS]
ACTION_CHOICES = [
    SelectChoice("approve", "Approve: make it public"),
    SelectChoice("hide", "Hide: take it down, and tell the author why"),
    SelectChoice("restore", "Restore: make a hidden item public again"),
    SelectChoice("dismiss", "Dismiss the reports: keep it as it is"),
]


def _note(label: str = "Note (optional)", description: str = "") -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=description,
                         validators=[Length(max=2000, message="The note must be 2,000 characters or fewer")])


class ReportForm(BaseForm):
    reason = RadioField("Why are you reporting this?", widget=GovRadioInput(),
                        choices=[SelectChoice(r.value, r.label) for r in ReportReason],
                        validators=[InputRequired("Choose why you are reporting this"),
                                    from_the_list("Choose why you are reporting this")])
    text = TextAreaField("Tell us more (optional unless you chose ‘Something else’)", widget=GovCharacterCount(),
                         validators=[Length(max=1000, message="Your explanation must be 1,000 characters or fewer")])
    website = Honeypot()
    submit = SubmitField("Send report", widget=GovSubmitInput())

    def validate_text(self, field):
        if self.reason.data == ReportReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError("Tell us what is wrong")


class DecisionForm(BaseForm):
    """One action on one item: approve, restore, dismiss (a note is optional)."""

    note = _note()
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class HideForm(BaseForm):
    reason = RadioField("Reason the author is told", widget=GovRadioInput(), choices=HIDE_CHOICES,
                        validators=[InputRequired("Choose a reason"), from_the_list("Choose a reason from the list")])
    note = _note("Explanation for the author (optional unless you chose ‘Another reason’)")
    submit = SubmitField("Hide", widget=GovSubmitInput())

    def validate_note(self, field):
        if self.reason.data == HideReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError("Explain the reason, so the author knows why")


class BulkForm(BaseForm):
    """Checkboxes on the queue (posted as `items`, read by the view) and one action for all of them."""

    action = RadioField("Action for the selected items", widget=GovRadioInput(), choices=ACTION_CHOICES,
                        validators=[InputRequired("Choose an action"), from_the_list("Choose an action from the list")])
    reason = SelectField("Reason, when hiding", widget=GovSelect(),
                         choices=[SelectChoice("", "Choose a reason")] + HIDE_CHOICES,
                         validators=[from_the_list("Choose a reason from the list")])
    note = _note()
    submit = SubmitField("Apply to selected items", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.action.data == "hide" and not field.data:
            raise ValidationError("Choose a reason for hiding")


class EditIdeaForm(BaseForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[DataRequired("Enter a title"), Length(max=120, message="Title must be 120 characters or fewer")])
    summary = StringField("Summary", widget=GovTextInput(),
                          validators=[DataRequired("Enter a summary"), Length(max=300, message="Summary must be 300 characters or fewer")])
    description = TextAreaField("Description", widget=GovTextArea(),
                                validators=[Optional(), Length(max=20000, message="Description must be 20,000 characters or fewer")])
    note = TextAreaField("Note for the author and the log", widget=GovTextArea(),
                         description="What you changed and why, for example: removed a phone number.",
                         validators=[DataRequired("Enter a note saying what you changed and why"),
                                     Length(max=2000, message="The note must be 2,000 characters or fewer")])
    submit = SubmitField("Save edit", widget=GovSubmitInput())


class EditCommentForm(BaseForm):
    body = TextAreaField("Comment", widget=GovTextArea(),
                         validators=[DataRequired("Enter the comment's text"), Length(max=5000, message="A comment must be 5,000 characters or fewer")])
    note = TextAreaField("Note for the author and the log", widget=GovTextArea(),
                         description="What you changed and why, for example: removed a phone number.",
                         validators=[DataRequired("Enter a note saying what you changed and why"),
                                     Length(max=2000, message="The note must be 2,000 characters or fewer")])
    submit = SubmitField("Save edit", widget=GovSubmitInput())


class SuspendForm(BaseForm):
    days = IntegerField("Suspend for how many days?", widget=GovWholeNumberInput(),
                        validators=[InputRequired("Enter the number of days, from 1 to 365"),
                                    from_the_list("Enter the number of days as a whole number, from 1 to 365"),
                                    NumberRange(min=1, max=365, message="Enter the number of days, from 1 to 365")])
    reason = TextAreaField("Reason (the person sees this when they try to sign in)", widget=GovTextArea(),
                           validators=[DataRequired("Enter the reason"), Length(max=2000, message="The reason must be 2,000 characters or fewer")])
    submit = SubmitField("Suspend", widget=GovSubmitInput())


class BanForm(BaseForm):
    reason = TextAreaField("Reason for the ban (the person sees this when they try to sign in)", widget=GovTextArea(),
                           validators=[DataRequired("Enter the reason"), Length(max=2000, message="The reason must be 2,000 characters or fewer")])
    submit = SubmitField("Ban", widget=GovSubmitInput())


class LiftForm(BaseForm):
    note = _note()
    submit = SubmitField("Lift the suspension or ban", widget=GovSubmitInput())


class HideAllForm(HideForm):
    submit = SubmitField("Hide all their content", widget=GovSubmitInput())


class DuplicateForm(BaseForm):
    original = SelectField("Which idea does it duplicate?", widget=GovSelect(), coerce=int,
                           validators=[from_the_list("Choose the idea it duplicates from the list")])
    note = _note()
    submit = SubmitField("Propose as duplicate", widget=GovSubmitInput())

    def validate_original(self, field):
        if not field.data:
            raise ValidationError("Choose the idea it duplicates from the list")


class DuplicateDecisionForm(BaseForm):
    decision = RadioField("Is your idea a duplicate?", widget=GovRadioInput(),
                          choices=[SelectChoice("accept", "Yes: mark it as a duplicate and point people to the other idea"),
                                   SelectChoice("decline", "No: it is a different idea")],
                          validators=[InputRequired("Choose yes or no"), from_the_list("Choose yes or no")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class SettingsForm(BaseForm):
    hold_first_contributions = IntegerField(
        "Hold the first contributions of every new account", widget=GovWholeNumberInput(),
        description="How many of each person's first ideas and comments wait for a moderator, from 0 (off) to 20.",
        validators=[InputRequired("Enter a number from 0 to 20"), from_the_list("Enter a whole number from 0 to 20"),
                    NumberRange(min=0, max=20, message="Enter a number from 0 to 20")])
    hold_links_from_new_accounts = BooleanField(
        "Hold ideas and comments with links from accounts less than 7 days old", widget=GovCheckboxInput())
    reports_threshold = IntegerField(
        "Hide an item after this many people report it", widget=GovWholeNumberInput(),
        description="It stays hidden until a moderator reviews it. From 1 to 50.",
        validators=[InputRequired("Enter a number from 1 to 50"), from_the_list("Enter a whole number from 1 to 50"),
                    NumberRange(min=1, max=50, message="Enter a number from 1 to 50")])
    submit = SubmitField("Save settings", widget=GovSubmitInput())
