"""Sync Customers (30100) over HTTP against the simulator, against the built-in ledger and the
in-memory target alike: Business Central's mapping scenarios, exact matching only, auto-create on
and off, the unmapped tile, a second run that changes nothing, and Shopify's later edits."""
from __future__ import annotations

import pytest
from django.urls import reverse

from connectors.ledger.records import CustomerData
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.models import ShopifyCustomer, ShopifyOrder
from connectors.shopify.order_sync import sync_orders
from core.contacts import e164_phone
from core.tiles import TILES
from merchants.models import Merchant
from syncjobs.customers.models import CountryDefaultCustomer, CustomerLink, MappedBy
from syncjobs.customers.sync import sync_customers
from tests.fixtures.shopify_simulator import ShopifyHttp

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)


def run(merchant):
    merchant.refresh_from_db()
    return sync_customers(merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))


def links(merchant) -> dict[str, CustomerLink]:
    return {link.shopify_gid: link for link in CustomerLink.objects.filter(merchant=merchant)}


def shopify_customer(shop, index: int) -> dict:
    return shop.customers.view(shop.profile.customer_id_base + index)


def set_card(merchant, **fields) -> None:
    Merchant.objects.filter(pk=merchant.pk).update(**fields)
    merchant.refresh_from_db()


def test_the_default_customer_mapping_sends_everyone_to_the_shop_default(books, merchant, shop):
    (default,) = books.create_customers(merchant, [CustomerData(name="Web shop customers")])
    set_card(merchant, customer_mapping="default_customer", default_customer_no=default.number)

    result = run(merchant)

    assert result.links.read == shop.customers.pool_size
    assert {(link.customer_no, link.mapped_by) for link in links(merchant).values()} == {
        (default.number, MappedBy.DEFAULT_CUSTOMER)}


def test_the_same_email_or_phone_finds_the_existing_customer_and_nothing_looser_does(books, merchant, shop):
    ann, bob, near = shopify_customer(shop, 3), shopify_customer(shop, 4), shopify_customer(shop, 5)
    user, domain = near["email"].split("@")
    existing = books.create_customers(merchant, [
        CustomerData(name="Ann in the books", email=ann["email"].upper()),
        CustomerData(name="Bob in the books", phone=bob["phone"].replace(" ", ""), country="FR"),
        # What Shopify's tokenised search would take for the same customer; exact matching must not.
        CustomerData(name="Not the same", email=f"{user}@{domain}.extra", phone="+33 1 00 00 00 00")])
    set_card(merchant, auto_create_unknown_customers=False)

    run(merchant)

    mapped = links(merchant)
    assert (mapped[ann["id"]].customer_no, mapped[ann["id"]].mapped_by) == (existing[0].number, MappedBy.EMAIL)
    assert (mapped[bob["id"]].customer_no, mapped[bob["id"]].mapped_by) == (existing[1].number, MappedBy.PHONE)
    assert mapped[near["id"]].customer_no == ""
    assert "no ledger customer has the same email or phone" in mapped[near["id"]].unmapped_reason


def test_the_same_bill_to_name_and_address_finds_the_existing_customer(books, merchant, shop):
    row = shopify_customer(shop, 6)
    address = row["defaultAddress"]
    (existing,) = books.create_customers(merchant, [CustomerData(
        name=f"{row['firstName']} {row['lastName']}".upper(), address=address["address1"], post_code=address["zip"],
        city=address["city"], country=address["countryCodeV2"])])
    set_card(merchant, customer_mapping="by_bill_to")

    run(merchant)

    link = links(merchant)[row["id"]]
    assert (link.customer_no, link.mapped_by) == (existing.number, MappedBy.BILL_TO)


def test_a_country_default_comes_before_any_other_mapping(books, merchant, shop):
    row = shopify_customer(shop, 8)
    books.create_customers(merchant, [CustomerData(name="Same email", email=row["email"])])
    (french,) = books.create_customers(merchant, [CustomerData(name="Clients France")])
    CountryDefaultCustomer.objects.create(merchant=merchant, country=row["defaultAddress"]["countryCodeV2"],
                                          customer_no=french.number)

    run(merchant)

    assert (links(merchant)[row["id"]].customer_no, links(merchant)[row["id"]].mapped_by) == (
        french.number, MappedBy.COUNTRY_DEFAULT)


def test_auto_create_makes_one_ledger_customer_each_and_a_second_run_changes_nothing(books, merchant, shop):
    set_card(merchant, auto_create_unknown_customers=True)

    first = run(merchant)
    second = run(merchant)

    pool = shop.customers.pool_size
    numbers = {link.customer_no for link in links(merchant).values()}
    assert (first.links.created, len(numbers), len(books.customer_numbers(merchant))) == (pool, pool, pool)
    assert (second.links.read, second.links.created, second.links.updated) == (0, 0, 0)
    row = shopify_customer(shop, 9)
    made = books.get_customers(merchant, [links(merchant)[row["id"]].customer_no])
    (customer,) = made.values()
    assert (customer.email, customer.phone) == (row["email"].lower(), e164_phone(row["phone"], "FR"))
    assert customer.tax_liable is not row["taxExempt"]


def test_a_customer_created_from_shopify_takes_its_later_edits_once(books, merchant, shop, simulator):
    set_card(merchant, auto_create_unknown_customers=True)
    run(merchant)
    row = shopify_customer(shop, 11)
    simulator.clock.advance(120)
    ShopifyHttp(simulator, shop.access_token).control("POST", "customers/update", shop=shop.domain, id=row["id"],
                                                      last_name="Renamed")

    edited = run(merchant)
    again = run(merchant)

    number = links(merchant)[row["id"]].customer_no
    assert books.get_customers(merchant, [number])[number].name == f"{row['firstName']} Renamed"
    assert (edited.links.updated, again.links.updated) == (1, 0)


def test_without_auto_create_or_default_the_unmapped_tile_counts_exactly_those_links(books, merchant, shop):
    set_card(merchant, auto_create_unknown_customers=False)
    other = Merchant.objects.create(code="OTHER", name="Other", shop_domain="other.myshopify.com",
                                    posting_mode="daily_summary")
    CustomerLink.objects.create(merchant=other, shopify_gid="gid://shopify/Customer/1")   # daily summary: no tile

    result = run(merchant)

    tile = TILES["unmapped_customers"].rows(Merchant.objects.all())
    assert len(result.links.unmapped) == shop.customers.pool_size
    assert set(tile.values_list("shopify_gid", flat=True)) == {
        gid for gid, link in links(merchant).items() if not link.customer_no}
    assert ShopifyCustomer.objects.filter(merchant=merchant).count() == shop.customers.pool_size


@pytest.mark.parametrize("kind", ["throttle", "server_error", "drop", "malformed", "empty"])
def test_a_run_through_faults_links_each_customer_once(books, merchant, shop, kind):
    shop.faults.set(kind, probability=0.3)
    set_card(merchant, auto_create_unknown_customers=True)

    run(merchant)

    pool = shop.customers.pool_size
    assert CustomerLink.objects.filter(merchant=merchant).count() == pool
    assert len(books.customer_numbers(merchant)) == pool


def exported_in_shopify(shop, email: str) -> list[dict]:
    book = shop.customers
    return [view for number in book.numbers() if (view := book.view(number))["email"] == email]


def test_the_ledgers_own_customers_are_exported_once_and_then_only_their_changes(books, merchant, shop):
    set_card(merchant, customer_import="none", export_customers_to_shopify=True,
             default_customer_no="C09000")
    books.create_customers(merchant, [CustomerData(name="Web orders", number="C09000")])
    (ada,) = books.create_customers(merchant, [CustomerData(
        name="Ada Lovelace", email="ada@example.org", phone="06 12 34 56 78", address="12 rue de Rivoli",
        city="Paris", post_code="75004", country="FR", tax_liable=False)])

    first = run(merchant)
    second = run(merchant)
    books.update_customers(merchant, [CustomerData(**{**ada.__dict__, "city": "Lyon", "post_code": "69001"})])
    third = run(merchant)

    (made,) = exported_in_shopify(shop, "ada@example.org")
    assert (first.exported.created, second.exported.created, second.exported.updated) == (1, 0, 0)
    assert (made["firstName"], made["lastName"], made["phone"], made["taxExempt"]) == (
        "Ada", "Lovelace", "+33612345678", True)
    assert third.exported.updated == 1 and made["defaultAddress"]["city"] == "Lyon"
    everyone = [shop.customers.view(number) for number in shop.customers.numbers()]
    # The default customer stands for Shopify's customers: it is never exported.
    assert not [v for v in everyone if (v["firstName"], v["lastName"]) == ("Web", "orders")]
    link = CustomerLink.objects.get(merchant=merchant, customer_no=ada.number)
    assert (link.shopify_gid, link.mapped_by) == (made["id"], MappedBy.EXPORTED)


def test_a_customer_created_before_whose_answer_was_lost_is_found_again_not_made_twice(books, merchant, shop,
                                                                                         simulator):
    set_card(merchant, customer_import="none", export_customers_to_shopify=True)
    (ada,) = books.create_customers(merchant, [CustomerData(name="Ada Lovelace", email="ada@example.org")])
    # What a create whose answer never came back left in Shopify: the customer, with its mark.
    ShopifyHttp(simulator, shop.access_token).run_text(
        "mutation($input: CustomerInput!) { customerCreate(input: $input) { userErrors { message } } }",
        input={"lastName": "Lovelace", "firstName": "Ada", "email": "ada@example.org",
               "tags": [f"syncsite-{ada.number}"]})

    result = run(merchant)

    assert len(exported_in_shopify(shop, "ada@example.org")) == 1
    assert result.exported.failed == [] and CustomerLink.objects.filter(customer_no=ada.number).count() == 1


def test_a_create_that_fails_on_the_way_is_not_sent_again_in_the_run_and_is_made_once_later(books, merchant, shop):
    set_card(merchant, customer_import="none", export_customers_to_shopify=True)
    books.create_customers(merchant, [CustomerData(name="Ada Lovelace", email="ada@example.org")])
    shop.faults.set("server_error", probability=1.0)

    with pytest.raises(ShopifyGaveUp):   # even the lookup of earlier creates gives up: nothing was written
        run(merchant)
    shop.faults.clear()
    later = run(merchant)

    assert later.exported.created == 1 and len(exported_in_shopify(shop, "ada@example.org")) == 1


def test_customers_mapped_from_shopify_are_never_sent_back(books, merchant, shop):
    row = shopify_customer(shop, 3)
    books.create_customers(merchant, [CustomerData(name="Ann in the books", email=row["email"], city="Somewhere")])
    set_card(merchant, export_customers_to_shopify=True)

    result = run(merchant)

    assert result.exported.created == result.exported.updated == 0
    assert shopify_customer(shop, 3)["defaultAddress"]["city"] == row["defaultAddress"]["city"]


def test_with_order_import_the_buyers_of_imported_orders_are_imported_and_linked_with_them(books, merchant, shop):

    set_card(merchant, customer_import="with_order_import", auto_create_unknown_customers=True)

    sync_orders(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))

    buyers = set(ShopifyOrder.objects.filter(merchant=merchant).exclude(customer_gid="")
                 .values_list("customer_gid", flat=True))
    linked = {gid for gid, link in links(merchant).items() if link.customer_no}
    assert buyers and linked == buyers
    assert set(ShopifyCustomer.objects.filter(merchant=merchant).values_list("shopify_gid", flat=True)) == buyers
    assert len(books.customer_numbers(merchant)) == len(buyers)


def test_an_orders_page_names_its_customer_or_why_it_has_none(merchant, shop, superuser, login):


    set_card(merchant, customer_import="with_order_import", auto_create_unknown_customers=False)
    sync_orders(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))
    order = ShopifyOrder.objects.filter(merchant=merchant).exclude(customer_gid="").first()

    page = login(superuser).get(reverse("admin:shopify_shopifyorder_change", args=[order.pk])).content.decode()

    assert "customer not mapped: no ledger customer has the same email or phone" in page


def test_with_order_import_only_customers_that_came_with_orders_are_kept_up_to_date(books, merchant, shop,
                                                                                   simulator):

    set_card(merchant, customer_import="with_order_import", auto_create_unknown_customers=True)
    sync_orders(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))
    run(merchant)   # the first run only marks where the next starts
    buyer = ShopifyCustomer.objects.filter(merchant=merchant).first()
    stranger = next(shop.customers.view(n) for n in shop.customers.numbers()
                    if not ShopifyCustomer.objects.filter(shopify_gid=shop.customers.view(n)["id"]).exists())
    simulator.clock.advance(600)
    http = ShopifyHttp(simulator, shop.access_token)
    for gid in (buyer.shopify_gid, stranger["id"]):
        http.control("POST", "customers/update", shop=shop.domain, id=gid, last_name="Edited")

    result = run(merchant)

    buyer.refresh_from_db()
    assert buyer.last_name == "Edited" and result.imported.updated == 1
    assert not ShopifyCustomer.objects.filter(merchant=merchant, shopify_gid=stranger["id"]).exists()
    number = links(merchant)[buyer.shopify_gid].customer_no
    assert books.get_customers(merchant, [number])[number].name.endswith("Edited")
