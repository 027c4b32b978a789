"""Report 30107's export of pictures against the simulator: a picture downloaded, uploaded to staged
storage, shown on the product, the old one taken off and gone; a file that is not a picture refused
in plain words."""
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from connectors.shopify import product_images
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.product_export import ProductDraft, VariantDraft, create_products
from connectors.shopify.product_images import (
    Picture,
    PictureNotAnImage,
    PictureRejected,
    PictureUnreadable,
    download_image,
    replace_product_image,
)
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.media import solid_png
from shopify_simulator.store.product_view import image_url as url_of

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


@pytest.fixture
def client(merchant):
    return ShopifyClient.for_merchant(merchant, client_settings=FAST)


@pytest.fixture
def product_gid(client) -> str:
    draft = ProductDraft(marker="syncsite-item-2000", title="Framed print", status="ACTIVE", variants=(
        VariantDraft(sku="PRINT-1", price=Decimal("40"), option_value="Default Title"),))
    return create_products(client, [draft]).done["syncsite-item-2000"].gid


@pytest.fixture
def picture_server():
    """A web server with a picture, an HTML page and a picture behind one 503, as the ledger's files."""
    failures = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/flaky.png" and failures["count"] < 1:
                failures["count"] += 1
                return self._answer(503, b"busy", "text/plain")
            if self.path in ("/print.png", "/flaky.png"):
                return self._answer(200, solid_png((200, 10, 10), 16), "image/png")
            if self.path == "/page.png":      # named like a picture, an HTML page all the same
                return self._answer(200, b"<html><body>Sign in</body></html>", "text/html; charset=utf-8")
            return self._answer(404, b"not found", "text/plain")

        def _answer(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def image_url(shop, product_gid: str) -> str:
    product = shop.catalog.product(gid_number(product_gid, "Product"))
    return url_of(shop, shop.catalog.image(product.image_ids[0]))


def test_a_replaced_picture_changes_the_products_image_and_the_old_one_is_gone(client, shop, product_gid,
                                                                              picture_server):
    # given
    first = replace_product_image(client, product_gid, download_image(f"{picture_server}/print.png"), alt="Print")
    old_url = image_url(shop, product_gid)
    # when
    second = replace_product_image(client, product_gid, Picture(solid_png((0, 90, 200), 16), "image/png", "new.png"),
                                   alt="Print, blue", old_media_gid=first)
    # then
    product = shop.catalog.product(gid_number(product_gid, "Product"))
    assert [shop.catalog.image(i).gid for i in product.image_ids] == [second]
    new_url = image_url(shop, product_gid)
    assert new_url != old_url
    assert requests.get(old_url, timeout=10).status_code == 404
    answer = requests.get(new_url, timeout=10)
    assert (answer.status_code, answer.content) == (200, solid_png((0, 90, 200), 16))
    assert shop.catalog.image(gid_number(second, "MediaImage")).alt == "Print, blue"


def test_an_old_picture_can_be_kept_in_the_files_and_upload_by_put_works(client, shop, product_gid, monkeypatch):
    # given
    monkeypatch.setattr(product_images, "UPLOAD_METHOD", "PUT")
    first = replace_product_image(client, product_gid, Picture(solid_png((1, 1, 1), 8), "image/png", "a.png"))
    # when
    second = replace_product_image(client, product_gid, Picture(solid_png((2, 2, 2), 8), "image/png", "b.png"),
                                   old_media_gid=first, keep_old_file=True)
    # then
    product = shop.catalog.product(gid_number(product_gid, "Product"))
    kept = shop.catalog.image(gid_number(first, "MediaImage"))
    assert [shop.catalog.image(i).gid for i in product.image_ids] == [second]
    assert kept is not None and kept.product_ids == []


def test_a_picture_shopify_fails_is_refused_and_the_old_one_stays(client, shop, product_gid):
    # given
    first = replace_product_image(client, product_gid, Picture(solid_png((3, 3, 3), 8), "image/png", "a.png"))
    # when
    with pytest.raises(PictureRejected, match="not a PNG, JPEG, GIF or WebP"):
        replace_product_image(client, product_gid, Picture(b"%PDF-1.7 not a picture", "image/png", "b.png"),
                              old_media_gid=first)
    # then
    product = shop.catalog.product(gid_number(product_gid, "Product"))
    assert [shop.catalog.image(i).gid for i in product.image_ids] == [first]


def test_a_download_that_is_not_a_picture_fails_clearly(picture_server):
    with pytest.raises(PictureNotAnImage) as raised:
        download_image(f"{picture_server}/page.png")
    assert str(raised.value) == (f"the file at {picture_server}/page.png is not a picture Shopify takes (PNG, JPEG, "
                                 "GIF or WebP); it is text/html")


def test_a_download_is_retried_after_a_server_error_and_a_missing_file_is_named(picture_server):
    picture = download_image(f"{picture_server}/flaky.png", sleep=lambda seconds: None)
    assert (picture.content_type, picture.filename) == ("image/png", "flaky.png")
    assert picture.content == solid_png((200, 10, 10), 16)
    with pytest.raises(PictureUnreadable, match="missing.png could not be read: HTTP 404"):
        download_image(f"{picture_server}/missing.png")
