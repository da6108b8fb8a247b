"""Settings, read from the environment.

`GENIUS_ENV` picks the profile: ``development`` (what `make run` and the
`genius` command in a checkout use), ``testing`` (the test suite) or
``production`` (the default: gunicorn in a council's data centre).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WARDS = (
    "Acomb, Bishopthorpe, Clifton, Copmanthorpe, Dringhouses and Woodthorpe, "
    "Fishergate, Fulford and Heslington, Guildhall, Haxby and Wigginton, "
    "Heworth, Heworth Without, Holgate, Hull Road, Huntington and New Earswick, "
    "Micklegate, Osbaldwick and Derwent, Rawcliffe and Clifton Without, "
    "Rural West York, Strensall, Westfield, Wheldrake, Whole district"
)


class ConfigError(RuntimeError):
    """The environment does not describe a safe, working site."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def database_url(raw: str | None, instance_path: Path) -> str:
    """Normalise DATABASE_URL; SQLite under instance/ when unset."""
    if not raw:
        return f"sqlite:///{instance_path / 'genius.db'}"
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://"):]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    return raw


def _secret_key(env: str, instance_path: Path) -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if env == "production" and len(key) < 32:
            raise ConfigError("SECRET_KEY is too short: use at least 32 random characters.")
        return key
    if env == "production":
        raise ConfigError(
            "SECRET_KEY is not set. GenIUS will not start in production without one: "
            "set SECRET_KEY to a long random value, for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if env == "testing":
        return "testing-" + "x" * 40
    # Development: made once and kept in instance/, so sessions survive restarts.
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load(instance_path: Path, overrides: dict | None = None) -> dict:
    """Build the settings dictionary for one app."""
    overrides = overrides or {}
    env = overrides.get("GENIUS_ENV") or os.environ.get("GENIUS_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"GENIUS_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    # `genius --debug run` (or FLASK_DEBUG=1) turns debug on *after* create_app has
    # checked app.debug, so refuse it here, before the app exists (SECURITY.md 20).
    if env != "development" and _bool(os.environ.get("FLASK_DEBUG")):
        raise ConfigError("FLASK_DEBUG is on: debug mode is only allowed with GENIUS_ENV=development.")
    local = env in ("development", "testing")
    redis_url = os.environ.get("REDIS_URL", "")
    mail_server = os.environ.get("MAIL_SERVER", "")
    cfg: dict = {
        "GENIUS_ENV": env,
        "DEBUG": False,
        "TESTING": env == "testing",
        "SITE_NAME": os.environ.get("SITE_NAME", "GenIUS"),
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "City of York Council"),
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:5000"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "innovation@example.gov.uk"),
        "STAFF_EMAIL_DOMAINS": [d.lower().lstrip("@") for d in _list(os.environ.get("STAFF_EMAIL_DOMAINS"))],
        "AREAS": _list(os.environ.get("AREAS", DEFAULT_WARDS)),
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/London"),
        # How many reverse proxies (nginx, a load balancer) stand in front of the app.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # The whole-site network shows at most this many people, the most active (0: everyone).
        "NETWORK_SITE_MAX_PEOPLE": int(os.environ.get("NETWORK_SITE_MAX_PEOPLE", "500")),
        # Without Redis, built networks are shared through files here (default instance/network-cache;
        # "memory": each process keeps its own).
        "NETWORK_CACHE_FOLDER": os.environ.get("NETWORK_CACHE_FOLDER", ""),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "genius",
        # Mail: the console backend prints and writes to instance/outbox/.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if mail_server else "console"),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS"), default=True),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "GenIUS <no-reply@example.gov.uk>"),
        "MAIL_OUTBOX": str(instance_path / "outbox"),
        # Sessions and cookies (SECURITY.md 6, 7).
        "SESSION_COOKIE_NAME": "genius_session",
        "SESSION_COOKIE_SECURE": not local,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not local,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # The cookie is signed again only when the session changes (at most once a minute of use, when
        # "seen_at" moves: core/sessions.py), not on every response: a signed-in page costs less, and
        # its answer carries no Set-Cookie.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "60")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))),
        "HSTS": not local,
        "WTF_CSRF_TIME_LIMIT": 3600 * 4,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PASSWORD_RESET_MAX_AGE": 3600,
        "EMAIL_CONFIRM_MAX_AGE": 3 * 24 * 3600,
        "SIGN_IN_LIMIT": os.environ.get("SIGN_IN_LIMIT", "5 per minute"),
        "REGISTER_LIMIT": os.environ.get("REGISTER_LIMIT", "10 per hour"),
        "EMAIL_LIMIT": os.environ.get("EMAIL_LIMIT", "5 per hour"),
        "IDEA_LIMIT": os.environ.get("IDEA_LIMIT", "10 per hour"),
        "COMMENT_LIMIT": os.environ.get("COMMENT_LIMIT", "20 per minute"),
        # Supports and withdrawals together, per person and per address.
        "SUPPORT_LIMIT": os.environ.get("SUPPORT_LIMIT", "60 per minute"),
        # Reports of ideas, comments and people, per person and per address.
        "REPORT_LIMIT": os.environ.get("REPORT_LIMIT", "20 per hour"),
        # Rendered pages for readers who are not signed in (core/pagecache.py): seconds kept, 0 = off.
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "0" if local else "15")),
        "PAGE_CACHE_MEMORY_MB": int(os.environ.get("PAGE_CACHE_MEMORY_MB", "16")),
        # `make bench` only: adds /bench/hello and a per-response count of SQL statements (genius/bench).
        "GENIUS_BENCH": _bool(os.environ.get("GENIUS_BENCH")),
    }
    cfg.update({k: v for k, v in overrides.items() if k != "SECRET_KEY"})
    cfg["SECRET_KEY"] = overrides.get("SECRET_KEY") or _secret_key(env, instance_path)
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {**cfg["SQLALCHEMY_ENGINE_OPTIONS"], "connect_args": {"timeout": 30}}
    return cfg
