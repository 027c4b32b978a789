"""The role center's activity tiles (A1): a registry each app adds its tiles to.

A tile is a set of rows that need someone's attention and the admin list that shows exactly those
rows. Counting stops at COUNT_CAP rows: past that "99+" says all there is to say (the colour only
needs to know 0, 1–4 or 5+), and the count stays cheap however many rows there are.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db.models import QuerySet

from syncsite.scoping import merchants_for, scope_to_user

COUNT_CAP = 100


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    rows: Callable[[QuerySet], QuerySet]   # the user's merchants -> the rows to count (scoped again after)
    link: Callable[[], str]                # the admin list filtered to those rows
    position: int


@dataclass(frozen=True)
class TileCount:
    tile: Tile
    count: int          # at most COUNT_CAP
    url: str

    @property
    def shown(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.count >= COUNT_CAP else str(self.count)

    @property
    def colour(self) -> str:
        # Business Central's cue styles: 0 favourable, 1–4 ambiguous, 5 or more unfavourable.
        return "green" if self.count == 0 else "amber" if self.count < 5 else "red"


TILES: dict[str, Tile] = {}


class TileKeyTaken(Exception):
    pass


def register_tile(tile: Tile) -> None:
    known = TILES.get(tile.key)
    if known is not None and (known.label, known.position) != (tile.label, tile.position):
        raise TileKeyTaken(f"a tile {tile.key!r} is already registered: {known.label}")
    TILES[tile.key] = tile


def tile_counts(user) -> list[TileCount]:
    merchants = merchants_for(user)
    counts = []
    for tile in sorted(TILES.values(), key=lambda t: t.position):
        rows = scope_to_user(tile.rows(merchants), user)
        counts.append(TileCount(tile, rows.order_by()[:COUNT_CAP].count(), tile.link()))
    return counts
