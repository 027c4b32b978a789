"""What the company tests share: a B2B merchant's shop card, a run of the sync, and demo-us's
companies as any Shopify client reads them."""
from __future__ import annotations

from connectors.shopify.client import ClientSettings, ShopifyClient
from merchants.models import Merchant
from syncjobs.companies.models import CompanyLink
from syncjobs.companies.sync import CompanySyncResult, sync_companies
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import shop_named

LOCATIONS = 13     # demo-us's company locations: 8 companies, two with 3 locations, one with 2
FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)

COMPANIES = """
query { companies(first: 12) { nodes {
  id name externalId
  mainContact { customer { id email phone } }
  contacts(first: 4) { nodes { id customer { id email phone } } }
  locations(first: 4) { nodes { id name taxRegistrationId taxSettings { taxExempt }
    billingAddress { address1 address2 city zip zoneCode countryCode } } }
} } }
"""


def b2b_merchant(simulator, handle: str, **fields) -> Merchant:
    shop = shop_named(simulator, handle)
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency,
                           posting_mode="documents", **{"company_import": "all_customers", **fields})


def companies_in_shopify(http) -> list[dict]:
    return http.run_text(COMPANIES)["companies"]["nodes"]


def locations_of(company: dict) -> list[dict]:
    return company["locations"]["nodes"]


def all_locations(http) -> dict[str, tuple[dict, dict]]:
    """Location GID -> (its company, the location)."""
    return {location["id"]: (company, location) for company in companies_in_shopify(http)
            for location in locations_of(company)}


def run(merchant) -> CompanySyncResult:
    merchant.refresh_from_db()
    return sync_companies(merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))


def set_card(merchant, **fields) -> None:
    Merchant.objects.filter(pk=merchant.pk).update(**fields)
    merchant.refresh_from_db()


def links(merchant) -> dict[str, CompanyLink]:
    return {link.company_location_gid: link for link in CompanyLink.objects.filter(merchant=merchant)}
