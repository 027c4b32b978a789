"""What this sync domain tells the registries below it (core) once every app is loaded."""
from __future__ import annotations


def register() -> None:
    pass
