"""The shop's locations as the stock sync sees them: each imported Shopify location gets its settings
row (stock not synced until someone chooses a calculation), and a location syncs stock only while it
is active, still in the shop and the shop's own (a fulfillment service's stock is the service's)."""
from __future__ import annotations

from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from connectors.shopify.inventory import import_locations
from core.sentences import joined
from syncjobs.inventory.models import ShopLocation, StockCalculation, codes_of


def refresh_shop_locations(merchant, client: ShopifyClient) -> list[ShopLocation]:
    """Import the shop's locations from Shopify and give each new one its (disabled) settings."""
    locations = import_locations(merchant, client)
    ShopLocation.objects.bulk_create([ShopLocation(merchant=merchant, location=location) for location in locations],
                                     ignore_conflicts=True)
    return list(ShopLocation.objects.filter(merchant=merchant).select_related("location"))


def why_not_synced(shop_location: ShopLocation) -> str:
    """Why no stock goes to this location ("" when it does)."""
    location = shop_location.location
    if location.is_fulfillment_service:
        return f"{location.name} is a fulfillment service's location: its stock is the service's to report"
    if location.removed_at is not None:
        return f"{location.name} was removed from the shop"
    if not location.is_active:
        return f"{location.name} is deactivated in Shopify"
    if shop_location.stock_calculation == StockCalculation.DISABLED:
        return f"{location.name}'s stock calculation is Disabled"
    return ""


def synced_locations(shop_locations: list[ShopLocation]) -> list[ShopLocation]:
    return [s for s in shop_locations if not why_not_synced(s)]


def ledger_codes_for(merchant, text: str) -> tuple[list[str], str]:
    """The ledger location codes `text` names, spelled as the books spell them, or why it names none
    the books hold. Blank names every location."""
    held = {loc.code.upper(): loc.code for loc in target_for(merchant).list_locations(merchant)}
    wanted = codes_of(text)
    if not wanted:
        return sorted(held.values()), ""
    unknown = [code for code in wanted if code.upper() not in held]
    if unknown:
        return [], (f"the books hold no location {joined(unknown)}"
                    + (f" (they hold {joined(sorted(held.values()))})" if held else " (they hold none yet)"))
    return [held[code.upper()] for code in wanted], ""
