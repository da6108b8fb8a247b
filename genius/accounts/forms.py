"""Account forms: validation only; the views call services to act."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovCharacterCount,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from genius.accounts.models import Role
from genius.core.forms import BaseForm, Honeypot
from genius.core.passwords import MAX_LENGTH, problem_with

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _email_field(label="Email address", **kwargs):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(EMAIL_FORMAT, check_deliverability=False),
        ],
        **kwargs,
    )


def _new_password_field(label):
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a password"), Length(max=MAX_LENGTH * 4)],
        description="At least 10 characters. Long is strong: three or four random words work well.",
    )


class _NewPassword:
    def _check_new_password(self, field):
        problem = problem_with(field.data or "")
        if problem:
            raise ValidationError(problem)


def _display_name_field():
    return StringField(
        "Your name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your name"),
            Length(max=80, message="Your name must be 80 characters or fewer"),
        ],
        description="Shown with what you post. You can use your full name or a short version of it.",
    )


class RegisterForm(BaseForm, _NewPassword):
    display_name = _display_name_field()
    email = _email_field(description="We will send you a link to confirm it.")
    password = _new_password_field("Create a password")
    website = Honeypot()
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate_password(self, field):
        self._check_new_password(field)


class SignInForm(BaseForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=MAX_LENGTH * 4)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgotPasswordForm(BaseForm):
    email = _email_field(description="We will email you a link to choose a new password.")
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class ResetPasswordForm(BaseForm, _NewPassword):
    password = _new_password_field("New password")
    submit = SubmitField("Save new password", widget=GovSubmitInput())

    def validate_password(self, field):
        self._check_new_password(field)


class ConfirmForm(BaseForm):
    """A single button: email links open a page, and the button makes the change."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ProfileForm(BaseForm):
    display_name = _display_name_field()
    organisation = StringField(
        "Organisation (optional)",
        widget=GovTextInput(),
        validators=[Length(max=120, message="Organisation must be 120 characters or fewer")],
        description="For example, a community group, business or council team.",
    )
    bio = TextAreaField(
        "About you (optional)",
        widget=GovCharacterCount(),
        validators=[Length(max=500, message="About you must be 500 characters or fewer")],
        description="A few words about you and what you care about. Shown on your profile. You can use Markdown: **bold**, links.",
    )
    show_in_network = BooleanField(
        "Show my name in the network view",
        widget=GovCheckboxInput(),
        description="The network view shows who works with whom on ideas and in groups. If you leave this "
                    "unticked, you appear there only as an unnamed dot, with nothing that identifies you. "
                    "Your profile page and the names on your ideas and comments are not affected.",
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm, _NewPassword):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=MAX_LENGTH * 4)],
    )
    new_password = _new_password_field("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def validate_new_password(self, field):
        self._check_new_password(field)


class ChangeEmailForm(BaseForm):
    new_email = _email_field("New email address", description="We will send a link to this address to confirm it.")
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=MAX_LENGTH * 4)],
    )
    submit = SubmitField("Change email address", widget=GovSubmitInput())


class RoleForm(BaseForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in Role],
        validators=[InputRequired("Choose a role")],
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())


class SignOutForm(BaseForm):
    submit = SubmitField("Sign out")
