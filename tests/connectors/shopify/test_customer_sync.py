"""Report 30100's import of customers against the simulator: complete, incremental, fault-tolerant,
by pages or by a bulk export that a killed import resumes, with emails and phones normalised."""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import mute_signals

from connectors.shopify import customer_sync
from connectors.shopify.bulk import start_bulk_export
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.customer_sync import sync_customers
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.importers.customers import import_customers
from connectors.shopify.models import ImportState, ShopifyCustomer
from connectors.shopify.signals import customers_imported
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shopify_simulator import ShopifyHttp

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)


def run(merchant, bulk_threshold=10_000, client_settings=FAST, **kwargs):
    client = ShopifyClient.for_merchant(merchant, client_settings=client_settings)
    return sync_customers(merchant=merchant, client=client, bulk_threshold=bulk_threshold, **kwargs)


def snapshot(merchant) -> dict:
    """Every imported customer's fields but the import's own times, by GID."""
    skip = {"id", "merchant", "imported_at", "updated_at"}
    names = [f.attname for f in ShopifyCustomer._meta.concrete_fields if f.name not in skip]
    return {row["shopify_gid"]: row for row in ShopifyCustomer.objects.filter(merchant=merchant).values(*names)}


def edit(shopify_http, shop, customer_gid, **fields):
    return shopify_http.control("POST", "customers/update", shop=shop.domain, id=customer_gid, **fields)


@pytest.fixture
def http(simulator, shop):

    return ShopifyHttp(simulator, shop.access_token)


def test_the_first_import_of_a_small_shop_reads_every_customer_by_pages(merchant, shop):
    # when
    counts = run(merchant)
    # then
    pool = shop.customers.pool_size
    assert (counts.read, counts.created, counts.updated, counts.failed) == (pool, pool, 0, 0)
    assert ShopifyCustomer.objects.filter(merchant=merchant).count() == pool
    assert not shop.bulk_operations
    assert ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS).watermark is not None


def test_a_customer_arrives_with_its_default_address_tax_exemption_and_consent(merchant, shop):
    # given
    number = shop.profile.customer_id_base + 7          # one in 40 buys without tax: index 7 does
    view = shop.customers.view(number)
    # when
    run(merchant)
    # then
    customer = ShopifyCustomer.objects.get(merchant=merchant, shopify_gid=view["id"])
    address = view["defaultAddress"]
    assert (customer.first_name, customer.last_name, customer.email, customer.phone) == (
        view["firstName"], view["lastName"], view["email"], view["phone"])
    assert (customer.address1, customer.city, customer.zip, customer.country_code, customer.address_name) == (
        address["address1"], address["city"], address["zip"], address["countryCodeV2"], address["name"])
    assert (customer.tax_exempt, customer.tax_exemptions) == (True, ["EU_REVERSE_CHARGE_EXEMPTION_RULE"])
    assert customer.email_marketing_state == view["emailMarketingConsent"]["marketingState"]
    assert customer.legacy_id == number and customer.state == "ENABLED"


def test_emails_and_phones_are_kept_as_given_and_normalised(merchant, shop, http):
    """Shopify's phone "+33 6 …" is kept as it is and matched as +336…; an email edited with capitals
    is matched lower-cased."""
    # given
    pooled = shop.customers.view(shop.profile.customer_id_base + 3)
    edited = shop.profile.customer_id_base + 4
    edit(http, shop, f"gid://shopify/Customer/{edited}", email="Jo.Smith@Example.COM")
    # when
    run(merchant)
    # then
    one = ShopifyCustomer.objects.get(merchant=merchant, legacy_id=pooled["legacyResourceId"])
    assert one.phone == pooled["phone"] and " " in one.phone
    assert one.phone_e164 == "+" + "".join(c for c in pooled["phone"] if c.isdigit())
    other = ShopifyCustomer.objects.get(merchant=merchant, legacy_id=edited)
    assert (other.email, other.email_normalized) == ("Jo.Smith@Example.COM", "jo.smith@example.com")


def test_a_phone_without_a_plus_is_read_in_the_shops_country(db):
    """What Shopify holds as typed (an address's phone, an older customer) has no +: it is read in
    the shop's country, the trunk 0 dropped."""
    merchant = MerchantFactory()
    payload = {"id": "gid://shopify/Customer/1", "legacyResourceId": "1", "phone": "06 12 34 56 78",
               "email": " Jo@Example.com ", "createdAt": "2025-03-01T10:00:00Z", "updatedAt": "2025-03-01T10:00:00Z"}

    import_customers(merchant=merchant, payloads=[payload], shop_country="FR")

    customer = ShopifyCustomer.objects.get(merchant=merchant)
    assert (customer.phone, customer.phone_e164) == ("06 12 34 56 78", "+33612345678")
    assert (customer.email, customer.email_normalized) == ("Jo@Example.com", "jo@example.com")


def test_a_second_run_reads_only_what_changed_since_the_watermark_and_the_overlap(merchant, shop, http):
    # given
    run(merchant)
    changed = f"gid://shopify/Customer/{shop.profile.customer_id_base + 12}"
    edit(http, shop, changed, last_name="Okafor", note="moved house")
    requests_before = shop.faults.requests
    # when
    second = run(merchant)
    third = run(merchant)      # at once: the edit is still inside the overlap
    # then
    assert (second.read, second.updated, second.created, second.skipped) == (1, 1, 0, 0)
    assert (third.read, third.updated, third.skipped) == (1, 0, 1)
    customer = ShopifyCustomer.objects.get(merchant=merchant, shopify_gid=changed)
    assert (customer.last_name, customer.note) == ("Okafor", "moved house")
    assert shop.faults.requests - requests_before == 4     # two runs: the shop's country, one page each


def test_a_customer_created_in_shopify_is_imported_by_the_next_run(merchant, shop, http):
    run(merchant)
    created = http.control("POST", "customers", shop=shop.domain, first_name="Ada", last_name="Byron",
                           phone="06 98 76 54 32")

    counts = run(merchant)

    assert (counts.read, counts.created) == (1, 1)
    customer = ShopifyCustomer.objects.get(merchant=merchant, shopify_gid=created["id"])
    assert customer.phone_e164 == "+33698765432"


def test_a_bulk_first_import_brings_the_same_customers_as_paging(merchant, shop):
    # when
    bulk = run(merchant, bulk_threshold=0)
    by_bulk = snapshot(merchant)
    ShopifyCustomer.objects.all().delete()
    ImportState.objects.all().delete()
    paged = run(merchant)
    # then
    assert (bulk.created, bulk.failed) == (shop.customers.pool_size, 0)
    assert len(shop.bulk_operations) == 1
    assert by_bulk == snapshot(merchant) and paged.created == len(by_bulk)
    state = ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS)
    assert state.watermark is not None and state.bulk_operation_gid == ""


def test_an_import_killed_while_the_export_ran_resumes_the_same_export(merchant, shop):
    # given
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    gid = start_bulk_export(client, document("CustomersBulkExport"))    # ... and then the worker died
    ImportState.objects.create(merchant=merchant, kind=ImportState.Kind.CUSTOMERS, bulk_operation_gid=gid,
                               bulk_operation_status="RUNNING", bulk_started_at="2025-03-12T00:00:00Z")
    # when
    counts = run(merchant, bulk_threshold=0)
    # then
    assert counts.created == shop.customers.pool_size
    assert list(shop.bulk_operations) == [gid]
    state = ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS)
    assert (state.bulk_operation_gid, state.bulk_operation_status) == ("", "")


class WorkerKilled(BaseException):
    """What a worker killed mid-import amounts to: nothing after it runs."""


def test_an_import_killed_while_reading_the_export_resumes_it_without_duplicates(merchant, shop, monkeypatch):
    # given: the first batch of the export is in when the worker dies
    monkeypatch.setattr(customer_sync, "BULK_BATCH", 100)

    def die(counts):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        run(merchant, bulk_threshold=0, progress=die)
    state = ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS)
    assert state.bulk_operation_gid and state.watermark is None
    assert ShopifyCustomer.objects.filter(merchant=merchant).count() == 100
    # when
    counts = run(merchant, bulk_threshold=0)
    # then
    pool = shop.customers.pool_size
    assert (counts.created, counts.skipped) == (pool - 100, 100)
    assert ShopifyCustomer.objects.filter(merchant=merchant).count() == pool
    assert len(shop.bulk_operations) == 1


@pytest.mark.parametrize("bulk_threshold", [10_000, 0], ids=["pages", "bulk"])
@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.2}),
    ("drop", {"probability": 0.1}),
    ("malformed", {"probability": 0.1}),
    ("empty", {"probability": 0.2}),
])
def test_faults_still_end_in_the_same_customers_without_duplicates(merchant, shop, kind, rule, bulk_threshold,
                                                                   monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    monkeypatch.setattr(customer_sync, "CUSTOMERS_PER_PAGE", 25)     # many pages, many chances to fail
    shop.faults.set(kind, **rule)
    # when
    counts = run(merchant, bulk_threshold=bulk_threshold)
    faulted = snapshot(merchant)
    shop.faults.clear()
    ShopifyCustomer.objects.all().delete()
    ImportState.objects.all().delete()
    run(merchant)
    # then
    assert shop.faults.suffered.get(kind)
    assert (counts.created, counts.failed) == (shop.customers.pool_size, 0)
    assert faulted == snapshot(merchant)


def test_an_empty_answer_fails_the_run_and_keeps_the_watermark(merchant, shop):
    """HTTP 200 with {"data": {}} cannot be read: it is never the end of the customers."""
    run(merchant)
    watermark = ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS).watermark
    shop.faults.set("empty", probability=1.0)

    with pytest.raises(ShopifyGaveUp, match="incomplete"):
        run(merchant, client_settings=dataclasses.replace(FAST, max_attempts=2))

    assert ImportState.objects.get(merchant=merchant, kind=ImportState.Kind.CUSTOMERS).watermark == watermark


def test_an_unreadable_customer_fails_alone_with_its_reason(db):
    merchant = MerchantFactory()
    good = {"id": "gid://shopify/Customer/1", "legacyResourceId": "1", "createdAt": "2025-03-01T10:00:00Z",
            "updatedAt": "2025-03-01T10:00:00Z"}
    bad = {**good, "id": "gid://shopify/Customer/2", "legacyResourceId": "2", "updatedAt": "yesterday"}

    counts = import_customers(merchant=merchant, payloads=[good, bad], shop_country="FR")

    assert (counts.created, counts.failed) == (1, 1)
    assert counts.errors[0].shopify_id == "gid://shopify/Customer/2"
    assert "not a date and time" in counts.errors[0].reason


def test_queries_per_batch_do_not_grow_with_the_batch(merchant):
    """The same three queries for 3 customers and for 200, new or changed (the importer's own: what
    listens to it, the customer links, batches on its own)."""
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    customers = next(client.pages(document("CustomersUpdatedSince"), {"first": 203}, ("customers",)))
    changed = [{**c, "updatedAt": "2030-01-01T00:00:00Z"} for c in customers]
    counted = []
    for batch in (customers[:3], customers[3:], changed[:3], changed[3:]):
        with mute_signals(customers_imported), CaptureQueriesContext(connection) as queries:
            import_customers(merchant=merchant, payloads=batch, shop_country="FR")
        counted.append(len(queries))

    assert counted[0] == counted[1] and counted[2] == counted[3], counted
    assert max(counted) <= 5, counted   # a savepoint pair, the read, and the insert or the update


def test_a_merchant_user_sees_only_their_own_customers(db, login):


    mine, theirs = MerchantFactory(), MerchantFactory()
    for merchant, name in ((mine, "Mine"), (theirs, "Theirs")):
        import_customers(merchant=merchant, shop_country="FR", payloads=[{
            "id": f"gid://shopify/Customer/{merchant.pk}", "legacyResourceId": str(merchant.pk), "lastName": name,
            "createdAt": "2025-03-01T10:00:00Z", "updatedAt": "2025-03-01T10:00:00Z"}])
    client = login(merchant_user(mine))

    page = client.get(reverse("admin:shopify_shopifycustomer_changelist"))
    other = ShopifyCustomer.objects.get(merchant=theirs)

    assert page.status_code == 200
    assert "Mine" in page.content.decode() and "Theirs" not in page.content.decode()
    assert client.get(reverse("admin:shopify_shopifycustomer_change", args=[other.pk])).status_code in (302, 404)
