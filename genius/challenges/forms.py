"""Challenge forms: validation only."""

from __future__ import annotations

import re

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
# Text fields use DataRequired: BaseForm strips white space, and InputRequired would accept
# "   " (it checks the raw input) and save an empty title.
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from genius.challenges.models import Audience
from genius.core.forms import BaseForm, Required

SUPPORT_LIMIT_MESSAGE = "Supports per person must be a whole number from 1 to 100, or left empty"
TAG_RE = re.compile(r"^[\w][\w '&-]{0,39}$", re.UNICODE)


def parse_tags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def from_the_list(message: str):
    """Replace WTForms' own choice errors ("Not a valid choice", "could not coerce") with plain English."""

    def check(form, field):
        if field.errors:
            field.errors[:] = []
            raise ValidationError(message)

    return check


class GovDateField(DateField):
    """A GOV.UK date input: day, month and year posted under one name.

    The widget unpacks exactly three raw values when it shows the form again, so
    a request with the field missing or with too few or too many parts would end
    in a 500; make it three, and let the validators say what is wrong.
    """

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            given = any(value.strip() for value in valuelist)
            self.raw_data = valuelist = (list(valuelist) + ["", "", ""])[:3]
            if given:
                raise ValueError("Enter a day, month and year")
        if not any(value.strip() for value in valuelist):
            self.data = None  # left empty: the validators decide whether that is allowed
            return
        super().process_formdata(valuelist)


class GovWholeNumberInput(GovTextInput):
    """A narrow text input for a whole number: GOV.UK advises type=text with inputmode=numeric."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("inputmode", "numeric")
        params.setdefault("spellcheck", False)
        params["classes"] = (params.get("classes", "") + " govuk-input--width-3").strip()
        return params


class ChallengeForm(BaseForm):
    title = StringField(
        "Title", widget=GovTextInput(),
        validators=[DataRequired("Enter a title"), Length(max=120, message="Title must be 120 characters or fewer")],
        description="A question or a problem to solve, for example: How might we make it easier to cycle to school?",
    )
    summary = StringField(
        "One-line summary", widget=GovTextInput(),
        validators=[DataRequired("Enter a one-line summary"), Length(max=200, message="Summary must be 200 characters or fewer")],
    )
    background = TextAreaField(
        "Background", widget=GovTextArea(),
        validators=[DataRequired("Enter the background to the challenge"), Length(max=20000, message="Background must be 20,000 characters or fewer")],
        description="What the council knows, what has been tried, what a good idea would achieve. You can use Markdown: **bold**, lists, links.",
    )
    champion_id = SelectField("Challenge champion", widget=GovSelect(), coerce=int,
                              validators=[from_the_list("Choose a member of staff as the challenge champion")],
                              description="The member of staff who explains the challenge and answers ideas.")
    owner_team = StringField(
        "Council team (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=120, message="Council team must be 120 characters or fewer")],
    )
    owner_group_id = SelectField("Council team group that owns it (optional)", widget=GovSelect(), coerce=int,
                                 validators=[Optional(), from_the_list("Choose a council team from the list")],
                                 description="The team's group page lists the challenges it owns.")
    tags = StringField(
        "Tags (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=600, message="Tags must be 600 characters or fewer in all")],
        description="Separate tags with commas, for example: transport, schools, health. People choose from these when they post an idea.",
    )
    opens_on = GovDateField("Opening date", widget=GovDateInput(), format="%d %m %Y",
                         validators=[Required("Enter the opening date")],
                         description="For example, 27 3 2027. Ideas can be posted from the start of this day.")
    closes_on = GovDateField("Closing date", widget=GovDateInput(), format="%d %m %Y",
                          validators=[Required("Enter the closing date")],
                          description="New ideas stop at the end of this day.")
    audience = RadioField(
        "Who can see this challenge", widget=GovRadioInput(),
        choices=[SelectChoice(a.value, a.label) for a in Audience], default=Audience.PUBLIC.value,
        validators=[InputRequired("Choose who can see this challenge"), from_the_list("Choose who can see this challenge")],
    )
    # Checked in validate_public_on: Optional() would stop the chain before it could require the date.
    public_on = GovDateField("Public from (for 'council staff first')", widget=GovDateInput(), format="%d %m %Y",
                             validators=[],
                          description="Only for 'Council staff first, then everyone': the day everyone can see it.")
    next_steps = TextAreaField(
        "What happens next (optional)", widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="What happens next must be 5,000 characters or fewer")],
        description="For example: a selection panel meets in March; the best ideas go to a workshop and then a pilot.",
    )
    prize_note = StringField(
        "Prize or funding (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Prize or funding must be 300 characters or fewer")],
        description="For example: up to £5,000 from the innovation fund to pilot the selected idea.",
    )
    # Blank means no limit; "Not a valid integer value" becomes plain English.
    support_limit = IntegerField(
        "Supports per person (optional)", widget=GovWholeNumberInput(),
        validators=[Optional(), from_the_list(SUPPORT_LIMIT_MESSAGE),
                    NumberRange(min=1, max=100, message=SUPPORT_LIMIT_MESSAGE)],
        description="How many ideas in this challenge each person can support, from 1 to 100. Leave it empty for no limit.",
    )
    premoderate_ideas = BooleanField("Check every new idea before it appears", widget=GovCheckboxInput(),
                                     description="A moderator (or you, as champion) approves each idea first. Council staff are never held.")
    premoderate_comments = BooleanField("Check every new comment before it appears", widget=GovCheckboxInput(),
                                        description="The same for comments and questions on this challenge and its ideas.")
    submit = SubmitField("Save challenge", widget=GovSubmitInput())

    def validate_tags(self, field):
        for name in parse_tags(field.data):
            if not TAG_RE.match(name):
                raise ValidationError(f"Tag ‘{name[:40]}’ is not allowed: use letters, numbers and spaces, up to 40 characters each")
        if len(parse_tags(field.data)) > 20:
            raise ValidationError("Use 20 tags or fewer")

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError("The closing date must be the same as or after the opening date")

    def validate_public_on(self, field):
        if self.audience.data != Audience.STAFF_FIRST.value:
            field.errors[:] = []  # only used for "staff first"; whatever was typed is ignored
            raise StopValidation()
        if not field.data and not field.errors:
            raise ValidationError("Enter the date everyone can see this challenge")


class ChallengeStatusForm(BaseForm):
    status = RadioField("Move the challenge to", widget=GovRadioInput(),
                        validators=[InputRequired("Choose what happens to the challenge"),
                                    from_the_list("Choose what happens to the challenge")])
    outcome = TextAreaField(
        "Outcome (when deciding)", widget=GovCharacterCount(),
        validators=[Optional(), Length(max=5000, message="Outcome must be 5,000 characters or fewer")],
        description="What was decided and why. Shown on the challenge page. Required when you mark the challenge as decided.",
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())

    def validate_outcome(self, field):
        if self.status.data == "decided" and not (field.data or "").strip():
            raise ValidationError("Enter the outcome: what was decided and why")
