"""What sales document an imported order becomes (Business Central's ShpfyProcessOrder), in batches:
a few queries per batch of orders, none per order.

- The sell-to customer is the buyer's link (syncjobs.customers), the bill-to the one ledger customer
  billed to the order's billing name and address, else the sell-to (BC bug 642033: an unmappable
  bill-to never blocks the order).
- Each order line is an item line (syncjobs.products finds the item by SKU); a gift card sold, the
  shipping and the tip are account lines whose accounts the books take from the account mappings.
- A discount spread across the order ("ACROSS") is the document's invoice discount, each line
  keeping Shopify's share of it; other discounts are line discounts.
- A fulfilled order is an invoice when the card says so, else an order.
Money is the shop currency (Shopify's shopMoney), as the daily journal posts it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from connectors.ledger.mappings import tax_key
from connectors.ledger.records import (
    CENT,
    AddressData,
    BillTo,
    DocumentType,
    LineType,
    SalesDocumentData,
    SalesLineData,
    TaxShare,
)
from connectors.shopify.models import (
    ShopifyDiscountAllocation,
    ShopifyDiscountApplication,
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyShippingLine,
    ShopifyTaxLine,
)
from connectors.shopify.states import FulfillmentStatus
from core.local_time import zone_named
from syncjobs.customers.linking import customers_of_orders
from syncjobs.products.order_lines import items_of_lines

ORDER_DISCOUNT = "ACROSS"   # Shopify's allocation method of a discount on the order as a whole
ONE = Decimal(1)


@dataclass(frozen=True)
class Unmapped:
    """Why an order cannot become a document yet: every reason at once, so one fix round suffices."""
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return "not everything can be mapped: " + "; ".join(self.reasons)


def document_number(order: ShopifyOrder) -> str:
    """The Shopify order no. as a document no.: the order's name without its "#"."""
    return order.name.strip().removeprefix("#")


def drafts_for(merchant, orders: list[ShopifyOrder], *, target) -> dict[int, SalesDocumentData | Unmapped]:
    """The document each order becomes, or why it cannot yet, by the order's key."""
    if not orders:
        return {}
    ids = [order.pk for order in orders]
    lines = list(ShopifyOrderLine.objects.filter(order_id__in=ids).order_by("order_id", "position"))
    shipping = list(ShopifyShippingLine.objects.filter(order_id__in=ids).order_by("order_id", "pk"))
    taxes = taxes_of_lines(ids)
    line_discounts, order_discounts = discounts_of_lines(ids)
    items = items_of_lines(merchant, [line for line in lines if not line.is_gift_card], target=target)
    customers = customers_of_orders(merchant, orders)
    bill_tos = _bill_tos(merchant, orders, target=target)
    lines_of, shipping_of = defaultdict(list), defaultdict(list)
    for line in lines:
        lines_of[line.order_id].append(line)
    for line in shipping:
        shipping_of[line.order_id].append(line)
    zone = zone_named(merchant.time_zone)
    drafts: dict[int, SalesDocumentData | Unmapped] = {}
    for order in orders:
        reasons = []
        unmapped_lines: dict[str, int] = defaultdict(int)   # one reason for many lines is said once
        customer, why = customers[order.pk]
        if not customer:
            reasons.append(f"customer: {why}")
        document_lines = []
        for line in lines_of[order.pk]:
            if not line.quantity:
                continue   # taken out by an order edit
            common = {"description": line.name[:100], "quantity": Decimal(line.quantity),
                      "unit_price": line.unit_price, "line_discount": line_discounts[("line", line.pk)],
                      "invoice_discount": order_discounts[("line", line.pk)], "taxes": taxes[("line", line.pk)],
                      "shopify_line_id": line.shopify_gid}
            if line.is_gift_card:
                document_lines.append(SalesLineData(LineType.ACCOUNT, "", money_kind="gift_cards_sold", **common))
                continue
            item = items.get(line.pk)
            if item is None or not item.item_no:
                unmapped_lines[f"line {line.name!r}: no item ({item.reason if item else 'not mapped'})"] += 1
                continue
            document_lines.append(SalesLineData(LineType.ITEM, item.item_no, variant_code=item.variant_code, **common))
        for line in shipping_of[order.pk]:
            discount = line_discounts[("shipping", line.pk)] + order_discounts[("shipping", line.pk)]
            document_lines.append(SalesLineData(
                LineType.ACCOUNT, "", f"Shipping: {line.title}"[:100], ONE, line.price, line_discount=discount,
                taxes=taxes[("shipping", line.pk)], money_kind="shipping_income", shopify_line_id=line.shopify_gid))
        if order.total_tip:
            document_lines.append(SalesLineData(LineType.ACCOUNT, "", "Tip", ONE, order.total_tip, money_kind="tips"))
        reasons += [why if n == 1 else f"{why} – {n} lines" for why, n in unmapped_lines.items()]
        if reasons:
            drafts[order.pk] = Unmapped(tuple(reasons))
            continue
        draft = SalesDocumentData(
            type=_type_of(merchant, order), customer=customer, bill_to=bill_tos.get(order.pk, ""),
            currency=order.currency, document_date=timezone.localtime(order.processed_at or order.created_at,
                                                                      zone).date(),
            lines=tuple(document_lines), prices_include_tax=order.taxes_included, ship_to=_ship_to(order),
            number=document_number(order) if merchant.use_shopify_order_no else "",
            external_document_no=order.name[:35], shopify_order_id=order.shopify_gid, shopify_order_no=order.name,
            released=True)
        owed = draft.totals().amount_including_tax
        if owed != order.total.quantize(CENT):
            drafts[order.pk] = Unmapped((f"its lines add up to {owed} but Shopify's total is {order.total:.2f}; "
                                         "import the order again",))
            continue
        drafts[order.pk] = draft
    return drafts


def _type_of(merchant, order: ShopifyOrder) -> str:
    fulfilled = order.fulfillment_status == FulfillmentStatus.FULFILLED
    return DocumentType.INVOICE if fulfilled and merchant.create_fulfilled_orders_as_invoices else DocumentType.ORDER


def taxes_of_lines(ids) -> dict[tuple[str, int], tuple[TaxShare, ...]]:
    found = defaultdict(list)
    for line_id, shipping_id, title, rate, amount in ShopifyTaxLine.objects.filter(
            order_id__in=ids, refund_line=None, refund_shipping_line=None).order_by("pk").values_list(
            "line_id", "shipping_line_id", "title", "rate", "amount"):
        key = ("line", line_id) if line_id else ("shipping", shipping_id)
        found[key].append(TaxShare(tax_key(title, rate), rate, amount.quantize(CENT)))
    return defaultdict(tuple, {key: tuple(shares) for key, shares in found.items()})


def discounts_of_lines(ids) -> tuple[dict, dict]:
    """Per line and shipping line: (line discounts, its share of discounts on the whole order)."""
    across = set(ShopifyDiscountApplication.objects.filter(order_id__in=ids, allocation_method=ORDER_DISCOUNT)
                 .values_list("order_id", "index"))
    line_discounts, order_discounts = defaultdict(Decimal), defaultdict(Decimal)
    for order_id, index, line_id, shipping_id, amount in ShopifyDiscountAllocation.objects.filter(
            order_id__in=ids).values_list("order_id", "application_index", "line_id", "shipping_line_id", "amount"):
        key = ("line", line_id) if line_id else ("shipping", shipping_id)
        (order_discounts if (order_id, index) in across else line_discounts)[key] += amount
    return line_discounts, order_discounts


def _ship_to(order: ShopifyOrder) -> AddressData:
    return AddressData(name=order.ship_to_name[:100], address=order.ship_to_address1[:100],
                       address_2=order.ship_to_address2[:100], city=order.ship_to_city[:50],
                       post_code=order.ship_to_zip[:20], county=order.ship_to_province_code[:50],
                       country=order.ship_to_country_code)


def _bill_tos(merchant, orders: list[ShopifyOrder], *, target) -> dict[int, str]:
    """The one ledger customer billed to each order's billing name and address, where there is one."""
    wanted = {order.pk: BillTo(order.bill_to_name, order.bill_to_address1, order.bill_to_zip, order.bill_to_city,
                               order.bill_to_country_code)
              for order in orders if order.bill_to_name and order.bill_to_address1}
    if not wanted:
        return {}
    by_key = defaultdict(list)
    for customer in target.find_customers_billed_to(merchant, list(set(wanted.values()))):
        by_key[BillTo.of(customer).key()].append(customer.number)
    return {pk: by_key[bill_to.key()][0] for pk, bill_to in wanted.items() if len(by_key[bill_to.key()]) == 1}
