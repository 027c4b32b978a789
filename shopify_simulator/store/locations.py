"""A location as Shopify serves it, the same wherever it appears (locations, node, an order's
fulfillment orders): every field the schema promises filled; and an order as it looks once some of
the shop's locations were removed (POST /_simulator/locations/remove, location_control.py)."""
from __future__ import annotations

from datetime import timedelta, timezone

from shopify_simulator.store.places import COUNTRIES, STREETS


def location_view(profile, generator, location, *, levels=None) -> dict:
    """`levels(info, **args)`, where given, answers the location's inventory levels."""
    position = profile.all_locations.index(location)
    is_service = location == profile.fulfillment_service_location
    city, zip_code, province = profile.cities[position % len(profile.cities)]
    street = f"{position * 11 + 3} {STREETS[profile.country_code]}"
    opened = (generator.created_at(0) - timedelta(days=365)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "__typename": "Location", "id": location.gid, "legacyResourceId": location.gid.rsplit("/", 1)[1],
        "name": location.name, "isActive": True, "activatable": False, "deactivatable": position > 0,
        "deletable": False, "fulfillsOnlineOrders": not is_service, "shipsInventory": True,
        "isFulfillmentService": is_service,
        "hasActiveInventory": True, "hasUnfulfilledOrders": False, "addressVerified": True,
        "createdAt": opened, "updatedAt": opened,
        "address": {"address1": street, "address2": None, "city": city, "zip": zip_code, "provinceCode": province,
                    "countryCode": profile.country_code, "country": COUNTRIES[profile.country_code],
                    "phone": None, "formatted": [street, f"{zip_code} {city}", COUNTRIES[profile.country_code]]},
        "suggestedAddresses": [], "metafields": [],
        "inventoryLevels": levels if levels is not None else [],
    }


def without_removed_locations(view: dict, removed: set[str] | frozenset[str]) -> dict:
    """An order's view as Shopify shows it once locations in `removed` are gone from the shop: a
    fulfillment order assigned to one keeps the location's name but answers
    `assignedLocation.location: null`, and a fulfillment made there has no `location`. New dicts:
    the view's own are left as they are."""
    def fulfillment(found: dict) -> dict:
        location = found.get("location")
        return dict(found, location=None) if location and location["id"] in removed else found

    fulfillment_orders = []
    for fulfillment_order in view.get("fulfillmentOrders") or []:
        assigned = fulfillment_order["assignedLocation"]
        location = assigned.get("location")
        changed = dict(fulfillment_order, fulfillments=[fulfillment(f) for f in fulfillment_order["fulfillments"]])
        if location and location["id"] in removed:
            changed["assignedLocation"] = dict(assigned, location=None)
        fulfillment_orders.append(changed)
    return dict(view, fulfillmentOrders=fulfillment_orders,
                fulfillments=[fulfillment(f) for f in view.get("fulfillments") or []])
