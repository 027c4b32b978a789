"""Report 30116's reads and writes of a catalog's fixed prices, and the local mirror of them.

`ShopifyCatalogPrice` holds what Shopify holds as a price list's fixed prices, as last read or
written, so a price sync sends only what differs. `read_fixed_prices` reads them all and replaces
the mirror at the end, in one transaction (a read that fails half way changes nothing).
`set_fixed_prices` sends them 250 a call (priceListFixedPricesUpdate's limit) and, after each call
Shopify accepted, writes that call's prices to the mirror in a transaction of its own: a write that
stops half way leaves the mirror saying exactly which calls went through, and the next run sends
only the rest. Setting a fixed price is idempotent, so a call whose answer was lost is sent again.

Shopify refuses a call whole when it refuses one of its prices (the simulator does, as Shopify's
"every price is checked first" behaviour): the refused prices fail with Shopify's words and the rest
of the call is sent again without them. A refusal naming no price (the price list is gone) fails
every price not sent yet. A failure to talk to Shopify that the client gave up on is raised: the
caller's run fails and resumes later.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from django.db import transaction
from django.utils import timezone

from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyError
from connectors.shopify.models import ShopifyCatalog, ShopifyCatalogPrice

logger = logging.getLogger(__name__)

PRICES_PER_CALL = 250       # priceListFixedPricesUpdate takes at most 250 prices (Shopify's input limit)
PRICES_PER_PAGE = 200       # PriceListFixedPrices: 4 points a price, 803 points a page
REFUSAL_ROUNDS = 3          # a call sent again without its refused prices, at most this many times
MIRROR_BATCH = 500


class CatalogWithoutPriceList(ShopifyError):
    """The catalog has no price list (in Shopify, or as last imported): it has no fixed prices."""

    def __init__(self, catalog: ShopifyCatalog) -> None:
        super().__init__(f"the catalog {catalog.title!r} has no price list in Shopify; give it one in Shopify, "
                         "then run Sync Catalogs")


@dataclass(frozen=True)
class FixedPrice:
    variant_gid: str
    price: Decimal
    compare_at_price: Decimal | None = None


@dataclass
class PriceWrite:
    sent: int = 0                                               # prices Shopify accepted
    failed: list[tuple[str, str]] = field(default_factory=list)  # (variant GID, Shopify's words)


# Reading ------------------------------------------------------------------------------------------
def read_fixed_prices(*, merchant, client: ShopifyClient, catalog: ShopifyCatalog) -> int:
    """Read every fixed price of the catalog's price list and make the mirror exactly that; the
    number read. Only (variant, price, compare-at price) is kept while reading, so 10,000 prices
    take about a megabyte. Sets `prices_read_at`, `fixed_prices_count` and the price list's currency."""
    if not catalog.price_list_gid:
        raise CatalogWithoutPriceList(catalog)
    read: dict[str, tuple[Decimal, Decimal | None]] = {}
    currency, after = catalog.currency, None
    while True:
        data = client.execute(document("PriceListFixedPrices"),
                              {"id": catalog.price_list_gid, "first": PRICES_PER_PAGE, "after": after},
                              check=_prices_page_problem).data
        price_list = data["priceList"]
        if price_list is None:
            raise CatalogWithoutPriceList(catalog)
        currency = price_list["currency"]
        connection = price_list["prices"]
        for node in connection["nodes"]:
            read[node["variant"]["id"]] = (_amount(node["price"]), _amount(node["compareAtPrice"]))
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    now = timezone.now()
    with transaction.atomic():
        ShopifyCatalogPrice.objects.filter(catalog=catalog).delete()
        gids = list(read)
        for start in range(0, len(gids), MIRROR_BATCH):
            ShopifyCatalogPrice.objects.bulk_create([
                ShopifyCatalogPrice(merchant=merchant, catalog=catalog, variant_gid=gid, price=read[gid][0],
                                    compare_at_price=read[gid][1], updated_at=now)
                for gid in gids[start:start + MIRROR_BATCH]])
        catalog.prices_read_at, catalog.fixed_prices_count, catalog.currency = now, len(read), currency
        ShopifyCatalog.objects.filter(pk=catalog.pk).update(prices_read_at=now, fixed_prices_count=len(read),
                                                            currency=currency)
    logger.info("catalog %s of merchant %s: %d fixed prices read", catalog.shopify_gid, merchant.code, len(read))
    return len(read)


def _prices_page_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or "priceList" not in data:
        return "priceList is missing"
    if data["priceList"] is None:
        return None          # Shopify has no such price list: an answer, not a failure
    problem = page_problem(data, ("priceList", "prices"))
    if problem:
        return problem
    if not isinstance(data["priceList"].get("currency"), str):
        return "priceList.currency is missing"
    for node in data["priceList"]["prices"]["nodes"]:
        if not isinstance((node.get("variant") or {}).get("id"), str):
            return "priceList.prices lists a price without its variant"
        if not isinstance(node.get("price"), dict) or "compareAtPrice" not in node:
            return "priceList.prices lists a price without its amount"
        try:
            _amount(node["price"])
            _amount(node["compareAtPrice"])
        except (InvalidOperation, TypeError, AttributeError, KeyError):
            return "priceList.prices lists a price without a readable amount"
    return None


def _amount(money: dict | None) -> Decimal | None:
    return None if money is None else Decimal(str(money["amount"]))


# Writing ------------------------------------------------------------------------------------------
def set_fixed_prices(*, merchant, client: ShopifyClient, catalog: ShopifyCatalog, prices: list[FixedPrice],
                     on_batch: Callable[[int], None] | None = None) -> PriceWrite:
    """Set these fixed prices on the catalog's price list, in `catalog.currency`, at most 250 a call;
    after each call Shopify accepted, its prices are written to the mirror and `on_batch(sent so
    far)` is called. A variant given twice is sent once, with its last price. Raises ShopifyError
    (ShopifyGaveUp, an access error) when Shopify could not be talked to: the calls accepted before
    stay in the mirror."""
    if not catalog.price_list_gid or not catalog.currency:
        raise CatalogWithoutPriceList(catalog)
    unique = list({price.variant_gid: price for price in prices}.values())
    result = PriceWrite()
    for start in range(0, len(unique), PRICES_PER_CALL):
        batch, before = unique[start:start + PRICES_PER_CALL], result.sent
        general = _write_batch(merchant, client, catalog, batch, result)
        if on_batch and result.sent > before:
            on_batch(result.sent)
        if general:      # the price list itself was refused: no later call can pass
            result.failed += [(price.variant_gid, general) for price in unique[start + PRICES_PER_CALL:]]
            break
    if catalog.prices_read_at is not None and result.sent:     # the mirror is whole: it counts Shopify's
        catalog.fixed_prices_count = ShopifyCatalogPrice.objects.filter(catalog=catalog).count()
        ShopifyCatalog.objects.filter(pk=catalog.pk).update(fixed_prices_count=catalog.fixed_prices_count)
    logger.info("catalog %s of merchant %s: %d fixed prices set, %d refused", catalog.shopify_gid, merchant.code,
                result.sent, len(result.failed))
    return result


def _write_batch(merchant, client: ShopifyClient, catalog: ShopifyCatalog, batch: list[FixedPrice],
                 result: PriceWrite) -> str:
    """Send one call's prices, again without the ones Shopify refused; "" or Shopify's words when it
    refused the call without naming a price (every price of the batch then failed)."""
    pending = batch
    for _ in range(REFUSAL_ROUNDS):
        errors = _send(client, catalog, pending)
        if not errors:
            _mirror(merchant, catalog, pending)
            result.sent += len(pending)
            return ""
        refused: dict[int, str] = {}
        general: list[str] = []
        for error in errors:
            index = _price_index(error)
            message = error.get("message") or "refused"
            if index is not None and index < len(pending):
                refused.setdefault(index, message)
            else:
                general.append(message)
        if general:
            words = "; ".join(dict.fromkeys(general))
            result.failed += [(price.variant_gid, words) for price in pending]
            return words
        result.failed += [(pending[index].variant_gid, message) for index, message in sorted(refused.items())]
        pending = [price for index, price in enumerate(pending) if index not in refused]
        if not pending:
            return ""
    result.failed += [(price.variant_gid, f"Shopify refused the call {REFUSAL_ROUNDS} times") for price in pending]
    return ""


def _send(client: ShopifyClient, catalog: ShopifyCatalog, prices: list[FixedPrice]) -> list[dict]:
    """One priceListFixedPricesUpdate; Shopify's userErrors (none: every price was set)."""
    variables = {"priceListId": catalog.price_list_gid,
                 "pricesToAdd": [_price_input(price, catalog.currency) for price in prices]}
    data = client.execute(document("PriceListFixedPricesUpdate"), variables, check=_update_problem).data
    return data["priceListFixedPricesUpdate"]["userErrors"]


def _price_input(price: FixedPrice, currency: str) -> dict:
    compare_at = price.compare_at_price
    return {"variantId": price.variant_gid, "price": {"amount": format(price.price, "f"), "currencyCode": currency},
            "compareAtPrice": None if compare_at is None else {"amount": format(compare_at, "f"),
                                                               "currencyCode": currency}}


def _update_problem(data: Any) -> str | None:
    payload = data.get("priceListFixedPricesUpdate") if isinstance(data, dict) else None
    if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
        return "priceListFixedPricesUpdate gave no payload"
    if not payload["userErrors"] and not isinstance((payload.get("priceList") or {}).get("id"), str):
        return "priceListFixedPricesUpdate named no price list"
    return None


def _price_index(error: dict) -> int | None:
    """The index in pricesToAdd a userError names (its field is e.g. ["pricesToAdd", "3", "variantId"])."""
    path = error.get("field") or []
    if len(path) >= 2 and path[0] == "pricesToAdd" and str(path[1]).isdigit():
        return int(path[1])
    return None


def _mirror(merchant, catalog: ShopifyCatalog, prices: list[FixedPrice]) -> None:
    """The prices of one accepted call, as Shopify now holds them, upserted in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        ShopifyCatalogPrice.objects.bulk_create(
            [ShopifyCatalogPrice(merchant=merchant, catalog=catalog, variant_gid=price.variant_gid, price=price.price,
                                 compare_at_price=price.compare_at_price, updated_at=now) for price in prices],
            update_conflicts=True, unique_fields=["catalog", "variant_gid"],
            update_fields=["price", "compare_at_price", "updated_at"], batch_size=MIRROR_BATCH)
