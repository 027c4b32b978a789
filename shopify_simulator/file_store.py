"""Files the simulator serves and receives, as Shopify's CDN and staged uploads do:

    PUT  /_simulator/uploads/{token}              a staged upload's bytes (raw body)
    POST /_simulator/uploads/{token}              the same as a multipart form with a `file` field
    GET  /_simulator/files/{shop}/{id}/{hash}/{name}   an image; the hash names its current content

`read_source` turns a media `originalSource` into bytes: a staged upload, one of the simulator's own
file URLs, or any other http(s) URL, fetched once like Shopify's media processing does.
"""
from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import urlsplit

import requests

from shopify_simulator.store.media import content_hash, image_bytes, mime_type

MAX_FILE = 20 * 1024 * 1024        # Shopify's image limit
FETCH_TIMEOUT = (2.0, 5.0)
_UPLOAD = re.compile(r"^/_simulator/uploads/(?P<token>[0-9a-f]{32})$")
_FILE = re.compile(r"^/_simulator/files/(?P<shop>[\w-]+)/(?P<id>\d+)/(?P<hash>[0-9a-f]+)/[^/]+$")


@dataclass(frozen=True)
class Unreadable:
    """Why a source gave no bytes, as a MediaErrorCode and Shopify's message."""
    code: str
    message: str


class FileStore:
    def __init__(self, simulator) -> None:
        self.simulator = simulator
        self._uploads: dict[str, bytes | None] = {}     # staged, None until the bytes arrive
        self._lock = threading.Lock()

    # Staged uploads
    def stage(self) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._uploads[token] = None
        return f"{self.simulator.base_url}/_simulator/uploads/{token}"

    def receive(self, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
        match = _UPLOAD.match(path)
        if not match or match["token"] not in self._uploads:
            return 404, {"errors": "Not Found"}
        data = body
        if content_type.startswith("multipart/form-data"):
            data = _form_file(body, content_type)
            if data is None:
                return 400, {"errors": "The form has no file field"}
        with self._lock:
            self._uploads[match["token"]] = data
        return 201, {"uploaded": len(data)}

    # Serving
    def served(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and MIME type of a file URL's path, while the hash is the image's current one."""
        match = _FILE.match(path.split("?", 1)[0])
        if not match:
            return None
        shop = next((s for s in self.simulator.shops if s.profile.handle == match["shop"]), None)
        image = shop.catalog.image(int(match["id"])) if shop else None
        if image is None or image.status != "READY" or content_hash(image) != match["hash"]:
            return None
        return image_bytes(image), mime_type(image)

    # Sources
    def read_source(self, url: str) -> bytes | Unreadable:
        parts = urlsplit(url)
        local = parts.netloc == urlsplit(self.simulator.base_url).netloc
        if local and _UPLOAD.match(parts.path):
            data = self._uploads.get(_UPLOAD.match(parts.path)["token"])
            return data if data else Unreadable("IMAGE_DOWNLOAD_FAILURE", "The staged upload has no file yet.")
        if local and _FILE.match(parts.path):
            found = self.served(parts.path)
            return found[0] if found else Unreadable("IMAGE_DOWNLOAD_FAILURE", "Image could not be downloaded.")
        try:
            with requests.get(url, timeout=FETCH_TIMEOUT, stream=True) as response:
                data = response.raw.read(MAX_FILE + 1, decode_content=True)
        except (requests.RequestException, OSError):
            return Unreadable("IMAGE_DOWNLOAD_FAILURE", "Image could not be downloaded.")
        if response.status_code != 200:
            return Unreadable("IMAGE_DOWNLOAD_FAILURE", f"Image could not be downloaded (HTTP {response.status_code}).")
        if len(data) > MAX_FILE:
            return Unreadable("INVALID_IMAGE_FILE_SIZE", "Image is larger than 20 MB.")
        return data


def is_url(text: str) -> bool:
    parts = urlsplit(text or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _form_file(body: bytes, content_type: str) -> bytes | None:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_payload(decode=True)
    return None
