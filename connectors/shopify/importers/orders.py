"""Shopify order JSON -> imported-order rows, upserted in batches keyed by GID.

One call takes a batch of complete order payloads (GraphQL shape, nested pages already followed)
and makes a fixed number of queries whatever its size: one to read what is held, then one insert
per table (COPY on PostgreSQL) with ids reserved up front, so no model objects are built. An order
whose updatedAt has not moved is skipped; a changed one has its rows replaced (announced first, see
connectors/shopify/signals.py). A payload that cannot be read fails alone, with its reason; the
rest of the batch goes in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.importers.table_writer import TableWriter
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
from connectors.shopify.signals import orders_added, orders_replaced, orders_replacing

# The order's bill_to_ and ship_to_ columns, by the MailingAddress field each is read from.
ADDRESS_PARTS = {
    "name": "name", "company": "company", "address1": "address1", "address2": "address2", "city": "city",
    "zip": "zip", "province_code": "provinceCode", "country_code": "countryCodeV2",
}
# Written again when an order changed; the document pipeline's own fields are kept.
ORDER_FIELDS = [
    "legacy_id", "name", "created_at", "processed_at", "shopify_updated_at", "cancelled_at", "closed_at", "is_test",
    "email", "currency", "presentment_currency", "taxes_included", "financial_status", "fulfillment_status",
    "customer_gid", "customer_email", "customer_name", "company_gid", "company_location_gid", "risk_level",
    "subtotal", "total", "total_tax", "total_discounts", "total_shipping", "total_tip", "total_presentment",
    "imported_at",
    *(f"bill_to_{part}" for part in ADDRESS_PARTS), *(f"ship_to_{part}" for part in ADDRESS_PARTS),
]
# Children, leaves first: the rows of a changed order are deleted in this order.
CHILD_MODELS = [
    ShopifyTaxLine, ShopifyDiscountAllocation, ShopifyRefundLine, ShopifyRefundShippingLine, ShopifyTransaction,
    ShopifyFulfillmentOrderLine, ShopifyFulfillmentOrder, ShopifyRefund, ShopifyDiscountApplication,
    ShopifyShippingLine, ShopifyOrderLine,
]
_ADDRESS_LENGTHS = {name: ShopifyOrder._meta.get_field(name).max_length
                    for name in ORDER_FIELDS if name.startswith(("bill_to_", "ship_to_"))}
ZERO = Decimal("0")
ONE = Decimal("1")
SPLIT_PLACES = Decimal("1e-10")


class PayloadError(ValueError):
    pass


@dataclass
class ParsedOrder:
    """One order's rows as column dicts; children of children hang under "_" keys until written."""

    order: dict
    lines: list[dict] = field(default_factory=list)
    shipping_lines: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    transactions: list[dict] = field(default_factory=list)
    refunds: list[dict] = field(default_factory=list)
    fulfillment_orders: list[dict] = field(default_factory=list)


# Reading ----------------------------------------------------------------------------------------

def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{value!r} is not a date and time") from None


def _money(bag: dict | None, side: str = "shopMoney") -> Decimal:
    if not bag or not bag.get(side):
        return ZERO
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


def parse_order(payload: dict) -> ParsedOrder:
    """Rows for one order payload; PayloadError (or KeyError) says what was wrong with it."""
    customer = payload.get("customer") or {}
    parsed = ParsedOrder({
        "shopify_gid": payload["id"], "legacy_id": int(payload["legacyResourceId"]), "name": payload["name"],
        "created_at": _time(payload["createdAt"]), "processed_at": _time(payload.get("processedAt")),
        "shopify_updated_at": _time(payload["updatedAt"]), "cancelled_at": _time(payload.get("cancelledAt")),
        "closed_at": _time(payload.get("closedAt")), "is_test": bool(payload.get("test")),
        "email": payload.get("email") or "", "currency": payload["currencyCode"],
        "presentment_currency": payload.get("presentmentCurrencyCode") or "",
        "taxes_included": bool(payload.get("taxesIncluded")),
        "financial_status": payload.get("displayFinancialStatus") or "",
        "fulfillment_status": payload.get("displayFulfillmentStatus") or "",
        "customer_gid": customer.get("id") or "", "customer_email": customer.get("email") or "",
        "customer_name": customer.get("displayName") or "", **_purchasing_company(payload.get("purchasingEntity")),
        "risk_level": _risk_level(payload.get("risk")),
        "subtotal": _money(payload.get("subtotalPriceSet")), "total": _money(payload.get("totalPriceSet")),
        "total_tax": _money(payload.get("totalTaxSet")), "total_discounts": _money(payload.get("totalDiscountsSet")),
        "total_shipping": _money(payload.get("totalShippingPriceSet")),
        "total_tip": _money(payload.get("totalTipReceivedSet")),
        "total_presentment": _money(payload.get("totalPriceSet"), "presentmentMoney"),
        **_address(payload.get("billingAddress"), "bill_to"), **_address(payload.get("shippingAddress"), "ship_to"),
        "processed": False, "has_error": False, "error_message": "",
    })
    for position, item in enumerate(_nodes(payload.get("lineItems"))):
        price = item.get("originalUnitPriceSet")
        parsed.lines.append(_with_taxes_and_allocations({
            "shopify_gid": item["id"], "position": position, "sku": item.get("sku") or "",
            "name": item.get("name") or "", "quantity": int(item["quantity"]),
            "is_gift_card": bool(item.get("isGiftCard")), "unit_price": _money(price),
            "unit_price_presentment": _money(price, "presentmentMoney"),
        }, item))
    for item in _nodes(payload.get("shippingLines")):
        price = item.get("originalPriceSet")
        parsed.shipping_lines.append(_with_taxes_and_allocations({
            "shopify_gid": item["id"], "title": item.get("title") or "", "code": item.get("code") or "",
            "price": _money(price), "price_presentment": _money(price, "presentmentMoney"),
        }, item))
    for item in _nodes(payload.get("discountApplications")):
        value = item.get("value") or {}
        parsed.applications.append({
            "index": int(item["index"]), "kind": item.get("__typename") or "",
            "code_or_title": item.get("code") or item.get("title") or "",
            "allocation_method": item.get("allocationMethod") or "", "target_type": item.get("targetType") or "",
            "value_type": "percentage" if "percentage" in value else "amount",
            "value": Decimal(str(value.get("percentage", value.get("amount", "0")))),
        })
    included = parsed.order["taxes_included"]
    for row in parsed.lines:
        _split_tax(row, gross=row["unit_price"] * row["quantity"], included=included, net_field="net_amount")
    for row in parsed.shipping_lines:
        _split_tax(row, gross=row["price"], included=included, net_field="net_price")
    lines_by_gid = {row["shopify_gid"]: row for row in parsed.lines}
    shipping_by_gid = {row["shopify_gid"]: row for row in parsed.shipping_lines}
    for item in _nodes(payload.get("refunds")):
        parsed.refunds.append({
            "shopify_gid": item["id"], "created_at": _time(item["createdAt"]), "note": item.get("note") or "",
            "total_refunded": _money(item.get("totalRefundedSet")),
            "_lines": [_refund_line(line, lines_by_gid, included) for line in _nodes(item.get("refundLineItems"))],
            "_shipping_lines": [_refund_shipping_line(line, shipping_by_gid, included)
                                for line in _nodes(item.get("refundShippingLines"))],
            "_transactions": [_transaction(t) for t in _nodes(item.get("transactions"))],
        })
    # Order.transactions lists refund transactions too: keep each once, with its refund.
    refund_transactions = {t["shopify_gid"] for r in parsed.refunds for t in r["_transactions"]}
    parsed.transactions = [t for t in map(_transaction, _nodes(payload.get("transactions")))
                           if t["shopify_gid"] not in refund_transactions]
    for item in _nodes(payload.get("fulfillmentOrders")):
        location = ((item.get("assignedLocation") or {}).get("location")) or {}
        parsed.fulfillment_orders.append({
            "shopify_gid": item["id"], "status": item.get("status") or "", "location_gid": location.get("id") or "",
            "location_name": location.get("name") or "",
            "_lines": [{
                "shopify_gid": line["id"], "line_gid": (line.get("lineItem") or {}).get("id") or "",
                "total_quantity": int(line["totalQuantity"]), "remaining_quantity": int(line["remainingQuantity"]),
            } for line in _nodes(item.get("lineItems"))],
        })
    return parsed


def _purchasing_company(entity: dict | None) -> dict:
    """The company and company location a B2B order was placed for; blank for a consumer's order
    (its purchasingEntity is the Customer, or null)."""
    if not isinstance(entity, dict) or entity.get("__typename") != "PurchasingCompany":
        return {"company_gid": "", "company_location_gid": ""}
    company, location = entity.get("company") or {}, entity.get("location") or {}
    if not company.get("id") or not location.get("id"):
        raise PayloadError("the order's purchasing company names no company or no location")
    return {"company_gid": company["id"], "company_location_gid": location["id"]}


def _address(address: dict | None, prefix: str) -> dict:
    """The `prefix`_ columns of one of the order's addresses: blank where there is none (a ship-to of
    gift cards or digital goods only) or a part is null. What a customer typed is cut to the column's
    length rather than failing the order."""
    address = address or {}
    columns = {}
    for part, key in ADDRESS_PARTS.items():
        column, value = f"{prefix}_{part}", address.get(key)
        columns[column] = "" if value is None else str(value)[:_ADDRESS_LENGTHS[column]]
    return columns


def _with_taxes_and_allocations(row: dict, item: dict) -> dict:
    row["_taxes"] = [{"title": tax.get("title") or "", "rate": Decimal(str(tax.get("rate") or 0)),
                      "amount": _money(tax.get("priceSet"))} for tax in item.get("taxLines") or []]
    row["_allocations"] = [{
        "application_index": int((allocation.get("discountApplication") or {}).get("index") or 0),
        "amount": _money(allocation.get("allocatedAmountSet")),
    } for allocation in item.get("discountAllocations") or []]
    row["discount"] = sum((a["amount"] for a in row["_allocations"]), ZERO)
    return row


def _split_tax(row: dict, *, gross: Decimal, included: bool, net_field: str) -> None:
    """The row's amounts without tax, unrounded.

    Shopify charges tax on the discounted amount and rounds it per tax line. Where prices include
    tax, the discount is split as discount ÷ (1 + combined rate) and the amount without tax is what
    is left of the price once Shopify's own tax and the discount's tax share are taken out: so
    sales + tax − discounts is exactly what the customer was charged, and a day's rounding stays a
    few cents however many lines it has (per-line tax rounding would otherwise add up).
    """
    rate = sum((tax["rate"] for tax in row["_taxes"]), ZERO)
    row["tax_rate"] = rate
    if not included:
        row[net_field], row["net_discount"] = gross, row["discount"]
        return
    tax = sum((tax["amount"] for tax in row["_taxes"]), ZERO)
    net_discount = (row["discount"] / (ONE + rate)).quantize(SPLIT_PLACES)
    row["net_discount"] = net_discount
    row[net_field] = gross - row["discount"] - tax + net_discount


def _refund_line(line: dict, lines_by_gid: dict, included: bool) -> dict:
    refunded = lines_by_gid.get((line.get("lineItem") or {}).get("id") or "") or {}
    subtotal, tax = _money(line.get("subtotalSet")), _money(line.get("totalTaxSet"))
    return {
        "line_gid": (line.get("lineItem") or {}).get("id") or "", "quantity": int(line["quantity"]),
        "restock_type": line.get("restockType") or "", "subtotal": subtotal, "total_tax": tax,
        "is_gift_card": bool(refunded.get("is_gift_card")),
        "net_subtotal": subtotal - tax if included else subtotal,
        "_taxes": _tax_shares(tax, refunded.get("_taxes") or []),
    }


def _refund_shipping_line(line: dict, shipping_by_gid: dict, included: bool) -> dict:
    refunded = shipping_by_gid.get((line.get("shippingLine") or {}).get("id") or "") or {}
    subtotal, tax = _money(line.get("subtotalAmountSet")), _money(line.get("taxAmountSet"))
    return {
        "shipping_line_gid": (line.get("shippingLine") or {}).get("id") or "", "subtotal": subtotal, "tax": tax,
        "net_subtotal": subtotal - tax if included else subtotal,
        "_taxes": _tax_shares(tax, refunded.get("_taxes") or []),
    }


def _tax_shares(amount: Decimal, taxes: list[dict]) -> list[dict]:
    """A refund's tax split over the refunded line's tax lines in proportion to them (D2)."""
    if not amount:
        return []
    if not taxes:
        return [{"title": "", "rate": ZERO, "amount": amount}]
    weights = [tax["amount"] for tax in taxes]
    if not sum(weights):
        weights = [tax["rate"] for tax in taxes] if sum(tax["rate"] for tax in taxes) else [ONE] * len(taxes)
    whole = sum(weights)
    shares = [(amount * weight / whole).quantize(SPLIT_PLACES) for weight in weights]
    shares[-1] += amount - sum(shares)   # the shares add up to the refund's tax exactly
    return [{"title": tax["title"], "rate": tax["rate"], "amount": share} for tax, share in zip(taxes, shares)]


def _transaction(item: dict) -> dict:
    amount = item.get("amountSet")
    return {
        "shopify_gid": item["id"], "kind": item["kind"], "status": item["status"],
        "gateway": item.get("gateway") or "", "processed_at": _time(item.get("processedAt")),
        "amount": _money(amount), "amount_presentment": _money(amount, "presentmentMoney"),
        "fee": sum((_money({"shopMoney": f["amount"]}) for f in item.get("fees") or []), ZERO),
        "parent_gid": (item.get("parentTransaction") or {}).get("id") or "", "is_test": bool(item.get("test")),
        # Only card payments name a card (CardPaymentDetails); other gateways answer null or another type.
        "card_brand": ((item.get("paymentDetails") or {}).get("company") or "")[:64],
        "refund_id": None,
    }


# Writing ----------------------------------------------------------------------------------------

def import_orders(*, merchant, payloads: list[dict]) -> ImportCounts:
    counts = ImportCounts(read=len(payloads))
    latest: dict[str, dict] = {}
    for payload in payloads:
        latest[payload.get("id") or ""] = payload  # a page may repeat an order: its last state wins
    held = {
        gid: (pk, updated, buyer)
        for gid, pk, updated, *buyer in ShopifyOrder.objects.filter(merchant=merchant, shopify_gid__in=list(latest))
        .values_list("shopify_gid", "id", "shopify_updated_at", "company_gid", "company_location_gid")
    }
    new: list[ParsedOrder] = []
    changed: list[ParsedOrder] = []
    buyers: list[ShopifyOrder] = []
    for gid, payload in latest.items():
        try:
            parsed = parse_order(payload)
        except (PayloadError, KeyError, TypeError, ValueError, InvalidOperation) as exc:
            counts.failed += 1
            counts.errors.append(RecordError("order", gid or "?", f"the order could not be read: {exc}"))
            continue
        if gid in held:
            pk, updated, buyer = held[gid]
            if updated == parsed.order["shopify_updated_at"]:
                counts.skipped += 1
                if "purchasingEntity" in payload and buyer != [parsed.order["company_gid"],
                                                               parsed.order["company_location_gid"]]:
                    # Read before the import knew B2B buyers: its company is filled in, nothing else moves.
                    buyers.append(ShopifyOrder(pk=pk, company_gid=parsed.order["company_gid"],
                                               company_location_gid=parsed.order["company_location_gid"]))
                continue
            parsed.order["id"] = pk
            changed.append(parsed)
        else:
            new.append(parsed)
    counts.skipped += len(payloads) - len(latest)
    if buyers:
        ShopifyOrder.objects.bulk_update(buyers, ["company_gid", "company_location_gid"], batch_size=500)
    if new or changed:
        _write(merchant.pk, new, changed)
    counts.created += len(new)
    counts.updated += len(changed)
    return counts


@transaction.atomic
def _write(merchant_id: int, new: list[ParsedOrder], changed: list[ParsedOrder]) -> None:
    writer = TableWriter()
    now = timezone.now()
    first_seen: dict[str, datetime | None] = {}
    success_seen: dict[str, datetime | None] = {}
    if changed:
        changed_ids = [parsed.order["id"] for parsed in changed]
        orders_replacing.send(sender=ShopifyOrder, merchant_id=merchant_id, order_ids=changed_ids)
        # When each payment and refund was first read (and a payment first read as SUCCESS: a refund
        # paid back PENDING succeeds later) survives the rows being replaced.
        for gid, seen, succeeded in ShopifyTransaction.objects.filter(order_id__in=changed_ids).values_list(
                "shopify_gid", "first_seen_at", "success_seen_at"):
            first_seen[gid], success_seen[gid] = seen, succeeded
        first_seen.update(ShopifyRefund.objects.filter(order_id__in=changed_ids).values_list(
            "shopify_gid", "first_seen_at"))
        for model in CHILD_MODELS:
            # One DELETE per table without Django's collector: leaves go first, so nothing dangles.
            model.objects.filter(order_id__in=changed_ids)._raw_delete(model.objects.db)
        for parsed in changed:
            parsed.order["imported_at"] = now
        _update_orders([parsed.order for parsed in changed])
    for parsed, order_id in zip(new, writer.reserve_ids(ShopifyOrder, len(new))):
        parsed.order.update(id=order_id, merchant_id=merchant_id, imported_at=now)
    writer.insert(ShopifyOrder, [parsed.order for parsed in new], with_id=True)

    every = new + changed
    owned = {"merchant_id": merchant_id}
    rows: dict[type, list[dict]] = {model: [] for model in CHILD_MODELS}
    parents = [
        (ShopifyOrderLine, "lines"), (ShopifyShippingLine, "shipping_lines"), (ShopifyRefund, "refunds"),
        (ShopifyFulfillmentOrder, "fulfillment_orders"),
    ]
    for parsed in every:
        for row in parsed.refunds:
            row["first_seen_at"] = first_seen.get(row["shopify_gid"]) or now
        for row in [*parsed.transactions, *(t for r in parsed.refunds for t in r["_transactions"])]:
            row["first_seen_at"] = first_seen.get(row["shopify_gid"]) or now
            row["success_seen_at"] = success_seen.get(row["shopify_gid"]) or (
                now if row["status"] == "SUCCESS" else None)
    for model, attribute in parents:
        children = [(parsed, row) for parsed in every for row in getattr(parsed, attribute)]
        for (parsed, row), child_id in zip(children, writer.reserve_ids(model, len(children))):
            row.update(owned, id=child_id, order_id=parsed.order["id"])
            rows[model].append(row)
    # Refund lines carry the shares of the refund's tax, so they get their ids up front too.
    for model, key in ((ShopifyRefundLine, "_lines"), (ShopifyRefundShippingLine, "_shipping_lines")):
        children = [row for parsed in every for refund in parsed.refunds for row in refund[key]]
        for row, child_id in zip(children, writer.reserve_ids(model, len(children))):
            row["id"] = child_id
    no_parent = {"line_id": None, "shipping_line_id": None, "refund_line_id": None, "refund_shipping_line_id": None}
    for parsed in every:
        order = {**owned, "order_id": parsed.order["id"]}
        for line in parsed.lines:
            _adopt(rows, ShopifyTaxLine, line["_taxes"], order, **{**no_parent, "line_id": line["id"]})
            _adopt(rows, ShopifyDiscountAllocation, line["_allocations"], order, line_id=line["id"],
                   shipping_line_id=None)
        for line in parsed.shipping_lines:
            _adopt(rows, ShopifyTaxLine, line["_taxes"], order, **{**no_parent, "shipping_line_id": line["id"]})
            _adopt(rows, ShopifyDiscountAllocation, line["_allocations"], order, line_id=None,
                   shipping_line_id=line["id"])
        _adopt(rows, ShopifyDiscountApplication, parsed.applications, order)
        _adopt(rows, ShopifyTransaction, parsed.transactions, order)
        for refund in parsed.refunds:
            _adopt(rows, ShopifyRefundLine, refund["_lines"], order, refund_id=refund["id"])
            _adopt(rows, ShopifyRefundShippingLine, refund["_shipping_lines"], order, refund_id=refund["id"])
            _adopt(rows, ShopifyTransaction, refund["_transactions"], order, refund_id=refund["id"])
            for line in refund["_lines"]:
                _adopt(rows, ShopifyTaxLine, line["_taxes"], order, **{**no_parent, "refund_line_id": line["id"]})
            for line in refund["_shipping_lines"]:
                _adopt(rows, ShopifyTaxLine, line["_taxes"], order,
                       **{**no_parent, "refund_shipping_line_id": line["id"]})
        for fulfillment_order in parsed.fulfillment_orders:
            _adopt(rows, ShopifyFulfillmentOrderLine, fulfillment_order["_lines"], order,
                   fulfillment_order_id=fulfillment_order["id"])
    # Parents before children, so every foreign key points at a row that is already there.
    with_ids = {*dict(parents), ShopifyRefundLine, ShopifyRefundShippingLine}
    for model in reversed(CHILD_MODELS):
        writer.insert(model, rows[model], with_id=model in with_ids)
    if new:
        orders_added.send(sender=ShopifyOrder, merchant_id=merchant_id, order_ids=[p.order["id"] for p in new])
    if changed:
        orders_replaced.send(sender=ShopifyOrder, merchant_id=merchant_id, order_ids=[p.order["id"] for p in changed])


def _adopt(rows: dict, model: type, children: list[dict], order: dict, **parents) -> None:
    for child in children:
        child.update(order, **parents)
    rows[model].extend(children)


def _update_orders(orders: list[dict]) -> None:
    table = ShopifyOrder._meta.db_table
    fields = [ShopifyOrder._meta.get_field(name) for name in ORDER_FIELDS]
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{table}" SET {assignments} WHERE "id" = %s',  # noqa: S608 (the model's own table)
            [[f.get_db_prep_save(order[f.attname], connection) for f in fields] + [order["id"]] for order in orders],
        )
