"""Notification forms: validation only."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, Optional

from genius.challenges.forms import from_the_list
from genius.core.forms import BaseForm
from genius.notifications.models import EmailFrequency

# Checkbox value -> the NotificationSettings column it switches.
AUTO_FOLLOW_CHOICES = {
    "post": ("follow_what_i_post", "Ideas I post"),
    "support": ("follow_what_i_support", "Ideas I support"),
    "comment": ("follow_what_i_comment_on", "Ideas and challenges I comment on"),
}


class SettingsForm(BaseForm):
    email_frequency = RadioField(
        "How often should we email you?", widget=GovRadioInput(),
        choices=[SelectChoice(f.value, f.label) for f in EmailFrequency],
        validators=[InputRequired("Choose how often we should email you"),
                    from_the_list("Choose how often we should email you")],
        description="Whatever you choose, you can see everything on your notifications page.",
    )
    auto_follow = SelectMultipleField(
        "Follow automatically", widget=GovCheckboxesInput(),
        choices=[SelectChoice(value, label) for value, (_column, label) in AUTO_FOLLOW_CHOICES.items()],
        validators=[Optional(), from_the_list("Choose from the list")],
        description="You hear about status changes and official responses on what you follow. "
                    "You can follow or stop following anything on its page.",
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())

    def fill_from(self, settings) -> None:
        self.email_frequency.data = settings.email_frequency
        self.auto_follow.data = [value for value, (column, _label) in AUTO_FOLLOW_CHOICES.items()
                                 if getattr(settings, column)]

    def values(self) -> dict:
        chosen = set(self.auto_follow.data or [])
        return {"email_frequency": EmailFrequency(self.email_frequency.data).value,
                **{column: value in chosen for value, (column, _label) in AUTO_FOLLOW_CHOICES.items()}}
