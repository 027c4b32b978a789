"""Product pictures written to Shopify (report 30107's export): a picture downloaded from where the
ledger keeps it, uploaded to Shopify's staged storage, added to the product as media, and the
picture it replaces taken off the product and deleted from the shop's files once the new one is
READY.

The GraphQL goes through ShopifyClient; the bytes go to the picture's own address and to the
staged upload target (storage, not Shopify's API), each with its own timeouts.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

import requests

from connectors.shopify.client import USER_AGENT, ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyError, ShopifyUserErrors
from core.pictures import picture_type

logger = logging.getLogger(__name__)

TIMEOUT = (5.0, 30.0)               # connect, read: for downloads and uploads
DOWNLOAD_ATTEMPTS = 3
DOWNLOAD_BACKOFF = 0.5
MAX_PICTURE = 20 * 1024 * 1024      # Shopify's limit for an image
STATUS_POLLS = 10
STATUS_POLL_SECONDS = 1.0
UPLOAD_METHOD = "POST"              # Shopify's staged targets for images take a multipart form
class PictureError(ShopifyError):
    """A picture could not be sent to Shopify."""


class PictureUnreadable(PictureError):
    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"the picture at {url} could not be read: {detail}")


class PictureNotAnImage(PictureError):
    def __init__(self, url: str, content_type: str) -> None:
        super().__init__(f"the file at {url} is not a picture Shopify takes (PNG, JPEG, GIF or WebP); "
                         f"it is {content_type or 'of an unknown type'}")


class PictureUploadFailed(PictureError):
    def __init__(self, status: int) -> None:
        super().__init__(f"Shopify's file storage did not take the picture (HTTP {status})")


class PictureRejected(PictureError):
    """Shopify processed the picture and failed it (mediaErrors), or never finished."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Shopify could not use the picture: {reason}")


@dataclass(frozen=True)
class Picture:
    content: bytes
    content_type: str
    filename: str


def download_image(url: str, *, session: requests.Session | None = None,
                   sleep: Callable[[float], None] = time.sleep) -> Picture:
    """The picture at `url`: retried on 5xx and lost connections; an answer that is not a picture
    (by its first bytes, whatever its Content-Type says) is PictureNotAnImage."""
    session = session or requests.Session()
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            response = session.get(url, timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
        except requests.RequestException as exc:
            problem = "no answer" if isinstance(exc, requests.Timeout) else "the connection failed"
        else:
            if response.status_code < 500:
                break
            problem = f"HTTP {response.status_code}"
        if attempt == DOWNLOAD_ATTEMPTS:
            raise PictureUnreadable(url, f"{problem} (gave up after {attempt} attempts)")
        logger.warning("picture %s attempt=%d: %s", url, attempt, problem)
        sleep(DOWNLOAD_BACKOFF * 2 ** (attempt - 1))
    if response.status_code != 200:
        raise PictureUnreadable(url, f"HTTP {response.status_code}")
    content = response.content
    if len(content) > MAX_PICTURE:
        raise PictureUnreadable(url, "it is larger than Shopify's 20 MB limit")
    content_type = picture_type(content)
    if content_type is None:
        raise PictureNotAnImage(url, response.headers.get("Content-Type", "").split(";")[0])
    return Picture(content, content_type, _filename(url, content_type))


def replace_product_image(client: ShopifyClient, product_gid: str, picture: Picture, *, alt: str = "",
                          old_media_gid: str = "", keep_old_file: bool = False,
                          session: requests.Session | None = None) -> str:
    """Add `picture` to the product and, once Shopify has made it READY, take `old_media_gid` off the
    product and delete that file (unless `keep_old_file`); the new media's GID. A picture Shopify
    fails is taken off the product again and raised as PictureRejected, the old one left in place."""
    resource_url = _upload(client, picture, session or requests.Session())
    # Sent once: a retry after a lost answer could add the picture twice (ShopifyGaveUp is raised).
    payload = client.execute(document("ProductUpdate"), {
        "product": {"id": product_gid},
        "media": [{"originalSource": resource_url, "mediaContentType": "IMAGE", "alt": alt}],
    }, idempotent=False).data.get("productUpdate") or {}
    if payload.get("userErrors"):
        raise ShopifyUserErrors("ProductUpdate", payload["userErrors"])
    nodes = (((payload.get("product") or {}).get("media") or {}).get("nodes")) or []
    if not nodes or not nodes[-1].get("id"):
        raise PictureRejected("Shopify did not list the new picture on the product")
    media_gid = nodes[-1]["id"]
    try:
        _wait_until_ready(client, media_gid)
    except PictureRejected:
        _take_off(client, media_gid, product_gid)
        raise
    if old_media_gid and old_media_gid != media_gid:
        _take_off(client, old_media_gid, product_gid)
        if not keep_old_file:
            client.mutate(document("FileDelete"), {"fileIds": [old_media_gid]}, "fileDelete")
    logger.info("shopify picture shop=%s product=%s media=%s replaced=%s", client.shop_label, product_gid,
                media_gid, old_media_gid or "-")
    return media_gid


def _upload(client: ShopifyClient, picture: Picture, session: requests.Session) -> str:
    """Stage an upload and send the bytes where Shopify says; the URL to give as originalSource."""
    payload = client.mutate(document("StagedUploadsCreate"), {"input": [{
        "resource": "IMAGE", "filename": picture.filename, "mimeType": picture.content_type,
        "httpMethod": UPLOAD_METHOD, "fileSize": str(len(picture.content)),
    }]}, "stagedUploadsCreate")
    targets = payload.get("stagedTargets") or []
    if not targets or not targets[0].get("url"):
        raise PictureRejected("Shopify gave no place to upload the picture")
    target = targets[0]
    parameters = {p["name"]: p["value"] for p in target.get("parameters") or []}
    try:
        if UPLOAD_METHOD == "PUT":
            headers = {"Content-Type": parameters.pop("content_type", picture.content_type)}
            if "acl" in parameters:
                headers["x-goog-acl"] = parameters["acl"]
            response = session.put(target["url"], data=picture.content, headers=headers, timeout=TIMEOUT)
        else:   # the parameters are form fields, the file comes last
            response = session.post(target["url"], data=parameters, timeout=TIMEOUT,
                                    files={"file": (picture.filename, picture.content, picture.content_type)})
    except requests.RequestException as exc:
        raise PictureUploadFailed(0) from exc
    if response.status_code not in (200, 201, 204):
        raise PictureUploadFailed(response.status_code)
    return target.get("resourceUrl") or target["url"]


def _wait_until_ready(client: ShopifyClient, media_gid: str) -> None:
    for poll in range(STATUS_POLLS):
        node = client.execute(document("MediaStatus"), {"id": media_gid},
                              check=lambda d: None if isinstance((d or {}).get("node"), dict)
                              else "the media is missing").data["node"]
        if node.get("status") == "READY":
            return
        if node.get("status") == "FAILED":
            errors = node.get("mediaErrors") or []
            raise PictureRejected("; ".join(e.get("message") or e.get("code") or "" for e in errors)
                                  or "processing failed")
        client.pause(STATUS_POLL_SECONDS)
    raise PictureRejected(f"it was still being processed after {STATUS_POLLS * STATUS_POLL_SECONDS:g} s")


def _take_off(client: ShopifyClient, media_gid: str, product_gid: str) -> None:
    try:
        client.mutate(document("FileUpdate"), {"files": [{"id": media_gid, "referencesToRemove": [product_gid]}]},
                      "fileUpdate")
    except ShopifyUserErrors as exc:   # already gone: nothing to take off
        if not any(e.get("code") == "FILE_DOES_NOT_EXIST" for e in exc.user_errors):
            raise


def _filename(url: str, content_type: str) -> str:
    stem = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "picture"
    return f"{stem}.{content_type.split('/')[1].replace('jpeg', 'jpg')}"
