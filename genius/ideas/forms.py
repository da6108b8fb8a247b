"""Idea forms: validation only."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
# Text fields use DataRequired: BaseForm strips white space, and InputRequired would accept
# "   " (it checks the raw input) and save an empty title.
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from genius.challenges.forms import from_the_list
from genius.core.forms import BaseForm, Honeypot
from genius.ideas.models import IdeaStatus


class IdeaForm(BaseForm):
    title = StringField(
        "Title of your idea", widget=GovTextInput(),
        validators=[DataRequired("Enter a title for your idea"), Length(max=120, message="Title must be 120 characters or fewer")],
        description="A short name people will recognise, for example: Bike racks at every primary school.",
    )
    summary = TextAreaField(
        "Summary", widget=GovCharacterCount(),
        validators=[DataRequired("Enter a summary of your idea"), Length(max=300, message="Summary must be 300 characters or fewer")],
        description="Your idea in one or two sentences. This is shown in lists.",
    )
    description = TextAreaField(
        "Describe your idea (optional)", widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message="Description must be 20,000 characters or fewer")],
        description="What would change, who it helps, what it needs. You can use Markdown: **bold**, lists, links.",
    )
    tags = SelectMultipleField("Tags (optional)", widget=GovCheckboxesInput(), coerce=int,
                               validators=[Optional(), from_the_list("Choose tags from the list for this challenge")])
    area = SelectField("Area (optional)", widget=GovSelect(),
                       validators=[Optional(), from_the_list("Choose an area from the list")],
                       description="The part of the district your idea is about, if it is about one place.")
    group = SelectField("Proposed by", widget=GovSelect(), coerce=int,
                        validators=[Optional(), from_the_list("Choose one of your groups, or ‘Just me’")],
                        description="You can propose this idea on behalf of a group you belong to. "
                                    "It is then listed on the group's page too.")
    anonymous = BooleanField("Post without showing my name", widget=GovCheckboxInput(),
                             description="Your name is hidden from everyone except the site's moderators.")
    website = Honeypot()
    checked_similar = HiddenField()
    submit = SubmitField("Post your idea", widget=GovSubmitInput())

    def set_choices(self, challenge, areas: list[str], groups=()) -> None:
        self.tags.choices = [SelectChoice(t.id, t.name) for t in challenge.tags]
        self.area.choices = [SelectChoice("", "Not about one area")] + [SelectChoice(a, a) for a in areas]
        if groups:
            self.group.choices = [SelectChoice(0, "Just me")] + [SelectChoice(g.id, g.name) for g in groups]
        else:
            del self.group  # shown only to people who belong to a group

    @property
    def group_id(self) -> int | None:
        return (self.group.data or None) if "group" in self else None


class RespondForm(BaseForm):
    status = RadioField(
        "Status", widget=GovRadioInput(),
        choices=[SelectChoice(s.value, s.label) for s in IdeaStatus],
        validators=[InputRequired("Choose a status"), from_the_list("Choose a status from the list")],
    )
    message = TextAreaField(
        "Official response", widget=GovTextArea(),
        validators=[DataRequired("Enter the official response: what was decided and why"),
                    Length(max=5000, message="Official response must be 5,000 characters or fewer")],
        description="Shown in public on the idea's page, with your name and the date. The author and followers are told.",
    )
    submit = SubmitField("Publish response", widget=GovSubmitInput())


class WithdrawForm(BaseForm):
    submit = SubmitField("Withdraw idea", widget=GovSubmitInput())
