"""The role center's "Unmapped companies" tile (A1): company locations no ledger customer stands for,
whose orders cannot become sales documents and whose catalogs have no customer price list."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.companies.linking import unmapped_links


def register() -> None:
    register_tile(Tile("unmapped_companies", "Unmapped companies", unmapped_links,
                       lambda: f"{reverse('admin:company_sync_companylink_changelist')}?unmapped=yes", position=12))
