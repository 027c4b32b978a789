"""The shop itself: its settings, the app's installation and scopes, and its locations."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.shop import SimulatedShop, credential
from shopify_simulator.store.locations import location_view as full_location_view
from shopify_simulator.store.places import COUNTRIES
from shopify_simulator.store.product_view import level_view

CURRENCIES = {  # code: (name, money format, money with currency format), as Shopify sets them up
    "EUR": ("Euro", "€{{amount_with_comma_separator}}", "€{{amount_with_comma_separator}} EUR"),
    "USD": ("US Dollar", "${{amount}}", "${{amount}} USD"),
    "GBP": ("British Pound", "£{{amount}}", "£{{amount}} GBP"),
    "AUD": ("Australian Dollar", "${{amount}}", "${{amount}} AUD"),
    "CAD": ("Canadian Dollar", "${{amount}}", "${{amount}} CAD"),
    "NZD": ("New Zealand Dollar", "${{amount}}", "${{amount}} NZD"),
}
PROVINCES = {"NY": "New York", "NSW": "New South Wales", "QLD": "Queensland"}


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
    # The shop opened with its catalog and locations, a year before its first order, and its settings
    # have not changed since.
    opened = iso(shop.generator.created_at(0) - timedelta(days=365))
    currencies = [profile.currency, *profile.presentment_currencies]
    name, money_format, money_with_currency_format = CURRENCIES[profile.currency]
    service = profile.fulfillment_service_location
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
        "createdAt": opened, "updatedAt": opened,
        "shopOwnerName": _owner_name(shop), "accountOwner": _account_owner(shop, opened),
        "billingAddress": _billing_address(shop),
        "unitSystem": "METRIC_SYSTEM",   # as the weight unit
        "taxShipping": profile.shipping_taxed,
        "checkoutApiSupported": shop.plan.is_plus, "setupRequired": False,
        "currencySettings": [{"currencyCode": code, "currencyName": CURRENCIES[code][0], "enabled": True,
                              "rateUpdatedAt": None} for code in currencies],
        "currencyFormats": {"moneyFormat": money_format, "moneyInEmailsFormat": money_format,
                            "moneyWithCurrencyFormat": money_with_currency_format,
                            "moneyWithCurrencyInEmailsFormat": money_with_currency_format},
        "features": {
            "avalaraAvatax": False, "branding": "SHOPIFY_PLUS" if shop.plan.is_plus else "SHOPIFY",
            "bundles": {"eligibleForBundles": True, "ineligibilityReason": None, "sellsBundles": False},
            "captcha": True,
            "cartTransform": {"eligibleOperations": {"expandOperation": True, "mergeOperation": True,
                                                     "updateOperation": shop.plan.is_plus}},
            "dynamicRemarketing": False, "eligibleForSubscriptionMigration": False, "eligibleForSubscriptions": True,
            "giftCards": True, "harmonizedSystemCode": True, "internationalPriceOverrides": shop.plan.is_plus,
            "internationalPriceRules": shop.plan.is_plus, "legacySubscriptionGatewayEnabled": False,
            "liveView": True, "paypalExpressSubscriptionGatewayStatus": "DISABLED", "reports": True,
            "sellsSubscriptions": False, "showMetrics": True, "storefront": True, "usingShopifyBalance": False,
        },
        "resourceLimits": {"locationLimit": max(200 if shop.plan.is_plus else 10, len(profile.all_locations)),
                           "maxProductOptions": 3, "maxProductVariants": 100, "redirectLimitReached": False},
        "fulfillmentServices": [
            {"id": f"gid://shopify/FulfillmentService/{service.gid.rsplit('/', 1)[1]}",
             "handle": "shipfast-fulfillment", "serviceName": service.name, "type": "THIRD_PARTY", "callbackUrl": "https://shipfast.example.com/shopify",
             "inventoryManagement": True, "permitsSkuSharing": True, "trackingSupport": True,
             "location": location_view(context, service)},
            {"id": f"gid://shopify/FulfillmentService/{shop.shop_gid().rsplit('/', 1)[1]}", "handle": "manual",
             "serviceName": "Manual", "type": "MANUAL", "callbackUrl": None, "inventoryManagement": False,
             "permitsSkuSharing": True, "trackingSupport": False, "location": None},
        ],
        # Orders ship inside the shop's country only.
        "shipsToCountries": [profile.country_code],
        "countriesInShippingZones": {"countryCodes": [profile.country_code], "includeRestOfWorld": False},
        "orderNumberFormatPrefix": profile.order_prefix, "orderNumberFormatSuffix": "",
        "customerAccounts": "OPTIONAL",
        "customerAccountsV2": {"customerAccountsVersion": "NEW_CUSTOMER_ACCOUNTS",
                               "loginLinksVisibleOnStorefrontAndCheckout": True, "loginRequiredAtCheckout": False,
                               "url": f"https://shopify.com/{shop.shop_gid().rsplit('/', 1)[1]}/account"},
        "paymentSettings": {"supportedDigitalWallets": ["APPLE_PAY", "GOOGLE_PAY", "SHOPIFY_PAY"]},
        "marketingSmsConsentEnabledAtCheckout": False, "transactionalSmsDisabled": False,
        "richTextEditorUrl": f"https://admin.shopify.com/store/{profile.handle}/rich_text_editor",
        "searchFilters": {"productAvailability": [{"label": "In stock", "value": "available"},
                                                  {"label": "Out of stock", "value": "unavailable"}]},
        # What the simulator keeps empty: no alerts, policies, channels, metafields or storefront tokens.
        "alerts": [], "shopPolicies": [], "navigationSettings": [], "allProductCategoriesList": [],
        "channelDefinitionsForInstalledChannels": [], "availableChannelApps": [], "metafields": [],
        "storefrontAccessTokens": [],
    }


def _owner_name(shop: SimulatedShop) -> str:
    return f"{shop.profile.first_names[0]} {shop.profile.last_names[0]}"


def _account_owner(shop: SimulatedShop, opened: str) -> dict:
    """The staff member who opened the shop; the shop's email is theirs."""
    profile = shop.profile
    first, last = profile.first_names[0], profile.last_names[0]
    number = profile.id_base // 1000 + 1
    return {
        "id": f"gid://shopify/StaffMember/{number}", "accountType": "REGULAR", "active": True, "exists": True,
        "isShopOwner": True, "email": f"owner@{profile.domain}", "firstName": first, "lastName": last,
        "name": _owner_name(shop), "initials": [first[0], last[0]], "locale": profile.locale, "phone": None,
        "avatar": {"id": None, "url": "https://cdn.shopify.com/s/images/admin/no-gravatar-new.png",
                   "altText": _owner_name(shop), "width": None, "height": None, "metafields": []},
        "privateData": {"createdAt": opened, "accountSettingsUrl":
                        f"https://admin.shopify.com/store/{profile.handle}/settings/account/{number}"},
    }


def _billing_address(shop: SimulatedShop) -> dict:
    """The shop's address: its primary location's."""
    profile = shop.profile
    address = full_location_view(profile, shop.generator, profile.locations[0])["address"]
    city, zip_code, code = address["city"], address["zip"], address["provinceCode"]
    country = COUNTRIES[profile.country_code]
    area = ", ".join(part for part in (city, code, country) if part)

    def formatted(info, withCompany=True):
        town = f"{zip_code} {city}" if profile.country_code == "FR" else " ".join(filter(None, (city, code, zip_code)))
        lines = [address["address1"], town, country]
        return [profile.name, *lines] if withCompany else lines

    return {
        "id": f"gid://shopify/ShopAddress/{shop.shop_gid().rsplit('/', 1)[1]}", "company": profile.name,
        "address1": address["address1"], "address2": None, "city": city, "zip": zip_code,
        "province": PROVINCES.get(code) if code else None, "provinceCode": code, "country": country,
        "countryCodeV2": profile.country_code, "phone": None, "coordinatesValidated": False,
        "latitude": None, "longitude": None, "formatted": formatted, "formattedArea": area,
    }


@query_field("currentAppInstallation")
def current_app_installation(context: RequestContext, info, **args) -> dict:
    shop = context.shop
    scopes = [{"handle": h, "description": h.replace("_", " ")} for h in sorted(shop.scopes)]
    icon = {"id": None, "url": "https://cdn.shopify.com/app-store/listing_images/syncsite/icon.png",
            "altText": "syncsite", "width": 512, "height": 512, "metafields": []}
    return {
        "id": f"gid://shopify/AppInstallation/{shop.shop_gid().rsplit('/', 1)[1]}",
        "accessScopes": scopes,
        "launchUrl": f"https://admin.shopify.com/store/{shop.profile.handle}/apps/syncsite",
        "uninstallUrl": None,
        # A custom app: no subscriptions, credits, purchases or metafields.
        "activeSubscriptions": [], "allSubscriptions": [], "credits": [], "oneTimePurchases": [],
        "revenueAttributionRecords": [], "metafields": [],
        "app": {
            "id": "gid://shopify/App/1", "title": "syncsite", "handle": "syncsite",
            "apiKey": credential(shop.seed, shop.profile.handle, "api-key", "")[:32],
            "developerType": "MERCHANT", "publicCategory": "CUSTOM", "published": False, "embedded": False,
            "shopifyDeveloped": False, "previouslyInstalled": False, "isPostPurchaseAppInUse": False,
            "requestedAccessScopes": scopes, "availableAccessScopes": scopes, "optionalAccessScopes": [],
            "features": [], "failedRequirements": [], "screenshots": [], "banner": icon, "icon": icon,
            "pricingDetailsSummary": "Free", "uninstallMessage": "", "webhookApiVersion": "2025-01",
        },
    }


def shop_locations(shop: SimulatedShop) -> list:
    """The shop's locations, less those removed from it (POST /_simulator/locations/remove)."""
    return [loc for loc in shop.profile.all_locations if loc.gid not in shop.removed_locations]


@query_field("locations")
def locations(context: RequestContext, info, **args) -> dict:
    return list_connection([location_view(context, loc) for loc in shop_locations(context.shop)], args,
                           unlimited=context.bulk)


@query_field("location")
def location(context: RequestContext, info, **args) -> dict | None:
    """The location of that id; without one, the primary location, as Shopify answers."""
    profile = context.shop.profile
    wanted = args.get("id")
    found = next((loc for loc in shop_locations(context.shop) if loc.gid == wanted), None) if wanted \
        else profile.locations[0]
    return location_view(context, found) if found else None


@node_type("Location")
def location_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return next((location_view(context, loc) for loc in shop_locations(context.shop) if loc.gid == gid), None)


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
