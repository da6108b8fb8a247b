"""Group forms: validation only."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from genius.challenges.forms import from_the_list
from genius.core.forms import BaseForm, Honeypot
from genius.groups.models import MAX_DESCRIPTION, MAX_NAME

OPEN_CHOICES = [
    SelectChoice("open", "Anyone can join straight away"),
    SelectChoice("closed", "People ask to join, and a lead of the group accepts them"),
]


class GroupForm(BaseForm):
    name = StringField(
        "Name of the group", widget=GovTextInput(),
        validators=[DataRequired("Enter the group's name"),
                    Length(max=MAX_NAME, message=f"The name must be {MAX_NAME} characters or fewer")],
        description="The name people know it by, for example: Clifton Friends of the Park.",
    )
    kind = RadioField("What kind of group is it?", widget=GovRadioInput(),
                      validators=[InputRequired("Choose what kind of group it is"),
                                  from_the_list("Choose what kind of group it is")])
    description = TextAreaField(
        "About the group (optional)", widget=GovCharacterCount(),
        validators=[Optional(), Length(max=MAX_DESCRIPTION,
                                       message=f"About the group must be {MAX_DESCRIPTION:,} characters or fewer")],
        description="What the group does and who it is for. You can use Markdown: **bold**, lists, links.",
    )
    joining = RadioField("Who can join?", widget=GovRadioInput(), choices=OPEN_CHOICES, default="open",
                         validators=[InputRequired("Choose who can join"), from_the_list("Choose who can join")])
    website = Honeypot()
    submit = SubmitField("Save group", widget=GovSubmitInput())

    def set_kinds(self, kinds) -> None:
        self.kind.choices = [SelectChoice(k.value, k.label) for k in kinds]


class ButtonForm(BaseForm):
    """A button that changes something: join, leave, accept, decline, make lead, approve, reject."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
