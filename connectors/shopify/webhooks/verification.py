"""Is a delivery Shopify's? The base64 HMAC-SHA256 of the raw body, keyed with the app's API secret key.

While a key is being rotated Shopify may still sign with the old one, so the previous key is tried
too until its window closes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

from django.utils import timezone


def signature(body: bytes, key: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def signing_keys(merchant, now: datetime | None = None) -> list[str]:
    """The keys a delivery for `merchant` may be signed with now: the current one, then the previous
    one while its rotation window lasts."""
    now = now or timezone.now()
    keys = [merchant.api_secret_key.reveal()]
    until = merchant.previous_api_secret_key_until
    if merchant.previous_api_secret_key and until and now < until:
        keys.append(merchant.previous_api_secret_key.reveal())
    return [key for key in keys if key]


def is_signed_by(body: bytes, claimed: str, keys: list[str]) -> bool:
    """Whether `claimed` is the body's signature under one of `keys`, compared in constant time.

    Every key is tried, whichever matches, so the time taken says nothing about which one did."""
    claimed_bytes = claimed.strip().encode()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(signature(body, key).encode(), claimed_bytes)
    return matched
