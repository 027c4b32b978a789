"""The control route that removes a location from a shop, as a merchant deletes one or as a
fulfillment service's location goes when its app is uninstalled (control.py serves it):

    POST /_simulator/locations/remove {shop?, location_id}   ->   {shop, location_id, removed}

`location_id` is the Location's GID or its number; `removed` lists every location the shop has lost.
The location is then no longer listed (locations) or found (location, node); fulfillment orders
assigned to it keep its name but answer `assignedLocation.location: null`, fulfillments made there
have no location, and fulfillmentCreate refuses to fulfil from it (store.locations,
store.fulfillment_writes). Nothing else moves: no webhook, no order's updatedAt (Shopify sends none).
The primary location cannot be removed, as in Shopify; removing one twice changes nothing.
"""
from __future__ import annotations


class LocationControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def remove_location_route(shop, body: dict) -> dict:
    unknown = sorted(set(body) - {"shop", "location_id"})
    if unknown:
        raise LocationControlError(f"the body has unknown fields: {', '.join(unknown)} (known: shop, location_id)")
    given = body.get("location_id")
    gid = given if isinstance(given, str) and given.startswith("gid://") else f"gid://shopify/Location/{given}"
    location = next((loc for loc in shop.profile.all_locations if loc.gid == gid), None)
    if given is None or isinstance(given, bool) or location is None:
        raise LocationControlError(f"the shop has no location {given!r} (it has "
                                   f"{', '.join(loc.gid for loc in shop.profile.all_locations)})", 404)
    if location == shop.profile.locations[0]:
        raise LocationControlError(f"{location.name} is the shop's primary location: Shopify does not remove it")
    with shop.lock:
        shop.removed_locations.add(location.gid)
        removed = sorted(shop.removed_locations)
    return {"shop": shop.domain, "location_id": location.gid, "removed": removed}
