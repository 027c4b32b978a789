"""The shop itself: its settings, the app's installation and scopes, and its locations."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.store.locations import location_view as full_location_view
from shopify_simulator.store.product_view import level_view


@query_field("shop")
def shop(context: RequestContext, info, **args) -> dict:
    return shop_view(context)


def shop_view(context: RequestContext) -> dict:
    shop = context.shop
    profile = shop.profile
    zone = ZoneInfo(profile.time_zone)
    local = context.now.astimezone(zone)
    offset_minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if offset_minutes >= 0 else "-"
    return {
        "id": shop.shop_gid(), "name": profile.name, "email": f"owner@{profile.domain}",
        "contactEmail": f"hello@{profile.domain}", "myshopifyDomain": profile.domain,
        "url": f"https://{profile.domain}", "currencyCode": profile.currency,
        "ianaTimezone": profile.time_zone, "timezoneAbbreviation": local.tzname(),
        "timezoneOffsetMinutes": offset_minutes,
        "timezoneOffset": f"{sign}{abs(offset_minutes) // 60:02d}{abs(offset_minutes) % 60:02d}",
        "taxesIncluded": profile.taxes_included, "weightUnit": "KILOGRAMS",
        "enabledPresentmentCurrencies": [profile.currency, *profile.presentment_currencies],
        "plan": {"displayName": shop.plan.display_name, "partnerDevelopment": False,
                 "shopifyPlus": shop.plan.is_plus},
        "primaryDomain": {"id": f"gid://shopify/Domain/{shop.shop_gid().rsplit('/', 1)[1]}",
                          "host": profile.domain, "url": f"https://{profile.domain}", "sslEnabled": True},
    }


@query_field("currentAppInstallation")
def current_app_installation(context: RequestContext, info, **args) -> dict:
    return {
        "id": f"gid://shopify/AppInstallation/{context.shop.shop_gid().rsplit('/', 1)[1]}",
        "accessScopes": [{"handle": h, "description": h.replace("_", " ")} for h in sorted(context.shop.scopes)],
        "app": {"id": "gid://shopify/App/1", "title": "syncsite", "handle": "syncsite"},
    }


@query_field("locations")
def locations(context: RequestContext, info, **args) -> dict:
    return list_connection([location_view(context, loc) for loc in context.shop.profile.all_locations], args,
                           unlimited=context.bulk)


@query_field("location")
def location(context: RequestContext, info, **args) -> dict | None:
    """The location of that id; without one, the primary location, as Shopify answers."""
    profile = context.shop.profile
    wanted = args.get("id")
    found = next((loc for loc in profile.all_locations if loc.gid == wanted), None) if wanted else profile.locations[0]
    return location_view(context, found) if found else None


@node_type("Location")
def location_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return next((location_view(context, loc) for loc in context.shop.profile.all_locations if loc.gid == gid), None)


def levels_at(context: RequestContext, location_gid: str, args: dict) -> RecordListing:
    """The levels of one location, in item order, viewed a page at a time."""
    shop = context.shop
    search = search_or_error(args.get("query"))

    def level_value(level, field: str):
        if field == "updated_at":
            return level.updated
        return {"inventory_item_id": level.item_id, "id": level.item_id}.get(field)

    def level_of(variant):
        return shop.inventory.level(variant.inventory_item_id, location_gid)

    return RecordListing(shop.catalog.variants(), sort_name="ID", key=lambda v: (v.inventory_item_id,),
                         keep=lambda v: (level := level_of(v)) is not None and matches(
                             search, lambda field: level_value(level, field)),
                         view=lambda v: level_view(shop, level_of(v)))


def location_view(context: RequestContext, location) -> dict:
    shop = context.shop

    def levels(info, **args):
        if context.bulk:
            return [level_view(shop, level) for level in shop.inventory.at(location.gid)]
        return levels_at(context, location.gid, args).page(args)

    return full_location_view(shop.profile, shop.generator, location, levels=levels)
