"""The role center's activity tiles (A1): a registry each app adds its tiles to at start-up.

A tile is a set of rows that need someone's attention and the admin list that shows exactly those
rows; the role center (syncsite.role_center) counts them for the user who looks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db.models import QuerySet


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    rows: Callable[[QuerySet], QuerySet]   # the user's merchants -> the rows to count (scoped again after)
    link: Callable[[], str]                # the admin list filtered to those rows
    position: int


TILES: dict[str, Tile] = {}


class TileKeyTaken(Exception):
    pass


def register_tile(tile: Tile) -> None:
    known = TILES.get(tile.key)
    if known is not None and (known.label, known.position) != (tile.label, tile.position):
        raise TileKeyTaken(f"a tile {tile.key!r} is already registered: {known.label}")
    TILES[tile.key] = tile
