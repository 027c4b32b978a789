"""Small, fixed Shopify orders written by hand, imported the way report 30104 imports them.

Amounts are given as Shopify states them (tax lines, totals, transactions); the tests work the
expected journal out by hand from the same numbers.
"""
from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from connectors.shopify.importers.orders import import_orders

_ids = itertools.count(1)


def money(amount: str, currency: str = "EUR") -> dict:
    return {"shopMoney": {"amount": amount, "currencyCode": currency}, "presentmentMoney": {"amount": amount}}


def local(zone: str, *args) -> str:
    """An ISO UTC time for a local wall-clock time (first occurrence when ambiguous)."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def line(price: str, quantity: int, taxes=(), *, discount: str = "0", gift_card: bool = False, gid: str = "") -> dict:
    return {
        "id": gid or f"gid://shopify/LineItem/{next(_ids)}", "name": "Gift card" if gift_card else "Shirt",
        "quantity": quantity, "originalUnitPriceSet": money(price), "isGiftCard": gift_card,
        "taxLines": [{"title": title, "rate": rate, "priceSet": money(amount)} for title, rate, amount in taxes],
        "discountAllocations": ([{"allocatedAmountSet": money(discount), "discountApplication": {"index": 0}}]
                                if discount != "0" else []),
    }


def shipping(price: str, taxes=(), *, discount: str = "0", gid: str = "") -> dict:
    return {
        "id": gid or f"gid://shopify/ShippingLine/{next(_ids)}", "title": "Standard", "originalPriceSet": money(price),
        "taxLines": [{"title": title, "rate": rate, "priceSet": money(amount)} for title, rate, amount in taxes],
        "discountAllocations": ([{"allocatedAmountSet": money(discount), "discountApplication": {"index": 0}}]
                                if discount != "0" else []),
    }


def transaction(kind: str, amount: str, at: str, *, gateway: str = "shopify_payments", fee: str = "0",
                status: str = "SUCCESS") -> dict:
    return {
        "id": f"gid://shopify/OrderTransaction/{next(_ids)}", "kind": kind, "status": status, "gateway": gateway,
        "processedAt": at, "amountSet": money(amount),
        "fees": [{"amount": {"amount": fee, "currencyCode": "EUR"}}] if fee != "0" else [],
    }


def refund(at: str, *, lines=(), shipping_lines=(), transactions=()) -> dict:
    """`lines`: (line payload, quantity, subtotal as priced, tax); `shipping_lines`: (payload, subtotal, tax)."""
    return {
        "id": f"gid://shopify/Refund/{next(_ids)}", "createdAt": at,
        "totalRefundedSet": money("0"),
        "refundLineItems": {"nodes": [{"lineItem": {"id": item["id"]}, "quantity": quantity,
                                       "subtotalSet": money(subtotal), "totalTaxSet": money(tax)}
                                      for item, quantity, subtotal, tax in lines]},
        "refundShippingLines": {"nodes": [{"shippingLine": {"id": item["id"]}, "subtotalAmountSet": money(subtotal),
                                           "taxAmountSet": money(tax)} for item, subtotal, tax in shipping_lines]},
        "transactions": {"nodes": list(transactions)},
    }


def order(at: str, *, total: str, lines=(), shipping_lines=(), tip: str = "0", transactions=(), refunds=(),
          taxes_included: bool = True, test: bool = False, name: str = "") -> dict:
    number = next(_ids)
    return {
        "id": f"gid://shopify/Order/{number}", "legacyResourceId": str(number), "name": name or f"#{1000 + number}",
        "createdAt": at, "processedAt": at, "updatedAt": at, "currencyCode": "EUR", "taxesIncluded": taxes_included,
        "test": test, "totalPriceSet": money(total), "totalTipReceivedSet": money(tip),
        "lineItems": {"nodes": list(lines)}, "shippingLines": {"nodes": list(shipping_lines)},
        "refunds": list(refunds),
        "transactions": list(transactions) + [t for r in refunds for t in r["transactions"]["nodes"]],
    }


def imported(merchant, *orders: dict) -> None:
    counts = import_orders(merchant=merchant, payloads=list(orders))
    assert counts.failed == 0, counts.errors
