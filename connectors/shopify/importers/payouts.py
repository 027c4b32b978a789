"""Shopify Payments payouts, balance transactions and disputes -> rows, upserted by GID in batches.

Per page: one query reads which GIDs are held, then one bulk insert (merged on a GID another run
inserted meanwhile) and one bulk update; a record that cannot be read fails alone with its reason.
"""
from __future__ import annotations

from decimal import InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.importers.orders import PayloadError, _money, _time
from connectors.shopify.models import (
    PAYOUT_FAILED,
    PAYOUT_LEFT,
    ShopifyBalanceTransaction,
    ShopifyDispute,
    ShopifyPayout,
)

# Shopify's summary field -> ours (Shopify names the refunds' gross "refundsFeeGross", the advance's
# fee "advanceFees").
SUMMARY_FIELDS = {
    "chargesGross": "charges_gross", "chargesFee": "charges_fee",
    "refundsFeeGross": "refunds_gross", "refundsFee": "refunds_fee",
    "adjustmentsGross": "adjustments_gross", "adjustmentsFee": "adjustments_fee",
    "reservedFundsGross": "reserved_funds_gross", "reservedFundsFee": "reserved_funds_fee",
    "retriedPayoutsGross": "retried_payouts_gross", "retriedPayoutsFee": "retried_payouts_fee",
    "advanceGross": "advance_gross", "advanceFees": "advance_fee",
}
PAYOUT_FIELDS = ["legacy_id", "issued_at", "status", "transaction_type", "net", "currency",
                 *SUMMARY_FIELDS.values()]
BALANCE_TRANSACTION_FIELDS = ["type", "is_test", "transaction_date", "amount", "fee", "net", "currency",
                              "source_order_transaction_id", "order_gid", "payout_gid", "payout_status",
                              "source_type", "source_id", "adjustment_reason", "order_name"]
DISPUTE_FIELDS = ["legacy_id", "order_gid", "order_name", "amount", "currency", "status", "type", "reason",
                  "network_reason_code", "initiated_at", "evidence_due_by", "evidence_sent_on", "finalized_on"]


def parse_payout(node: dict) -> dict:
    net = node.get("net") or {}
    summary = node["summary"]
    return {
        "shopify_gid": node["id"], "legacy_id": int(node["legacyResourceId"]), "issued_at": _time(node["issuedAt"]),
        "status": node.get("status") or "", "transaction_type": node.get("transactionType") or "",
        "net": _money({"shopMoney": net}), "currency": net.get("currencyCode") or "",
        **{ours: _money({"shopMoney": summary[theirs]}) for theirs, ours in SUMMARY_FIELDS.items()},
    }


def parse_balance_transaction(node: dict) -> dict:
    amount = node.get("amount") or {}
    payout = node.get("associatedPayout") or {}
    order = node.get("associatedOrder") or {}
    return {
        "shopify_gid": node["id"], "type": node.get("type") or "", "is_test": bool(node.get("test")),
        "transaction_date": _time(node["transactionDate"]), "amount": _money({"shopMoney": amount}),
        "fee": _money({"shopMoney": node.get("fee")}), "net": _money({"shopMoney": node.get("net")}),
        "currency": amount.get("currencyCode") or "",
        "source_order_transaction_id": str(node.get("sourceOrderTransactionId") or ""),
        "order_gid": order.get("id") or "", "order_name": order.get("name") or "",
        "payout_gid": payout.get("id") or "", "payout_status": payout.get("status") or "",
        "source_type": node.get("sourceType") or "", "source_id": str(node.get("sourceId") or ""),
        "adjustment_reason": (node.get("adjustmentReason") or "")[:255],
    }


def parse_dispute(node: dict) -> dict:
    amount = node["amount"]
    reason = node.get("reasonDetails") or {}
    order = node.get("order") or {}
    return {
        "shopify_gid": node["id"], "legacy_id": int(node["legacyResourceId"]),
        "order_gid": order.get("id") or "", "order_name": order.get("name") or "",
        "amount": _money({"shopMoney": amount}), "currency": amount.get("currencyCode") or "",
        "status": node["status"], "type": node.get("type") or "", "reason": reason.get("reason") or "",
        "network_reason_code": reason.get("networkReasonCode") or "", "initiated_at": _time(node["initiatedAt"]),
        "evidence_due_by": _date(node.get("evidenceDueBy")), "evidence_sent_on": _date(node.get("evidenceSentOn")),
        "finalized_on": _date(node.get("finalizedOn")),
    }


def _date(value):
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise PayloadError(f"{value!r} is not a date")
    return parsed


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
                   BALANCE_TRANSACTION_FIELDS, "balance transaction", stamp=_stamp_first_seen)


def _stamp_first_seen(row: ShopifyBalanceTransaction, now) -> list[str]:
    """When an import first read it: set once, so a later read keeps it."""
    if row.first_seen_at is None:
        row.first_seen_at = now
        return ["first_seen_at"]
    return []


def import_disputes(*, merchant, nodes: list[dict]) -> ImportCounts:
    return _upsert(merchant, nodes, ShopifyDispute, parse_dispute, DISPUTE_FIELDS, "dispute")


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
            if stamp:
                stamp(obj, now)
            new.append(obj)
            continue
        differs = any(getattr(obj, name) != row[name] for name in fields)
        for name in fields:
            setattr(obj, name, row[name])
        # A stamp still missing on an unchanged row (its insert was merged into another run's) is
        # set now: a change of its own.
        own_stamps = stamp(obj, now) if stamp else []
        if differs or own_stamps:
            stamped.update(own_stamps)
            obj.imported_at = now      # bulk_update does not run auto_now
            changed.append(obj)
    with transaction.atomic():
        # Report 1 and 30105 both import payments: a row the other run inserted since we looked is
        # merged, not a unique-constraint failure, and keeps that run's stamps (first_seen_at first).
        model.objects.bulk_create(new, update_conflicts=True, unique_fields=["merchant", "shopify_gid"],
                                  update_fields=[*fields, "imported_at"])
        model.objects.bulk_update(changed, [*fields, *sorted(stamped), "imported_at"])
    counts.created, counts.updated = len(new), len(changed)
    counts.skipped = len(rows) - len(new) - len(changed)
    return counts
