"""Mail leaves through a real SMTP server, or into instance/outbox/ in development."""

from __future__ import annotations

import email
import logging
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from accounts.conftest import link_in, user_count
from conftest import PASSWORD, post_form
from genius.accounts.services import find_by_email


class Collect:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def register(client, email_address="mailme@example.com"):
    return post_form(client, "/register", {"display_name": "Mail Me", "email": email_address, "password": PASSWORD})


def test_confirmation_goes_through_a_real_smtp_server(app, client, smtp_server):
    controller, handler = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_USERNAME="")
    assert register(client).status_code == 302

    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["mailme@example.com"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["To"] == "mailme@example.com"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Subject"].startswith("Confirm your email address")
    assert message["Message-ID"]
    # The link in the message that travelled through SMTP confirms the account.
    assert post_form(client, link_in(message)).status_code == 302
    assert find_by_email("mailme@example.com").is_confirmed


def test_the_console_backend_writes_an_eml_file_to_the_outbox(app, client, capsys):
    app.config["MAIL_BACKEND"] = "console"
    outbox = Path(app.config["MAIL_OUTBOX"])
    assert outbox.parent == Path(app.instance_path)
    assert register(client).status_code == 302

    [saved] = list(outbox.glob("*.eml"))
    message = email.message_from_bytes(saved.read_bytes(), policy=policy.default)
    assert message["To"] == "mailme@example.com"
    link = link_in(message)
    assert link.startswith("/confirm-email/")
    # Printed too, so a person trying `make run` sees it.
    assert link in capsys.readouterr().err
    assert post_form(client, link).status_code == 302


def test_an_unknown_backend_is_an_error(app):
    from genius.core.mail import send_email

    app.config["MAIL_BACKEND"] = "pigeon"
    with app.test_request_context(), pytest.raises(RuntimeError, match="MAIL_BACKEND"):
        send_email("a@example.com", "Subject", "Body")


def test_registration_survives_a_mail_server_that_is_down(app, client, smtp_server, caplog):
    controller, handler = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    response = register(client)
    # The account is saved, so the page says so, not "nothing was saved".
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/check-your-email"
    assert user_count() == 1
    failures = [r for r in caplog.records if r.name == "genius.mail" and r.levelno == logging.ERROR]
    assert failures and "mailme@example.com" not in caplog.text

    # Once mail works again, the person asks for the link again and gets it.
    app.config["MAIL_PORT"] = controller.port
    post_form(client, "/sign-in", {"email": "mailme@example.com", "password": PASSWORD})
    assert post_form(client, "/confirm-email/send-again", token_from="/account").status_code == 302
    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["mailme@example.com"]
