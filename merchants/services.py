"""Checks and normalisation of a shop card's settings, used by its form and by syncs."""
from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from merchants.currencies import SHOP_CURRENCIES
from merchants.errors import (
    InvalidApiBaseUrl,
    InvalidAutoCreateRange,
    InvalidCurrency,
    InvalidShopDomain,
    InvalidTimeZone,
)

_STORE_HANDLE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_MYSHOPIFY = ".myshopify.com"


def normalise_shop_domain(raw: str) -> str:
    """`{store}.myshopify.com` from what a merchant may paste: a handle, a domain or an admin URL."""
    text = raw.strip().lower()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    handle = text[: -len(_MYSHOPIFY)] if text.endswith(_MYSHOPIFY) else text
    if "." in handle or not _STORE_HANDLE.match(handle):
        raise InvalidShopDomain(
            "enter the store's myshopify.com address, e.g. mystore.myshopify.com "
            "(letters, digits and hyphens before .myshopify.com)"
        )
    return handle + _MYSHOPIFY


def normalise_api_base_url(raw: str) -> str:
    """An http(s) base URL without a trailing slash, query or fragment; blank stays blank."""
    text = raw.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:   # e.g. an unclosed IPv6 bracket, http://[::1
        raise InvalidApiBaseUrl("the API base URL is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidApiBaseUrl("enter a URL starting with http:// or https://, e.g. https://mystore.myshopify.com")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidApiBaseUrl("the API base URL takes no query, fragment or credentials")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise InvalidApiBaseUrl("the port in the API base URL is not a number") from None
    return text.rstrip("/")


# In the tz database but no place's time: a shop's day would be nobody's day.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _NOT_PLACES


def check_time_zone(name: str) -> str:
    name = name.strip()
    if name not in _time_zones():
        raise InvalidTimeZone(f"{name!r} is not an IANA time zone; enter one such as Europe/Paris or America/New_York")
    return name


def check_currency(code: str) -> str:
    code = code.strip().upper()
    if code not in SHOP_CURRENCIES:
        raise InvalidCurrency(f"{code!r} is not a currency code Shopify knows; enter an ISO 4217 code such as EUR")
    return code


def check_auto_create_range(*, enabled: bool, code_from: str, code_to: str) -> None:
    if not enabled and not code_from and not code_to:
        return
    if not (_ascii_digits(code_from) and _ascii_digits(code_to)):
        raise InvalidAutoCreateRange("give the auto-create code range as two numbers, e.g. 4700 to 4799")
    if len(code_from) != len(code_to) or int(code_from) > int(code_to):
        raise InvalidAutoCreateRange(
            "the auto-create range must go from a lower to a higher code of the same length"
        )


def _ascii_digits(text: str) -> bool:
    # str.isdigit() is true of "²" and "٣", which int() and account codes do not take.
    return text.isascii() and text.isdigit()


def keep_previous_secret_key(merchant, *, previous, now: datetime | None = None) -> None:
    """After the API secret key changes, Shopify may still sign webhooks with the old one for a
    while: it stays accepted for WEBHOOK_KEY_ROTATION_HOURS."""
    if not previous or previous.reveal() == merchant.api_secret_key.reveal():
        return
    merchant.previous_api_secret_key = previous
    merchant.previous_api_secret_key_until = (now or timezone.now()) + timedelta(
        hours=settings.WEBHOOK_KEY_ROTATION_HOURS)


def disable_shop(merchant, *, reason: str) -> None:
    """Stop every sync of the shop, e.g. once the app is uninstalled: its entries wait, undispatched,
    and a run started anyway fails with `reason`, which the shop card and the role center show.
    Shopify drops an uninstalled app's webhook subscriptions, so syncsite forgets them too."""
    type(merchant).objects.filter(pk=merchant.pk).update(
        is_enabled=False, disabled_reason=reason[:255], auto_sync_orders=False, webhook_subscription_ids=[],
        updated_at=timezone.now())
    merchant.refresh_from_db()
