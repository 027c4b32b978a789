"""Shopify Payments payouts and balance transactions -> rows, upserted by GID in batches.

Per page: one query reads which GIDs are held, then one bulk insert and one bulk update; a record
that cannot be read fails alone with its reason.
"""
from __future__ import annotations

from decimal import InvalidOperation

from django.db import transaction
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.importers.orders import PayloadError, _money, _time
from connectors.shopify.models import PAYOUT_FAILED, PAYOUT_LEFT, ShopifyBalanceTransaction, ShopifyPayout

PAYOUT_FIELDS = ["legacy_id", "issued_at", "status", "transaction_type", "net", "currency"]
BALANCE_TRANSACTION_FIELDS = ["type", "is_test", "transaction_date", "amount", "fee", "net", "currency",
                              "source_order_transaction_id", "order_gid", "payout_gid", "payout_status"]


def parse_payout(node: dict) -> dict:
    net = node.get("net") or {}
    return {
        "shopify_gid": node["id"], "legacy_id": int(node["legacyResourceId"]), "issued_at": _time(node["issuedAt"]),
        "status": node.get("status") or "", "transaction_type": node.get("transactionType") or "",
        "net": _money({"shopMoney": net}), "currency": net.get("currencyCode") or "",
    }


def parse_balance_transaction(node: dict) -> dict:
    amount = node.get("amount") or {}
    payout = node.get("associatedPayout") or {}
    return {
        "shopify_gid": node["id"], "type": node.get("type") or "", "is_test": bool(node.get("test")),
        "transaction_date": _time(node["transactionDate"]), "amount": _money({"shopMoney": amount}),
        "fee": _money({"shopMoney": node.get("fee")}), "net": _money({"shopMoney": node.get("net")}),
        "currency": amount.get("currencyCode") or "",
        "source_order_transaction_id": str(node.get("sourceOrderTransactionId") or ""),
        "order_gid": (node.get("associatedOrder") or {}).get("id") or "",
        "payout_gid": payout.get("id") or "", "payout_status": payout.get("status") or "",
    }


def import_payouts(*, merchant, nodes: list[dict]) -> ImportCounts:
    return _upsert(merchant, nodes, ShopifyPayout, parse_payout, PAYOUT_FIELDS, "payout", stamp=_stamp_payout)


def _stamp_payout(payout: ShopifyPayout, now) -> list[str]:
    """Note when the payout was first read as left, and as failed; returns the fields it set."""
    stamped = []
    if payout.status in PAYOUT_LEFT and payout.left_seen_at is None:
        payout.left_seen_at = now
        stamped.append("left_seen_at")
    if payout.status in PAYOUT_FAILED and payout.failed_seen_at is None:
        payout.failed_seen_at = now
        stamped.append("failed_seen_at")
    return stamped


def import_balance_transactions(*, merchant, nodes: list[dict]) -> ImportCounts:
    return _upsert(merchant, nodes, ShopifyBalanceTransaction, parse_balance_transaction,
                   BALANCE_TRANSACTION_FIELDS, "balance transaction")


def _upsert(merchant, nodes, model, parse, fields, what: str, stamp=None) -> ImportCounts:
    counts = ImportCounts(read=len(nodes))
    rows: dict[str, dict] = {}
    for node in nodes:
        try:
            row = parse(node)
        except (PayloadError, KeyError, TypeError, ValueError, InvalidOperation) as exc:
            counts.failed += 1
            gid = (node or {}).get("id") or "?"
            counts.errors.append(RecordError(what, gid, f"the {what} could not be read: {exc}"))
            continue
        rows[row["shopify_gid"]] = row
    held = {obj.shopify_gid: obj for obj in model.objects.filter(merchant=merchant, shopify_gid__in=list(rows))}
    new, changed, stamped = [], [], set()
    now = timezone.now()
    for gid, row in rows.items():
        obj = held.get(gid)
        if obj is None:
            obj = model(merchant=merchant, **row)
            new.append(obj)
        elif any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            changed.append(obj)
        else:
            continue
        if stamp:
            stamped.update(stamp(obj, now))
    with transaction.atomic():
        model.objects.bulk_create(new)
        model.objects.bulk_update(changed, [*fields, *sorted(stamped), "imported_at"])
    counts.created, counts.updated = len(new), len(changed)
    counts.skipped = len(rows) - len(new) - len(changed)
    return counts
