"""Send again: shipment errors (and shipments with nothing to send) go back to "not sent yet", so the
next run of Sync Shipments tries them with what Shopify and the books hold now."""
from __future__ import annotations

from syncjobs.shipments.models import ShipmentFulfillment, ShipmentState

RETRYABLE = (ShipmentState.ERROR, ShipmentState.NOTHING_TO_SEND)


def reopen(rows) -> list[ShipmentFulfillment]:
    """The rows of `rows` reopened (errors and nothing-to-send); the others are left as they are."""
    chosen = list(rows.filter(state__in=RETRYABLE))
    ShipmentFulfillment.objects.filter(pk__in=[row.pk for row in chosen]).update(
        state=ShipmentState.UNPROCESSED, reason="")
    return chosen
