"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import ValidationError


class Honeypot(StringField):
    """A field people never see (the template hides it); bots fill it in."""

    def __init__(self, label="Leave this field empty", **kwargs):
        super().__init__(label, widget=GovTextInput(), **kwargs)

    def pre_validate(self, form):
        if self.data:
            raise ValidationError("Leave this field empty")


class BaseForm(FlaskForm):
    """Strips surrounding white space from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class is not Honeypot and issubclass(unbound_field.field_class, StringField):
                filters = [_strip, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value
