"""A location as Shopify serves it, the same wherever it appears (locations, node, an order's
fulfillment orders): every field the schema promises filled."""
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
