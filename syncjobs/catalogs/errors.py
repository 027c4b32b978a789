"""What can stop a catalog's prices, in words a bookkeeper can act on."""
from __future__ import annotations


class CatalogError(Exception):
    """Base of the catalog sync's errors; the message is for the person who looks at the run."""


class CatalogNotPriceable(CatalogError):
    """The catalog's prices cannot come from the ledger as things stand (a price list missing, or in
    another currency than the catalog's): that catalog fails, the others go on."""
