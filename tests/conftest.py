import pytest

pytest_plugins = ["tests.fixtures.users"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in a lot; a fast hasher keeps them quick (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
