"""shopifyPaymentsAccount: payouts and balance transactions, paged lazily by local day; disputes,
under the account and at the root (store.payouts, store.disputes)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from shopify_simulator.api.connections import page_of
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.disputes import Dispute
from shopify_simulator.store.order_extras import business_entity

BANKS = {"FR": "BNP Paribas", "US": "Chase", "GB": "Barclays", "AU": "Commonwealth Bank"}


@query_field("shopifyPaymentsAccount")
def payments_account(context: RequestContext, info=None) -> dict:
    shop = context.shop
    book, now = shop.payouts, context.now

    def payouts(info, first=None, after=None, last=None, before=None, reverse=False, query=None, **_):
        search = search_or_error(query)
        days = sorted(book.payout_days(now))

        def items() -> Iterator[tuple[dict, dict]]:
            for day in days:
                payout = payout_view(context, day)
                if matches(search, lambda field: _payout_value(payout, field)):
                    yield {"d": day.isoformat()}, payout

        return _page(items, {"first": first, "after": after, "last": last, "before": before}, reverse,
                     position=lambda c: (c["d"],))

    def balance_transactions(info, first=None, after=None, last=None, before=None, reverse=False, query=None,
                             **_):
        search = search_or_error(query)
        days = sorted(book.payout_days(now))

        def items() -> Iterator[tuple[dict, dict]]:
            for day in days:
                for index, transaction in enumerate(book.balance_transactions(day, now)):
                    if matches(search, lambda field: _transaction_value(transaction, day, field)):
                        yield {"d": day.isoformat(), "i": index}, transaction

        return _page(items, {"first": first, "after": after, "last": last, "before": before}, reverse,
                     position=lambda c: (c["d"], c.get("i", 0)))

    profile = shop.profile
    opened = shop.generator.created_at(0) - timedelta(days=365)   # with the shop (resources.shop)
    number = shop.shop_gid().rsplit("/", 1)[1]
    return {
        "__typename": "ShopifyPaymentsAccount",
        "id": f"gid://shopify/ShopifyPaymentsAccount/{number}",
        "activated": True, "onboardable": False, "country": profile.country_code,
        "defaultCurrency": profile.currency,
        "balance": [{"amount": "0.00", "currencyCode": profile.currency}],
        # A payout a day, the day after (store.payouts).
        "payoutSchedule": {"interval": "DAILY", "monthlyAnchor": None, "weeklyAnchor": None},
        "bankAccounts": [{
            "id": f"gid://shopify/ShopifyPaymentsBankAccount/{number}", "bankName": BANKS.get(profile.country_code),
            "accountNumberLastDigits": f"{int(number) % 10_000:04d}", "country": profile.country_code,
            "currency": profile.currency, "status": "VALIDATED", "createdAt": iso(opened), "payouts": payouts,
        }],
        "disputes": lambda info, **args: disputes(context, info, **args),
        "payouts": payouts,
        "balanceTransactions": balance_transactions,
    }


@query_field("disputes")
def disputes(context: RequestContext, info=None, first=None, after=None, last=None, before=None, reverse=False,
             query=None, **_) -> dict:
    """Disputes opened by now, oldest first; `query` filters on id, status and initiated_at."""
    search = search_or_error(query)
    found = context.shop.payouts.disputes.opened_by(context.now)

    def items() -> Iterator[tuple[dict, dict]]:
        for dispute in found:
            view = dispute_view(context, dispute)
            if matches(search, lambda field: _dispute_value(view, field)):
                yield {"t": view["initiatedAt"], "i": dispute.legacy_id}, view

    return _page(items, {"first": first, "after": after, "last": last, "before": before}, reverse,
                 position=lambda c: (c["t"], c["i"]))


@query_field("dispute")
def dispute(context: RequestContext, info, id) -> dict | None:
    return _dispute_by_gid(context, id)


def dispute_view(context: RequestContext, dispute: Dispute) -> dict:
    shop, now = context.shop, context.now
    view = dispute.view(now, shop.payouts.zone, shop.profile.currency)
    number = dispute.order_number
    view["order"] = lambda info, **_: shop.orders.view(number, now)
    return view


def _dispute_by_gid(context: RequestContext, gid: str) -> dict | None:
    book = context.shop.payouts.disputes
    source_day = book.source_day_of(gid)
    found = None if source_day is None else book.of_source_day(source_day)
    if found is None or found.gid != gid or found.initiated_at > context.now:
        return None
    return dispute_view(context, found)


def _dispute_value(view: dict, field: str):
    if field == "initiated_at":
        return parse_time(view["initiatedAt"])
    if field == "status":
        return view["status"].lower()
    if field == "id":
        return int(view["legacyResourceId"])
    return None


def payout_view(context: RequestContext, day: date) -> dict:
    return {**context.shop.payouts.payout(day, context.now), "businessEntity": business_entity(context.shop.profile)}


def _page(items, args: dict, reverse: bool, *, position) -> dict:
    """Page over `items()` (ascending); a cursor is the position of the last item seen."""
    def items_after(cursor: dict | None, descending: bool):
        source = reversed(list(items())) if descending else items()
        for key, item in source:
            if cursor is not None:
                here, there = position(key), position(cursor)
                if (here >= there) if descending else (here <= there):
                    continue
            yield key, item

    return page_of(items_after, args, reverse=reverse)


def _payout_value(payout: dict, field: str):
    if field == "issued_at":
        return parse_time(payout["issuedAt"])
    if field == "status":
        return payout["status"].lower()
    if field == "id":
        return int(payout["legacyResourceId"])
    return None


def _transaction_value(transaction: dict, day: date, field: str):
    if field in ("processed_at", "transaction_date"):
        return parse_time(transaction["transactionDate"])
    if field == "payout_date":     # the day the payout is issued: the morning after the day it holds
        return parse_time((day + timedelta(days=1)).isoformat())
    if field in ("transaction_type", "type"):
        return transaction["type"].lower()
    if field == "test":
        return bool(transaction.get("test"))
    return None


@node_type("ShopifyPaymentsPayout", "ShopifyPaymentsBalanceTransaction", "ShopifyPaymentsDispute")
def payments_node(context: RequestContext, gid: str, number: int) -> dict | None:
    kind = gid.split("/")[3]
    book, now = context.shop.payouts, context.now
    if kind == "ShopifyPaymentsDispute":
        return _dispute_by_gid(context, gid)
    if kind == "ShopifyPaymentsPayout":
        day = book.day_of_payout(gid)
        if day is None or day not in book.payout_days(now):
            return None
        return {"__typename": kind, **payout_view(context, day)}
    day = book.day_of_balance_transaction(gid)
    if day is None or day not in book.payout_days(now):
        return None
    found = next((t for t in book.balance_transactions(day, now) if t["id"] == gid), None)
    return {"__typename": kind, **found} if found else None
