"""The documents' role-center tile: orders changed in Shopify after their document was made (A1)."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.documents.conflicts import conflicting


def register() -> None:
    register_tile(Tile("unprocessed_order_updates", "Unprocessed order updates", conflicting,
                       lambda: f"{reverse('admin:document_sync_orderdocument_changelist')}?conflict=yes",
                       position=45))
