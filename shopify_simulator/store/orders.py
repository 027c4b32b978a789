"""The generated orders of a simulated shop: deterministic, realistic, exact to the cent.

`OrderGenerator` gives, for any order number, its creation time and its event timeline cheaply (no
money), and the full order on demand. A `GeneratedOrder` holds everything that ever happens to the
order (lines, discounts, taxes, shipping, tip, transactions, refunds, fulfillments, each with its
time) and answers `view(now)`: the order as Shopify's 2025-01 Admin GraphQL would show it at `now`.

Money rules (they feed a double-entry ledger):
- lines: unit price × quantity; discount allocations per line; taxes on the discounted line amount,
  per tax line, rounded to cents: prices including tax give amount × rate ÷ (1 + combined rate),
  prices excluding tax give amount × rate. Gift card lines carry no tax, discount or shipping.
- total = subtotal (discounted lines) + shipping after discounts + tax when prices exclude it + tip.
- successful SALE and CAPTURE transactions of a paid order sum to its total; REFUND transactions
  sum to their refunds' totals. Refund line items' subtotals are as priced (they include tax when
  prices include tax); their tax is in totalTaxSet.
- a pending refund (its plan's settle time is later than the refund) has its card or PayPal REFUND
  transactions PENDING until they settle; they count as refunded, and reach a payout, from then.
- returns (store.returns) move no money of their own: a refunded return is its refund's. An
  exchange swaps units at the same price: its new line is sold (in the subtotal, tax and total,
  "before returns"), and the return's refund takes the returned units back (refund lines, restocked,
  with their tax) with no transaction: the refund's value pays for the new line, so the money and the
  current totals stay as they were.
- the worked example of SPEC D2 is order WORKED_EXAMPLE_NUMBER of demo-eu.

Addresses: an order bills to its customer's home (a guest's for a guest order) and ships there too,
but for SHIPS_ELSEWHERE of orders (a gift to someone else's home, or the buyer's work address); an
order with nothing to ship (gift cards only) has no shipping address.

Refunds, returns and exchanges are the order's after-sale half, in store.after_sales.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shopify_simulator.store.after_sales import AfterSales
from shopify_simulator.store.money import (
    ZERO,
    Converter,
    Money,
    cents,
    split_proportionally,
    total,
)
from shopify_simulator.store.order_view import order_view
from shopify_simulator.store.places import home_number
from shopify_simulator.store.profiles import (
    CatalogItem,
    ShopProfile,
    TaxRate,
)
from shopify_simulator.store.random_source import RandomSource, stream_key
from shopify_simulator.store.records import (
    Customer,
    DiscountApplication,
    FulfillmentOrderRecord,
    LineRecord,
    RefundRecord,
    ReturnRecord,
    ShippingRecord,
    ShipTo,
    TransactionRecord,
)
from shopify_simulator.store.returns import ReturnDesk
from shopify_simulator.store.timeline import (
    CANCELLED,
    CARD_AUTH,
    CARD_RETRY,
    CARD_SALE,
    FULL_REFUND,
    GIFT_CARD_FULL,
    GIFT_CARD_SPLIT,
    MANUAL_LATER,
    MANUAL_PAID,
    MANUAL_UNPAID,
    MAX_EVENT_DELAY,
    NO_STORY,
    PAYPAL,
    PERIOD,
    TEST,
    TWO_REFUNDS,
    OrderPlan,
    OrderTimeline,
    Planner,
    to_datetime,
    to_seconds,
)

__all__ = [
    "BIG_ORDER_FROM_END", "BIG_ORDER_LINES", "BIG_ORDER_NUMBER", "MAX_EVENT_DELAY", "WORKED_EXAMPLE_NUMBER",
    "WORKED_EXAMPLE_SHOP", "GeneratedOrder", "OrderGenerator", "OrderTimeline", "big_order_number",
]

WORKED_EXAMPLE_SHOP = "demo-eu"
WORKED_EXAMPLE_NUMBER = 1          # SPEC D2's worked example, in demo-eu
WORKED_EXAMPLE_FEE_RATE = Decimal("0.0147")   # 119.00 × 1.47 % + 0.25 = 2.00, the example's fee
BIG_ORDER_FROM_END = 3             # the big order is number total - 3 (when total >= 20)
BIG_ORDER_LINES = 300              # more than the 250 a page or a fulfillmentCreate takes
CUSTOMER_POOL = 300
SHIPS_ELSEWHERE = 0.06             # of orders: shipped to another address than they bill to
GIFT_RECIPIENTS = 1000             # people of index 1000 to 1999 receive gifts: no customer or guest is one
FIRST_ORDER_NAME = 1001

_PRIMARY_GATEWAY = {
    TEST: "bogus", CARD_SALE: "shopify_payments", CARD_AUTH: "shopify_payments", CARD_RETRY: "shopify_payments",
    GIFT_CARD_SPLIT: "shopify_payments", PAYPAL: "paypal", MANUAL_LATER: "manual", MANUAL_UNPAID: "manual",
    MANUAL_PAID: "manual", GIFT_CARD_FULL: "gift_card",
}
_ORDER_NOTES = ("Please gift wrap", "Leave with the neighbour if out", "Birthday present, no invoice in the box")
_TAGS = ("vip", "newsletter", "wholesale", "gift", "repeat-customer")
_WORKPLACES = ("Atelier Lumen", "Northwind Supplies", "Harbour & Finch", "Studio Kestrel")


def big_order_number(total: int) -> int | None:
    """The number of the order with BIG_ORDER_LINES lines: among the 20 most recent, if total >= 20."""
    return total - BIG_ORDER_FROM_END if total >= 20 else None


BIG_ORDER_NUMBER = big_order_number   # the rule, by the name the brief gave it: BIG_ORDER_NUMBER(total)


# The generator ----------------------------------------------------------------------------------

class OrderGenerator:
    """Every order of one shop, from (profile, seed, anchor, total)."""

    def __init__(self, profile: ShopProfile, *, seed: int, anchor: datetime, total: int) -> None:
        self.profile = profile
        self.seed = seed
        self.anchor = anchor
        self.total = total
        self.order_id_base = profile.id_base
        self.big_order_number = big_order_number(total)
        self.worked_example_number = (WORKED_EXAMPLE_NUMBER if profile.handle == WORKED_EXAMPLE_SHOP
                                      and total > WORKED_EXAMPLE_NUMBER else None)
        special = {}
        if self.worked_example_number is not None:
            special[self.worked_example_number] = (CARD_SALE, NO_STORY, False)
        if self.big_order_number is not None:
            special[self.big_order_number] = (CARD_SALE, NO_STORY, True)
        self.planner = Planner(time_zone=profile.time_zone, anchor=anchor, total=total,
                               key=stream_key(seed, profile.handle, "timeline"),
                               delay_key=stream_key(seed, profile.handle, "delays"), special=special,
                               settle_key=stream_key(seed, profile.handle, "refund settlements"),
                               return_key=stream_key(seed, profile.handle, "return plans"))
        self._content_key = stream_key(seed, profile.handle, "content")
        self._returns_key = stream_key(seed, profile.handle, "returns")
        self._addresses_key = stream_key(seed, profile.handle, "addresses")
        self._goods = tuple(item for item in profile.catalog if not item.is_gift_card)
        self._gift_cards = tuple(item for item in profile.catalog if item.is_gift_card)
        first_of_title: dict[str, int] = {}
        for item in profile.catalog:
            first_of_title.setdefault(item.title, item.key)
        # Variants of one product (same title) share the product ID.
        self.product_ids = {item.key: profile.product_id_base + first_of_title[item.title]
                            for item in profile.catalog}

    def created_at(self, number: int) -> datetime:
        """Strictly increasing in number and before the anchor for 0 <= number < total; numbers from
        total on follow the anchor a minute apart."""
        return to_datetime(self.planner.created(number))

    def timeline(self, number: int) -> OrderTimeline:
        return self.planner.timeline(number)

    def order(self, number: int, *, created_at: datetime | None = None) -> "GeneratedOrder":
        """The order; with `created_at`, the same order moved to be created then (whole seconds)."""
        plan = self.planner.plan(number, None if created_at is None else to_seconds(created_at))
        return GeneratedOrder(self, plan)

    def order_gid(self, number: int) -> str:
        return f"gid://shopify/Order/{self.order_id_base + number}"

    def order_name(self, number: int) -> str:
        return f"{self.profile.order_prefix}{FIRST_ORDER_NAME + number}"

    def first_number_created_at_or_after(self, moment: datetime) -> int:
        """The smallest number in [0, total] whose order was created at or after `moment`."""
        seconds = to_seconds(moment)
        low, high = 0, self.total
        created = self.planner.created
        while low < high:
            middle = (low + high) // 2
            if created(middle) < seconds:
                low = middle + 1
            else:
                high = middle
        return low

    def card_money_seconds(self, number: int) -> list[int]:
        """When Shopify Payments moved money for this order (epoch seconds), without building it."""
        return self.planner.plan(number).card_money_seconds()

    def dst_changes(self) -> list[datetime]:
        """The DST changes of the shop's zone in the period the orders cover."""
        planner = self.planner
        return [to_datetime(s) for s in planner.dst_changes(planner.anchor - PERIOD, planner.anchor)]


# One order --------------------------------------------------------------------------------------

class GeneratedOrder(AfterSales):
    """Everything that ever happens to one order; `view(now)` shows what has happened by `now`."""

    def __init__(self, generator: OrderGenerator, plan: OrderPlan) -> None:
        self.generator = generator
        self.profile = generator.profile
        self.plan = plan
        self.number = plan.number
        self.legacy_id = generator.order_id_base + plan.number
        self.gid = f"gid://shopify/Order/{self.legacy_id}"
        self.name = generator.order_name(plan.number)
        self.created = plan.created
        self.created_at = to_datetime(plan.created)
        self.timeline = OrderTimeline(plan.number, self.created_at, tuple(map(to_datetime, plan.event_seconds())))
        self.is_worked_example = plan.number == generator.worked_example_number
        self.is_big = plan.number == generator.big_order_number
        self.test = plan.flow == TEST
        rng = RandomSource(generator._content_key, plan.number)
        self._rng = rng
        self._counts: dict[str, int] = {}
        self._choose_presentment(rng)
        self._choose_people(rng)
        self._choose_ship_to()
        self._choose_lines(rng)
        self._apply_line_discounts(rng)
        self._tax_lines()
        self._choose_shipping(rng)
        self._choose_tip(rng)
        self._choose_risk(rng)
        self.transactions: list[TransactionRecord] = []
        self.refunds: list[RefundRecord] = []
        self._returns = ReturnDesk(key=generator._returns_key, number=plan.number, order_name=self.name,
                                   next_id=lambda: self._child_id("return", 10))
        self._pay(rng)
        self._refund(rng)
        self._fulfillment_orders()
        self._own_return()
        self.returns: list[ReturnRecord] = self._returns.returns

    def _child_id(self, kind: str, scale: int) -> int:
        """IDs of an order's transactions and refunds: order ID × scale + a count per kind."""
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        return self.legacy_id * scale + count

    # Content ------------------------------------------------------------------------------------
    def _choose_presentment(self, rng: RandomSource) -> None:
        profile = self.profile
        self.presentment_currency = profile.currency
        rate = None
        if profile.presentment_currencies and not self.is_worked_example and rng.chance(0.12):
            self.presentment_currency = rng.choice(profile.presentment_currencies)
            base = profile.fx_rate(self.presentment_currency)
            rate = rng.decimal_between(base * Decimal("0.98"), base * Decimal("1.02"))
        self.fx_rate = rate
        self.convert = Converter(rate)

    def _choose_people(self, rng: RandomSource) -> None:
        self.customer = Customer(self.profile, rng.below(CUSTOMER_POOL)) if rng.chance(0.88) or \
            self.is_worked_example else None
        # Whose name is on the addresses: the customer, or a guest.
        self.address_person = self.customer or Customer(self.profile, self.legacy_id % 997)
        guest = f"guest.{self.legacy_id % 100_000}@example.com"
        self.email = self.customer.email if self.customer else (guest if rng.chance(0.8) else None)
        self.phone = self.customer.phone if self.customer and rng.chance(0.3) else None
        self.note = rng.choice(_ORDER_NOTES) if rng.chance(0.08) else None
        self.tags = sorted(rng.sample(_TAGS, rng.weighted(((0, 70), (1, 22), (2, 8)))))
        self.custom_attributes = [{"key": "gift_message", "value": "Happy birthday!"}] if rng.chance(0.03) else []
        flow = self.plan.flow
        if flow in (MANUAL_LATER, MANUAL_UNPAID, MANUAL_PAID):
            self.source_name = "shopify_draft_order"
        else:
            self.source_name = rng.weighted((("web", 82), ("pos", 6), ("iphone", 7), ("android", 5)))

    def _choose_ship_to(self) -> None:
        """Where the order ships when not to where it bills (None: there, when it ships at all). Drawn
        from a stream of its own, so the order's other draws are what they were before addresses."""
        rng = RandomSource(self.generator._addresses_key, self.plan.number)
        self.ship_to: ShipTo | None = None
        if self.is_worked_example or not rng.chance(SHIPS_ELSEWHERE):
            return
        if rng.chance(0.6):     # a gift, sent to the recipient's home
            recipient = Customer(self.profile, GIFT_RECIPIENTS + rng.below(GIFT_RECIPIENTS))
            self.ship_to = ShipTo(recipient, home_number(recipient), None,
                                  f"Apt {rng.between(1, 40)}" if rng.chance(0.4) else None)
        else:                   # to the buyer's work
            self.ship_to = ShipTo(self.address_person, rng.between(100, 400), rng.choice(_WORKPLACES),
                                  f"Floor {rng.between(1, 9)}")

    def _choose_lines(self, rng: RandomSource) -> None:
        generator, plan, convert = self.generator, self.plan, self.convert
        goods, gift_cards = generator._goods, generator._gift_cards
        picks: list[tuple[CatalogItem, int, int]] = []       # (item, quantity, location)
        if self.is_worked_example:
            picks.append((generator.profile.catalog[0], 2, 0))
        elif self.is_big:
            for position in range(BIG_ORDER_LINES):
                picks.append((goods[position % len(goods)], 1 + position % 2, 0 if position < 270 else 1))
        elif plan.gift_card_only:
            picks.append((rng.choice(gift_cards), 1, 0))
        else:
            count = rng.weighted(((1, 50), (2, 28), (3, 14), (4, 8)))
            if plan.multi_location:
                count = max(count, 2)
            for position, item in enumerate(rng.sample(goods, count)):
                quantity = rng.weighted(((1, 70), (2, 20), (3, 10)))
                picks.append((item, quantity, position % 2 if plan.multi_location else 0))
            if gift_cards and rng.chance(0.05):
                picks.append((rng.choice(gift_cards), 1, 0))
        if plan.story == TWO_REFUNDS and sum(quantity for _, quantity, _ in picks) < 2:
            item, _, location = picks[0]
            picks[0] = (item, 2, location)
        self.lines = [LineRecord(index, item, quantity, convert(item.price), location, self.created)
                      for index, (item, quantity, location) in enumerate(picks)]
        self.edit_line: LineRecord | None = None
        if plan.edited:
            chosen = {line.item.key for line in self.lines}
            extra = [item for item in goods if item.key not in chosen] or list(goods)
            item = rng.choice(extra)
            self.edit_line = LineRecord(len(self.lines), item, 1, convert(item.price), 0, plan.edited)
        self.discount_applications: list[DiscountApplication] = []

    def _apply_line_discounts(self, rng: RandomSource) -> None:
        discountable = [line for line in self.lines if not line.item.is_gift_card]
        if not discountable or self.is_big or self.plan.gift_card_only:
            return
        if self.is_worked_example:
            application = self._application("code", "MERCI12", "fixed", Decimal("12.00"), "LINE_ITEM", "ALL",
                                             "ACROSS")
            self._allocate(application, self.convert(Decimal("12.00")), discountable)
            return
        if not rng.chance(0.30):
            return
        kind = rng.weighted((("percentage", 35), ("fixed", 25), ("automatic", 25), ("manual", 15)))
        goods_total = total(line.original for line in discountable)
        if kind == "percentage":
            code, percent = rng.choice((("WELCOME10", 10), ("SPRING15", 15), ("VIP20", 20)))
            application = self._application("code", code, "percentage", Decimal(percent), "LINE_ITEM", "ALL",
                                            "ACROSS")
            self._allocate(application, self.convert(goods_total.shop * percent / 100), discountable)
        elif kind == "fixed":
            code, amount = rng.choice((("SAVE5", Decimal("5.00")), ("SAVE10", Decimal("10.00"))))
            if goods_total.shop <= amount * 2:
                code, amount = "SAVE5", min(Decimal("5.00"), cents(goods_total.shop / 4))
            application = self._application("code", code, "fixed", amount, "LINE_ITEM", "ALL", "ACROSS")
            self._allocate(application, self.convert(amount), discountable)
        elif kind == "automatic":
            line = discountable[0]
            application = self._application("automatic", "Summer Sale 20%", "percentage", Decimal(20),
                                            "LINE_ITEM", "ENTITLED", "ACROSS")
            self._allocate(application, self.convert(line.original.shop / 5), [line])
        else:
            application = self._application("manual", "Loyal customer", "percentage", Decimal(10), "LINE_ITEM",
                                            "EXPLICIT", "ACROSS")
            self._allocate(application, self.convert(goods_total.shop / 10), discountable)

    def _application(self, kind: str, label: str, value_type: str, value: Decimal, target_type: str,
                     target_selection: str, allocation_method: str) -> DiscountApplication:
        application = DiscountApplication(len(self.discount_applications), kind, label, value_type, value,
                                          target_type, target_selection, allocation_method)
        self.discount_applications.append(application)
        return application

    @staticmethod
    def _allocate(application: DiscountApplication, amount: Money, lines: list) -> None:
        weights = [line.original.shop for line in lines]
        for line, part in zip(lines, split_proportionally(amount, weights)):
            line.allocations.append((application, part))
            line.discounted = line.discounted - part

    def _taxes_on(self, amount: Money, rates: tuple[TaxRate, ...]) -> list[tuple[TaxRate, Money]]:
        if not rates:
            return []
        convert = self.convert
        if self.profile.taxes_included:
            divisor = 1 + sum(rate.rate for rate in rates)
            return [(rate, convert(amount.shop * rate.rate / divisor)) for rate in rates]
        return [(rate, convert(amount.shop * rate.rate)) for rate in rates]

    def _tax_lines(self) -> None:
        profile = self.profile
        for line in self.lines + ([self.edit_line] if self.edit_line else []):
            line.taxes = self._taxes_on(line.discounted, profile.taxes_for(line.item.tax_class))

    def _choose_shipping(self, rng: RandomSource) -> None:
        profile, convert = self.profile, self.convert
        self.shipping: ShippingRecord | None = None
        if not any(line.item.requires_shipping for line in self.lines):
            return
        goods = total(line.discounted for line in self.lines if not line.item.is_gift_card)
        if self.is_worked_example:
            rate = profile.shipping_rates[0]
            self.shipping = ShippingRecord(rate.title, rate.code, convert(rate.price))
        elif profile.free_shipping_over is not None and goods.shop >= profile.free_shipping_over:
            self.shipping = ShippingRecord("Free shipping", "free", ZERO)
        else:
            rate = rng.weighted(tuple(zip(profile.shipping_rates, (75, 18, 7))))
            self.shipping = ShippingRecord(rate.title, rate.code, convert(rate.price))
            if rng.chance(0.08) and not self.is_big:
                application = self._application("code", "FREESHIP", "percentage", Decimal(100), "SHIPPING_LINE",
                                                "ALL", "EACH")
                self.shipping.allocations.append((application, self.shipping.original))
                self.shipping.discounted = ZERO
        if profile.shipping_taxed and self.shipping.discounted.shop > 0:
            self.shipping.taxes = self._taxes_on(self.shipping.discounted, profile.standard_taxes)

    def _choose_tip(self, rng: RandomSource) -> None:
        self.tip = ZERO
        if self.is_worked_example:
            self.tip = self.convert(Decimal("5.00"))
        elif self.plan.story not in (CANCELLED, FULL_REFUND) and not self.plan.gift_card_only \
                and not self.is_big and rng.chance(0.08):
            subtotal = total(line.discounted for line in self.lines).shop
            self.tip = self.convert(rng.choice((Decimal(2), Decimal(3), Decimal(5), cents(subtotal / 10))))

    def _choose_risk(self, rng: RandomSource) -> None:
        self.risk = rng.weighted(((("ACCEPT", "LOW"), 90), (("INVESTIGATE", "MEDIUM"), 8), (("CANCEL", "HIGH"), 2)))
        if self.plan.story == CANCELLED:
            self.cancel_reason = "FRAUD" if self.risk[1] == "HIGH" else \
                rng.weighted((("CUSTOMER", 60), ("INVENTORY", 20), ("DECLINED", 10), ("OTHER", 10)))
        else:
            self.cancel_reason = None

    # Totals -------------------------------------------------------------------------------------
    def lines_at(self, now_s: int) -> list[LineRecord]:
        if self.edit_line is not None and self.edit_line.added_at <= now_s:
            return self.lines + [self.edit_line]
        return self.lines

    def total_for(self, lines: list[LineRecord]) -> Money:
        amount = total(line.discounted for line in lines) + self.tip
        if self.shipping is not None:
            amount = amount + self.shipping.discounted
        if not self.profile.taxes_included:
            amount = amount + total(line.tax for line in lines)
            if self.shipping is not None:
                amount = amount + self.shipping.tax
        return amount

    # Payments -----------------------------------------------------------------------------------
    def _transaction(self, kind: str, status: str, gateway: str, time: int, amount: Money,
                     parent: TransactionRecord | None = None) -> TransactionRecord:
        record = TransactionRecord(self._child_id("transaction", 100), kind, status, gateway, time, amount, parent)
        if gateway == "shopify_payments" and status == "SUCCESS" and kind in ("SALE", "CAPTURE", "AUTHORIZATION"):
            record.authorization_code = self._rng.digits(6)
        if gateway == "shopify_payments" and status == "SUCCESS" and kind in ("SALE", "CAPTURE"):
            fee = self.profile.fee
            rate = WORKED_EXAMPLE_FEE_RATE if self.is_worked_example else fee.rate
            record.fee_rate, record.fee_flat = rate, fee.flat
            record.fee = cents(amount.shop * rate + fee.flat)
        self.transactions.append(record)
        return record

    def _pay(self, rng: RandomSource) -> None:
        plan, created = self.plan, self.created
        due = self.total_for(self.lines)
        flow = plan.flow
        gateway = _PRIMARY_GATEWAY[flow]
        if flow == TEST:
            self._transaction("SALE", "SUCCESS", "bogus", created, due)
        elif flow in (CARD_SALE, PAYPAL, MANUAL_PAID):
            self._transaction("SALE", "SUCCESS", gateway, created, due)
        elif flow == CARD_RETRY:
            failed = self._transaction("SALE", "FAILURE", gateway, created, due)
            failed.error_code = "CARD_DECLINED"
            self._transaction("SALE", "SUCCESS", gateway, created, due)
        elif flow == CARD_AUTH:
            authorization = self._transaction("AUTHORIZATION", "SUCCESS", gateway, created, due)
            if plan.captured:
                self._transaction("CAPTURE", "SUCCESS", gateway, plan.captured, due, authorization)
            elif plan.cancelled:
                self._transaction("VOID", "SUCCESS", gateway, plan.cancelled, due, authorization)
        elif flow in (MANUAL_LATER, MANUAL_UNPAID):
            self._transaction("SALE", "PENDING", "manual", created, due)
            if plan.paid_later:
                self._transaction("SALE", "SUCCESS", "manual", plan.paid_later, due)
        elif flow == GIFT_CARD_FULL:
            self._transaction("SALE", "SUCCESS", "gift_card", created, due)
        elif flow == GIFT_CARD_SPLIT:
            balance = rng.choice((Decimal("10.00"), Decimal("25.00"), Decimal("37.50"), Decimal("50.00")))
            if balance >= due.shop:
                balance = cents(due.shop / 2)
            part = self.convert(balance)
            self._transaction("SALE", "SUCCESS", "gift_card", created, part)
            self._transaction("SALE", "SUCCESS", gateway, created, due - part)
        if self.edit_line is not None:
            extra = self.total_for(self.lines + [self.edit_line]) - due
            self._transaction("SALE", "SUCCESS", gateway, plan.edited, extra)

    # Fulfillment --------------------------------------------------------------------------------
    def _fulfillment_orders(self) -> None:
        plan = self.plan
        orders: list[FulfillmentOrderRecord] = []
        digital = [line for line in self.lines if line.item.is_gift_card]
        for location in range(2):
            lines = [line for line in self.lines if line.location == location and not line.item.is_gift_card]
            if lines:
                shipped = plan.shipments[location] if len(plan.shipments) > location else 0
                orders.append(FulfillmentOrderRecord(self.legacy_id * 10 + len(orders) + 1, location, lines,
                                                     self.created, shipped))
        if self.edit_line is not None:
            shipped = plan.shipments[0] if plan.shipments else 0
            orders.append(FulfillmentOrderRecord(self.legacy_id * 10 + len(orders) + 1, 0, [self.edit_line],
                                                 self.edit_line.added_at, shipped))
        if digital:
            orders.append(FulfillmentOrderRecord(self.legacy_id * 10 + len(orders) + 1, 0, digital, self.created,
                                                 self.created, is_digital=True))
        self.fulfillment_orders = orders

    # Reading ------------------------------------------------------------------------------------
    def updated_at(self, now: datetime) -> datetime:
        return self.timeline.updated_at(now)

    def view(self, now: datetime) -> dict:
        """The order as Shopify's 2025-01 GraphQL answers at `now` (connections as plain lists)."""
        return order_view(self, now)

    def balance_events(self, now: datetime) -> list[dict]:
        """Shopify Payments money movements of this order visible at `now` (none for test orders):
        CHARGE for a successful SALE or CAPTURE, REFUND for a successful refund (negative amounts),
        at the time it settled (a pending refund's is later than the refund)."""
        if self.test:
            return []
        now_s = to_seconds(now)
        events = []
        for record in self.transactions:
            if record.gateway != "shopify_payments" or not record.is_settled_success(now_s):
                continue
            if record.kind in ("SALE", "CAPTURE"):
                kind, amount = "CHARGE", record.amount.shop
            elif record.kind == "REFUND":
                kind, amount = "REFUND", -record.amount.shop
            else:
                continue
            fee = record.fee if record.fee is not None else Decimal("0.00")
            events.append({"kind": kind, "transaction_id": record.id, "time": to_datetime(record.settled),
                           "amount": amount, "fee": fee, "net": amount - fee, "order_gid": self.gid,
                           "order_name": self.name})
        return events
