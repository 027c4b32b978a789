"""Errors raised as plain phrases ("enter the …") shown as sentences ("Enter the ….")."""
from __future__ import annotations


def as_sentence(error: Exception | str) -> str:
    """A service error's plain message as a form error or page message sentence."""
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def joined(words: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    words = list(words)
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """"1 item", "3 items" ("1 entry", "2 entries" with the plural given)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
