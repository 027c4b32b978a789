"""What kind of picture a file is, from its first bytes (whatever its name or Content-Type claim):
the kinds a shop shows and Shopify takes."""
from __future__ import annotations

_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"))


def picture_type(content: bytes) -> str | None:
    """The MIME type of a PNG, JPEG, GIF or WebP picture; None for anything else."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in _SIGNATURES if content.startswith(signature)), None)
