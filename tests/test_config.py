"""Settings: production refuses unsafe setups; development keeps its own secret key."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

from genius import create_app
from genius.config import ConfigError, database_url, load

LONG_KEY = "k" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("SECRET_KEY", "GENIUS_ENV", "FLASK_DEBUG", "DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)


def settings(tmp_path, **overrides):
    return {"INSTANCE_PATH": str(tmp_path / "instance"), **overrides}


def test_production_is_the_default_and_needs_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app(settings(tmp_path))
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ConfigError, match="too short"):
        create_app(settings(tmp_path, GENIUS_ENV="production"))


def test_production_starts_with_a_long_secret_key_and_safe_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", LONG_KEY)
    app = create_app(settings(tmp_path, GENIUS_ENV="production"))
    assert app.secret_key == LONG_KEY
    assert app.debug is False and app.testing is False
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["HSTS"] is True


def test_production_never_runs_with_debug(tmp_path):
    with pytest.raises(ConfigError, match="Debug mode"):
        create_app(settings(tmp_path, GENIUS_ENV="production", SECRET_KEY=LONG_KEY, DEBUG=True))


def test_flask_debug_in_the_environment_is_refused_outside_development(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app(settings(tmp_path, GENIUS_ENV="production", SECRET_KEY=LONG_KEY))


def test_the_genius_command_with_debug_refuses_a_production_app(tmp_path, monkeypatch):
    # Flask's CLI sets app.debug from --debug *after* our factory returns the app.
    monkeypatch.setenv("FLASK_DEBUG", "0")  # restored after; --debug overwrites it
    cli = FlaskGroup(create_app=lambda: create_app(settings(tmp_path, GENIUS_ENV="production", SECRET_KEY=LONG_KEY)))
    result = CliRunner().invoke(cli, ["--debug", "routes"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError) or "FLASK_DEBUG" in result.output


def test_debug_is_allowed_in_development(tmp_path):
    app = create_app(settings(tmp_path, GENIUS_ENV="development", DEBUG=True))
    assert app.debug is True


def test_an_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="GENIUS_ENV"):
        create_app(settings(tmp_path, GENIUS_ENV="staging"))


def test_development_writes_a_secret_key_once_and_reuses_it(tmp_path):
    first = create_app(settings(tmp_path, GENIUS_ENV="development"))
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    written = key_file.read_text()

    second = create_app(settings(tmp_path, GENIUS_ENV="development"))
    assert second.secret_key == first.secret_key
    assert key_file.read_text() == written
    # So a session signed before a restart is still good after it.
    with first.test_request_context():
        cookie = first.session_interface.get_signing_serializer(first).dumps({"hello": "there"})
    with second.test_request_context():
        assert second.session_interface.get_signing_serializer(second).loads(cookie) == {"hello": "there"}


def test_an_environment_secret_key_wins_over_the_file_in_development(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", LONG_KEY)
    app = create_app(settings(tmp_path, GENIUS_ENV="development"))
    assert app.secret_key == LONG_KEY
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_local_profiles_do_not_demand_https(tmp_path):
    for env in ("development", "testing"):
        cfg = load(tmp_path / env, {"GENIUS_ENV": env})
        assert cfg["SESSION_COOKIE_SECURE"] is False and cfg["HSTS"] is False
        assert cfg["SESSION_COOKIE_HTTPONLY"] is True and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_normalisation(tmp_path):
    assert database_url("", tmp_path) == f"sqlite:///{tmp_path / 'genius.db'}"
    assert database_url("postgres://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"


def test_rate_limits_use_redis_when_it_is_configured(tmp_path, monkeypatch):
    cfg = load(tmp_path, {"GENIUS_ENV": "testing"})
    assert cfg["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    cfg = load(tmp_path, {"GENIUS_ENV": "testing"})
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert cfg["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_mail_goes_by_smtp_when_a_server_is_configured(tmp_path, monkeypatch):
    assert load(tmp_path, {"GENIUS_ENV": "testing"})["MAIL_BACKEND"] == "console"
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.gov.uk")
    cfg = load(tmp_path, {"GENIUS_ENV": "testing"})
    assert cfg["MAIL_BACKEND"] == "smtp" and cfg["MAIL_USE_TLS"] is True
