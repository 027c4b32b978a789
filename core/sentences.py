"""Errors raised as plain phrases ("enter the …") shown as sentences ("Enter the ….")."""
from __future__ import annotations


def as_sentence(error: Exception | str) -> str:
    """A service error's plain message as a form error or page message sentence."""
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
