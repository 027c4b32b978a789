"""Report 30108's export of products against the simulator: products created with their variants,
found again by their marker tag when an answer was lost (never made twice), updated, archived and
repriced in packed requests, each refusal failing only the record it names."""
from dataclasses import replace
from decimal import Decimal

import pytest
import requests
from graphql import parse, validate

from connectors.shopify import product_export
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.product_export import (
    PriceChange,
    ProductDraft,
    VariantDraft,
    create_products,
    pack_price_changes,
    price_document,
    set_statuses,
    status_document,
    update_prices,
    update_products,
)
from shopify_simulator.schema import admin_schema
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.product_writes import create_product, create_variants

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


def client_for(merchant, client_settings=FAST, **kwargs) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=client_settings, **kwargs)


def mug(number: int, **fields) -> ProductDraft:
    """A one-variant product, as an item without variants is sent."""
    variant = VariantDraft(sku=f"MUG-{number}", price=Decimal("12.50"), option_value="Default Title",
                           barcode=f"400000{number:04d}", unit_cost=Decimal("4.10"))
    return ProductDraft(**{"marker": f"syncsite-item-{number}", "title": f"Enamel mug {number}", "status": "ACTIVE",
                           "variants": (variant,), "vendor": "Syncsite Test", "product_type": "Mugs", **fields})


def shirt(number: int, colours=("Red", "Green", "Blue")) -> ProductDraft:
    variants = tuple(VariantDraft(sku=f"TEE-{number}-{colour[:3].upper()}", price=Decimal("20.00") + index,
                                  option_value=colour, compare_at_price=Decimal("30.00"), taxable=index != 1,
                                  unit_cost=Decimal("7.00"), tracked=index != 2)
                     for index, colour in enumerate(colours))
    return ProductDraft(marker=f"syncsite-item-{number}", title=f"T-shirt {number}", status="DRAFT",
                        variants=variants, option_name="Colour", description_html="<p>Cotton</p>")


def marked(shop, marker: str) -> list:
    return [p for p in shop.catalog.products() if marker in p.tags]


def variants_of(shop, gid: str) -> dict:
    product = shop.catalog.product(gid_number(gid, "Product"))
    return {v.sku: (v.option_values, v.barcode, v.price, v.compare_at_price, v.unit_cost, v.tracked, v.taxable)
            for v in product.variants}


class ArmedSession(requests.Session):
    """A transport that sets one simulator fault just before a chosen operation is sent: a fault
    for that request and no other."""

    def __init__(self, shop, operation: str, kind: str, **rule) -> None:
        super().__init__()
        self.shop, self.operation, self.kind, self.rule = shop, operation, kind, rule

    def post(self, url, json=None, **kwargs):
        if self.operation and (json or {}).get("operationName") == self.operation:
            self.operation = ""
            self.shop.faults.set(self.kind, next_requests=1, **self.rule)
        return super().post(url, json=json, **kwargs)


def test_created_products_read_back_with_their_variants(merchant, shop):
    """Title, status, vendor, tag, option and every variant's SKU, barcode, prices, cost and tracking."""
    # given
    drafts = [mug(1000), shirt(1001)]
    # when
    result = create_products(client_for(merchant), drafts)
    # then
    assert result.failed == {}
    assert set(result.done) == {"syncsite-item-1000", "syncsite-item-1001"}
    mug_gid, shirt_gid = result.done["syncsite-item-1000"].gid, result.done["syncsite-item-1001"].gid
    product = shop.catalog.product(gid_number(shirt_gid, "Product"))
    assert (product.title, product.status, product.options, product.tags, product.description_html) == (
        "T-shirt 1001", "DRAFT", ("Colour",), ("syncsite-item-1001",), "<p>Cotton</p>")
    assert variants_of(shop, shirt_gid) == {
        "TEE-1001-RED": (("Red",), None, Decimal("20.00"), Decimal("30.00"), Decimal("7.00"), True, True),
        "TEE-1001-GRE": (("Green",), None, Decimal("21.00"), Decimal("30.00"), Decimal("7.00"), True, False),
        "TEE-1001-BLU": (("Blue",), None, Decimal("22.00"), Decimal("30.00"), Decimal("7.00"), False, True),
    }
    assert variants_of(shop, mug_gid) == {
        "MUG-1000": (("Default Title",), "4000001000", Decimal("12.50"), None, Decimal("4.10"), True, True)}
    assert shop.catalog.product(gid_number(mug_gid, "Product")).has_only_default_variant
    assert result.done["syncsite-item-1001"].variant_gids == {
        v.sku: v.gid for v in shop.catalog.product(gid_number(shirt_gid, "Product")).variants}
    assert result.calls == 1 + 2 * 2            # one tag lookup, then productCreate + variants each


def test_a_draft_shopify_refuses_fails_alone_with_shopifys_words(merchant, shop):
    # given
    drafts = [mug(1010, title=" "), mug(1011), mug(1012, variants=(
        VariantDraft(sku="NEG-1", price=Decimal("-1"), option_value="Default Title"),))]
    # when
    result = create_products(client_for(merchant), drafts)
    # then
    assert set(result.done) == {"syncsite-item-1011"}
    assert result.failed["syncsite-item-1010"] == "Shopify refused the product: Title can't be blank (title)"
    assert result.failed["syncsite-item-1012"] == (
        "Shopify refused variant NEG-1: Price must be greater than or equal to 0 (price)")
    assert marked(shop, "syncsite-item-1010") == []


def test_a_draft_whose_skus_repeat_is_not_sent(merchant, shop):
    twice = VariantDraft(sku="SAME", price=Decimal("1"), option_value="A")
    result = create_products(client_for(merchant), [
        ProductDraft(marker="syncsite-item-1020", title="Twins", status="ACTIVE",
                     variants=(twice, VariantDraft(sku="SAME", price=Decimal("1"), option_value="B")))])
    assert "two variants have the SKU 'SAME'" in result.failed["syncsite-item-1020"]
    assert marked(shop, "syncsite-item-1020") == []


def test_a_create_whose_answer_was_lost_after_the_write_is_found_by_its_tag(merchant, shop, monkeypatch):
    """Shopify made the product, the answer never came (the client timed out): the product is found
    by its marker and completed with its variants, not made a second time."""
    # given
    monkeypatch.setattr(product_export, "LOST_SETTLE_SECONDS", 0.3)
    session = ArmedSession(shop, "ProductCreate", "slow", seconds=0.8)
    client = client_for(merchant, ClientSettings(read_timeout=0.4, max_attempts=3, backoff_base=0.01), session=session)
    # when
    result = create_products(client, [shirt(1030)])
    # then
    assert shop.faults.suffered == {"slow": 1}
    assert result.failed == {}
    (product,) = marked(shop, "syncsite-item-1030")
    assert result.done["syncsite-item-1030"].gid == product.gid
    assert sorted(v.sku for v in product.variants) == ["TEE-1030-BLU", "TEE-1030-GRE", "TEE-1030-RED"]


def test_variants_whose_answer_was_lost_are_not_created_twice(merchant, shop, monkeypatch):
    # given
    monkeypatch.setattr(product_export, "LOST_SETTLE_SECONDS", 0.3)
    session = ArmedSession(shop, "ProductVariantsBulkCreate", "slow", seconds=0.8)
    client = client_for(merchant, ClientSettings(read_timeout=0.4, max_attempts=3, backoff_base=0.01), session=session)
    # when
    result = create_products(client, [shirt(1040), mug(1041)])
    # then
    assert shop.faults.suffered == {"slow": 1} and result.failed == {}
    (product,) = marked(shop, "syncsite-item-1040")
    assert sorted(v.sku for v in product.variants) == ["TEE-1040-BLU", "TEE-1040-GRE", "TEE-1040-RED"]
    assert result.done["syncsite-item-1040"].variant_gids == {v.sku: v.gid for v in product.variants}


def test_a_create_lost_before_the_write_is_sent_again_once(merchant, shop):
    """A dropped request made nothing: after looking for it, the product is created once."""
    # given
    session = ArmedSession(shop, "ProductCreate", "drop")
    client = client_for(merchant, session=session, sleep=lambda seconds: None)
    # when
    result = create_products(client, [mug(1050)])
    # then
    assert shop.faults.suffered == {"drop": 1} and result.failed == {}
    assert len(marked(shop, "syncsite-item-1050")) == 1
    assert result.calls == 1 + 1 + product_export.LOST_LOOKUPS + 2      # lookup, lost create, lookups, create


def test_a_draft_created_in_an_earlier_run_is_completed_not_created_again(merchant, shop):
    # given
    client = client_for(merchant)
    first = create_products(client, [mug(1060), shirt(1061)])
    # when
    again = create_products(client, [mug(1060), shirt(1061)])
    # then
    assert again.done == first.done
    assert len(marked(shop, "syncsite-item-1060")) == len(marked(shop, "syncsite-item-1061")) == 1


@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.2}),
    ("drop", {"probability": 0.15}),
    ("malformed", {"probability": 0.15}),
    ("empty", {"probability": 0.2}),
    ("slow", {"probability": 0.1, "seconds": 0.5}),
])
def test_faults_still_end_in_exactly_one_product_per_draft(merchant, shop, kind, rule, monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    monkeypatch.setattr(product_export, "LOST_SETTLE_SECONDS", 0.3)
    client = client_for(merchant, ClientSettings(read_timeout=0.25 if kind == "slow" else 15, max_attempts=8,
                                                 backoff_base=0.01, backoff_cap=0.05))
    drafts = [mug(1100 + n) if n % 2 else shirt(1100 + n) for n in range(12)]
    shop.faults.set(kind, **rule)
    # when
    result = create_products(client, drafts)
    shop.faults.clear()
    again = create_products(client_for(merchant), drafts)
    # then
    assert shop.faults.suffered.get(kind)
    assert set(result.done) | set(result.failed) == {d.marker for d in drafts}
    assert all("lost twice" in reason for reason in result.failed.values())
    for draft in drafts:
        (product,) = marked(shop, draft.marker)
        assert sorted(v.sku for v in product.variants) == sorted(v.sku for v in draft.variants)
    assert again.failed == {} and {m: p.gid for m, p in again.done.items()} == {
        d.marker: marked(shop, d.marker)[0].gid for d in drafts}


def test_an_update_changes_the_fields_and_adds_and_removes_variants(merchant, shop):
    # given
    client = client_for(merchant)
    created = create_products(client, [shirt(1200)]).done["syncsite-item-1200"]
    red, green, _ = shirt(1200).variants
    wanted = ProductDraft(marker="syncsite-item-1200", title="T-shirt, organic", status="ACTIVE", option_name="Colour",
                          vendor="Other", product_type="Shirts", description_html="<p>Organic</p>", variants=(
                              VariantDraft(sku=red.sku, price=Decimal("25.00"), option_value="Red", barcode="123"),
                              green,
                              VariantDraft(sku="TEE-1200-BLK", price=Decimal("26.00"), option_value="Black")))
    # when
    result = update_products(client, [(created.gid, wanted, created.variant_gids)])
    # then
    assert result.failed == {}
    product = shop.catalog.product(gid_number(created.gid, "Product"))
    assert (product.title, product.status, product.vendor, product.product_type, product.description_html) == (
        "T-shirt, organic", "ACTIVE", "Other", "Shirts", "<p>Organic</p>")
    assert product.tags == ("syncsite-item-1200",)
    assert {sku: (v[0], v[1], v[2], v[3]) for sku, v in variants_of(shop, created.gid).items()} == {
        "TEE-1200-RED": (("Red",), "123", Decimal("25.00"), None),
        "TEE-1200-GRE": (("Green",), None, Decimal("21.00"), Decimal("30.00")),
        "TEE-1200-BLK": (("Black",), None, Decimal("26.00"), None),
    }
    done = result.done[created.gid]
    assert done.variant_gids == {v.sku: v.gid for v in product.variants}
    assert done.variant_gids["TEE-1200-RED"] == created.variant_gids["TEE-1200-RED"]   # kept, not remade


def test_an_update_that_replaces_every_variant_keeps_the_product(merchant, shop):
    """Shopify keeps at least one variant: the last old one goes as the new ones are created."""
    # given
    client = client_for(merchant)
    created = create_products(client, [shirt(1210), mug(1211)]).done
    tee, one = created["syncsite-item-1210"], created["syncsite-item-1211"]
    # when
    result = update_products(client, [
        (tee.gid, replace(shirt(1210), variants=tuple(VariantDraft(sku=f"NEW-{c}", price=Decimal("9"), option_value=c)
                                                     for c in ("Red", "Yellow"))), tee.variant_gids),
        (one.gid, mug(1211, variants=(VariantDraft(sku="MUG-NEW", price=Decimal("3"), option_value="Default Title"),)),
         one.variant_gids),
    ])
    # then
    assert result.failed == {}
    assert sorted(variants_of(shop, tee.gid)) == ["NEW-Red", "NEW-Yellow"]
    assert sorted(variants_of(shop, one.gid)) == ["MUG-NEW"]
    assert result.done[one.gid].variant_gids["MUG-NEW"] != one.variant_gids["MUG-1211"]


def test_an_update_shopify_refuses_fails_only_that_product(merchant, shop):
    client = client_for(merchant)
    created = create_products(client, [mug(1220), mug(1221)]).done
    first, second = created["syncsite-item-1220"], created["syncsite-item-1221"]
    result = update_products(client, [(first.gid, mug(1220, title=""), first.variant_gids),
                                      (second.gid, mug(1221, title="Renamed"), second.variant_gids)])
    assert set(result.done) == {second.gid}
    assert result.failed == {first.gid: "Shopify refused the product: Title can't be blank (title)"}
    assert shop.catalog.product(gid_number(second.gid, "Product")).title == "Renamed"


def test_statuses_are_set_and_an_unknown_product_fails_alone(merchant, shop):
    # given
    client = client_for(merchant)
    created = create_products(client, [mug(1300), mug(1301)]).done
    first, second = created["syncsite-item-1300"].gid, created["syncsite-item-1301"].gid
    # when
    result = set_statuses(client, {first: "ARCHIVED", second: "DRAFT", "gid://shopify/Product/999999999": "ACTIVE"})
    # then
    assert [shop.catalog.product(gid_number(g, "Product")).status for g in (first, second)] == ["ARCHIVED", "DRAFT"]
    assert set(result.done) == {first, second}
    assert result.failed == {
        "gid://shopify/Product/999999999": "Shopify refused the status: Product does not exist (id)"}
    assert result.calls == 1


def seed_products(simulator, shop, count: int, variants_each: int) -> list:
    """Products made directly in the simulator's store (quick set-up for the price tests)."""
    now = simulator.clock.now()
    made = []
    with shop.lock:
        for n in range(count):
            product = create_product(shop.catalog, shop.inventory, {"title": f"Seeded {variants_each}-{n}"}, [],
                                     now=now)
            create_variants(shop.catalog, shop.inventory, product, [
                {"optionValues": [{"optionName": "Size", "name": f"S{v}"}], "price": "10.00",
                 "inventoryItem": {"sku": f"SEED-{variants_each}-{n}-{v}"}} for v in range(variants_each)],
                remove_standalone=True, now=now)
            made.append(product)
    return made


@pytest.mark.parametrize("products, variants_each, expected_requests", [
    (600, 1, 6),        # 100 mutation fields (1,000 points) a request
    (120, 5, 3),        # 250 variants a request: 50 products
    (2, 300, 3),        # a product of 300 variants is split: 250 + 50 (+ 250 of the next) ...
], ids=["600 one-variant products", "120 five-variant products", "2 products of 300 variants"])
def test_prices_go_in_packed_requests_and_every_price_reads_back(merchant, simulator, shop, products, variants_each,
                                                                 expected_requests):
    # given
    seeded = seed_products(simulator, shop, products, variants_each)
    changes = [PriceChange(p.gid, v.gid, Decimal("10.00") + i % 7, Decimal("99.00") if i % 2 else None)
               for p in seeded for i, v in enumerate(p.variants)]
    before = shop.faults.requests
    # when
    result = update_prices(client_for(merchant), changes)
    # then
    assert (result.calls, shop.faults.requests - before) == (expected_requests, expected_requests)
    assert result.failed == {}
    for change in changes:
        variant = shop.catalog.variant(gid_number(change.variant_gid, "ProductVariant"))
        assert (variant.price, variant.compare_at_price) == (change.price, change.compare_at_price)
    assert {g: sorted(p.variant_gids.values()) for g, p in result.done.items()} == {
        p.gid: sorted(v.gid for v in p.variants) for p in seeded}


def test_the_promised_packing_for_ten_thousand_variants():
    """10,000 one-variant products in 100 requests; 2,000 products of 5 variants in 40."""
    one = [PriceChange(f"gid://shopify/Product/{n}", f"gid://shopify/ProductVariant/{n}", Decimal(1))
           for n in range(10_000)]
    five = [PriceChange(f"gid://shopify/Product/{n // 5}", f"gid://shopify/ProductVariant/{n}", Decimal(1))
            for n in range(10_000)]
    assert len(list(pack_price_changes(one))) == 100
    packed = list(pack_price_changes(five))
    assert len(packed) == 40 and all(sum(len(part) for _, part in request) == 250 for request in packed)


def test_price_refusals_fail_only_the_variants_and_products_they_name(merchant, simulator, shop):
    # given
    first, second = seed_products(simulator, shop, 2, 3)
    missing = "gid://shopify/Product/999999999"
    changes = [PriceChange(first.gid, first.variants[0].gid, Decimal("5.00")),
               PriceChange(first.gid, first.variants[1].gid, Decimal("-5.00")),
               PriceChange(second.gid, second.variants[0].gid, Decimal("6.00")),
               PriceChange(missing, "gid://shopify/ProductVariant/999999998", Decimal("7.00"))]
    # when
    result = update_prices(client_for(merchant), changes)
    # then
    assert result.calls == 1
    assert result.failed == {
        first.variants[1].gid: "Shopify refused the price: Price must be greater than or equal to 0 (variants.1.price)",
        missing: "Shopify refused the prices: Product does not exist (productId)",
        "gid://shopify/ProductVariant/999999998": "Shopify refused the price: Product does not exist (productId)",
    }
    assert set(result.done) == {first.gid, second.gid}
    assert [v.price for v in first.variants] == [Decimal("5.00"), Decimal("10.00"), Decimal("10.00")]
    assert second.variants[0].price == Decimal("6.00")


@pytest.mark.parametrize("count", [1, 2, 57, 100])
def test_the_generated_documents_validate_against_the_schema(count):
    for made in (price_document(count), status_document(count)):
        assert validate(admin_schema(), parse(made.text)) == []
        assert made.text.count(": productVariantsBulkUpdate(") + made.text.count(": productUpdate(") == count


def test_more_mutation_fields_than_one_request_takes_are_refused():
    with pytest.raises(ValueError, match="101 mutation fields"):
        price_document(101)
