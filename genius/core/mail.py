"""Every email leaves through send_email().

Backends (MAIL_BACKEND):
- ``console``: development. Prints the message and writes it to instance/outbox/
  as a .eml file, so a person trying `make run` can follow a confirmation link.
- ``smtp``: production, with the MAIL_* settings.
- ``memory``: kept in a list on the app (the test suite reads it).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from genius.core.models import utcnow
from genius.core.security import fingerprint

log = logging.getLogger("genius.mail")


def outbox() -> list[EmailMessage]:
    return current_app.extensions.setdefault("genius_mail_outbox", [])


def build_message(to: str, subject: str, text: str, headers: dict[str, str] | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="genius.local")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    return msg


def send_email(to: str, subject: str, text: str, headers: dict[str, str] | None = None,
               raise_errors: bool = False) -> EmailMessage:
    """Send one email. A failed SMTP send is logged; with raise_errors it is raised
    too, for callers that keep the message to retry (notifications)."""
    msg = build_message(to, subject, text, headers)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(msg)
    elif backend == "console":
        _write_outbox(msg)
    elif backend == "smtp":
        try:
            _send_smtp(msg)
        except (smtplib.SMTPException, OSError):
            # The change that asked for this email is already saved: a 500 page
            # saying "nothing was saved" would be wrong, and a retry would fail
            # differently. Log for the operators; people can ask for the link again.
            log.exception("email not sent: %r to %s", msg["Subject"], fingerprint(to))
            if raise_errors:
                raise
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}: use console, smtp or memory.")
    return msg


def _write_outbox(msg: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_OUTBOX"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    path.write_bytes(msg.as_bytes())
    print(f"\n--- email to {msg['To']} (saved to {path}) ---\n{msg.get_content()}--- end of email ---\n", file=sys.stderr)


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    context = ssl.create_default_context()
    if cfg["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20, context=context)
    else:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
    with smtp:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)
