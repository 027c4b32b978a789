import pytest

pytest_plugins = ["tests.fixtures.users", "tests.fixtures.shopify_simulator", "tests.fixtures.job_queue",
                  "tests.fixtures.workers", "tests.fixtures.books"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in a lot; a fast hasher keeps them quick (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: SQLite has no row locks; CI runs it with DATABASE_URL")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
