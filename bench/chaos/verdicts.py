"""A check's verdict, with its evidence."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    name: str
    ok: bool
    detail: str
