"""What can stop a catalog's prices, in words a bookkeeper can act on."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncjobs.catalogs.price_sync import PriceSyncResult


class CatalogError(Exception):
    """Base of the catalog sync's errors; the message is for the person who looks at the run."""


class CatalogNotPriceable(CatalogError):
    """The catalog's prices cannot come from the ledger as things stand (a price list missing, or in
    another currency than the catalog's): that catalog fails, the others go on."""


class PriceSyncStopped(CatalogError):
    """Shopify could not be reached well enough to go on (the client gave up): the run ends, its
    pass stays open, and the next run goes on from the catalog it stopped in. `result` holds what
    this run did before it stopped."""

    def __init__(self, message: str, result: PriceSyncResult) -> None:
        super().__init__(message)
        self.result = result
