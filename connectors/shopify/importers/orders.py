"""Shopify order JSON -> imported-order rows, upserted in batches keyed by GID.

One call takes a batch of complete order payloads (GraphQL shape, nested pages already followed)
and makes a fixed number of queries whatever its size: one to read what is held, then bulk
inserts and updates. An order whose updatedAt has not moved is skipped; a changed one has its rows
replaced. A payload that cannot be read fails alone, with its reason; the rest of the batch goes in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.models import (
    ShopifyDiscountAllocation,
    ShopifyDiscountApplication,
    ShopifyFulfillmentOrder,
    ShopifyFulfillmentOrderLine,
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyRefund,
    ShopifyRefundLine,
    ShopifyRefundShippingLine,
    ShopifyShippingLine,
    ShopifyTaxLine,
    ShopifyTransaction,
)

ORDER_FIELDS = [
    "legacy_id", "name", "created_at", "processed_at", "shopify_updated_at", "cancelled_at", "closed_at", "is_test",
    "email", "currency", "presentment_currency", "taxes_included", "financial_status", "fulfillment_status",
    "customer_gid", "customer_email", "customer_name", "risk_level", "subtotal", "total", "total_tax",
    "total_discounts", "total_shipping", "total_tip", "total_presentment", "processed", "has_error", "error_message",
]
# Children, leaves first: the order rows of a changed order are deleted in this order.
CHILD_MODELS = [
    ShopifyTaxLine, ShopifyDiscountAllocation, ShopifyRefundLine, ShopifyRefundShippingLine, ShopifyTransaction,
    ShopifyFulfillmentOrderLine, ShopifyFulfillmentOrder, ShopifyRefund, ShopifyDiscountApplication,
    ShopifyShippingLine, ShopifyOrderLine,
]


class PayloadError(ValueError):
    pass


@dataclass
class LineRows:
    line: ShopifyOrderLine | ShopifyShippingLine
    taxes: list[ShopifyTaxLine] = field(default_factory=list)
    allocations: list[ShopifyDiscountAllocation] = field(default_factory=list)


@dataclass
class RefundRows:
    refund: ShopifyRefund
    lines: list[ShopifyRefundLine] = field(default_factory=list)
    shipping_lines: list[ShopifyRefundShippingLine] = field(default_factory=list)
    transactions: list[ShopifyTransaction] = field(default_factory=list)


@dataclass
class OrderRows:
    order: ShopifyOrder
    lines: list[LineRows] = field(default_factory=list)
    shipping_lines: list[LineRows] = field(default_factory=list)
    applications: list[ShopifyDiscountApplication] = field(default_factory=list)
    transactions: list[ShopifyTransaction] = field(default_factory=list)
    refunds: list[RefundRows] = field(default_factory=list)
    fulfillment_orders: list[tuple[ShopifyFulfillmentOrder, list[ShopifyFulfillmentOrderLine]]] = field(
        default_factory=list)


# Reading ----------------------------------------------------------------------------------------

def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{value!r} is not a date and time") from None


def _money(bag: dict | None, side: str = "shopMoney") -> Decimal:
    if not bag:
        return Decimal("0")
    try:
        return Decimal(str(bag[side]["amount"]))
    except (KeyError, TypeError, InvalidOperation):
        raise PayloadError(f"an amount is missing or not a number in {bag!r}") from None


def _nodes(connection) -> list[dict]:
    if connection is None:
        return []
    if isinstance(connection, list):
        return connection
    if "nodes" in connection:
        return connection["nodes"] or []
    return [edge["node"] for edge in connection.get("edges") or []]


def _risk_level(risk: dict | None) -> str:
    levels = [a.get("riskLevel") or "" for a in (risk or {}).get("assessments") or []]
    for level in ("HIGH", "MEDIUM", "LOW", "NONE", "PENDING"):
        if level in levels:
            return level
    return ""


def parse_order(merchant, payload: dict) -> OrderRows:
    """Rows for one order payload; PayloadError (or KeyError) says what was wrong with it."""
    customer = payload.get("customer") or {}
    order = ShopifyOrder(
        merchant=merchant, shopify_gid=payload["id"], legacy_id=int(payload["legacyResourceId"]),
        name=payload["name"], created_at=_time(payload["createdAt"]), processed_at=_time(payload.get("processedAt")),
        shopify_updated_at=_time(payload["updatedAt"]), cancelled_at=_time(payload.get("cancelledAt")),
        closed_at=_time(payload.get("closedAt")), is_test=bool(payload.get("test")), email=payload.get("email") or "",
        currency=payload["currencyCode"], presentment_currency=payload.get("presentmentCurrencyCode") or "",
        taxes_included=bool(payload.get("taxesIncluded")),
        financial_status=payload.get("displayFinancialStatus") or "",
        fulfillment_status=payload.get("displayFulfillmentStatus") or "",
        customer_gid=customer.get("id") or "", customer_email=customer.get("email") or "",
        customer_name=customer.get("displayName") or "", risk_level=_risk_level(payload.get("risk")),
        subtotal=_money(payload.get("subtotalPriceSet")), total=_money(payload.get("totalPriceSet")),
        total_tax=_money(payload.get("totalTaxSet")), total_discounts=_money(payload.get("totalDiscountsSet")),
        total_shipping=_money(payload.get("totalShippingPriceSet")),
        total_tip=_money(payload.get("totalTipReceivedSet")),
        total_presentment=_money(payload.get("totalPriceSet"), "presentmentMoney")
        if (payload.get("totalPriceSet") or {}).get("presentmentMoney") else Decimal("0"),
    )
    rows = OrderRows(order)
    base = {"merchant": merchant}
    for position, item in enumerate(_nodes(payload.get("lineItems"))):
        line = ShopifyOrderLine(
            **base, shopify_gid=item["id"], position=position, sku=item.get("sku") or "", name=item.get("name") or "",
            quantity=int(item["quantity"]), is_gift_card=bool(item.get("isGiftCard")),
            unit_price=_money(item.get("originalUnitPriceSet")),
            unit_price_presentment=_money(item.get("originalUnitPriceSet"), "presentmentMoney")
            if (item.get("originalUnitPriceSet") or {}).get("presentmentMoney") else Decimal("0"),
        )
        rows.lines.append(_with_taxes_and_allocations(line, item, base))
    for item in _nodes(payload.get("shippingLines")):
        price = item.get("originalPriceSet")
        line = ShopifyShippingLine(
            **base, shopify_gid=item["id"], title=item.get("title") or "", code=item.get("code") or "",
            price=_money(price),
            price_presentment=_money(price, "presentmentMoney") if (price or {}).get("presentmentMoney") else 0,
        )
        rows.shipping_lines.append(_with_taxes_and_allocations(line, item, base))
    for item in _nodes(payload.get("discountApplications")):
        value = item.get("value") or {}
        rows.applications.append(ShopifyDiscountApplication(
            **base, index=int(item["index"]), kind=item.get("__typename") or "",
            code_or_title=item.get("code") or item.get("title") or "",
            allocation_method=item.get("allocationMethod") or "", target_type=item.get("targetType") or "",
            value_type="percentage" if "percentage" in value else "amount",
            value=Decimal(str(value.get("percentage", value.get("amount", "0")))),
        ))
    rows.transactions = [_transaction(item, base) for item in _nodes(payload.get("transactions"))]
    for item in _nodes(payload.get("refunds")):
        refund = RefundRows(ShopifyRefund(**base, shopify_gid=item["id"], created_at=_time(item["createdAt"]),
                                          note=item.get("note") or "",
                                          total_refunded=_money(item.get("totalRefundedSet"))))
        for line in _nodes(item.get("refundLineItems")):
            refund.lines.append(ShopifyRefundLine(
                **base, line_gid=(line.get("lineItem") or {}).get("id") or "", quantity=int(line["quantity"]),
                restock_type=line.get("restockType") or "", subtotal=_money(line.get("subtotalSet")),
                total_tax=_money(line.get("totalTaxSet"))))
        for line in _nodes(item.get("refundShippingLines")):
            refund.shipping_lines.append(ShopifyRefundShippingLine(
                **base, shipping_line_gid=(line.get("shippingLine") or {}).get("id") or "",
                subtotal=_money(line.get("subtotalAmountSet")), tax=_money(line.get("taxAmountSet"))))
        refund.transactions = [_transaction(t, base) for t in _nodes(item.get("transactions"))]
        rows.refunds.append(refund)
    # Order.transactions lists refund transactions too: keep each once, with its refund.
    refund_transactions = {t.shopify_gid for r in rows.refunds for t in r.transactions}
    rows.transactions = [t for t in rows.transactions if t.shopify_gid not in refund_transactions]
    for item in _nodes(payload.get("fulfillmentOrders")):
        location = ((item.get("assignedLocation") or {}).get("location")) or {}
        fulfillment_order = ShopifyFulfillmentOrder(
            **base, shopify_gid=item["id"], status=item.get("status") or "", location_gid=location.get("id") or "",
            location_name=location.get("name") or "")
        lines = [ShopifyFulfillmentOrderLine(
            **base, shopify_gid=line["id"], line_gid=(line.get("lineItem") or {}).get("id") or "",
            total_quantity=int(line["totalQuantity"]), remaining_quantity=int(line["remainingQuantity"]))
            for line in _nodes(item.get("lineItems"))]
        rows.fulfillment_orders.append((fulfillment_order, lines))
    return rows


def _with_taxes_and_allocations(line, item: dict, base: dict) -> LineRows:
    rows = LineRows(line)
    for tax in item.get("taxLines") or []:
        rows.taxes.append(ShopifyTaxLine(**base, title=tax.get("title") or "", rate=Decimal(str(tax.get("rate") or 0)),
                                         amount=_money(tax.get("priceSet"))))
    for allocation in item.get("discountAllocations") or []:
        rows.allocations.append(ShopifyDiscountAllocation(
            **base, application_index=int((allocation.get("discountApplication") or {}).get("index") or 0),
            amount=_money(allocation.get("allocatedAmountSet"))))
    line.discount = sum((a.amount for a in rows.allocations), Decimal("0"))
    return rows


def _transaction(item: dict, base: dict) -> ShopifyTransaction:
    amount = item.get("amountSet")
    return ShopifyTransaction(
        **base, shopify_gid=item["id"], kind=item["kind"], status=item["status"], gateway=item.get("gateway") or "",
        processed_at=_time(item.get("processedAt")), amount=_money(amount),
        amount_presentment=_money(amount, "presentmentMoney") if (amount or {}).get("presentmentMoney") else 0,
        fee=sum((_money({"shopMoney": f["amount"]}) for f in item.get("fees") or []), Decimal("0")),
        parent_gid=(item.get("parentTransaction") or {}).get("id") or "", is_test=bool(item.get("test")),
    )


# Writing ----------------------------------------------------------------------------------------

def import_orders(*, merchant, payloads: list[dict]) -> ImportCounts:
    counts = ImportCounts(read=len(payloads))
    latest: dict[str, dict] = {}
    for payload in payloads:
        latest[payload.get("id") or ""] = payload  # a page may repeat an order: its last state wins
    held = {
        gid: (pk, updated)
        for gid, pk, updated in ShopifyOrder.objects.filter(merchant=merchant, shopify_gid__in=list(latest))
        .values_list("shopify_gid", "id", "shopify_updated_at")
    }
    new: list[OrderRows] = []
    changed: list[OrderRows] = []
    for gid, payload in latest.items():
        try:
            rows = parse_order(merchant, payload)
        except (PayloadError, KeyError, TypeError, ValueError, InvalidOperation) as exc:
            counts.failed += 1
            counts.errors.append(RecordError("order", gid or "?", f"the order could not be read: {exc}"))
            continue
        if gid in held:
            pk, updated = held[gid]
            if updated == rows.order.shopify_updated_at:
                counts.skipped += 1
                continue
            rows.order.pk = pk
            changed.append(rows)
        else:
            new.append(rows)
    counts.skipped += len(payloads) - len(latest)
    if new or changed:
        _write(new, changed)
    counts.created += len(new)
    counts.updated += len(changed)
    return counts


@transaction.atomic
def _write(new: list[OrderRows], changed: list[OrderRows]) -> None:
    if changed:
        changed_ids = [rows.order.pk for rows in changed]
        for model in CHILD_MODELS:
            # One DELETE per table without Django's collector: leaves go first, so nothing dangles.
            model.objects.filter(order_id__in=changed_ids)._raw_delete(model.objects.db)
        ShopifyOrder.objects.bulk_update([r.order for r in changed], ORDER_FIELDS, batch_size=500)
    if new:
        ShopifyOrder.objects.bulk_create([r.order for r in new], batch_size=500)
    every = new + changed
    for rows in every:
        for child in _direct_children(rows):
            child.order = rows.order
    _create(ShopifyOrderLine, [r.line for rows in every for r in rows.lines])
    _create(ShopifyShippingLine, [r.line for rows in every for r in rows.shipping_lines])
    _create(ShopifyDiscountApplication, [a for rows in every for a in rows.applications])
    _create(ShopifyRefund, [r.refund for rows in every for r in rows.refunds])
    _create(ShopifyFulfillmentOrder, [fo for rows in every for fo, _ in rows.fulfillment_orders])
    taxes, allocations = [], []
    for rows in every:
        for line_rows in rows.lines + rows.shipping_lines:
            parent = "line" if isinstance(line_rows.line, ShopifyOrderLine) else "shipping_line"
            for child in line_rows.taxes + line_rows.allocations:
                child.order = rows.order
                setattr(child, parent, line_rows.line)
            taxes += line_rows.taxes
            allocations += line_rows.allocations
    _create(ShopifyTaxLine, taxes)
    _create(ShopifyDiscountAllocation, allocations)
    refund_lines, refund_shipping, transactions, fo_lines = [], [], [], []
    for rows in every:
        transactions += rows.transactions
        for refund in rows.refunds:
            for child in refund.lines + refund.shipping_lines + refund.transactions:
                child.order, child.refund = rows.order, refund.refund
            refund_lines += refund.lines
            refund_shipping += refund.shipping_lines
            transactions += refund.transactions
        for fulfillment_order, lines in rows.fulfillment_orders:
            for line in lines:
                line.order, line.fulfillment_order = rows.order, fulfillment_order
            fo_lines += lines
    _create(ShopifyRefundLine, refund_lines)
    _create(ShopifyRefundShippingLine, refund_shipping)
    _create(ShopifyTransaction, transactions)
    _create(ShopifyFulfillmentOrderLine, fo_lines)


def _direct_children(rows: OrderRows):
    yield from (r.line for r in rows.lines)
    yield from (r.line for r in rows.shipping_lines)
    yield from rows.applications
    yield from rows.transactions
    yield from (r.refund for r in rows.refunds)
    yield from (fo for fo, _ in rows.fulfillment_orders)


def _create(model, objects: list) -> None:
    if objects:
        model.objects.bulk_create(objects, batch_size=1000)
