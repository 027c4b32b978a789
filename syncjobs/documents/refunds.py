"""Refunds become credit memos, or return orders, once their order's document is made (Business
Central's refund process "auto-create credit memo"), BATCH refunds at a time.

A refund line whose goods went back to stock is an item line (they come back in at the document's
location when it posts); goods not restocked go to the non-restock account; a gift card refunded
back to the gift card account; the shipping refunded, and whatever the refund paid back beyond its
lines (an adjustment), to the refund account. An even exchange (goods back, others out in their
place, no money moved) is one credit memo of both: the goods out as lines of negative quantity.
A refund with a payment still pending waits until it settles. Each refund becomes at most one
document (a unique row here, written in the same transaction as the document), whatever runs twice.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from connectors.ledger.mappings import tax_key
from connectors.ledger.records import CENT, DocumentType, LineType, SalesDocumentData, SalesLineData, TaxShare
from connectors.shopify.models import (
    ShopifyOrderLine,
    ShopifyRefund,
    ShopifyRefundLine,
    ShopifyRefundShippingLine,
    ShopifyTaxLine,
    ShopifyTransaction,
)
from core.local_time import zone_named
from merchants.models import RefundProcess
from syncjobs.customers.linking import customers_of_orders
from syncjobs.documents.drafts import discounts_of_lines, taxes_of_lines
from syncjobs.documents.models import SALE_KINDS, OrderDocument
from syncjobs.products.order_lines import items_of_lines

BATCH = 200
NOT_RESTOCKED = "NO_RESTOCK"
ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass
class RefundCounts:
    read: int = 0
    created: int = 0
    waiting: int = 0            # a payment back still pending
    failed: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)   # (refund GID, order name, why)


def credit_refunds(merchant, *, target) -> RefundCounts:
    counts = RefundCounts()
    if merchant.refund_process == RefundProcess.IMPORT_ONLY:
        return counts
    kind = DocumentType.RETURN_ORDER if merchant.refund_process == RefundProcess.AUTO_RETURN_ORDER \
        else DocumentType.CREDIT_MEMO
    sold = OrderDocument.objects.filter(merchant=merchant, kind__in=SALE_KINDS).values("order_id")
    credited = OrderDocument.objects.filter(merchant=merchant).exclude(shopify_refund_id="").values("shopify_refund_id")
    waiting = ShopifyRefund.objects.filter(merchant=merchant, order_id__in=sold).exclude(shopify_gid__in=credited)
    last = 0
    while True:
        batch = list(waiting.filter(pk__gt=last).select_related("order").order_by("pk")[:BATCH])
        if not batch:
            return counts
        last = batch[-1].pk
        try:
            _credit(merchant, batch, kind, target=target, counts=counts)
        except IntegrityError:
            pass   # another run credited these refunds meanwhile: the next run finds nothing left of them


def _credit(merchant, batch: list[ShopifyRefund], kind: str, *, target, counts: RefundCounts) -> None:
    pending = set(ShopifyTransaction.objects.filter(refund__in=batch, status="PENDING")
                  .values_list("refund_id", flat=True))
    ready = [refund for refund in batch if refund.pk not in pending]
    counts.read += len(batch)
    counts.waiting += len(pending)
    exchanges = even_exchanges(ready)
    taken: dict[int, dict[str, int]] = {}
    drafts = _drafts(merchant, ready, kind, target=target, exchanges=exchanges, taken=taken)
    with transaction.atomic():
        good = [(refund, draft) for refund, draft in drafts if isinstance(draft, SalesDocumentData)]
        outcomes = target.create_sales_documents(merchant, [draft for _, draft in good]) if good else []
        rows = []
        for (refund, _), outcome in zip(good, outcomes, strict=True):
            if outcome.document is None:
                counts.errors.append((refund.shopify_gid, refund.order.name, outcome.error))
                continue
            rows.append(OrderDocument(merchant=merchant, order=refund.order, shopify_order_id=refund.order.shopify_gid,
                                      shopify_refund_id=refund.shopify_gid, kind=kind,
                                      document_no=outcome.document.number, lines_made_from=taken.get(refund.pk, {})))
        OrderDocument.objects.bulk_create(rows)
    counts.created += len(rows)
    counts.errors += [(refund.shopify_gid, refund.order.name, why) for refund, why in drafts if isinstance(why, str)]
    counts.failed = len(counts.errors)


def even_exchanges(refunds) -> set[int]:
    """The refunds of even exchanges (goods back, others out in their place, no money moved): refund
    lines and no payment back."""
    paying = set(ShopifyTransaction.objects.filter(refund__in=refunds).values_list("refund_id", flat=True))
    returning = set(ShopifyRefundLine.objects.filter(refund__in=refunds).values_list("refund_id", flat=True))
    return {refund.pk for refund in refunds if refund.pk in returning and refund.pk not in paying}


def _drafts(merchant, refunds: list[ShopifyRefund], kind: str, *, target, exchanges: set[int],
            taken: dict[int, dict[str, int]]) -> list[tuple[ShopifyRefund, object]]:
    """Each refund's credit memo draft, or why it cannot be made (a string). An even exchange's
    draft also gives out, as lines of negative quantity, the order's lines no document took yet (the
    goods that went out in place of those that came back); `taken` keeps which, per refund."""
    if not refunds:
        return []
    lines = list(ShopifyRefundLine.objects.filter(refund__in=refunds).order_by("refund_id", "pk"))
    shipping = list(ShopifyRefundShippingLine.objects.filter(refund__in=refunds).order_by("refund_id", "pk"))
    taxes: dict[tuple[str, int], list] = defaultdict(list)
    for line_id, shipping_id, title, rate, amount in ShopifyTaxLine.objects.filter(
            merchant=merchant, order_id__in={r.order_id for r in refunds}).exclude(
            refund_line=None, refund_shipping_line=None).values_list(
            "refund_line_id", "refund_shipping_line_id", "title", "rate", "amount"):
        taxes[("line", line_id) if line_id else ("shipping", shipping_id)].append((title, rate, amount))
    paid_back = defaultdict(Decimal)
    for refund_id, amount in ShopifyTransaction.objects.filter(refund__in=refunds, status="SUCCESS",
                                                               kind="REFUND").values_list("refund_id", "amount"):
        paid_back[refund_id] += amount
    originals = {line.shopify_gid: line for line in ShopifyOrderLine.objects.filter(
        merchant=merchant, shopify_gid__in={line.line_gid for line in lines})}
    items = items_of_lines(merchant, [o for o in originals.values() if not o.is_gift_card], target=target)
    customers = customers_of_orders(merchant, list({r.order_id: r.order for r in refunds}.values()))
    lines_of, shipping_of = defaultdict(list), defaultdict(list)
    for line in lines:
        lines_of[line.refund_id].append(line)
    for line in shipping:
        shipping_of[line.refund_id].append(line)
    zone = zone_named(merchant.time_zone)
    drafts = []
    for refund in refunds:
        order = refund.order
        customer, why = customers[order.pk]
        reasons = [f"customer: {why}"] if not customer else []
        document_lines = []
        for line in lines_of[refund.pk]:
            if not line.quantity:
                continue
            original = originals.get(line.line_gid)
            if original is None:
                reasons.append(f"refund line {line.line_gid}: its order line is not imported")
                continue
            common = _priced(original, line, taxes[("line", line.pk)])
            if original.is_gift_card:
                document_lines.append(SalesLineData(LineType.ACCOUNT, "", money_kind="gift_cards_sold", **common))
            elif line.restock_type == NOT_RESTOCKED:
                document_lines.append(SalesLineData(LineType.ACCOUNT, "", money_kind="non_restock", **common))
            else:
                item = items.get(original.pk)
                if item is None or not item.item_no:
                    reasons.append(f"line {original.name!r}: no item ({item.reason if item else 'not mapped'})")
                    continue
                document_lines.append(SalesLineData(LineType.ITEM, item.item_no, variant_code=item.variant_code,
                                                    **common))
        for line in shipping_of[refund.pk]:
            document_lines.append(SalesLineData(
                LineType.ACCOUNT, "", "Shipping refunded", ONE, line.subtotal, money_kind="refunds",
                taxes=_shares(taxes[("shipping", line.pk)], line.tax)))
        if refund.pk in exchanges:
            out, why = _given_out(merchant, refund, target=target, claimed=taken)
            document_lines += out
            reasons += why
        if reasons:
            drafts.append((refund, "not everything can be mapped: " + "; ".join(dict.fromkeys(reasons))))
            continue
        draft = SalesDocumentData(
            type=kind, customer=customer, currency=order.currency,
            document_date=timezone.localtime(refund.created_at, zone).date(), lines=tuple(document_lines),
            prices_include_tax=order.taxes_included, external_document_no=f"{order.name} refund"[:35],
            shopify_order_id=order.shopify_gid, shopify_order_no=order.name, released=True)
        rest = paid_back[refund.pk].quantize(CENT) - draft.totals().amount_including_tax
        if rest and refund.pk in exchanges:
            taken.pop(refund.pk, None)
            drafts.append((refund, f"an exchange whose goods out and back differ by {-rest}; credit it by hand"))
            continue
        if rest:
            draft = replace(draft, lines=(*document_lines, SalesLineData(
                LineType.ACCOUNT, "", "Refund adjustment", ONE, rest, money_kind="refunds")))
        if not draft.lines:
            continue   # a refund of nothing: no document
        drafts.append((refund, draft))
    return drafts


def _given_out(merchant, refund: ShopifyRefund, *, target, claimed: dict) -> tuple[list[SalesLineData], list[str]]:
    """The exchange's goods out: the order's lines no document of it took yet, negated."""
    covered: set[str] = set()
    for made_from in OrderDocument.objects.filter(order_id=refund.order_id).values_list("lines_made_from", flat=True):
        covered |= set(made_from)
    for other in claimed.values():
        covered |= set(other)
    new = [line for line in ShopifyOrderLine.objects.filter(order_id=refund.order_id).order_by("position")
           if line.shopify_gid not in covered and line.quantity]
    taxes = taxes_of_lines([refund.order_id])
    line_discounts, order_discounts = discounts_of_lines([refund.order_id])
    items = items_of_lines(merchant, new, target=target)
    out, reasons = [], []
    for line in new:
        item = items.get(line.pk)
        if item is None or not item.item_no:
            reasons.append(f"line {line.name!r}: no item ({item.reason if item else 'not mapped'})")
            continue
        out.append(SalesLineData(
            LineType.ITEM, item.item_no, line.name[:100], -Decimal(line.quantity), line.unit_price,
            variant_code=item.variant_code, line_discount=-line_discounts[("line", line.pk)],
            invoice_discount=-order_discounts[("line", line.pk)], shopify_line_id=line.shopify_gid,
            taxes=tuple(TaxShare(t.key, t.rate, -t.amount) for t in taxes[("line", line.pk)])))
    claimed[refund.pk] = {line.shopify_gid: line.quantity for line in new}
    return out, reasons


def _priced(original: ShopifyOrderLine, line: ShopifyRefundLine, taxes: list) -> dict:
    """The refund line as a document line: the order line's unit price, with what the refund gave
    back less than that as the line's discount, so the line comes to exactly what was refunded."""
    quantity = Decimal(line.quantity)
    refunded = line.subtotal.quantize(CENT)
    gross = (quantity * original.unit_price).quantize(CENT)
    price, discount = (original.unit_price, gross - refunded) if refunded <= gross else (refunded / quantity, ZERO)
    return {"description": original.name[:100], "quantity": quantity, "unit_price": price, "line_discount": discount,
            "taxes": _shares(taxes, line.total_tax), "shopify_line_id": original.shopify_gid}


def _shares(taxes: list, total: Decimal) -> tuple[TaxShare, ...]:
    """The refund's tax per rate in cents, adding up to the tax Shopify refunded."""
    if not taxes:
        return ()
    shares = [TaxShare(tax_key(title, rate), rate, Decimal(amount).quantize(CENT)) for title, rate, amount in taxes]
    gap = total.quantize(CENT) - sum((share.amount for share in shares), ZERO)
    if gap:
        last = shares[-1]
        shares[-1] = TaxShare(last.key, last.rate, last.amount + gap)
    return tuple(shares)
