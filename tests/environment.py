"""A pytest plugin loaded (by -p) before Django is set up: the tests' fixed keys, for tests only."""
import os

# The tests never read a developer's .env.local: what they run with is set here and in each test.
os.environ["SYNCSITE_ENV_FILE"] = ""

os.environ.setdefault("SECRET_KEY", "syncsite-tests-only-secret-key")
# Two keys, so every test runs with rotation in place: the first encrypts, both decrypt.
os.environ.setdefault(
    "SYNCSITE_ENCRYPTION_KEY",
    "dGVzdHMtb25seS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=,b2xkZXItdGVzdHMtb25seS1rZXktMzItYnl0ZXMhISE=",
)
os.environ.setdefault("DEBUG", "false")
