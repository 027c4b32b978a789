"""Customers over HTTP: found by id, email and phone, some buying without tax with their country's
exemption, some subscribed to email marketing; the same customer wherever it appears."""
from __future__ import annotations

from tests.shopify_simulator.test_products import all_pages

FIELDS = "id email phone taxExempt taxExemptions emailMarketingConsent { marketingState }"


def test_customers_are_found_by_email_and_phone(shopify):
    customers = all_pages(shopify, "customers", FIELDS, first=50)
    one = customers[5]

    by_email = all_pages(shopify, "customers", "id", query=f"email:{one['email']}")
    by_phone = all_pages(shopify, "customers", "id", query=f"phone:'{one['phone']}'")

    assert [c["id"] for c in by_email] == [c["id"] for c in by_phone] == [one["id"]]


def test_some_customers_buy_without_tax_with_their_countrys_exemption_and_some_are_subscribed(shopify):
    customers = all_pages(shopify, "customers", FIELDS, first=100)

    exempt = [c for c in customers if c["taxExempt"]]
    assert exempt and all(c["taxExemptions"] == ["EU_REVERSE_CHARGE_EXEMPTION_RULE"] for c in exempt)   # demo-eu
    assert [c["id"] for c in all_pages(shopify, "customers", "id", query="tax_exempt:true", first=100)] == [
        c["id"] for c in exempt]
    states = {c["emailMarketingConsent"]["marketingState"] for c in customers}
    assert states == {"SUBSCRIBED", "NOT_SUBSCRIBED"}


def test_an_orders_customer_is_the_same_as_the_customers_list_says(shopify):
    order = shopify.run_text("{ orders(first: 20) { nodes { customer { %s } } } }" % FIELDS)["orders"]["nodes"]
    theirs = next(o["customer"] for o in order if o["customer"])

    same = shopify.run_text('{ customer(id: "%s") { %s } }' % (theirs["id"], FIELDS))["customer"]

    assert same == theirs
