"""Image files: generated product pictures (a plain PNG in the product's colour), what an uploaded
file is, and the content hash that names each version of an image in its URL."""
from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

from shopify_simulator.store.catalog import Image

GENERATED_SIZE = 64
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@lru_cache(maxsize=1024)
def solid_png(colour: tuple[int, int, int], size: int = GENERATED_SIZE) -> bytes:
    row = b"\x00" + bytes(colour) * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)   # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size))
            + chunk(b"IEND", b""))


def image_bytes(image: Image) -> bytes:
    return image.content if image.content is not None else solid_png(image.seed_colour or (128, 128, 128))


def content_hash(image: Image) -> str:
    """Changes exactly when the picture changes: the image's URL carries it, as Shopify's CDN URLs
    carry a version."""
    return hashlib.sha256(image_bytes(image)).hexdigest()[:20]


def file_kind(data: bytes) -> str | None:
    """png, jpg, gif or webp from the file's first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def dimensions(data: bytes) -> tuple[int | None, int | None]:
    """Width and height where the header says them plainly (PNG, GIF, baseline JPEG)."""
    kind = file_kind(data)
    if kind == "png" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if kind == "gif" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if kind == "jpg":
        index = 2
        while index + 9 < len(data) and data[index] == 0xFF:
            marker, length = data[index + 1], struct.unpack(">H", data[index + 2:index + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5:index + 9])
                return width, height
            index += 2 + length
    return None, None


def image_dimensions(image: Image) -> tuple[int | None, int | None]:
    if image.content is None:
        return GENERATED_SIZE, GENERATED_SIZE
    return dimensions(image.content)


def mime_type(image: Image) -> str:
    return MIME_TYPES.get(file_kind(image_bytes(image)) or "png", "image/png")
