"""What the product sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from syncjobs.products import tiles


def register() -> None:
    tiles.register()
