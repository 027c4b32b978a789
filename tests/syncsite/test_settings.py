"""Settings come from the environment; a bad or missing value stops start-up and names itself."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from syncsite.env import env_bool, env_int, env_url

ROOT = Path(__file__).resolve().parents[2]


def load_settings(*, show: str = "s.DATABASES['default']['ENGINE']", **env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly `env` (plus PATH, and no .env.local
    unless SYNCSITE_ENV_FILE names one); print `show`."""
    return subprocess.run(
        [sys.executable, "-c", f"import syncsite.settings as s; print({show})"],
        cwd=ROOT, env={"PATH": os.environ["PATH"], "SYNCSITE_ENV_FILE": "", **env}, capture_output=True, text=True,
        timeout=60,
    )


def test_a_local_env_file_fills_in_what_the_environment_does_not_set(tmp_path):
    """dev.py writes .env.local with the demo's keys and DEBUG=true, so manage.py works as printed."""
    local = tmp_path / ".env.local"
    local.write_text("# generated\nDEBUG=true\nSECRET_KEY=from-the-file\nLOG_LEVEL=WARNING\n")

    from_file = load_settings(SYNCSITE_ENV_FILE=str(local), show="s.DEBUG, s.SECRET_KEY")
    environment_wins = load_settings(SYNCSITE_ENV_FILE=str(local), SECRET_KEY="from-the-environment",
                                     show="s.DEBUG, s.SECRET_KEY")

    assert from_file.stdout.strip() == "True from-the-file", from_file.stderr
    assert environment_wins.stdout.strip() == "True from-the-environment", environment_wins.stderr


def test_a_missing_local_env_file_is_no_error(tmp_path):
    result = load_settings(SYNCSITE_ENV_FILE=str(tmp_path / "absent"), DEBUG="true", show="s.DEBUG")

    assert result.stdout.strip() == "True", result.stderr


def test_outside_debug_a_missing_secret_key_stops_start_up_naming_it():
    result = load_settings(SYNCSITE_ENCRYPTION_KEY=settings.SYNCSITE_ENCRYPTION_KEYS[0])

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_outside_debug_a_missing_encryption_key_stops_start_up_naming_it():
    result = load_settings(SECRET_KEY="x")

    assert result.returncode != 0
    assert "SYNCSITE_ENCRYPTION_KEY is not set" in result.stderr


def test_debug_runs_without_keys_and_defaults_to_sqlite():
    result = load_settings(DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_email_links_start_with_the_address_the_server_answers_on_unless_told_otherwise():
    demo_port = load_settings(DEBUG="true", SYNCSITE_PUBLIC_URL="http://127.0.0.1:8123", show="s.SYNCSITE_BASE_URL")
    told = load_settings(DEBUG="true", SYNCSITE_PUBLIC_URL="https://hooks.example.com",
                         SYNCSITE_BASE_URL="https://books.example.com/", show="s.SYNCSITE_BASE_URL")

    assert demo_port.stdout.strip() == "http://127.0.0.1:8123", demo_port.stderr
    assert told.stdout.strip() == "https://books.example.com", told.stderr


def test_database_url_switches_to_postgresql():
    result = load_settings(DEBUG="true", DATABASE_URL="postgres://u:p@db.example:5432/syncsite")

    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize("reader, name, value", [
    (lambda: env_bool("SYNCSITE_T"), "SYNCSITE_T", "maybe"),
    (lambda: env_int("SYNCSITE_T", 1), "SYNCSITE_T", "ten"),
    (lambda: env_url("SYNCSITE_T"), "SYNCSITE_T", "not a url"),
])
def test_bad_values_name_the_variable(monkeypatch, reader, name, value):
    monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_sqlite_is_configured_for_a_web_server_and_a_worker_side_by_side(tmp_path):
    """WAL, a busy timeout and IMMEDIATE transactions: neither process sees "database is locked"."""
    probe = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.transaction_mode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "syncsite.settings",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "30000", "IMMEDIATE"]
