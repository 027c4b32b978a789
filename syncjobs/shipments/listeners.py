"""What the shipments domain does when others tell it something: a posted shipment gets its row at
once (so the tile counts it), tracking changed in the books after the fulfillment is to be sent, and a
fulfillment of ours cancelled in Shopify becomes a shipment error."""
from __future__ import annotations

from django.dispatch import receiver

from connectors.ledger.signals import shipment_tracking_changed
from connectors.ledger.target import target_for
from connectors.shopify.signals import fulfillment_changed
from syncjobs.documents.signals import shipments_posted
from syncjobs.shipments.models import ShipmentFulfillment, ShipmentState
from syncjobs.shipments.recording import record_posted


@receiver(shipments_posted, dispatch_uid="shipments.record_posted")
def on_shipments_posted(sender, *, merchant, numbers, **kwargs) -> None:
    record_posted(merchant, numbers, target_for(merchant))


@receiver(shipment_tracking_changed, dispatch_uid="shipments.tracking_changed")
def on_tracking_changed(sender, *, merchant_id, number, **kwargs) -> None:
    ShipmentFulfillment.objects.filter(merchant_id=merchant_id, shipment_no=number, state=ShipmentState.FULFILLED) \
        .exclude(fulfillments={}).update(tracking_to_send=True)


@receiver(fulfillment_changed, dispatch_uid="shipments.fulfillment_changed")
def on_fulfillment_changed(sender, *, merchant, order_gid, fulfillment_gid, status, **kwargs) -> None:
    if (status or "").upper() != "CANCELLED":
        return
    rows = ShipmentFulfillment.objects.filter(merchant=merchant, shopify_order_id=order_gid,
                                              state=ShipmentState.FULFILLED)
    for row in rows:
        if fulfillment_gid in row.fulfillments:
            row.state = ShipmentState.ERROR
            row.reason = (f"its fulfillment {fulfillment_gid.rsplit('/', 1)[-1]} was cancelled in Shopify; send it "
                          "again (Send again) when its goods are to be fulfilled in Shopify again")
            del row.fulfillments[fulfillment_gid]   # its lines are open again; the shipment's other ones are not
            row.save(update_fields=["state", "reason", "fulfillments", "updated_at"])
