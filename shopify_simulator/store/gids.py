"""Shopify's global IDs: gid://shopify/<Type>/<number>."""
from __future__ import annotations


def gid_number(gid: str | None, type_name: str) -> int | None:
    """The number of a GID of `type_name`; None for anything else (another type, not a GID)."""
    prefix = f"gid://shopify/{type_name}/"
    tail = gid[len(prefix):] if isinstance(gid, str) and gid.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None
