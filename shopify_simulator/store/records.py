"""What a generated order holds, each part with the time it appears (epoch seconds)."""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from shopify_simulator.store.money import ZERO, Money, total
from shopify_simulator.store.profiles import (
    CatalogItem,
    ShopProfile,
    TaxRate,
)


class DiscountApplication:
    __slots__ = ("index", "kind", "label", "value_type", "value", "target_type", "target_selection",
                 "allocation_method")

    def __init__(self, index: int, kind: str, label: str, value_type: str, value: Decimal, target_type: str,
                 target_selection: str, allocation_method: str) -> None:
        self.index, self.kind, self.label = index, kind, label      # kind: code, manual, automatic
        self.value_type, self.value = value_type, value              # percentage (e.g. 10) or fixed
        self.target_type, self.target_selection = target_type, target_selection
        self.allocation_method = allocation_method


class LineRecord:
    __slots__ = ("index", "item", "quantity", "unit", "original", "allocations", "discounted", "taxes",
                 "location", "added_at")

    def __init__(self, index: int, item: CatalogItem, quantity: int, unit: Money, location: int,
                 added_at: int) -> None:
        self.index, self.item, self.quantity, self.unit = index, item, quantity, unit
        self.original = unit.times(quantity)
        self.allocations: list[tuple[DiscountApplication, Money]] = []
        self.discounted = self.original
        self.taxes: list[tuple[TaxRate, Money]] = []
        self.location = location          # index into profile.locations
        self.added_at = added_at          # creation, or the edit that added it

    @property
    def tax(self) -> Money:
        return total(amount for _, amount in self.taxes)


class ShippingRecord:
    __slots__ = ("title", "code", "original", "allocations", "discounted", "taxes")

    def __init__(self, title: str, code: str, original: Money) -> None:
        self.title, self.code, self.original = title, code, original
        self.allocations: list[tuple[DiscountApplication, Money]] = []
        self.discounted = original
        self.taxes: list[tuple[TaxRate, Money]] = []

    @property
    def tax(self) -> Money:
        return total(amount for _, amount in self.taxes)


class ShipTo:
    """Where an order ships when not to where it bills: someone else's home (a gift), or the buyer's work."""

    __slots__ = ("person", "house_number", "company", "address2")

    def __init__(self, person: Customer, house_number: int, company: str | None, address2: str | None) -> None:
        self.person, self.house_number, self.company, self.address2 = person, house_number, company, address2


class TransactionRecord:
    """`status` is the final one; a refund paid back later is PENDING from `time` until `settled`."""

    __slots__ = ("id", "kind", "status", "gateway", "time", "amount", "fee", "fee_rate", "fee_flat", "parent",
                 "error_code", "authorization_code", "settled")

    def __init__(self, id: int, kind: str, status: str, gateway: str, time: int, amount: Money,
                 parent: "TransactionRecord | None" = None) -> None:
        self.id, self.kind, self.status, self.gateway, self.time = id, kind, status, gateway, time
        self.amount, self.parent = amount, parent
        self.fee: Decimal | None = None       # Shopify Payments only; negative on a fee refund
        self.fee_rate = self.fee_flat = Decimal("0")
        self.error_code: str | None = None
        self.authorization_code: str | None = None
        self.settled = time

    @property
    def is_money_in(self) -> bool:
        return self.status == "SUCCESS" and self.kind in ("SALE", "CAPTURE")

    def status_at(self, now_s: int) -> str:
        return "PENDING" if now_s < self.settled else self.status

    def is_settled_success(self, now_s: int) -> bool:
        return self.status == "SUCCESS" and self.settled <= now_s


class RefundLineRecord:
    __slots__ = ("id", "line", "quantity", "restock_type", "subtotal", "taxes")

    def __init__(self, id: int, line: LineRecord, quantity: int, restock_type: str, subtotal: Money,
                 taxes: list[tuple[TaxRate, Money]]) -> None:
        self.id, self.line, self.quantity, self.restock_type = id, line, quantity, restock_type
        self.subtotal, self.taxes = subtotal, taxes

    @property
    def tax(self) -> Money:
        return total(amount for _, amount in self.taxes)


class RefundRecord:
    __slots__ = ("id", "time", "note", "lines", "shipping", "transactions", "amount_due", "is_cancellation",
                 "return_record")

    def __init__(self, id: int, time: int, note: str | None, is_cancellation: bool) -> None:
        self.id, self.time, self.note, self.is_cancellation = id, time, note, is_cancellation
        self.lines: list[RefundLineRecord] = []
        self.shipping: tuple[int, ShippingRecord, Money, list[tuple[TaxRate, Money]]] | None = None
        self.transactions: list[TransactionRecord] = []
        self.amount_due = ZERO            # goods and shipping given back, with tax
        self.return_record: ReturnRecord | None = None   # the return it pays back, if any

    @property
    def refunded(self) -> Money:
        return total(t.amount for t in self.transactions if t.status == "SUCCESS")

    def refunded_at(self, now_s: int) -> Money:
        """What its transactions have paid back by `now_s` (a pending one counts once settled)."""
        return total(t.amount for t in self.transactions if t.is_settled_success(now_s))

    @property
    def settled(self) -> int:
        return max((t.settled for t in self.transactions), default=self.time)


class ReturnLineRecord:
    __slots__ = ("id", "line", "quantity", "reason", "reason_note", "customer_note", "is_restocked",
                 "refund_line")

    def __init__(self, id: int, line: LineRecord, quantity: int, reason: str, reason_note: str,
                 customer_note: str | None, is_restocked: bool) -> None:
        self.id, self.line, self.quantity = id, line, quantity
        self.reason, self.reason_note, self.customer_note = reason, reason_note, customer_note
        self.is_restocked = is_restocked     # back on the shelf of the line's location (else written off)
        self.refund_line: RefundLineRecord | None = None


class ReturnRecord:
    """A return of shipped goods: OPEN or REQUESTED while waiting, CLOSED once refunded or exchanged.
    An exchange gives, for the returned units, new units of another variant at the same price."""

    __slots__ = ("id", "name", "time", "status", "lines", "refund", "exchange_lines")

    def __init__(self, id: int, name: str, time: int, status: str) -> None:
        self.id, self.name, self.time, self.status = id, name, time, status
        self.lines: list[ReturnLineRecord] = []
        self.refund: RefundRecord | None = None
        self.exchange_lines: list[LineRecord] = []

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


class FulfillmentOrderRecord:
    __slots__ = ("id", "location", "lines", "created", "shipped", "is_digital")

    def __init__(self, id: int, location: int, lines: list[LineRecord], created: int, shipped: int,
                 is_digital: bool = False) -> None:
        self.id, self.location, self.lines, self.created = id, location, lines, created
        self.shipped = shipped            # 0: not shipped
        self.is_digital = is_digital      # gift cards, fulfilled when the order is placed


class Customer:
    __slots__ = ("index", "gid", "first_name", "last_name", "email", "phone", "city", "zip", "province")

    def __init__(self, profile: ShopProfile, index: int) -> None:
        self.index = index
        firsts, lasts = profile.first_names, profile.last_names
        self.first_name = firsts[index % len(firsts)]
        self.last_name = lasts[(index // len(firsts) + index) % len(lasts)]
        self.gid = f"gid://shopify/Customer/{profile.customer_id_base + index}"
        local = _ascii(f"{self.first_name}.{self.last_name}").lower().replace(" ", "")
        self.email = f"{local}.{index}@example.com"
        self.phone = f"{profile.phone_prefix} {index * 7919 % 1_000_000:06d}"
        self.city, self.zip, self.province = profile.cities[index % len(profile.cities)]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
