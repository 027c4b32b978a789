"""Which posted shipments are Shopify's to hear about: every posted shipment of a Shopify order gets
its row, unprocessed, as soon as it is posted (the documents' posting says so) or, for one posted
some other way, when Sync Shipments next looks in the books."""
from __future__ import annotations

from django.db.models import Max

from connectors.ledger.records import ShipmentData
from connectors.ledger.target import AccountingTarget
from syncjobs.shipments.models import ShipmentFulfillment


def record_shipments(merchant, shipments: list[ShipmentData]) -> int:
    """Rows for those of `shipments` that belong to a Shopify order and have none yet; how many were new."""
    of_orders = [s for s in shipments if s.shopify_order_id]
    if not of_orders:
        return 0
    known = set(ShipmentFulfillment.objects.filter(merchant=merchant, shipment_no__in=[s.number for s in of_orders])
                .values_list("shipment_no", flat=True))
    new = [ShipmentFulfillment(merchant=merchant, shipment_no=s.number, order_no=s.order_no,
                               shopify_order_id=s.shopify_order_id, shopify_order_no=s.shopify_order_no,
                               posting_date=s.posting_date) for s in of_orders if s.number not in known]
    ShipmentFulfillment.objects.bulk_create(new, ignore_conflicts=True)   # a racing run made them: the same rows
    return len(new)


def record_new_shipments(merchant, target: AccountingTarget) -> int:
    """Rows for the Shopify orders' shipments posted after the last one with a row (numbers rise)."""
    last = ShipmentFulfillment.objects.filter(merchant=merchant).aggregate(last=Max("shipment_no"))["last"] or ""
    return record_shipments(merchant, target.posted_shipments(merchant, shopify_only=True, after_number=last))


def record_posted(merchant, numbers: list[str], target: AccountingTarget) -> int:
    """Just posted: the shipments `numbers` (the documents' posting tells)."""
    return record_shipments(merchant, target.posted_shipments(merchant, numbers=numbers)) if numbers else 0
