"""Response headers, the CSP nonce and the security event log (SECURITY.md 14, 20)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from urllib.parse import urlsplit

from flask import Flask, g, request

security_log = logging.getLogger("genius.security")


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"


def configure_logging(app: Flask) -> None:
    if getattr(security_log, "_genius_configured", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(UTCFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    security_log.addHandler(handler)
    security_log.setLevel(logging.INFO)
    security_log._genius_configured = True  # type: ignore[attr-defined]


def client_address() -> str:
    return request.remote_addr or "unknown"


def fingerprint(value: str) -> str:
    """A short one-way tag for personal data in logs (an email, never a password)."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:12]


def log_event(event: str, **fields) -> None:
    """Log a security event. Never pass secrets (passwords, tokens, cookies)."""
    details = " ".join(f"{k}={v}" for k, v in sorted(fields.items()))
    security_log.info("event=%s ip=%s path=%s %s", event, client_address(), request.path, details)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    configure_logging(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_security_headers(response):
        nonce = csp_nonce()
        response.headers["Content-Security-Policy"] = "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}'",
                "style-src 'self'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if app.config["HSTS"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def safe_local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no scheme or host, nothing protocol-relative,
    no backslash (browsers read "/\\evil.example" as "//evil.example"), no control characters."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target
