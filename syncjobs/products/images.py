"""Report 30107 Sync Images, in the direction the shop card sets: an item's picture goes to its
product, or a product's picture to its item, only when its content changed (a SHA-256 of the bytes
both sides last agreed on, kept on the product link). Pictures are read a few at a time: memory
stays flat however many products there are."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from connectors.ledger.records import PictureData
from connectors.shopify.errors import ShopifyError
from connectors.shopify.models import ShopifyProduct
from connectors.shopify.product_images import Picture, download_image, replace_product_image
from merchants.models import SyncImages
from syncjobs.products.models import ProductLink

BATCH = 250
PICTURES_AT_ONCE = 20


@dataclass
class ImageCounts:
    read: int = 0              # products looked at
    sent: int = 0              # pictures sent to Shopify
    received: int = 0          # pictures given to items
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)   # (item no., why)


def sync_images(merchant, *, target, client) -> ImageCounts:
    counts = ImageCounts()
    if not merchant.sync_item_images:
        return counts
    links = (ProductLink.objects.filter(merchant=merchant, removed_at__isnull=True).exclude(item_no="")
             .exclude(shopify_gid="").order_by("pk"))
    last = 0
    while True:
        batch = list(links.filter(pk__gt=last)[:BATCH])
        if not batch:
            return counts
        last = batch[-1].pk
        counts.read += len(batch)
        if merchant.sync_item_images == SyncImages.TO_SHOPIFY:
            _send(merchant, batch, target=target, client=client, counts=counts)
        else:
            _receive(merchant, batch, target=target, counts=counts)


def _send(merchant, batch: list[ProductLink], *, target, client, counts: ImageCounts) -> None:
    hashes = target.item_picture_hashes(merchant, [link.item_no for link in batch])
    changed = [link for link in batch if hashes.get(link.item_no) and hashes[link.item_no] != link.image_hash]
    counts.unchanged += len(batch) - len(changed)
    shown = dict(ShopifyProduct.objects.filter(merchant=merchant,
                                               shopify_gid__in=[link.shopify_gid for link in changed])
                 .values_list("shopify_gid", "image_gid"))
    for start in range(0, len(changed), PICTURES_AT_ONCE):
        part = changed[start:start + PICTURES_AT_ONCE]
        pictures = target.get_item_pictures(merchant, [link.item_no for link in part])
        for link in part:
            picture = pictures.get(link.item_no)
            if picture is None:   # removed meanwhile
                continue
            # A picture syncsite sent before is deleted once replaced; the merchant's own is only
            # taken off the product and stays in the shop's files.
            try:
                link.image_gid = replace_product_image(
                    client, link.shopify_gid, Picture(picture.content, picture.content_type,
                                                      picture.filename or f"{link.item_no}.img"),
                    alt=link.title, old_media_gid=link.image_gid or shown.get(link.shopify_gid, ""),
                    keep_old_file=not link.image_gid)
            except ShopifyError as exc:
                counts.failed.append((link.item_no, str(exc)))
                continue
            link.image_hash, link.updated_at = picture.content_hash, timezone.now()
            # Saved at once, not with the batch: a worker killed later must not lose which media we
            # sent (the next run would add the picture again and keep ours as the merchant's).
            link.save(update_fields=["image_gid", "image_hash", "updated_at"])
            counts.sent += 1


def _receive(merchant, batch: list[ProductLink], *, target, counts: ImageCounts) -> None:
    urls = dict(ShopifyProduct.objects.filter(merchant=merchant, shopify_gid__in=[link.shopify_gid for link in batch])
                .exclude(image_url="").values_list("shopify_gid", "image_url"))
    # A changed picture has a new URL (Shopify's CDN names the version): only those are downloaded.
    moved = [link for link in batch if urls.get(link.shopify_gid) and urls[link.shopify_gid] != link.image_url]
    counts.unchanged += len(batch) - len(moved)
    for start in range(0, len(moved), PICTURES_AT_ONCE):
        part, pictures, now = moved[start:start + PICTURES_AT_ONCE], {}, timezone.now()
        for link in part:
            try:
                picture = download_image(urls[link.shopify_gid])
            except ShopifyError as exc:
                counts.failed.append((link.item_no, str(exc)))
                continue
            data = PictureData(picture.content, picture.content_type, picture.filename)
            link.image_url, link.updated_at = urls[link.shopify_gid], now
            if data.content_hash != link.image_hash:
                pictures[link.item_no] = data
                link.image_hash = data.content_hash
        received = target.set_item_pictures(merchant, pictures) if pictures else []
        counts.received += len(received)
        ProductLink.objects.bulk_update([link for link in part if link.image_url == urls.get(link.shopify_gid)],
                                        ["image_url", "image_hash", "updated_at"])
