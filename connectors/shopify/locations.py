"""The shop's locations, for the inventory sync: every location Shopify lists (deactivated ones and
fulfillment services' included) upserted by GID. One no longer listed is marked removed, never
deleted (what the sync keeps about it stays), and unmarked if it comes back."""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.models import ShopifyLocation

logger = logging.getLogger(__name__)
LOCATIONS_PER_PAGE = 250
PATH = ("locations",)


def import_locations(merchant, client: ShopifyClient) -> list[ShopifyLocation]:
    """Every location of the shop, as now stored; those Shopify no longer lists get `removed_at`."""
    now = timezone.now()
    rows: dict[str, ShopifyLocation] = {}
    for node in _every_location(client):
        rows[node["id"]] = ShopifyLocation(
            merchant=merchant, shopify_gid=node["id"], name=node["name"][:255], is_active=node["isActive"],
            is_fulfillment_service=node["isFulfillmentService"], fulfills_online_orders=node["fulfillsOnlineOrders"],
            removed_at=None, imported_at=now)
    with transaction.atomic():
        ShopifyLocation.objects.bulk_create(
            list(rows.values()), update_conflicts=True, unique_fields=["merchant", "shopify_gid"],
            update_fields=["name", "is_active", "is_fulfillment_service", "fulfills_online_orders", "removed_at",
                           "imported_at"])
        removed = ShopifyLocation.objects.filter(merchant=merchant, removed_at__isnull=True).exclude(
            shopify_gid__in=list(rows)).update(removed_at=now)
    if removed:
        logger.info("shopify locations shop=%s: %d no longer in the shop, marked removed", merchant.code, removed)
    return list(ShopifyLocation.objects.filter(merchant=merchant, shopify_gid__in=list(rows)))


def _every_location(client: ShopifyClient):
    after = None
    while True:
        is_first_page = after is None
        data = client.execute(document("Locations"), {"first": LOCATIONS_PER_PAGE, "after": after},
                              check=lambda d: _page_problem(d, is_first_page)).data
        yield from data["locations"]["nodes"]
        info = data["locations"]["pageInfo"]
        if not info["hasNextPage"]:
            return
        after = info["endCursor"]


def _page_problem(data, is_first_page: bool) -> str | None:
    """A page whose locations cannot all be read is asked again. So is a first page listing none: a
    shop always has one, and believing it would mark every location removed."""
    problem = page_problem(data, PATH)
    if problem:
        return problem
    nodes = data["locations"]["nodes"]
    if is_first_page and not nodes:
        return "locations lists none (a shop has at least one)"
    for node in nodes:
        if not (isinstance(node.get("id"), str) and node["id"].startswith("gid://shopify/Location/")
                and isinstance(node.get("name"), str)
                and all(isinstance(node.get(flag), bool)
                        for flag in ("isActive", "isFulfillmentService", "fulfillsOnlineOrders"))):
            return f"location {node.get('id')} cannot be read"
    return None
