"""What the payments domain tells the registries below it once every app is loaded."""
from __future__ import annotations

from syncjobs.payments import tiles


def register() -> None:
    tiles.register()
