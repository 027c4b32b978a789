"""Encryption of secrets at rest (access tokens, API secret keys).

SYNCSITE_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated: the first encrypts, all of
them decrypt, so a key is rotated by putting a new one first and running `rotate_secrets`.
Decrypted values travel as `Secret`, whose repr and str never show the value.
"""
from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

MASK = "••••••••"


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with any configured key."""

    def __str__(self) -> str:
        return (
            "a stored secret cannot be decrypted with SYNCSITE_ENCRYPTION_KEY; "
            "was the key changed without keeping the old one after it?"
        )


class Secret:
    """A decrypted secret. Call reveal() where the plain value is really needed (an HTTP header)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __str__(self) -> str:
        return MASK if self._value else ""

    def __repr__(self) -> str:
        return f"Secret({MASK if self._value else 'empty'})"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "SYNCSITE_ENCRYPTION_KEY must be one or more Fernet keys (32 bytes, url-safe base64), "
            "comma-separated"
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SYNCSITE_ENCRYPTION_KEYS))


@sensitive_variables("plaintext")
def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


@sensitive_variables()
def decrypt(token: str) -> Secret:
    try:
        return Secret(fernet().decrypt(token.encode()).decode())
    except InvalidToken:
        raise SecretUnreadable() from None


def rotate(token: str) -> str:
    """The same secret, encrypted again with the first (current) key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable() from None
