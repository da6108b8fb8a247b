"""Account routes: load, check, call a service, commit, render."""

from __future__ import annotations


from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from genius.accounts import services, tokens
from genius.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from genius.core.passwords import hash_password, verify_password
from genius.core.security import fingerprint, log_event, safe_local_path
from genius.core.sessions import sign_in as start_session
from genius.core.sessions import sign_out as end_session
from genius.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _config_limit(name: str):
    return lambda: current_app.config[name]


def _email_key() -> str:
    return "email:" + fingerprint(request.form.get("email", ""))


def _failed_sign_in(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def _account_key() -> str:
    """Per account, for re-entering a password while signed in (from any address)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or ""


# Wrong current passwords on the password and email pages count together, per
# account: a stolen session used from many addresses gets 5 guesses a minute in all.
_reauth_limit = limiter.shared_limit(
    _config_limit("SIGN_IN_LIMIT"), scope="reauth-account", key_func=_account_key,
    methods=["POST"], deduct_when=_failed_sign_in,
)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_config_limit("REGISTER_LIMIT"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        existing = services.find_by_email(form.email.data)
        if existing is not None:
            # Same answer as a new registration (SECURITY.md 4); the owner hears by email.
            # Hash the password anyway, so this answer takes as long as a new account's.
            hash_password(form.password.data)
            services.send_already_registered(existing)
            log_event("register_existing_email", email=fingerprint(form.email.data))
        else:
            user = services.create_user(form.email.data, form.display_name.data, form.password.data)
            db.session.commit()
            services.send_confirmation(user)
            log_event("register", user=user.id)
        return redirect(url_for("accounts.check_email"))
    if form.website.errors:
        log_event("honeypot", form="register")
    return render_template("accounts/register.html", form=form), (400 if form.errors else 200)


@bp.get("/register/check-your-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm(token: str):
    form = ConfirmForm()
    try:
        user, _ = tokens.read_token(token, "confirm-email", current_app.config["EMAIL_CONFIRM_MAX_AGE"], services.get_user)
    except tokens.TokenError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    if form.validate_on_submit():
        services.confirm_email(user)
        db.session.commit()
        log_event("email_confirmed", user=user.id)
        flash("Your email address is confirmed." + ("" if current_user.is_authenticated else " Sign in to continue."), "success")
        return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.sign_in"))
    return render_template("accounts/confirm.html", form=form, email=user.email)


@bp.post("/confirm-email/send-again")
@login_required
@limiter.limit(_config_limit("EMAIL_LIMIT"))
def resend_confirmation():
    form = ConfirmForm()
    if form.validate_on_submit() and not current_user.is_confirmed:
        services.send_confirmation(current_user)
    flash(f"We have sent a new link to {current_user.email}.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_config_limit("SIGN_IN_LIMIT"), key_func=_email_key, methods=["POST"], deduct_when=_failed_sign_in, scope="sign-in-email")
@limiter.limit(_config_limit("SIGN_IN_LIMIT"), methods=["POST"], deduct_when=_failed_sign_in, scope="sign-in-address")
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.is_restricted:
            # Only after the right password: the reason is for the person, and says nothing to a guesser.
            log_event("sign_in_refused_restricted", user=user.id)
            form.email.errors.append(restriction_message(user))
            return render_template("accounts/sign_in.html", form=form), 403
        if user is not None:
            services.record_sign_in(user)
            db.session.commit()
            start_session(user)
            log_event("sign_in", user=user.id)
            return redirect(safe_local_path(request.args.get("next")) or url_for("accounts.account"))
        g.sign_in_failed = True
        log_event("sign_in_failed", email=fingerprint(form.email.data))
        form.email.errors.append("Enter a correct email address and password")
        status = 400
    elif form.errors:
        status = 400
    return render_template("accounts/sign_in.html", form=form), status


def restriction_message(user) -> str:
    from genius.core.dates import local_day

    if user.is_banned:
        return f"Your account has been banned, so you cannot sign in. Reason: {user.ban_reason}"
    until = local_day(user.suspended_until)
    return (f"Your account is suspended until {until.day} {until:%B %Y}, so you cannot sign in until then. "
            f"Reason: {user.suspension_reason}")


@bp.post("/sign-out")
def sign_out():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("pages.home"))
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        services.end_all_sessions(user)
        db.session.commit()
        log_event("sign_out", user=user.id)
    end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("pages.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_config_limit("EMAIL_LIMIT"), key_func=_email_key, methods=["POST"], scope="reset-email")
@limiter.limit(_config_limit("REGISTER_LIMIT"), methods=["POST"], scope="reset-address")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.is_active:
            services.send_password_reset(user)
        log_event("password_reset_requested", email=fingerprint(form.email.data))
        # The same page whether or not there is an account (SECURITY.md 4).
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), (400 if form.errors else 200)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user, _ = tokens.read_token(token, "reset-password", current_app.config["PASSWORD_RESET_MAX_AGE"], services.get_user)
    except tokens.TokenError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        if not user.is_confirmed:
            # They proved they read mail at this address.
            services.confirm_email(user)
        db.session.commit()
        end_session()
        log_event("password_reset", user=user.id)
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form), (400 if form.errors else 200)


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", resend_form=ConfirmForm())


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data, form.bio.data or "", form.organisation.data or "",
                                show_in_network=bool(form.show_in_network.data))
        db.session.commit()
        flash("Your profile has been saved.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/profile.html", form=form), (400 if form.errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@_reauth_limit
@limiter.limit(_config_limit("SIGN_IN_LIMIT"), methods=["POST"], deduct_when=_failed_sign_in, scope="reauth")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current_password.data):
            g.sign_in_failed = True
            log_event("reauth_failed", user=user.id)
            form.current_password.errors.append("Your current password is not correct")
        else:
            services.change_password(user, form.new_password.data)
            db.session.commit()
            log_event("password_changed", user=user.id)
            # Every other session has ended; this one carries on with a fresh cookie.
            start_session(user)
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form), (400 if form.errors else 200)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@_reauth_limit
@limiter.limit(_config_limit("SIGN_IN_LIMIT"), methods=["POST"], deduct_when=_failed_sign_in, scope="reauth-email")
@limiter.limit(_config_limit("EMAIL_LIMIT"), methods=["POST"], scope="change-email")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current_password.data):
            g.sign_in_failed = True
            log_event("reauth_failed", user=user.id)
            form.current_password.errors.append("Your current password is not correct")
        elif services.normalise_email(form.new_email.data) == user.email:
            form.new_email.errors.append("That is already your email address. Enter a different one")
        else:
            # Whether or not the address is taken, the answer is the same (SECURITY.md 4).
            if not services.email_in_use(form.new_email.data):
                services.send_email_change(user, form.new_email.data)
            log_event("email_change_requested", user=user.id)
            flash(f"We have sent a link to {form.new_email.data}. Your email address changes when you open it.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_email.html", form=form), (400 if form.errors else 200)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = ConfirmForm()
    try:
        user, data = tokens.read_token(token, "change-email", current_app.config["PASSWORD_RESET_MAX_AGE"], services.get_user)
    except tokens.TokenError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    new_email = data.get("e", "")
    if form.validate_on_submit():
        if services.email_in_use(new_email):
            return render_template("accounts/link_problem.html", message="That email address is now used by another account. Choose a different one."), 409
        services.change_email(user, new_email)
        db.session.commit()
        end_session()
        log_event("email_changed", user=user.id)
        flash("Your email address has been changed. Sign in with your new address.", "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/confirm_email_change.html", form=form, email=new_email)
