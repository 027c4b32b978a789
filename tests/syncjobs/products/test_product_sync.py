"""Report 30108 from Shopify, over HTTP against the simulator and on both accounting targets: the
catalog's variants are linked to items by the SKU mapping, unknown ones created when allowed or left
unmapped with the reason (the tile's rows), an item created from Shopify follows its product, a
second run changes nothing, faults end in the same links, and order lines find their items."""
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db.models import Count

from connectors.ledger.records import ItemData
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.errors import ShopifyError
from connectors.shopify.models import ShopifyOrderLine, ShopifyProduct
from connectors.shopify.order_sync import sync_orders
from syncjobs.products.models import VariantLink
from syncjobs.products.order_lines import items_of_lines
from syncjobs.products.sync import sync_products
from tests.fixtures.shopify_simulator import ShopifyHttp

pytestmark = pytest.mark.django_db(transaction=True)
FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=4, backoff_base=0.01, backoff_cap=0.05)


def catalog_skus(shop) -> dict[str, str]:
    """Variant GID -> SKU of every variant the simulator's shop holds but gift cards (no items)."""
    return {v.gid: v.sku or "" for p in shop.catalog.products() if not p.is_gift_card for v in p.variants}


def links(merchant) -> dict[str, tuple[str, str]]:
    return {gid: (item_no, reason) for gid, item_no, reason in
            VariantLink.objects.filter(merchant=merchant).values_list("shopify_gid", "item_no", "unmapped_reason")}


def test_without_auto_create_every_variant_is_unmapped_with_its_reason_and_the_tile_counts_them(merchant, books, shop):
    result = sync_products(merchant)

    held = links(merchant)
    assert set(held) == set(catalog_skus(shop))
    assert result.links.created == 0 and not books.item_numbers(merchant)
    sku, (item_no, reason) = next((catalog_skus(shop)[gid], held[gid]) for gid in held if catalog_skus(shop)[gid])
    assert item_no == "" and reason.startswith(f"no item has item no. {sku} (SKU mapping: item no.)")
    assert len(result.links.unmapped) == len(held)


def test_existing_items_are_mapped_by_sku_and_unknown_ones_created_once(merchant, books, shop):
    skus = sorted({sku for sku in catalog_skus(shop).values() if sku and len(sku) <= 20})
    books.create_items(merchant, [ItemData(number=skus[0], description="Known before the sync")])
    merchant.auto_create_unknown_items = True
    merchant.save()

    first = sync_products(merchant)
    second = sync_products(merchant)

    held = links(merchant)
    known = [gid for gid, sku in catalog_skus(shop).items() if sku == skus[0]]
    assert all(held[gid][0] == skus[0] for gid in known)
    assert first.links.created == len(books.item_numbers(merchant)) - 1 > 0
    assert all(item_no for item_no, _ in held.values())
    assert (second.links.created, second.links.mapped, second.imported.created) == (0, 0, 0)


def test_an_item_created_from_shopify_follows_its_products_price(merchant, books, shop, simulator):
    merchant.auto_create_unknown_items = True
    merchant.save()
    sync_products(merchant)
    product = (ShopifyProduct.objects.filter(merchant=merchant).annotate(count=Count("variants"))
               .filter(count=1).exclude(variants__sku="").order_by("pk").first())
    variant = product.variants.get()
    item_no = VariantLink.objects.get(merchant=merchant, shopify_gid=variant.shopify_gid).item_no

    ShopifyHttp(simulator, shop.access_token).control("POST", "products/update", shop=shop.domain,
                                                      id=product.shopify_gid, price="77.70")
    result = sync_products(merchant)

    assert books.get_items(merchant, [item_no])[item_no].unit_price == Decimal("77.70")
    assert result.links.updated == 1


def test_order_lines_find_their_items_by_the_same_mapping(merchant, books, shop):
    merchant.auto_create_unknown_items = True
    merchant.save()
    sync_orders(merchant=merchant)
    sync_products(merchant)
    lines = list(ShopifyOrderLine.objects.filter(merchant=merchant).exclude(sku="")[:50])

    found = items_of_lines(merchant, lines, target=books)

    by_sku = {sku: item_no for sku, item_no in VariantLink.objects.filter(merchant=merchant)
              .values_list("sku", "item_no")}
    assert lines and all(found[line.pk].item_no == by_sku.get(line.sku, found[line.pk].item_no) for line in lines)
    assert all(found[line.pk].item_no or found[line.pk].reason for line in lines)


def test_a_price_changed_in_the_ledger_reaches_shopify_in_one_request_and_nothing_else(merchant, books, shop):
    merchant.auto_create_unknown_items, merchant.sync_item_direction = True, "to_shopify"
    merchant.save()
    sync_products(merchant)
    link = VariantLink.objects.filter(merchant=merchant).exclude(item_no="").order_by("pk").first()
    item = books.get_items(merchant, [link.item_no])[link.item_no]
    books.update_items(merchant, [replace(item, unit_price=item.unit_price + Decimal("1.11"))])
    priced = set(VariantLink.objects.filter(merchant=merchant, item_no=link.item_no).values_list("shopify_gid",
                                                                                                flat=True))
    client = ShopifyClient.for_merchant(merchant)

    result = sync_products(merchant, client=client, only_prices=True)
    calls = client.stats.calls
    again = sync_products(merchant, client=client, only_prices=True)

    assert (result.exported.prices, calls) == (len(priced), 1)
    assert {v.price for p in shop.catalog.products() for v in p.variants if v.gid in priced} == {
        item.unit_price + Decimal("1.11")}
    assert (again.exported.prices, client.stats.calls) == (0, 1)


@pytest.mark.parametrize("kind", ["server_error", "drop", "malformed", "throttle"])
def test_faults_end_in_the_same_links_and_items_without_duplicates(merchant, books, shop, kind):
    merchant.auto_create_unknown_items = True
    merchant.save()
    shop.faults.set(kind, probability=0.25)
    try:
        sync_products(merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))
    except ShopifyError:
        pass   # a run that gave up is run again, as the queue would
    assert shop.faults.suffered.get(kind)
    shop.faults.clear()
    sync_products(merchant)

    skus = {sku for sku in catalog_skus(shop).values() if sku}
    without_sku = [gid for gid, sku in catalog_skus(shop).items() if not sku]
    held, items = links(merchant), books.item_numbers(merchant)
    assert set(held) == set(catalog_skus(shop)) and all(item_no for item_no, _ in held.values())
    # One item per SKU (numbered by it) and one per variant without a SKU (from the series), none twice.
    assert skus <= set(items) and len(items) == len(skus) + len(without_sku)


def test_gift_cards_are_no_items_to_map_and_their_order_lines_say_so(merchant, books, shop):
    merchant.auto_create_unknown_items = True
    merchant.save()
    sync_orders(merchant=merchant)
    sync_products(merchant)
    gift_cards = {v.gid for p in shop.catalog.products() if p.is_gift_card for v in p.variants}
    lines = list(ShopifyOrderLine.objects.filter(merchant=merchant, is_gift_card=True)[:5])

    found = items_of_lines(merchant, lines, target=books)

    assert gift_cards and not VariantLink.objects.filter(shopify_gid__in=gift_cards).exists()
    assert lines and {found[line.pk].reason for line in lines} == {
        "a gift card: no item needed, it goes to the gift card account"}
