"""syncsite settings: every value comes from the environment (see README.md, Configuration).

The defaults run the demo: a SQLite file and django-q2's ORM broker, nothing else to install.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""
import os
from pathlib import Path

import dj_database_url

from syncsite.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_required,
    env_str,
    env_url,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# `.env.local` (dev.py writes it: the demo's keys and DEBUG=true) fills in what the environment does
# not set, so manage.py commands work as printed in the README. SYNCSITE_ENV_FILE names another file;
# empty, none is read (the tests' choice).
_env_file = os.environ.get("SYNCSITE_ENV_FILE", str(BASE_DIR / ".env.local"))
if _env_file:
    load_env_file(Path(_env_file))

DEBUG = env_bool("DEBUG", False)

# In DEBUG a missing key falls back to a fixed, public development value; elsewhere start-up stops.
SECRET_KEY = env_required("SECRET_KEY", unless=DEBUG, fallback="syncsite-insecure-development-key")
SYNCSITE_ENCRYPTION_KEYS = env_list(
    "SYNCSITE_ENCRYPTION_KEY",
    [] if not DEBUG else ["c3luY3NpdGUtZGV2ZWxvcG1lbnQta2V5LTMyYnl0ZXM="],
)
if not SYNCSITE_ENCRYPTION_KEYS:
    env_required("SYNCSITE_ENCRYPTION_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SYNCSITE_PUBLIC_URL = env_url("SYNCSITE_PUBLIC_URL")

INSTALLED_APPS = [
    "syncsite.apps.SyncsiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_q",
    "syncsite.apps.SyncsiteConfig",
    "merchants",
    "syncjobs",
    "syncjobs.daily",
    "syncjobs.customers",
    "syncjobs.products",
    "syncjobs.documents",
    "syncjobs.inventory",
    "syncjobs.shipments",
    "syncjobs.payments",
    "syncjobs.companies",
    "syncjobs.catalogs",
    "connectors.shopify",
    "connectors.ledger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "syncsite.middleware.MerchantTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The tenant: core.scoping keeps every user inside the merchants they are a member of.
MERCHANT_MODEL = "merchants.Merchant"

# Error reports (the DEBUG page, mails to ADMINS) mask posted secrets wherever they appear.
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.error_reports.SecretMaskingFilter"

ROOT_URLCONF = "syncsite.urls"
WSGI_APPLICATION = "syncsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'syncsite.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server and a worker share the file: WAL lets readers run beside one writer, the busy
    # timeout waits for the lock, and IMMEDIATE takes the write lock at BEGIN, so no transaction
    # fails halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [] if DEBUG else [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored times are UTC; each merchant has its own IANA time zone
USE_I18N = True
# ISO dates, and times with their zone's abbreviation (core.local_time).
FORMAT_MODULE_PATH = ["syncsite.formats"]
USE_THOUSAND_SEPARATOR = True   # 12,345.60: amounts as a bookkeeper reads them
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGIN_URL = "admin:login"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "syncsite <syncsite@localhost>")

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))

# django-q2 only executes; syncsite's own tables decide what runs. Retries are ours (max attempts,
# rerun delay), so django-q2 tries once, and retry stays above timeout so a long task is not
# handed to a second worker while it still runs.
Q_TIMEOUT = env_int("Q_TIMEOUT", 1800, minimum=30)
Q_CLUSTER = {
    "name": "syncsite",
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    "timeout": Q_TIMEOUT,
    "retry": Q_TIMEOUT + 120,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 500,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# How long the run log keeps runs (and finished one-off entries), in days.
SYNC_RUN_RETENTION_DAYS = env_int("SYNC_RUN_RETENTION_DAYS", 90, minimum=1)
# How far back a daily sync may start: a catch-up plans at most this many days.
DAILY_SYNC_MAX_HISTORY_DAYS = env_int("DAILY_SYNC_MAX_HISTORY_DAYS", 730, minimum=1)

# A running entry writes a heartbeat this often; one silent for JOB_STALE_SECONDS is a dead worker's.
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 10.0, minimum=0.05)
JOB_STALE_SECONDS = env_float("JOB_STALE_SECONDS", 120.0, minimum=0.1)
# `manage.py queue_health` fails (a supervisor restarts the workers) when no queue pass ran for this
# long while entries are due, or a due entry waited this long to start.
QUEUE_PASS_MAX_SILENCE_SECONDS = env_int("QUEUE_PASS_MAX_SILENCE_SECONDS", 180, minimum=1)
QUEUE_ENTRY_MAX_LATENESS_SECONDS = env_int("QUEUE_ENTRY_MAX_LATENESS_SECONDS", 600, minimum=1)
# A slot handed to the workers this long ago and still unclaimed is handed over again: its task was
# lost (a dropped task, a cluster wedged by a killed worker). The claim ignores a second delivery.
QUEUE_RESEND_AFTER_SECONDS = env_int("QUEUE_RESEND_AFTER_SECONDS", 90, minimum=1)

# Shopify webhooks (S3): the largest body accepted, how long deliveries stay listed, and how long the
# previous API secret key is still accepted after it changes (Shopify may sign with it for an hour).
WEBHOOK_MAX_BODY_BYTES = env_int("WEBHOOK_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30, minimum=1)
WEBHOOK_KEY_ROTATION_HOURS = env_int("WEBHOOK_KEY_ROTATION_HOURS", 24, minimum=1)

# Links in notification emails start with this: by default the address the server is reached on
# (SYNCSITE_PUBLIC_URL, which dev.py demo sets to its own port).
SYNCSITE_BASE_URL = env_url("SYNCSITE_BASE_URL", SYNCSITE_PUBLIC_URL or "http://127.0.0.1:8000").rstrip("/")

# How the Shopify client waits and retries (seconds). Tests shorten the delays.
SHOPIFY_CLIENT = {
    "connect_timeout": env_float("SHOPIFY_CONNECT_TIMEOUT", 5.0, minimum=0.1),
    "read_timeout": env_float("SHOPIFY_READ_TIMEOUT", 30.0, minimum=0.1),
    "max_attempts": env_int("SHOPIFY_MAX_ATTEMPTS", 6, minimum=1),
    "max_throttled": 50,           # THROTTLED answers are expected; they have their own, larger cap
    "backoff_base": 0.5,
    "backoff_cap": 30.0,
    "bulk_poll_min": 1.0,
    "bulk_poll_max": 10.0,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
