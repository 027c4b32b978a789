"""Report 30107 over HTTP against the simulator, on both accounting targets: pictures go the way
the shop card says, only when their content changed, and a second run with nothing changed moves
no picture."""
import hashlib
from decimal import Decimal

import pytest

from connectors.ledger.records import ItemData, PictureData
from connectors.shopify.client import ShopifyClient
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.media import image_bytes
from syncjobs.products.models import ProductLink
from syncjobs.products.shop_items import add_items
from syncjobs.products.sync import sync_images, sync_products
from tests.fixtures.shopify_simulator import ShopifyHttp

pytestmark = pytest.mark.django_db(transaction=True)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def png(seed: int) -> bytes:
    return PNG + bytes([seed]) * 16


def test_item_pictures_go_to_their_products_only_when_they_changed(merchant, books, shop):
    merchant.sync_item_direction, merchant.sync_item_images = "to_shopify", "to_shopify"
    merchant.save()
    books.create_items(merchant, [ItemData(number="MUG", description="Mug", unit_price=Decimal("9.00"))])
    add_items(merchant, None, target=books)
    sync_products(merchant)
    books.set_item_pictures(merchant, {"MUG": PictureData(png(1), "image/png", "mug.png")})

    first = sync_images(merchant)
    product = shop.catalog.product(gid_number(ProductLink.objects.get(item_no="MUG").shopify_gid, "Product"))
    first_image = shop.catalog.image(product.image_ids[-1])
    client = ShopifyClient.for_merchant(merchant)
    unchanged = sync_images(merchant, client=client)
    books.set_item_pictures(merchant, {"MUG": PictureData(png(2), "image/png", "mug.png")})
    second = sync_images(merchant)

    assert (first.sent, first.failed) == (1, []) and image_bytes(first_image) == png(1)
    assert (unchanged.sent, unchanged.unchanged, client.stats.calls) == (0, 1, 0)
    assert second.sent == 1
    assert [image_bytes(shop.catalog.image(i)) for i in product.image_ids] == [png(2)]


def test_product_pictures_come_to_their_items_once_and_again_when_shopify_changes_one(merchant, books, shop,
                                                                                     simulator):
    merchant.auto_create_unknown_items, merchant.sync_item_images = True, "from_shopify"
    merchant.save()
    sync_products(merchant)
    link = ProductLink.objects.filter(merchant=merchant).exclude(item_no="").order_by("pk").first()
    product = shop.catalog.product(gid_number(link.shopify_gid, "Product"))

    first = sync_images(merchant)
    shown_first = image_bytes(shop.catalog.image(product.image_ids[0]))
    held_first = books.item_picture_hashes(merchant, [link.item_no])
    again = sync_images(merchant)
    ShopifyHttp(simulator, shop.access_token).control("POST", "products/update", shop=shop.domain,
                                                      id=link.shopify_gid, new_image=True)
    sync_products(merchant)
    changed = sync_images(merchant)

    shown_now = image_bytes(shop.catalog.image(product.image_ids[0]))
    assert first.received > 0 and first.failed == []
    assert held_first == {link.item_no: hashlib.sha256(shown_first).hexdigest()}
    assert (again.received, again.unchanged) == (0, again.read)
    assert changed.received == 1 and shown_now != shown_first
    assert books.item_picture_hashes(merchant, [link.item_no]) == {link.item_no: hashlib.sha256(shown_now).hexdigest()}
