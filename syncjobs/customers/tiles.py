"""The role center's "Unmapped customers" tile (A1): documents-mode shops only, where an order
cannot become a sales document without its customer."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.customers.linking import unmapped_links


def register() -> None:
    register_tile(Tile("unmapped_customers", "Unmapped customers", unmapped_links,
                       lambda: f"{reverse('admin:customer_sync_customerlink_changelist')}?unmapped=yes", position=10))
