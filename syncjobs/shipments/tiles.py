"""The shipments' role-center tiles (A1): posted shipments of Shopify orders not sent yet, and
shipment errors."""
from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.shipments.models import OPEN_STATES, ShipmentFulfillment, ShipmentState


def unprocessed_shipments(merchants):
    """Not sent yet, or tracking changed since they were sent."""
    return ShipmentFulfillment.objects.filter(Q(state__in=OPEN_STATES) | Q(tracking_to_send=True),
                                              merchant__in=merchants)


def shipment_errors(merchants):
    return ShipmentFulfillment.objects.filter(merchant__in=merchants, state=ShipmentState.ERROR)


def _list(value: str) -> str:
    return f"{reverse('admin:shipment_sync_shipmentfulfillment_changelist')}?tile={value}"


def register() -> None:
    register_tile(Tile("unprocessed_shipments", "Unprocessed shipments", unprocessed_shipments,
                       lambda: _list("unprocessed"), position=50))
    register_tile(Tile("shipment_errors", "Shipment errors", shipment_errors, lambda: _list("errors"), position=55))
