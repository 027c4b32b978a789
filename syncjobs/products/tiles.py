"""The role center's "Unmapped products" tile (A1): documents-mode shops only, where an order line
cannot become a sales line without its item."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.products.linking import unmapped_variants


def register() -> None:
    register_tile(Tile("unmapped_products", "Unmapped products", unmapped_variants,
                       lambda: f"{reverse('admin:product_sync_variantlink_changelist')}?unmapped=yes", position=11))
