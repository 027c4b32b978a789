"""The role center's activity tiles (A1), counted for the user who looks.

Counting stops at COUNT_CAP rows: past that "99+" says all there is to say (the colour only needs to
know 0, 1–4 or 5+), and the count stays cheap however many rows there are.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.scoping import merchants_for, scope_to_user
from core.tiles import TILES, Tile

COUNT_CAP = 100


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


def tile_counts(user) -> list[TileCount]:
    merchants = merchants_for(user)
    counts = []
    for tile in sorted(TILES.values(), key=lambda t: t.position):
        rows = scope_to_user(tile.rows(merchants), user)
        counts.append(TileCount(tile, rows.order_by()[:COUNT_CAP].count(), tile.link()))
    return counts
