"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, ValidationError


class Honeypot(StringField):
    """A field people never see (the template hides it); bots fill it in."""

    def __init__(self, label="Leave this field empty", **kwargs):
        super().__init__(label, widget=GovTextInput(), **kwargs)

    def pre_validate(self, form):
        if self.data:
            raise ValidationError("Leave this field empty")


class BaseForm(FlaskForm):
    """Strips surrounding white space from every text field except passwords.

    A password is used exactly as typed (ASVS: no modification), and the same way
    as `genius users create` takes it, so an account made there can sign in here.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            field_class = unbound_field.field_class
            if field_class is not Honeypot and issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = [_strip, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class Required(InputRequired):
    """InputRequired without the HTML `required` flag: for GOV.UK date inputs, whose
    container would otherwise get an invalid `required` attribute."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}
