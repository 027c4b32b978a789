"""The shape every batch import of records keyed by GID shares (customers, products): each payload
parsed on its own (one that cannot be read fails alone, with its reason), the last state of a record
the batch repeats wins, and the batch is written once, read again if another import of the shop
inserted some of it meanwhile."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from django.db import IntegrityError

from connectors.shopify.importers.counts import ImportCounts, RecordError

logger = logging.getLogger(__name__)
UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


def upsert_batch(merchant, payloads: list, *, what: str, parse: Callable, write: Callable[[int, dict], tuple[int, int]],
                 payload_error: type[Exception]) -> ImportCounts:
    """`parse(payload)` -> the record's row(s); `write(merchant_id, {gid: parsed})` -> (created, updated)."""
    counts = ImportCounts(read=len(payloads))
    latest: dict = {}
    for payload in payloads:
        gid = payload.get("id") if isinstance(payload, dict) else None
        try:
            parsed = parse(payload)
        except (payload_error, *UNREADABLE) as exc:
            counts.failed += 1
            counts.errors.append(RecordError(what, str(gid or "?"), f"the {what} could not be read: {exc}"))
            continue
        if gid in latest:
            counts.skipped += 1   # a batch may repeat a record (an overlap, a change while paging): the last wins
        latest[gid] = parsed
    if latest:
        try:
            created, updated = write(merchant.pk, latest)
        except IntegrityError:
            # Another import of the shop inserted some of them meanwhile: what is held now decides.
            logger.warning("%ss of merchant %s were inserted concurrently; batch read again", what, merchant.code)
            created, updated = write(merchant.pk, latest)
        counts.created += created
        counts.updated += updated
        counts.skipped += len(latest) - created - updated
    return counts


class PayloadError(ValueError):
    """A record's payload that cannot be read: that record fails alone, with this reason."""


def payload_time(value) -> datetime:
    """A timestamp Shopify gives with its zone; anything else is a payload we cannot read."""
    if not isinstance(value, str) or not value:
        raise PayloadError(f"{value!r} is not a date and time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{value!r} is not a date and time") from None
    if moment.tzinfo is None:
        raise PayloadError(f"{value!r} has no time zone")
    return moment
