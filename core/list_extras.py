"""What a higher layer adds to an admin list of a lower one: a note per row, worked out for the
rows of the page at once (never a query per row), and actions on the selected rows. The sync
domains register theirs at start-up ("shopify order": why an order is not in the books yet)."""
from __future__ import annotations

from collections.abc import Callable

ROW_NOTES: dict[str, list[Callable[[list], dict[int, str]]]] = {}
ROW_ACTIONS: dict[str, list[Callable]] = {}


def register_row_notes(subject: str, notes: Callable[[list], dict[int, str]]) -> None:
    """`notes(rows)` → {row key: note} for the rows it has something to say about."""
    ROW_NOTES.setdefault(subject, []).append(notes)


def row_notes(subject: str, rows: list) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for notes in ROW_NOTES.get(subject, []):
        for key, note in notes(rows).items():
            found.setdefault(key, []).append(note)
    return {key: "; ".join(notes) for key, notes in found.items()}


def register_row_action(subject: str, action: Callable) -> None:
    """A Django admin action (modeladmin, request, queryset) with its description."""
    ROW_ACTIONS.setdefault(subject, []).append(action)


def row_actions(subject: str) -> list[Callable]:
    return list(ROW_ACTIONS.get(subject, []))
