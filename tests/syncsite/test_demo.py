"""The demo data loads idempotently and gives each demo user exactly their merchant."""
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import requests
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from connectors.ledger.item_journal import post_item_journal
from connectors.ledger.mappings import mapping_problems
from connectors.ledger.models import (
    Account,
    AccountMapping,
    Item,
    ItemJournalLine,
    JournalEntry,
    JournalLine,
    Location,
    PostedSalesInvoice,
    PostedSalesShipment,
    SalesDocument,
)
from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyCatalogPrice, ShopifyCustomer, ShopifyOrder
from core.scoping import is_syncsite_staff, merchants_for
from core.tiles import TILES
from merchants.models import Merchant
from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.catalogs.actions import set_price_sync
from syncjobs.catalogs.models import CatalogLink
from syncjobs.companies import actions as company_actions
from syncjobs.companies.models import CompanyLink
from syncjobs.companies.sync import sync_companies
from syncjobs.customers import actions as customer_actions
from syncjobs.customers.models import CustomerLink
from syncjobs.customers.sync import sync_customers
from syncjobs.documents.models import OrderDocument
from syncjobs.inventory.sync import mapped_variants
from syncjobs.payments.models import PayoutReconciliation
from syncjobs.payments.reconciliation import payout_parts
from syncjobs.products import actions as product_actions
from syncjobs.products.models import VariantLink
from syncjobs.products.sync import sync_products
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger
from syncjobs.shipments.models import ShipmentFulfillment
from syncsite.demo import (
    DEMO_MERCHANTS,
    connect_to_simulator,
    load_demo,
    subscribe_demo_webhooks,
    sync_demo_stock_locations,
)
from tests.syncjobs.shipments.helpers import fulfillments_in_shopify

ROOT = Path(__file__).resolve().parents[2]


def test_demo_loads_twice_without_duplicates_and_keeps_user_changes(db):
    load_demo()
    eu = Merchant.objects.get(code="DEMO-EU")
    eu.name = "Renamed by the user"
    eu.save()
    counts = (Merchant.objects.count(), Account.objects.count(), AccountMapping.objects.count(), User.objects.count())

    load_demo()

    assert counts == (Merchant.objects.count(), Account.objects.count(), AccountMapping.objects.count(),
                      User.objects.count())
    assert Merchant.objects.get(code="DEMO-EU").name == "Renamed by the user"


def test_demo_merchants_are_ready_to_sync(db):
    load_demo()

    eu, us, uk = (Merchant.objects.get(code=code) for code in ("DEMO-EU", "DEMO-US", "DEMO-UK"))

    assert mapping_problems(merchant=uk) == []
    assert (eu.time_zone, eu.shop_currency, us.time_zone, us.shop_currency) == (
        "Europe/Paris", "EUR", "America/New_York", "USD")
    assert mapping_problems(merchant=eu) == [] and mapping_problems(merchant=us) == []


def test_demo_users_see_their_own_merchant_and_admin_sees_all(db):
    load_demo()

    alice, bob, admin = (User.objects.get(username=n) for n in ("alice", "bob", "admin"))

    assert [m.code for m in merchants_for(alice)] == ["DEMO-EU"]
    assert [m.code for m in merchants_for(bob)] == ["DEMO-US"]
    assert is_syncsite_staff(admin) and not is_syncsite_staff(alice)
    assert alice.check_password("alice") and alice.is_staff


def test_the_demo_merchants_are_pointed_at_the_running_simulator(db, simulator):
    load_demo()


    connected = connect_to_simulator(simulator_url=simulator.base_url)

    eu = Merchant.objects.get(code="DEMO-EU")
    shop = simulator.by_domain["demo-eu.myshopify.com"]
    assert {m.code for m in connected} == {"DEMO-EU", "DEMO-US", "DEMO-UK"}
    assert eu.api_base_url == simulator.base_url
    assert eu.access_token.reveal() == shop.access_token
    assert eu.api_secret_key.reveal() == shop.api_secret_key


def test_the_demo_shops_send_their_webhooks_to_syncsite_again_after_a_restart(db, simulator, settings):

    settings.SYNCSITE_PUBLIC_URL = "http://127.0.0.1:8000"
    load_demo()
    subscribe_demo_webhooks(connect_to_simulator(simulator_url=simulator.base_url))
    shop = simulator.by_domain["demo-eu.myshopify.com"]
    shop.webhooks.clear()   # what a restarted simulator remembers

    subscribe_demo_webhooks(connect_to_simulator(simulator_url=simulator.base_url))

    eu = Merchant.objects.get(code="DEMO-EU")
    assert eu.auto_sync_orders
    assert sorted(eu.webhook_subscription_ids) == sorted(shop.webhooks)
    assert {s.callback_url for s in shop.webhooks.values()} == {"http://127.0.0.1:8000/webhooks/shopify/"}


def test_loading_the_demo_from_the_command_line_leaves_its_webhook_switches_alone(db, simulator, settings):
    """Without a public URL nothing is subscribed, and Auto sync orders stays on for the next demo."""

    settings.SYNCSITE_PUBLIC_URL = ""
    load_demo()

    said = subscribe_demo_webhooks(connect_to_simulator(simulator_url=simulator.base_url))

    assert said == ["webhooks not subscribed for DEMO-EU, DEMO-UK, DEMO-US: SYNCSITE_PUBLIC_URL is not set "
                    "(python3 dev.py demo sets it); new orders wait for the next sync"]
    assert Merchant.objects.get(code="DEMO-EU").auto_sync_orders
    assert not simulator.by_domain["demo-eu.myshopify.com"].webhooks


def test_on_the_demo_sync_customers_fills_the_ledger_and_the_documents_shop_shows_what_is_left(db, simulator):

    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    eu, uk = Merchant.objects.get(code="DEMO-EU"), Merchant.objects.get(code="DEMO-UK")

    sync_customers(eu)
    sync_customers(uk)

    pool = simulator.by_domain["demo-eu.myshopify.com"].customers.pool_size
    unmapped = TILES["unmapped_customers"].rows(Merchant.objects.all())
    assert len(target_for(eu).customer_numbers(eu)) == pool
    assert unmapped.count() == simulator.by_domain["demo-uk.myshopify.com"].customers.pool_size
    assert {link.merchant.code for link in unmapped} == {"DEMO-UK"} and all(link.unmapped_reason for link in unmapped)


def test_on_the_demo_sync_products_fills_the_items_shows_what_is_left_and_sends_a_price_in_one_request(
        db, simulator):
    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    eu, us, uk = (Merchant.objects.get(code=code) for code in ("DEMO-EU", "DEMO-US", "DEMO-UK"))

    for merchant in (eu, us, uk):
        sync_products(merchant)
    books = target_for(us)
    number = sorted(books.item_numbers(us))[0]
    item = books.get_items(us, [number])[number]
    books.update_items(us, [replace(item, unit_price=item.unit_price + 1)])
    client = ShopifyClient.for_merchant(us)
    priced = sync_products(us, client=client, only_prices=True)

    shop_of = {merchant.code: simulator.by_domain[merchant.shop_domain] for merchant in (eu, us, uk)}
    variants = {code: sum(len(p.variants) for p in shop.catalog.products() if not p.is_gift_card)
                for code, shop in shop_of.items()}
    unmapped = TILES["unmapped_products"].rows(Merchant.objects.all())
    assert VariantLink.objects.filter(merchant=eu).exclude(item_no="").count() == variants["DEMO-EU"]
    assert unmapped.count() == variants["DEMO-UK"]
    assert {link.merchant.code for link in unmapped} == {"DEMO-UK"} and all(link.unmapped_reason for link in unmapped)
    assert priced.exported.prices >= 1 and client.stats.calls == 1


def test_dev_demo_and_the_readme_give_the_login_of_every_demo_user():
    """`python3 dev.py demo` prints, and the README's table lists, each demo shop's user and password."""
    printed = (ROOT / "dev.py").read_text()
    readme = (ROOT / "README.md").read_text()

    for demo in DEMO_MERCHANTS:
        assert f"{demo.code} user:   {demo.user} / {demo.user}" in printed
        assert f"| {demo.user} | {demo.user} | {demo.code} (" in readme


def test_on_the_demo_documents_shop_orders_become_posted_invoices_and_an_unmappable_one_says_why(db, simulator):
    """Issue 25's Done-when, on DEMO-UK: its customers and products mapped the way a bookkeeper maps
    them (the unmapped lists' create actions), but for one customer; then Sync orders, Process orders,
    Post sales invoices and Post sales orders."""
    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    uk = Merchant.objects.get(code="DEMO-UK")
    sync_customers(uk)
    sync_products(uk)
    sync_companies(uk)      # mapped by tax ID: none of its companies is in the ledger yet
    links = CustomerLink.objects.filter(merchant=uk).order_by("pk")
    left_out = links.first()
    customer_actions.create_from_shopify(links.exclude(pk=left_out.pk))
    product_actions.create_items(VariantLink.objects.filter(merchant=uk))
    assert CompanyLink.objects.filter(merchant=uk).exists()
    assert not CompanyLink.objects.filter(merchant=uk).exclude(customer_no="").exists()
    company_actions.create_from_shopify(CompanyLink.objects.filter(merchant=uk))

    for number in (30104, 30103, 297, 296):
        run = run_now(merchant=uk, report_number=number, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)
        assert run.status == RunStatus.SUCCESS, (number, run.message)

    orders = ShopifyOrder.objects.filter(merchant=uk)
    stuck = orders.filter(processed=False)
    assert orders.filter(processed=True).count() > 0 and stuck.exists()
    # Left: the orders of the customer left unmapped, and guest orders (the shop has no default customer).
    assert set(stuck.values_list("customer_gid", flat=True)) <= {left_out.shopify_gid, ""}
    # B2B orders are sold to their company location's customer.
    b2b = orders.exclude(company_location_gid="").filter(processed=True)
    assert b2b.exists()
    customer_of = dict(CompanyLink.objects.filter(merchant=uk).values_list("company_location_gid", "customer_no"))
    for order in b2b:
        invoiced = PostedSalesInvoice.objects.filter(merchant=uk, shopify_order_id=order.shopify_gid).first() or \
            SalesDocument.objects.filter(merchant=uk, shopify_order_id=order.shopify_gid).first()
        assert invoiced is not None and invoiced.sell_to.number == customer_of[order.company_location_gid], order.name
    assert all(o.error_message.startswith("not everything can be mapped: customer:") for o in stuck)
    assert set(TILES["unprocessed_orders"].rows(Merchant.objects.filter(pk=uk.pk))) == set(stuck)
    journals = JournalEntry.objects.filter(merchant=uk, kind="sales_invoice")
    invoices = PostedSalesInvoice.objects.filter(merchant=uk)
    assert invoices.count() == journals.count() > 0
    assert not SalesDocument.objects.filter(merchant=uk, type__in=["order", "invoice"]).exists()   # all posted
    # DEMO-UK credits refunds: each refund of a processed order whose goods map is a credit memo.
    credited = OrderDocument.objects.filter(merchant=uk, kind="credit_memo")
    assert credited.exists() and SalesDocument.objects.filter(merchant=uk, type="credit_memo").count() == \
        credited.count()
    for journal in journals:
        lines = journal.lines.all()
        assert sum(line.debit for line in lines) == sum(line.credit for line in lines)
    receivables = sum(line.debit - line.credit for line in JournalLine.objects.filter(
        journal__in=journals, money_kind="receivables"))
    assert receivables == sum(invoice.amount_including_tax for invoice in invoices)


def test_on_the_demo_documents_shop_an_order_edited_after_processing_is_flagged_and_write_back_changes_nothing(
        db, simulator):
    """Issue 26's Done-when, on DEMO-UK: the document no. written back to Shopify leaves the order's
    state alone, and an order edited in the simulator after processing shows under Unprocessed order
    updates with what changed."""
    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    uk = Merchant.objects.get(code="DEMO-UK")
    uk.write_document_no_to_shopify = True
    uk.save()
    sync_customers(uk)
    sync_products(uk)
    customer_actions.create_from_shopify(CustomerLink.objects.filter(merchant=uk))
    product_actions.create_items(VariantLink.objects.filter(merchant=uk))
    variant = VariantLink.objects.filter(merchant=uk).exclude(item_no="").order_by("pk").first()
    buyer = ShopifyCustomer.objects.filter(merchant=uk).exclude(email="").order_by("pk").first()
    shop = simulator.by_domain[uk.shop_domain]
    control = f"{simulator.base_url}/_simulator"
    line = {"title": "Tea", "sku": variant.sku, "quantity": 1, "price": "12.00", "taxes": [["GB VAT", "0.2", "2.00"]]}
    gid = requests.post(f"{control}/orders/custom", json={"shop": shop.domain, "order": {
        "customer": {"id": buyer.shopify_gid}, "taxes_included": True, "lines": [line]}}, timeout=10).json()["id"]

    for number in (30104, 30103, 30104):
        run_now(merchant=uk, report_number=number, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)
    row = OrderDocument.objects.get(merchant=uk, shopify_order_id=gid)
    assert (row.written_to_shopify, row.conflict) == (row.document_no, "")   # written, and the echo changed nothing
    shirt = ShopifyOrder.objects.get(shopify_gid=gid).shopifyorderline_set.get().shopify_gid
    requests.post(f"{control}/orders/custom/update", json={"shop": shop.domain, "id": gid, "order": {"lines": [
        {**line, "id": shirt, "quantity": 2, "taxes": [["GB VAT", "0.2", "4.00"]]}]}}, timeout=10).raise_for_status()
    run_now(merchant=uk, report_number=30104, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)

    flagged = TILES["unprocessed_order_updates"].rows(Merchant.objects.filter(pk=uk.pk))
    assert [r.shopify_order_id for r in flagged] == [gid]
    assert flagged.get().conflict.startswith("the quantity grew on 1 line")


def test_on_the_demo_documents_shop_stock_reaches_shopify_once_and_a_shipment_becomes_a_fulfillment_with_tracking(
        db, simulator, demo_uk):
    """Issue 27's Done-when, on DEMO-UK: stock posted with the item journal shows at the shop's primary
    location with one run of Sync inventory and a second run sends nothing; a posted shipment of a
    Shopify order becomes a fulfillment with its Royal Mail tracking, and every other shipment is
    fulfilled or says why not."""
    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    uk = Merchant.objects.get(code="DEMO-UK")
    shop = simulator.by_domain[uk.shop_domain]
    assert sync_demo_stock_locations([uk]) and not sync_demo_stock_locations([uk])   # set once, then left alone
    sync_customers(uk)
    sync_products(uk)
    customer_actions.create_from_shopify(CustomerLink.objects.filter(merchant=uk))
    product_actions.create_items(VariantLink.objects.filter(merchant=uk))
    primary = shop.profile.locations[0].gid
    stocked = [v for v in mapped_variants(uk) if v.tracked and shop.inventory.level(
        int(v.inventory_item_gid.rsplit("/", 1)[1]), primary) is not None][:2]
    main = Location.objects.get(merchant=uk, code="MAIN")
    lines = [ItemJournalLine.objects.create(
        merchant=uk, posting_date=timezone.localdate(), item=Item.objects.get(merchant=uk, number=v.item_no),
        variant_code=v.variant_code, location=main, quantity=quantity) for v, quantity in zip(stocked, (25, 40))]
    post_item_journal(merchant=uk, lines=lines)

    def run(number: int, **parameters):
        done = run_now(merchant=uk, report_number=number, raw_parameters=parameters, user=None,
                       trigger=RunTrigger.FOREGROUND)
        assert done.status == RunStatus.SUCCESS, (number, done.message)
        return done

    first, second = run(30102), run(30102)
    levels = [shop.inventory.level(int(v.inventory_item_gid.rsplit("/", 1)[1]), primary).available for v in stocked]
    assert levels == [25, 40] and first.updated >= 2
    assert (second.updated, second.skipped) == (0, 0)

    run(30104)
    run(30103)
    unshipped = ShopifyOrder.objects.filter(merchant=uk, fulfillment_status__in=["UNFULFILLED", "OPEN"])
    order = SalesDocument.objects.filter(merchant=uk, type="order", shopify_order_id__in=unshipped.values(
        "shopify_gid")).order_by("number").first()
    SalesDocument.objects.filter(pk=order.pk).update(shipping_agent="RM", package_tracking_no="RM123456785GB")
    run(296)
    run(297)
    run(30109)
    rows = ShipmentFulfillment.objects.filter(merchant=uk)
    sent = rows.get(order_no=order.number)
    assert sent.state == "fulfilled" and sent.fulfillments
    (made, *_) = fulfillments_in_shopify(demo_uk, order.shopify_order_id)
    assert made["tracking"] == [{"company": "Royal Mail", "number": "RM123456785GB",
                                 "url": "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB"}]
    assert rows.count() == PostedSalesShipment.objects.filter(merchant=uk).count()
    for row in rows:
        assert row.state == "fulfilled" or row.reason, row


def test_on_the_demo_sync_payments_brings_payouts_whose_pages_add_up_and_paid_ones_net_to_zero_in_both_modes(
        db, simulator_today, client):
    """Issue 28's Done-when, on DEMO-EU (daily summary) and DEMO-UK (documents): Sync payments, then
    the daily journals (the start date moved back so that a few months of payouts are in the books)."""
    load_demo()
    connect_to_simulator(simulator_url=simulator_today.base_url)
    for code, user in (("DEMO-EU", "alice"), ("DEMO-UK", "carol")):
        merchant = Merchant.objects.get(code=code)
        merchant.daily_sync_start_date = timezone.localdate() - timedelta(days=120)
        merchant.save()
        for number in (30104, 30105, 1):
            run = run_now(merchant=merchant, report_number=number, raw_parameters={}, user=None,
                          trigger=RunTrigger.FOREGROUND)
            assert run.status == RunStatus.SUCCESS, (code, number, run.message)

        rows = PayoutReconciliation.objects.filter(merchant=merchant).select_related("payout")
        in_books = [row for row in rows if row.state != "before_start"]
        assert ShopifyBalanceTransaction.objects.filter(merchant=merchant).exists() and in_books, code
        paid = [row for row in in_books if row.payout.status == "PAID"]
        assert paid and {row.state for row in paid} == {"reconciled"}, (code, [r.state for r in paid])
        client.force_login(User.objects.get(username=user))
        target = target_for(merchant)
        for row in in_books:
            breakdown = payout_parts(row.payout)
            assert breakdown.shopify_difference == 0 and breakdown.parts_total == row.payout.net, row.payout
            page = client.get(reverse("admin:payment_sync_payout_change", args=[row.payout.pk]))
            assert page.status_code == 200
            for line in breakdown.lines:
                if line.posting is not None:
                    assert target.journal_url(line.posting.journal_no) in page.content.decode()


def test_on_the_demo_b2b_shop_companies_map_catalogs_are_listed_and_a_ledger_price_reaches_each_marked_catalog(
        db, simulator):
    """Issue 29's Done-when, on DEMO-US: Sync companies maps its companies to customers (created,
    auto-create being on), Sync catalogs lists their catalogs, and a price changed in the ledger
    reaches each catalog marked for price sync with one run that sends only what changed."""
    load_demo()
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    connect_to_simulator(simulator_url=simulator.base_url)
    us = Merchant.objects.get(code="DEMO-US")
    book = simulator.by_domain[us.shop_domain].price_lists
    sync_products(us)

    for number in (30114, 30115):
        run = run_now(merchant=us, report_number=number, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)
        assert run.status == RunStatus.SUCCESS, (number, run.message)
    locations = list(simulator.by_domain[us.shop_domain].companies.locations())
    links = CompanyLink.objects.filter(merchant=us)
    assert links.count() == len(locations) > 0 and not links.filter(customer_no="").exists()
    assert TILES["unmapped_companies"].rows(Merchant.objects.filter(pk=us.pk)).count() == 0
    in_shopify = {c.gid: c for c in book.catalogs()}
    assert set(CatalogLink.objects.filter(merchant=us).values_list("catalog_gid", flat=True)) == set(in_shopify)
    usd = [gid for gid, c in in_shopify.items() if getattr(book.price_list(c.price_list_id), "currency", "") == "USD"]
    set_price_sync(CatalogLink.objects.filter(merchant=us, catalog_gid__in=usd), on=True)
    first = run_now(merchant=us, report_number=30116, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)
    assert first.status == RunStatus.SUCCESS and first.updated > 0, first.message

    variant_gid = ShopifyCatalogPrice.objects.filter(catalog__shopify_gid=usd[0]).order_by("pk")[0].variant_gid
    variant = VariantLink.objects.get(merchant=us, shopify_gid=variant_gid)
    books = target_for(us)
    item = books.get_items(us, [variant.item_no])[variant.item_no]
    books.update_items(us, [replace(item, unit_price=item.unit_price + 7)])
    second = run_now(merchant=us, report_number=30116, raw_parameters={}, user=None, trigger=RunTrigger.FOREGROUND)

    assert second.status == RunStatus.SUCCESS, second.message
    product_id = int(variant.product.shopify_gid.rsplit("/", 1)[1])
    offering = [in_shopify[gid] for gid in usd if book.publication(in_shopify[gid].publication_id) is not None
                and book.publication(in_shopify[gid].publication_id).offers(product_id)]
    assert second.updated == len(offering) > 0      # the one price, once in each catalog offering it
    for catalog in offering:
        fixed = book.price_list(catalog.price_list_id).fixed[int(variant_gid.rsplit("/", 1)[1])]
        assert fixed.price == item.unit_price + 7
