"""Product images as files: stagedUploadsCreate, files, fileCreate, fileUpdate, fileDelete and MediaImage nodes.

An image's source is read when the mutation is answered (Shopify reads it a moment later): a source
that cannot be read, or is not a picture, gives a FAILED image with its media error, as Shopify's
processing does; a source that is not a URL is refused at once.
"""
from __future__ import annotations

from posixpath import basename
from urllib.parse import urlsplit

from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import bulk_source, mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.file_store import Unreadable, is_url
from shopify_simulator.store.catalog import Image
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.media import MIME_TYPES, file_kind
from shopify_simulator.store.product_view import media_view
from shopify_simulator.store.product_writes import delete_images

STAGED_RESOURCES = ("IMAGE", "PRODUCT_IMAGE", "FILE")


def image_from_source(context: RequestContext, source: str, *, alt: str | None, filename: str | None = None) -> Image:
    """A new image (not yet in the catalog) read from `source`; the caller checked it is a URL."""
    data = context.simulator.files.read_source(source)
    shop = context.shop
    name = filename or basename(urlsplit(source).path) or "image"
    with shop.lock:
        number = shop.catalog.new_id()
    image = Image(id=number, alt=alt or "", filename=name, created=context.now, updated=context.now)
    set_content(image, data)
    return image


def set_content(image: Image, data: bytes | Unreadable) -> None:
    if isinstance(data, Unreadable):
        image.content, image.status, image.error = None, "FAILED", (data.code, data.message)
    elif file_kind(data) is None:
        image.content, image.status = None, "FAILED"
        image.error = ("UNSUPPORTED_IMAGE_FILE_TYPE", "Image upload failed: the file is not a PNG, JPEG, GIF or WebP "
                                                      "picture.")
    else:
        image.content, image.status, image.error, image.seed_colour = data, "READY", None, None
        stem = image.filename.rsplit(".", 1)[0]
        image.filename = f"{stem}.{file_kind(data)}"


def media_refusals(media: list[dict] | None, field: str = "media") -> list[dict]:
    """userErrors for media inputs Shopify refuses outright: a source that is not a URL, a kind of
    media the simulator does not hold."""
    errors = []
    for index, entry in enumerate(media or []):
        if entry.get("mediaContentType") != "IMAGE":
            errors.append({"field": [field, str(index), "mediaContentType"],
                           "message": "Only images can be added by this simulator"})
        elif not is_url(entry.get("originalSource", "")):
            errors.append({"field": [field, str(index), "originalSource"], "message": "Image URL is invalid"})
    return errors


@mutation("stagedUploadsCreate")
def staged_uploads_create(context: RequestContext, info, input) -> dict:
    targets, errors = [], []
    for index, entry in enumerate(input):
        if entry["resource"] not in STAGED_RESOURCES:
            errors.append({"field": ["input", str(index), "resource"],
                           "message": f"The simulator takes uploads for {', '.join(STAGED_RESOURCES)}"})
            continue
        url = context.simulator.files.stage()
        method = entry.get("httpMethod") or "PUT"
        parameters = [{"name": "content_type", "value": entry["mimeType"]}, {"name": "acl", "value": "private"}]
        targets.append({"url": url, "resourceUrl": url, "parameters": parameters if method == "PUT" else
                        [{"name": "key", "value": entry["filename"]}, *parameters]})
    return {"stagedTargets": None if errors else targets, "userErrors": errors}


def file_listing(context: RequestContext, args: dict) -> RecordListing:
    shop = context.shop
    search = search_or_error(args.get("query"))

    def value(image: Image, field: str):
        return {"updated_at": image.updated, "created_at": image.created, "filename": image.filename,
                "media_type": "IMAGE", "status": image.status, "id": image.id,
                "product_id": set(image.product_ids) or {0}, "used_in": "product" if image.product_ids else "none",
                "": image.filename}.get(field)

    sort = args.get("sortKey") or "ID"
    keys = {"ID": lambda i: (i.id,), "CREATED_AT": lambda i: (i.created.isoformat(), i.id),
            "UPDATED_AT": lambda i: (i.updated.isoformat(), i.id), "FILENAME": lambda i: (i.filename, i.id)}
    return RecordListing(shop.catalog.images(), sort_name=sort, key=keys.get(sort, keys["ID"]),
                         keep=lambda image: matches(search, lambda field: value(image, field)),
                         view=lambda image: media_view(shop, image))


@query_field("files")
def files(context: RequestContext, info, **args) -> dict:
    return file_listing(context, args).page(args)


@bulk_source("files")
def exported_files(context: RequestContext, args: dict):
    return file_listing(context, args).exported(descending=bool(args.get("reverse")))


@node_type("MediaImage")
def media_image_node(context: RequestContext, gid: str, number: int) -> dict | None:
    image = context.shop.catalog.image(number)
    return media_view(context.shop, image) if image else None


@mutation("fileCreate")
def file_create(context: RequestContext, info, files) -> dict:
    errors = []
    for index, entry in enumerate(files):
        if entry.get("contentType") not in (None, "IMAGE"):
            errors.append({"field": ["files", str(index), "contentType"], "code": "INVALID",
                           "message": "Only images can be created by this simulator"})
        elif not is_url(entry["originalSource"]):
            errors.append({"field": ["files", str(index), "originalSource"], "code": "INVALID_IMAGE_SOURCE_URL",
                           "message": "Image URL is invalid"})
        elif entry.get("filename") and entry["filename"].rsplit(".", 1)[-1].lower() not in {*MIME_TYPES, "jpeg"}:
            errors.append({"field": ["files", str(index), "filename"], "code": "INVALID_FILENAME_EXTENSION",
                           "message": "Filename has an invalid extension"})
    if errors:
        return {"files": None, "userErrors": errors}
    images = [image_from_source(context, entry["originalSource"], alt=entry.get("alt"), filename=entry.get("filename"))
              for entry in files]
    shop = context.shop
    with shop.lock:
        for image in images:
            shop.catalog.add_image(image)
    return {"files": [media_view(shop, image) for image in images], "userErrors": []}


@mutation("fileUpdate")
def file_update(context: RequestContext, info, files) -> dict:
    shop = context.shop
    catalog = shop.catalog
    errors, planned = [], []
    for index, entry in enumerate(files):
        at = ["files", str(index)]
        image = catalog.image(gid_number(entry["id"], "MediaImage"))
        if image is None:
            errors.append({"field": [*at, "id"], "code": "FILE_DOES_NOT_EXIST",
                           "message": f"File id {entry['id']} does not exist."})
            continue
        if entry.get("originalSource") is not None and not is_url(entry["originalSource"]):
            errors.append({"field": [*at, "originalSource"], "code": "INVALID_IMAGE_SOURCE_URL",
                           "message": "Image URL is invalid"})
            continue
        added = [gid_number(gid, "Product") for gid in entry.get("referencesToAdd") or []]
        removed = [gid_number(gid, "Product") for gid in entry.get("referencesToRemove") or []]
        if any(catalog.product(number) is None for number in added + removed):
            errors.append({"field": [*at, "referencesToAdd"], "code": "REFERENCE_TARGET_DOES_NOT_EXIST",
                           "message": "The reference target does not exist."})
            continue
        planned.append((image, entry, added, removed))
    if errors:
        return {"files": None, "userErrors": errors}
    # Read new sources before taking the lock: a download may take seconds.
    contents = {id(entry): context.simulator.files.read_source(entry["originalSource"])
                for _, entry, _, _ in planned if entry.get("originalSource")}
    touched = set()
    with shop.lock:
        for image, entry, added, removed in planned:
            if entry.get("alt") is not None:
                image.alt = entry["alt"]
            if entry.get("filename"):
                image.filename = entry["filename"]
            if id(entry) in contents:
                set_content(image, contents[id(entry)])
            for number in added:
                product = catalog.product(number)
                if number not in image.product_ids:
                    image.product_ids.append(number)
                    product.image_ids.append(image.id)
            for number in removed:
                product = catalog.product(number)
                if number in image.product_ids:
                    image.product_ids.remove(number)
                    product.image_ids.remove(image.id)
                    touched.add(number)
            image.updated = context.now
            touched.update(image.product_ids)
        for number in touched:
            catalog.product(number).updated = context.now
    for number in sorted(touched):
        if shop.on_event:
            shop.on_event(shop, "PRODUCTS_UPDATE", catalog.product(number))
    return {"files": [media_view(shop, image) for image, _, _, _ in planned], "userErrors": []}


@mutation("fileDelete")
def file_delete(context: RequestContext, info, fileIds) -> dict:
    """Delete files: each is gone from every product that showed it, and its URL answers 404. An
    unknown ID refuses them all."""
    shop = context.shop
    images = [shop.catalog.image(gid_number(gid, "MediaImage")) for gid in fileIds]
    missing = [gid for gid, image in zip(fileIds, images) if image is None]
    if missing:
        return {"deletedFileIds": None, "userErrors": [{"field": ["fileIds"], "code": "FILE_DOES_NOT_EXIST",
                                                        "message": f"File id {missing[0]} does not exist."}]}
    with shop.lock:
        left = delete_images(shop.catalog, list({image.id: image for image in images}.values()), now=context.now)
    for product in {product.id: product for product in left}.values():
        if shop.on_event:
            shop.on_event(shop, "PRODUCTS_UPDATE", product)
    return {"deletedFileIds": list(dict.fromkeys(fileIds)), "userErrors": []}
