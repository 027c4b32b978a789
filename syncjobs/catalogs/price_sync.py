"""Sync Catalog Prices (report 30116): the ledger's prices → the fixed prices of the price lists of
the shop's catalogs marked for price sync, sending only what differs from what Shopify holds.

What Shopify holds is mirrored (ShopifyCatalogPrice), kept by every write, so a second run with
nothing changed in the ledger sends nothing. The first sync of a catalog does not read its prices
first: reading costs Shopify 4 points a price, writing 10 points a call of 250, so it sets every
price (clearing compare-at prices Shopify held for them); the request page's "read Shopify's prices
first" reads them whole, to send only what differs and keep compare-at prices, or to undo changes
made in Shopify by hand. A run stopped half way (the client gave up) is resumed by the next one
without sending again what was accepted: and a run stopped half way (the client gave up) is resumed by the next one
each accepted call updates the mirror before the next goes.

A run works through the catalogs of its filter in title order as one *pass*
(CatalogPricePass, keyed by the filter): each catalog finished is recorded on the pass at once, a
run that finds its filter's pass unfinished skips the catalogs it holds, and the last catalog
closes it. A large set of catalogs can be split over several queue entries with different filters
(Business Central's 12-hour limit, BCApps PR 9959): they share the shop's category, so they run
one after the other.

A catalog that cannot be priced (its price list missing or in another currency) or whose prices
Shopify refuses fails alone: the reason goes on its link and in the run's failures. Fixed prices of
variants we no longer price (unlinked, gone from the ledger or from the catalog's products) are
left alone in Shopify: syncsite sets the prices it knows and never deletes one it did not decide on.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from connectors.ledger.target import AccountingTarget, target_for
from connectors.shopify.catalog_prices import CatalogWithoutPriceList, FixedPrice, read_fixed_prices, set_fixed_prices
from connectors.shopify.client import ShopifyClient
from connectors.shopify.errors import ShopifyError, ShopifyUserErrors
from connectors.shopify.models import ShopifyCatalog, ShopifyCatalogPrice
from core.local_time import in_zone
from syncjobs.catalogs.errors import CatalogError, CatalogNotPriceable
from syncjobs.catalogs.models import CatalogLink, CatalogPricePass
from syncjobs.catalogs.pricing import PricedBatch, PriceSource, price_source, priced_batches, today_in_shop

logger = logging.getLogger(__name__)

# A pass not finished within this long is not resumed: the next run starts a new one, so catalogs a
# stuck pass finished long ago are not left out of every later run.
RESUME_WITHIN = timedelta(hours=24)
EXAMPLES = 3     # variants named per reason a catalog left some out


@dataclass
class CatalogOutcome:
    """What one catalog's price sync did."""

    gid: str
    title: str
    currency: str
    source: str = ""                 # where its prices came from, in words
    note: str = ""                   # what a person should know about that choice
    read_from_shopify: bool = False  # its fixed prices were read whole first
    compared: int = 0                # variants priced and compared with Shopify's
    unit_priced: int = 0             # of them, at the item's unit price: the price list has no price for it
    sent: int = 0                    # prices Shopify accepted
    unchanged: int = 0               # already right in Shopify
    # why -> how many variants, and the first EXAMPLES of them (SKU or GID): a catalog in a foreign
    # currency may leave out every variant of a large shop, whose names the log would not show anyway.
    left_out: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)   # (variant GID, Shopify's message)
    failure: str = ""                # why the catalog failed as a whole

    @property
    def skipped(self) -> int:
        return sum(count for count, _ in self.left_out.values())

    @property
    def problem(self) -> str:
        """What its link shows as the last sync's failure ("" when it went through)."""
        if self.failure:
            return self.failure
        if self.refused:
            count = len(self.refused)
            return (f"Shopify refused {count} price{'' if count == 1 else 's'}: {self.refused[0][1]}"
                    f"{' (and others)' if count > 1 else ''}")
        return ""


@dataclass
class PriceSyncResult:
    catalogs: list[CatalogOutcome] = field(default_factory=list)   # synced by this run, in order
    resumed: int = 0                                               # done before, by an earlier run of the pass
    restarted_from: str = ""                                       # an unfinished pass too old to resume
    left_out: list[tuple[str, str, str]] = field(default_factory=list)   # (catalog GID, title, why not synced)
    calls: int = 0

    # The counts the queue's progress writer reads.
    @property
    def read(self) -> int:
        return sum(c.compared for c in self.catalogs)

    @property
    def created(self) -> int:
        return 0

    @property
    def updated(self) -> int:
        return sum(c.sent for c in self.catalogs)

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.catalogs)

    @property
    def failed(self) -> int:
        return sum(len(c.refused) + (1 if c.failure else 0) for c in self.catalogs)


class PriceSyncStopped(CatalogError):
    """Shopify could not be reached well enough to go on (the client gave up): the run ends, its
    pass stays open, and the next run goes on from the catalog it stopped in. `result` holds what
    this run did before it stopped."""

    def __init__(self, message: str, result: PriceSyncResult) -> None:
        super().__init__(message)
        self.result = result


def sync_catalog_prices(merchant, *, client: ShopifyClient | None = None, catalog_gids: Collection[str] | None = None,
                        read_shopify: bool = False, progress: Callable[[PriceSyncResult], None] | None = None
                        ) -> PriceSyncResult:
    """Set the fixed prices of the catalogs marked for price sync (those of `catalog_gids` only, when
    given) from the ledger, sending only what differs from Shopify's; PriceSyncStopped when Shopify
    could not be reached well enough to go on (the next run resumes)."""
    result = PriceSyncResult()
    chosen = catalogs_to_price(merchant, catalog_gids, result)
    if not chosen:
        return result
    client = client or ShopifyClient.for_merchant(merchant)
    target = target_for(merchant)
    price_pass = _current_pass(merchant, filter_key(catalog_gids, read_shopify=read_shopify), result)
    done = set(price_pass.done_catalog_gids)
    result.resumed = sum(1 for _, catalog in chosen if catalog.shopify_gid in done)
    on = today_in_shop(merchant)
    calls_before = client.stats.calls
    unit_prices: dict = {}     # the items' unit prices, read once for all the run's catalogs
    try:
        for link, catalog in chosen:
            if catalog.shopify_gid in done:
                continue
            outcome = CatalogOutcome(catalog.shopify_gid, catalog.title, catalog.currency)
            result.catalogs.append(outcome)
            _sync_catalog(merchant, client, target, link, catalog, outcome, read_shopify=read_shopify, on=on,
                          progress=lambda: progress(result) if progress is not None else None,
                          unit_prices=unit_prices)
            _finish_catalog(price_pass, link, outcome)
            logger.info("catalog prices merchant=%s catalog=%s sent=%d unchanged=%d refused=%d failure=%s",
                        merchant.code, catalog.shopify_gid, outcome.sent, outcome.unchanged, len(outcome.refused),
                        outcome.failure or "-")
            if progress is not None:
                progress(result)
    except ShopifyError as exc:
        result.calls = client.stats.calls - calls_before
        logger.warning("catalog price sync of %s stopped: %s", merchant.code, exc)
        raise PriceSyncStopped(str(exc), result) from exc
    result.calls = client.stats.calls - calls_before
    price_pass.finished_at = timezone.now()
    price_pass.save(update_fields=["finished_at"])
    return result


def catalogs_to_price(merchant, catalog_gids: Collection[str] | None,
                      result: PriceSyncResult) -> list[tuple[CatalogLink, ShopifyCatalog]]:
    """The catalogs a run prices, in title order: marked for price sync (and among `catalog_gids` when
    given), imported, with a price list, not removed from Shopify. Those left out go to `result`."""
    wanted = set(catalog_gids) if catalog_gids else None
    links = CatalogLink.objects.filter(merchant=merchant, sync_prices=True)
    if wanted is not None:
        links = links.filter(catalog_gid__in=wanted)
    links_by_gid = {link.catalog_gid: link for link in links}
    catalogs = {c.shopify_gid: c for c in ShopifyCatalog.objects.filter(merchant=merchant,
                                                                        shopify_gid__in=list(links_by_gid))}
    ready = []
    for gid, link in sorted(links_by_gid.items(), key=lambda pair: pair[1].title.lower()):
        catalog = catalogs.get(gid)
        if catalog is None:
            result.left_out.append((gid, link.title, "it is not imported; Sync catalogs imports it"))
        elif catalog.removed_at is not None:
            result.left_out.append((gid, link.title, "it is no longer in Shopify"))
        elif not catalog.price_list_gid:
            result.left_out.append((gid, link.title, "it has no price list in Shopify to hold its prices"))
        else:
            ready.append((link, catalog))
    for gid in sorted((wanted or set()) - set(links_by_gid)):
        result.left_out.append((gid, gid, "it is not a catalog of the shop marked for price sync"))
    ready.sort(key=lambda pair: (pair[1].title.lower(), pair[1].shopify_gid))
    return ready


def filter_key(catalog_gids: Collection[str] | None, *, read_shopify: bool = False) -> str:
    """The pass key of a run's catalog filter: the same catalogs, in any order, are the same pass (a
    run reading Shopify's prices first is a pass of its own: it never skips a catalog an ordinary
    pass finished unread)."""
    chosen = sorted(set(catalog_gids or ()))
    return hashlib.sha256(json.dumps([chosen, read_shopify] if read_shopify else chosen).encode()).hexdigest()


def _current_pass(merchant, key: str, result: PriceSyncResult) -> CatalogPricePass:
    """The filter's unfinished pass, to go on with, or a new one."""
    now = timezone.now()
    current = CatalogPricePass.objects.filter(merchant=merchant, filter_key=key, finished_at__isnull=True).first()
    if current is not None and now - current.started_at > RESUME_WITHIN:
        result.restarted_from = in_zone(current.started_at, merchant.time_zone)
        current.finished_at = now
        current.save(update_fields=["finished_at"])
        current = None
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return CatalogPricePass.objects.create(merchant=merchant, filter_key=key, started_at=now)
    except IntegrityError:       # catalog_price_pass_one_open: another run of the filter began it first
        return CatalogPricePass.objects.get(merchant=merchant, filter_key=key, finished_at__isnull=True)


def _sync_catalog(merchant, client: ShopifyClient, target: AccountingTarget, link: CatalogLink,
                  catalog: ShopifyCatalog, outcome: CatalogOutcome, *, read_shopify: bool, on: date,
                  progress: Callable[[], None], unit_prices: dict) -> None:
    try:
        source = price_source(merchant, link=link, catalog=catalog, target=target)
    except CatalogNotPriceable as exc:
        outcome.failure = str(exc)
        return
    outcome.source, outcome.note = source.describe(), source.note
    try:
        _send_prices(merchant, client, target, catalog, source, outcome, read_shopify=read_shopify, on=on,
                     progress=progress, unit_prices=unit_prices)
    except (CatalogWithoutPriceList, ShopifyUserErrors) as exc:   # its price list is gone from Shopify, say
        outcome.failure = str(exc)


def _send_prices(merchant, client: ShopifyClient, target: AccountingTarget, catalog: ShopifyCatalog,
                 source: PriceSource, outcome: CatalogOutcome, *, read_shopify: bool, on: date,
                 progress: Callable[[], None], unit_prices: dict) -> None:
    if read_shopify:
        read_fixed_prices(merchant=merchant, client=client, catalog=catalog)
        outcome.read_from_shopify = True
    for batch in priced_batches(merchant, catalog=catalog, source=source, target=target, on=on,
                                unit_prices=unit_prices):
        for _, name, why in batch.skipped:
            count, names = outcome.left_out.get(why, (0, []))
            outcome.left_out[why] = (count + 1, names if len(names) >= EXAMPLES else [*names, name])
        changed = _changed_prices(catalog, batch)
        outcome.compared += len(batch.prices)
        outcome.unit_priced += batch.unit_priced
        outcome.unchanged += len(batch.prices) - len(changed)
        if not changed:
            continue
        sent_before = outcome.sent
        written = set_fixed_prices(merchant=merchant, client=client, catalog=catalog, prices=changed,
                                   on_batch=lambda sent: _note_sent(outcome, sent_before + sent, progress))
        outcome.sent = sent_before + written.sent
        outcome.refused += written.failed


def _changed_prices(catalog: ShopifyCatalog, batch: PricedBatch) -> list[FixedPrice]:
    """The batch's prices that differ from Shopify's (or that Shopify has no fixed price for), each
    with the compare-at price Shopify holds, which a price sync keeps. One query."""
    held = {gid: (price, compare_at) for gid, price, compare_at in ShopifyCatalogPrice.objects.filter(
        catalog=catalog, variant_gid__in=list(batch.prices)).order_by().values_list(
        "variant_gid", "price", "compare_at_price")}
    changed = []
    for gid, price in batch.prices.items():
        shopify = held.get(gid)
        if shopify is None or shopify[0] != price:
            changed.append(FixedPrice(gid, price, shopify[1] if shopify else None))
    return changed


def _note_sent(outcome: CatalogOutcome, sent: int, progress: Callable[[], None]) -> None:
    outcome.sent = sent
    progress()


def _finish_catalog(price_pass: CatalogPricePass, link: CatalogLink, outcome: CatalogOutcome) -> None:
    """The catalog's link says how its sync went, and the pass records it as done, together."""
    now = timezone.now()
    with transaction.atomic():
        CatalogLink.objects.filter(pk=link.pk).update(prices_synced_at=now, prices_sent=outcome.sent,
                                                      failure=outcome.problem[:500], updated_at=now)
        price_pass.done_catalog_gids = [*price_pass.done_catalog_gids, outcome.gid]
        price_pass.prices_sent += outcome.sent
        price_pass.save(update_fields=["done_catalog_gids", "prices_sent"])
