"""The issue's "done when" through ShopifyAPI holding nothing but a shop's domain and token: the
catalog, stock, products and customers of demo-eu, then demo-uk's shipping, closing, B2B pricing and a
month of payouts, each a story across resources."""
from __future__ import annotations

from decimal import Decimal

import requests

from tests.shopify_simulator import test_bulk_catalog as bulk_exports
from tests.shopify_simulator.real_clients.clients import (
    PICTURE,
    QUANTITIES,
    ShopifyApiClient,
    quantities,
    run,
)
from tests.shopify_simulator.real_clients.test_b2b import (
    COMPANIES_WITH_LOCATIONS,
    PRICE_LIST,
    PRICE_LIST_FIXED_PRICES_ADD,
)
from tests.shopify_simulator.real_clients.test_customers import CUSTOMER_CREATE, CUSTOMERS_BY_EMAIL
from tests.shopify_simulator.real_clients.test_fulfillments import (
    FULFILLMENT,
    FULFILLMENT_CREATE,
    OPEN_FULFILLMENT_ORDERS,
    OPEN_ORDERS,
    ORDER_CLOSE,
    ORDER_CLOSED,
)
from tests.shopify_simulator.real_clients.test_inventory import INVENTORY_LEVEL_AT, INVENTORY_SET_QUANTITIES
from tests.shopify_simulator.real_clients.test_payments import PAYOUTS_OF_A_MONTH, a_month, payouts_add_up
from tests.shopify_simulator.real_clients.test_products import (
    PRODUCT_CREATE,
    PRODUCT_VARIANTS_BULK_CREATE,
    PRODUCT_WITH_MEDIA,
    uploaded,
)

CATALOG_WITH_STOCK = """query CatalogWithStock($after: String) {
  products(first: 5, after: $after) {
    nodes {
      id title
      variants(first: 10) {
        nodes { id sku inventoryItem { id tracked inventoryLevels(first: 5) { nodes { location { id } %s } } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}""" % QUANTITIES


def catalog_with_stock(ask) -> tuple[dict[str, list[str]], dict[tuple[str, str], int]]:
    """Every product's variant ids, and the available quantity of each item at each location it is
    stocked at, page after page."""
    variants, stock, after = {}, {}, None
    while True:
        page = ask(CATALOG_WITH_STOCK, after=after)["products"]
        for product in page["nodes"]:
            variants[product["id"]] = [v["id"] for v in product["variants"]["nodes"]]
            for variant in product["variants"]["nodes"]:
                item = variant["inventoryItem"]
                for level in item["inventoryLevels"]["nodes"]:
                    stock[(item["id"], level["location"]["id"])] = quantities(level)["available"]
        if not page["pageInfo"]["hasNextPage"]:
            return variants, stock
        after = page["pageInfo"]["endCursor"]


def test_done_when_a_token_holder_lists_stock_sets_it_creates_a_product_and_a_customer_and_exports_the_same(
        simulator, shopify_api_session):
    """The issue's "done when", through ShopifyAPI holding nothing but the shop's domain and token: it
    lists products with variants and stock per location, sets a quantity and reads it back, creates a
    product with an uploaded image and sees it, creates a customer and finds it by email, all with the
    documented GraphQL; then bulk exports list the same products, stock and customers."""
    client = ShopifyApiClient()

    def ask(document: str, **variables) -> dict:
        return run(client, document, variables)

    # given: the catalog with stock per location, as paged, and the location new variants are stocked at
    variants, stock = catalog_with_stock(ask)
    primary = ask("query PrimaryLocation { location { id } }")["location"]["id"]
    (item_id, location_id), available = next(iter(stock.items()))
    # when: a quantity is set
    set_answer = ask(INVENTORY_SET_QUANTITIES, input={"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": item_id, "locationId": location_id, "quantity": available + 5,
         "compareQuantity": available}]})["inventorySetQuantities"]
    level = ask(INVENTORY_LEVEL_AT, id=item_id, locationId=location_id)["inventoryItem"]["inventoryLevel"]
    # when: a product is created with an uploaded image and two stocked variants
    source = uploaded(client, "done-when.png")
    created = ask(PRODUCT_CREATE, product={"title": "Enamel Mug", "productOptions": [
        {"name": "Colour", "values": [{"name": "White"}]}]}, media=[
        {"originalSource": source, "alt": "A white mug", "mediaContentType": "IMAGE"}])["productCreate"]
    product_id = created["product"]["id"]
    with_variants = ask(PRODUCT_VARIANTS_BULK_CREATE, productId=product_id, strategy="REMOVE_STANDALONE_VARIANT",
                        variants=[{"optionValues": [{"optionName": "Colour", "name": colour}], "price": "12.00",
                                   "inventoryItem": {"sku": f"MUG-DONE-{colour.upper()}", "tracked": True}}
                                  for colour in ("White", "Blue")])["productVariantsBulkCreate"]
    seen = ask(PRODUCT_WITH_MEDIA, id=product_id)["product"]
    # when: a customer is created and looked up by email
    customer = ask(CUSTOMER_CREATE, input={"firstName": "Ada", "lastName": "Lovelace", "email": "done-when@example.org",
                                           "addresses": [{"city": "Paris", "countryCode": "FR"}]})["customerCreate"]
    found = ask(CUSTOMERS_BY_EMAIL, query="email:done-when@example.org")["customers"]["nodes"]
    # when: the same lists, paged and exported in bulk
    variants_after, stock_after = catalog_with_stock(ask)
    customers = bulk_exports.paged(ask, "customers", "id email", page_size=100)
    exported_products = bulk_exports.children_by_parent(bulk_exports.exported(ask, bulk_exports.PRODUCTS_WITH_VARIANTS))
    exported_levels = bulk_exports.children_by_parent(bulk_exports.exported(ask, bulk_exports.INVENTORY_LEVELS))
    exported_customers = bulk_exports.children_by_parent(
        bulk_exports.exported(ask, bulk_exports.CUSTOMERS_WITH_ADDRESSES))

    # then: the lists
    assert len(variants) > 5 and all(variants.values())
    assert len({location for _, location in stock}) > 1
    # then: the quantity set reads back
    assert set_answer["userErrors"] == [] and quantities(level)["available"] == available + 5
    # then: the product and its image
    assert created["userErrors"] == [] and with_variants["userErrors"] == []
    [image] = seen["media"]["nodes"]
    assert (seen["title"], image["alt"]) == ("Enamel Mug", "A white mug")
    assert requests.get(image["image"]["url"], timeout=10).content == PICTURE
    new_variants = [v["id"] for v in with_variants["productVariants"]]
    new_items = [v["inventoryItem"]["id"] for v in with_variants["productVariants"]]
    assert variants_after == variants | {product_id: new_variants}
    assert stock_after == stock | {(item_id, location_id): available + 5} | {(item, primary): 0 for item in new_items}
    # then: the customer, by email
    assert customer["userErrors"] == []
    assert [c["id"] for c in found] == [customer["customer"]["id"]]
    # then: the bulk exports list what paging lists, with the changes
    assert {product: [v["id"] for v in lines] for product, lines in exported_products.items()} == variants_after
    assert {(item, line["location"]["id"]): quantities(line)["available"]
            for item, lines in exported_levels.items() for line in lines} == stock_after
    assert list(exported_customers) == [c["id"] for c in customers]
    assert [line["city"] for line in exported_customers[customer["customer"]["id"]]] == ["Paris"]


DONE_WHEN_MONTH = ("2024-10-01", "2024-11-01")   # demo-uk: disputes opened, reserves held and released


def a_month_of_payouts(ask, month: tuple[str, str]) -> dict:
    """The month's payouts and every balance transaction paid out in them, page after page."""
    account = ask(PAYOUTS_OF_A_MONTH, **a_month(month))["shopifyPaymentsAccount"]
    transactions = account["balanceTransactions"]
    while transactions["pageInfo"]["hasNextPage"]:
        more = ask(PAYOUTS_OF_A_MONTH, **a_month(month), after=transactions["pageInfo"]["endCursor"])
        page = more["shopifyPaymentsAccount"]["balanceTransactions"]
        transactions = {"nodes": transactions["nodes"] + page["nodes"], "pageInfo": page["pageInfo"]}
    return {**account, "balanceTransactions": transactions}


def test_done_when_a_token_holder_ships_closes_prices_a_company_catalog_and_reconciles_a_month_of_payouts(
        simulator, b2b_api_session):
    """The issue's "done when", through ShopifyAPI holding nothing but demo-uk's domain and token: it
    fulfils an open fulfillment order with tracking and reads the fulfillment back, closes an order,
    lists a company's catalogs and adds fixed prices to a price list, and reads a month of payouts
    whose balance transactions sum to each payout's net, disputes and reserves included."""
    client = ShopifyApiClient()

    def ask(document: str, **variables) -> dict:
        return run(client, document, variables)

    # given: an open fulfillment order at one of the shop's own locations, and an open order
    waiting = ask(OPEN_FULFILLMENT_ORDERS, query="status:open")["fulfillmentOrders"]["nodes"]
    to_ship = next(fo for fo in waiting if not fo["assignedLocation"]["location"]["isFulfillmentService"])
    items = [{"id": item["id"], "quantity": item["remainingQuantity"]}
             for item in to_ship["lineItems"]["nodes"] if item["remainingQuantity"] > 0]
    to_close = next(order for order in ask(OPEN_ORDERS)["orders"]["nodes"] if order["id"] != to_ship["orderId"])
    # when: it is shipped whole with tracking, and the fulfillment read back
    parcel = {"company": "Royal Mail", "number": "RM123456785GB",
              "url": "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB"}
    shipped = ask(FULFILLMENT_CREATE, fulfillment={"trackingInfo": parcel, "notifyCustomer": False,
                                                   "lineItemsByFulfillmentOrder": [
                                                       {"fulfillmentOrderId": to_ship["id"],
                                                        "fulfillmentOrderLineItems": items}]})["fulfillmentCreate"]
    fulfillment = ask(FULFILLMENT, id=shipped["fulfillment"]["id"])["fulfillment"]
    # when: an order is closed and read back
    closing = ask(ORDER_CLOSE, input={"id": to_close["id"]})["orderClose"]
    closed = ask(ORDER_CLOSED, id=to_close["id"])["order"]
    # when: a company's catalogs are listed, and two variants get fixed prices on one's price list
    companies = ask(COMPANIES_WITH_LOCATIONS)["companies"]["nodes"]
    company, catalog = next((company, catalog) for company in companies
                            for location in company["locations"]["nodes"] for catalog in location["catalogs"]["nodes"]
                            if catalog["priceList"]["currency"] == location["currency"])
    price_list = catalog["priceList"]
    before = ask(PRICE_LIST, id=price_list["id"])["priceList"]
    chosen = [price["variant"] for price in before["relative"]["nodes"][:2]]
    trade = {variant["id"]: f"{Decimal(variant['price']) * Decimal('0.8'):.2f}" for variant in chosen}
    added = ask(PRICE_LIST_FIXED_PRICES_ADD, priceListId=price_list["id"], prices=[
        {"variantId": gid, "price": {"amount": price, "currencyCode": price_list["currency"]}}
        for gid, price in trade.items()])["priceListFixedPricesAdd"]
    after = ask(PRICE_LIST, id=price_list["id"])["priceList"]
    # when: a month of payouts, with every balance transaction paid out in them
    account = a_month_of_payouts(ask, DONE_WHEN_MONTH)

    # then: the fulfillment, read back with its tracking, shipped what was left
    assert shipped["userErrors"] == []
    assert (fulfillment["status"], fulfillment["trackingInfo"]) == ("SUCCESS", [parcel])
    assert fulfillment["totalQuantity"] == sum(item["quantity"] for item in items)
    assert fulfillment["order"]["id"] == to_ship["orderId"]
    assert fulfillment["fulfillmentOrders"]["nodes"] == [{"id": to_ship["id"], "status": "CLOSED"}]
    # then: the order reads back closed
    assert closing["userErrors"] == [] and (closed["closed"], closed["closedAt"]) == (
        True, closing["order"]["closedAt"])
    # then: the company's catalog has the fixed prices added, the rest untouched
    assert catalog["id"] in {c["id"] for location in company["locations"]["nodes"]
                             for c in location["catalogs"]["nodes"]}
    assert added["userErrors"] == []
    assert {p["variant"]["id"]: p["price"]["amount"] for p in added["prices"]} == trade
    fixed = {p["variant"]["id"]: p["price"]["amount"] for p in after["fixed"]["nodes"]}
    assert fixed == {p["variant"]["id"]: p["price"]["amount"] for p in before["fixed"]["nodes"]} | trade
    assert after["fixedPricesCount"] == before["fixedPricesCount"] + 2
    # then: each payout of the month is its balance transactions' net, disputes and reserves included
    assert len(account["payouts"]["nodes"]) >= 5
    assert payouts_add_up(account) >= {"CHARGE", "DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE", "RESERVED_FUNDS_WITHDRAWAL",
                                       "RESERVED_FUNDS_REVERSAL"}


