"""Report 30108's import of products against the simulator: every product with every variant,
incremental, fault-tolerant, by pages or by a bulk export that a killed import resumes, and on
demand by GID for the products an order sells."""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import mute_signals

from connectors.shopify import product_sync
from connectors.shopify.bulk import start_bulk_export
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.importers.products import import_products
from connectors.shopify.models import ImportState, ShopifyProduct, ShopifyVariant
from connectors.shopify.product_sync import import_products_by_gid, sync_products
from connectors.shopify.signals import products_imported
from shopify_simulator.store.product_view import product_view
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shopify_simulator import ShopifyHttp

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)
PRODUCTS = ImportState.Kind.PRODUCTS


def run(merchant, bulk_threshold=10_000, client_settings=FAST, **kwargs):
    client = ShopifyClient.for_merchant(merchant, client_settings=client_settings)
    return sync_products(merchant=merchant, client=client, bulk_threshold=bulk_threshold, **kwargs)


def snapshot(merchant) -> dict:
    """Every imported product's fields but the import's own times, with its variants', by GID."""
    skip = {"id", "merchant", "imported_at", "updated_at"}
    names = [f.attname for f in ShopifyProduct._meta.concrete_fields if f.name not in skip]
    variant_names = [f.attname for f in ShopifyVariant._meta.concrete_fields if f.name not in ("id", "product")]
    products = {row.pop("id"): row for row in ShopifyProduct.objects.filter(merchant=merchant).values("id", *names)}
    for product in products.values():
        product["variants"] = []
    for row in ShopifyVariant.objects.filter(product__merchant=merchant).order_by("position", "shopify_gid").values(
            "product_id", *variant_names):
        products[row.pop("product_id")]["variants"].append(row)
    return {row["shopify_gid"]: row for row in products.values()}


def served(shop) -> dict:
    """What the simulator serves: each product's GID with its variants' GIDs, in position order."""
    return {p.gid: [v.gid for v in p.variants] for p in shop.catalog.products()}


def imported(merchant) -> dict:
    return {gid: [v["shopify_gid"] for v in row["variants"]] for gid, row in snapshot(merchant).items()}


def remove_variant(shop, product, variant) -> None:
    """A variant deleted in the Shopify admin: it leaves its product, whose updatedAt moves."""
    with shop.lock:
        product.variants.remove(variant)
        shop.catalog.remove_variant(variant)
        product.updated = shop.clock.now()


@pytest.fixture
def http(simulator, shop):
    return ShopifyHttp(simulator, shop.access_token)



def test_the_first_import_reads_every_product_and_variant_the_shop_holds(merchant, shop):
    # given
    heard = []
    # when
    counts = run(merchant, expect=heard.append)
    # then
    catalog = served(shop)
    assert heard == [len(catalog)]
    assert (counts.read, counts.created, counts.updated, counts.failed) == (len(catalog), len(catalog), 0, 0)
    assert imported(merchant) == catalog
    assert not shop.bulk_operations
    assert ImportState.objects.get(merchant=merchant, kind=PRODUCTS).watermark is not None


def test_a_product_arrives_as_shopify_serves_it_with_its_variants_options_and_costs(merchant, shop):
    # given
    product = max(shop.catalog.products(), key=lambda p: len(p.variants))
    view = product_view(shop, product)
    image = view["featuredMedia"](None)
    # when
    run(merchant)
    # then
    row = ShopifyProduct.objects.get(merchant=merchant, shopify_gid=product.gid)
    assert (row.title, row.handle, row.status, row.vendor, row.product_type, row.tags) == (
        view["title"], view["handle"], view["status"], view["vendor"], view["productType"], view["tags"])
    assert (row.legacy_id, row.image_gid, row.image_url) == (product.id, image["id"], image["image"]["url"])
    variants = list(row.variants.order_by("position"))
    assert len(variants) == len(product.variants) > 1
    for variant, source in zip(variants, product.variants):
        assert (variant.shopify_gid, variant.sku or None, variant.barcode or None, variant.price) == (
            source.gid, source.sku, source.barcode, source.price)
        assert (variant.compare_at_price, variant.unit_cost, variant.tracked, variant.taxable) == (
            source.compare_at_price, source.unit_cost, source.tracked, source.taxable)
        assert variant.option_values == [{"name": name, "value": value}
                                         for name, value in zip(product.options, source.option_values)]
        assert (variant.title, variant.inventory_item_gid) == (source.title, source.inventory_item_gid)


def test_a_second_run_with_nothing_changed_writes_nothing_and_moves_the_watermark(merchant, shop):
    # given
    run(merchant)
    state = ImportState.objects.get(merchant=merchant, kind=PRODUCTS)
    before = snapshot(merchant)
    written = dict(ShopifyProduct.objects.filter(merchant=merchant).values_list("shopify_gid", "updated_at"))
    # when
    with CaptureQueriesContext(connection) as queries:
        counts = run(merchant)
    # then: the overlap reads them again, and nothing is written
    assert (counts.created, counts.updated, counts.failed) == (0, 0, 0)
    assert counts.skipped == counts.read
    assert snapshot(merchant) == before
    assert dict(ShopifyProduct.objects.filter(merchant=merchant).values_list("shopify_gid", "updated_at")) == written
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "DELETE"))
                or ('UPDATE "shopify_shopifyproduct"' in q["sql"])]
    assert ImportState.objects.get(merchant=merchant, kind=PRODUCTS).watermark > state.watermark


def test_a_product_changed_in_shopify_is_updated_with_its_variants_and_a_removed_one_disappears(merchant, shop, http):
    # given
    run(merchant)
    product = next(p for p in shop.catalog.products() if len(p.variants) > 1)
    kept, removed = product.variants[0], product.variants[-1]
    http.control("POST", "products/update", shop=shop.domain, id=product.gid, title="Renamed in Shopify",
                 price="12.34", variant_id=kept.gid)
    remove_variant(shop, product, removed)
    # when
    counts = run(merchant)
    # then
    assert (counts.updated, counts.created, counts.failed) == (1, 0, 0)
    row = ShopifyProduct.objects.get(merchant=merchant, shopify_gid=product.gid)
    assert row.title == "Renamed in Shopify"
    assert [v.shopify_gid for v in row.variants.order_by("position")] == [v.gid for v in product.variants]
    assert not ShopifyVariant.objects.filter(shopify_gid=removed.gid).exists()
    assert str(row.variants.get(shopify_gid=kept.gid).price) == "12.34"
    assert imported(merchant) == served(shop)


def test_a_product_created_in_shopify_is_imported_by_the_next_run(merchant, shop, http):
    # given
    run(merchant)
    created = http.run_text("""mutation($product: ProductCreateInput!) { productCreate(product: $product) {
        product { id } userErrors { message } } }""", product={"title": "Gift Wrap"})["productCreate"]["product"]
    # when
    counts = run(merchant)
    # then
    assert (counts.created, counts.failed) == (1, 0)
    row = ShopifyProduct.objects.get(merchant=merchant, shopify_gid=created["id"])
    assert row.title == "Gift Wrap" and row.variants.count() == 1


def test_a_product_with_more_variants_than_a_page_nests_gets_all_of_them(large_merchant, large_catalog, monkeypatch):
    # given: the rest of a product's variants take several pages
    monkeypatch.setattr(product_sync, "VARIANTS_PER_FOLLOW", 4)
    shop = large_catalog.shops[0]
    assert max(len(p.variants) for p in shop.catalog.products()) > product_sync.VARIANTS_PER_PAGE + 4
    # when
    counts = run(large_merchant)
    # then
    assert (counts.created, counts.failed) == (shop.catalog.product_count(), 0)
    assert imported(large_merchant) == served(shop)
    assert ShopifyVariant.objects.filter(product__merchant=large_merchant).count() == shop.catalog.variant_count()


def test_every_page_asks_less_than_a_query_may_cost(large_catalog):
    """A page of products and a page of further variants each ask under 1,000 points, what one query
    may cost and a basic shop's bucket holds."""
    http = ShopifyHttp(large_catalog, large_catalog.shops[0].access_token)
    product = next(p for p in large_catalog.shops[0].catalog.products() if len(p.variants) > 8)
    asked = {
        "ProductsUpdatedSince": {"first": product_sync.PRODUCTS_PER_PAGE, "variants": product_sync.VARIANTS_PER_PAGE},
        "ProductsByIds": {"ids": [p.gid for p in list(large_catalog.shops[0].catalog.products())[:25]],
                          "variants": product_sync.VARIANTS_PER_PAGE},
        "ProductVariantsPage": {"id": product.gid, "first": product_sync.VARIANTS_PER_FOLLOW},
        "ProductDetail": {"id": product.gid, "variants": product_sync.VARIANTS_PER_PAGE},
    }
    assert len(asked["ProductsByIds"]["ids"]) == product_sync.PRODUCTS_PER_PAGE
    for name, variables in asked.items():
        body = http.post(document(name).text, variables).json()
        assert "errors" not in body, (name, body)
        assert body["extensions"]["cost"]["requestedQueryCost"] <= 1000, name


def test_a_bulk_first_import_brings_the_same_rows_as_paging(large_merchant, large_catalog):
    # given
    shop = large_catalog.shops[0]
    exports = len(shop.bulk_operations)
    # when
    bulk = run(large_merchant, bulk_threshold=0)
    by_bulk = snapshot(large_merchant)
    ShopifyProduct.objects.all().delete()
    ImportState.objects.all().delete()
    paged = run(large_merchant)
    # then
    assert (bulk.created, bulk.failed) == (shop.catalog.product_count(), 0)
    assert len(shop.bulk_operations) == exports + 1
    assert by_bulk == snapshot(large_merchant) and paged.created == len(by_bulk)
    state = ImportState.objects.get(merchant=large_merchant, kind=PRODUCTS)
    assert state.watermark is not None and state.bulk_operation_gid == ""


def test_an_import_killed_while_the_export_ran_resumes_the_same_export(merchant, shop):
    # given
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    gid = start_bulk_export(client, document("ProductsBulkExport"))    # ... and then the worker died
    ImportState.objects.create(merchant=merchant, kind=PRODUCTS, bulk_operation_gid=gid,
                               bulk_operation_status="RUNNING", bulk_started_at="2025-03-12T00:00:00Z")
    # when
    counts = run(merchant, bulk_threshold=0)
    # then
    assert counts.created == shop.catalog.product_count()
    assert list(shop.bulk_operations) == [gid]
    assert imported(merchant) == served(shop)
    state = ImportState.objects.get(merchant=merchant, kind=PRODUCTS)
    assert (state.bulk_operation_gid, state.bulk_operation_status) == ("", "")


class WorkerKilled(BaseException):
    """What a worker killed mid-import amounts to: nothing after it runs."""


def test_an_import_killed_while_reading_the_export_resumes_it_without_duplicates(merchant, shop, monkeypatch):
    # given: the first batch of the export is in when the worker dies
    monkeypatch.setattr(product_sync, "BULK_BATCH", 4)

    def die(counts):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        run(merchant, bulk_threshold=0, progress=die)
    state = ImportState.objects.get(merchant=merchant, kind=PRODUCTS)
    assert state.bulk_operation_gid and state.watermark is None
    assert ShopifyProduct.objects.filter(merchant=merchant).count() == 4
    # when
    counts = run(merchant, bulk_threshold=0)
    # then
    total = shop.catalog.product_count()
    assert (counts.created, counts.skipped) == (total - 4, 4)
    assert imported(merchant) == served(shop)
    assert len(shop.bulk_operations) == 1


@pytest.mark.parametrize("bulk_threshold", [10_000, 0], ids=["pages", "bulk"])
@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.2}),
    ("drop", {"probability": 0.1}),
    ("malformed", {"probability": 0.1}),
    ("empty", {"probability": 0.2}),
])
def test_faults_still_end_in_the_same_products_without_duplicates(merchant, shop, kind, rule, bulk_threshold,
                                                                  monkeypatch):
    # given: many small pages, many chances to fail
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    monkeypatch.setattr(product_sync, "PRODUCTS_PER_PAGE", 2)
    monkeypatch.setattr(product_sync, "VARIANTS_PER_PAGE", 1)
    monkeypatch.setattr(product_sync, "VARIANTS_PER_FOLLOW", 1)
    shop.faults.set(kind, **rule)
    # when
    counts = run(merchant, bulk_threshold=bulk_threshold)
    faulted = snapshot(merchant)
    shop.faults.clear()
    ShopifyProduct.objects.all().delete()
    ImportState.objects.all().delete()
    run(merchant)
    # then
    assert shop.faults.suffered.get(kind)
    assert (counts.created, counts.failed) == (shop.catalog.product_count(), 0)
    assert faulted == snapshot(merchant)
    assert imported(merchant) == served(shop)


def test_an_empty_answer_fails_the_run_and_keeps_the_watermark(merchant, shop):
    """HTTP 200 with {"data": {}} cannot be read: it is never the end of the products."""
    run(merchant)
    watermark = ImportState.objects.get(merchant=merchant, kind=PRODUCTS).watermark
    shop.faults.set("empty", probability=1.0)

    with pytest.raises(ShopifyGaveUp, match="incomplete"):
        run(merchant, client_settings=dataclasses.replace(FAST, max_attempts=2))

    assert ImportState.objects.get(merchant=merchant, kind=PRODUCTS).watermark == watermark


def test_products_are_imported_on_demand_by_gid_and_unknown_ones_skipped(merchant, shop, monkeypatch):
    # given: more ids than a request takes, one unknown, one not a product's, and answers that null every node
    monkeypatch.setattr(product_sync, "PRODUCTS_PER_PAGE", 3)
    monkeypatch.setattr(product_sync, "VARIANTS_PER_PAGE", 1)
    wanted = [p.gid for p in shop.catalog.products()][:7]
    unknown = "gid://shopify/Product/1"
    shop.faults.set("null_nodes", next_requests=1)
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    # when
    counts = import_products_by_gid(merchant=merchant, client=client,
                                    gids=[*wanted, unknown, wanted[0], "gid://shopify/ProductVariant/5"])
    # then
    assert shop.faults.suffered.get("null_nodes") == 1
    assert (counts.created, counts.skipped, counts.failed) == (7, 2, 0)
    assert {r.shopify_id for r in counts.skipped_records} == {unknown, "gid://shopify/ProductVariant/5"}
    catalog = served(shop)
    assert imported(merchant) == {gid: catalog[gid] for gid in wanted}
    assert not ImportState.objects.filter(merchant=merchant, kind=PRODUCTS).exists()


def test_an_on_demand_import_writes_in_batches_of_at_most_250(merchant, shop, monkeypatch):
    # given
    monkeypatch.setattr(product_sync, "BY_GID_BATCH", 4)
    batches = []

    def heard(sender, *, merchant_id, product_ids, **kwargs):
        batches.append(len(product_ids))

    products_imported.connect(heard)
    # when
    try:
        import_products_by_gid(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST),
                               gids=list(served(shop)))
    finally:
        products_imported.disconnect(heard)
    # then
    total = shop.catalog.product_count()
    assert product_sync.BY_GID_BATCH <= 250 and sum(batches) == total and max(batches) == 4
    assert len(batches) == -(-total // 4)


def test_an_unreadable_product_fails_alone_with_its_reason(db):
    """A value the schema promises, missing, is that product's failure: never "no variants"."""
    merchant = MerchantFactory()
    variant = {"id": "gid://shopify/ProductVariant/11", "legacyResourceId": "11", "title": "Default Title",
               "position": 1, "sku": "MUG-1", "barcode": None, "price": "9.50", "compareAtPrice": None,
               "taxable": True, "updatedAt": "2025-03-01T10:00:00Z", "selectedOptions": [],
               "inventoryItem": {"id": "gid://shopify/InventoryItem/21", "tracked": True, "unitCost": None}}
    good = {"id": "gid://shopify/Product/1", "legacyResourceId": "1", "title": "Mug", "handle": "mug",
            "status": "ACTIVE", "vendor": "Acme", "productType": "Home", "isGiftCard": False, "tags": [],
            "featuredMedia": None, "createdAt": "2025-03-01T10:00:00Z", "updatedAt": "2025-03-01T10:00:00Z",
            "variants": {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": [variant]}}
    bad = {
        "gid://shopify/Product/2": {**good, "variants": None},
        "gid://shopify/Product/3": {**good, "updatedAt": "yesterday"},
        "gid://shopify/Product/4": {**good, "variants": {"pageInfo": {"hasNextPage": True, "endCursor": "x"},
                                                         "nodes": [variant]}},
        "gid://shopify/Product/5": {**good, "variants": {"nodes": [{**variant, "price": None}]}},
        "gid://shopify/Product/6": {**good, "variants": {"nodes": []}},
    }
    payloads = [good, *({**payload, "id": gid} for gid, payload in bad.items())]

    counts = import_products(merchant=merchant, payloads=payloads)

    assert (counts.created, counts.failed) == (1, 5)
    reasons = {error.shopify_id: error.reason for error in counts.errors}
    assert "variants is missing" in reasons["gid://shopify/Product/2"]
    assert "not a date and time" in reasons["gid://shopify/Product/3"]
    assert "past the first page were not read" in reasons["gid://shopify/Product/4"]
    assert "variants[0].price is missing" in reasons["gid://shopify/Product/5"]
    assert "no variant" in reasons["gid://shopify/Product/6"]
    assert list(ShopifyProduct.objects.filter(merchant=merchant).values_list("shopify_gid", flat=True)) == [good["id"]]


def test_queries_per_batch_do_not_grow_with_the_batch(large_merchant, large_catalog):
    """The same queries for 3 products and for 37, new or changed (what listens to the import, the
    product links, batches on its own)."""
    client = ShopifyClient.for_merchant(large_merchant, client_settings=FAST)
    pages = client.pages(document("ProductsUpdatedSince"), {"first": 10, "variants": 20}, ("products",))
    products = [product for page in pages for product in page]
    assert len(products) == 40 and not any(p["variants"]["pageInfo"]["hasNextPage"] for p in products)
    changed = [{**p, "updatedAt": "2030-01-01T00:00:00Z"} for p in products]
    counted = []
    for batch in (products[:3], products[3:], changed[:3], changed[3:]):
        with mute_signals(products_imported), CaptureQueriesContext(connection) as queries:
            counts = import_products(merchant=large_merchant, payloads=batch)
        assert counts.failed == 0, counts.errors
        counted.append(len(queries))

    assert counted[0] == counted[1] and counted[2] == counted[3], counted
    assert max(counted) <= 7, counted   # a savepoint pair, the read, ids, the inserts, or update + delete + insert


def test_products_imported_names_the_new_and_changed_products(merchant, shop, http):
    # given
    heard = []

    def listener(sender, *, merchant_id, product_ids, **kwargs):
        heard.append((merchant_id, sorted(product_ids)))

    products_imported.connect(listener)
    try:
        run(merchant)
        first = sorted(ShopifyProduct.objects.filter(merchant=merchant).values_list("pk", flat=True))
        product = next(shop.catalog.products())
        http.control("POST", "products/update", shop=shop.domain, id=product.gid, title="Changed")
        # when
        run(merchant)
    finally:
        products_imported.disconnect(listener)
    # then
    changed = ShopifyProduct.objects.get(merchant=merchant, shopify_gid=product.gid).pk
    assert heard == [(merchant.pk, first), (merchant.pk, [changed])]


def test_a_merchant_user_sees_only_their_own_products(db, login):
    # given
    mine, theirs = MerchantFactory(), MerchantFactory()
    for merchant, title in ((mine, "Mine"), (theirs, "Theirs")):
        import_products(merchant=merchant, payloads=[{
            "id": f"gid://shopify/Product/{merchant.pk}", "legacyResourceId": str(merchant.pk), "title": f"{title} mug",
            "handle": "mug", "status": "ACTIVE", "vendor": "", "productType": "", "isGiftCard": False, "tags": [],
            "createdAt": "2025-03-01T10:00:00Z", "updatedAt": "2025-03-01T10:00:00Z", "variants": {"nodes": [{
                "id": f"gid://shopify/ProductVariant/{merchant.pk}", "legacyResourceId": str(merchant.pk),
                "title": "Default Title", "position": 1, "sku": f"{title.upper()}-SKU", "price": "5.00",
                "taxable": True, "updatedAt": "2025-03-01T10:00:00Z", "selectedOptions": [],
                "inventoryItem": {"id": f"gid://shopify/InventoryItem/{merchant.pk}", "tracked": True}}]}}])
    client = login(merchant_user(mine))
    own_product, other = ShopifyProduct.objects.get(merchant=mine), ShopifyProduct.objects.get(merchant=theirs)
    # when
    page = client.get(reverse("admin:shopify_shopifyproduct_changelist"))
    own = client.get(reverse("admin:shopify_shopifyproduct_change", args=[own_product.pk]))
    # then
    assert page.status_code == 200
    assert "Mine mug" in page.content.decode() and "Theirs mug" not in page.content.decode()
    assert own.status_code == 200 and "MINE-SKU" in own.content.decode()
    assert client.get(reverse("admin:shopify_shopifyproduct_change", args=[other.pk])).status_code in (302, 404)
