"""An order made to a specification (store.order_spec) instead of drawn from the seed, so a test knows
every amount in advance; the control API's POST /_simulator/orders/custom makes one.

`CustomOrder` is a `GeneratedOrder` built from its specification: it holds the same records (lines
with their allocations and taxes as given, one shipping line, the tip, transactions, fulfillment
orders), so every view (store.order_view and what it calls) serves it unchanged, and its totals are
the generated orders' (`GeneratedOrder.total_for`). It never changes by itself: no later event; writes
through the API and the control API change it as they change any order. Its refunds are those the
control API made (store.custom_refunds), applied after the sale each time the order is made.

What the views cannot say from those records, `view` sets: processedAt (given, or the creation),
the customer (the shop's, as it was when the order was made; the order index shows later edits), the
addresses as given, and no variant or product for a line without one. The order's taxesIncluded is
its own: it keeps the shop's profile with that one field changed. A SALE, when paid, is taken at
processed_at through Shopify Payments (with its fee); unfulfilled goods wait at the location each
line names (the primary one by default; one fulfillment order per location, the fulfillment
service's warehouse included), fulfilled ones ship when the order is created; gift cards are
fulfilled at once. An order may have any number of lines (more than a page of 250 too).

`revised` is the order changed as a merchant changes it in the admin (POST /_simulator/orders/custom/
update): made again to the new specification with the same number, name, customer and creation, so
its totals are the new specification's; a line keeps its LineItem ID when the change names it, a new
line takes the next ID never used by the order (so is the shipping line's); payment and shipment,
when the change first asks for them, happen at the change; a cancellation is at the change, with its
reason, and adds no refund. `refunded` is the order with one more refund (POST /_simulator/orders/
custom/refund), `with_refund_settled` with a pending refund's money paid back (.../refund/settle).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from shopify_simulator.store.catalog import Catalog
from shopify_simulator.store.custom_refunds import CustomRefunds, NoSuchRefund, RefundSpec, read_refund_spec
from shopify_simulator.store.customers import address_view
from shopify_simulator.store.money import Money, cents
from shopify_simulator.store.order_spec import ADDRESS_FIELDS, Allocations, LineSpec, OrderSpec, OrderSpecError
from shopify_simulator.store.orders import GeneratedOrder, OrderGenerator
from shopify_simulator.store.random_source import RandomSource, stream_key
from shopify_simulator.store.records import (
    Customer,
    FulfillmentOrderRecord,
    LineRecord,
    ShippingRecord,
)
from shopify_simulator.store.timeline import (
    CARD_SALE,
    MANUAL_UNPAID,
    NO_STORY,
    OrderPlan,
    OrderTimeline,
    to_datetime,
    to_seconds,
)
from shopify_simulator.store.view_writer import iso

# What makes two MailingAddresses the same place (billingAddressMatchesShippingAddress).
_PLACE = ("name", "company", "address1", "address2", "city", "zip", "provinceCode", "countryCodeV2")


class _Origin:
    """The shop's order generator as a custom order's views read it (product IDs, the seed, when the
    store opened), with the products of the order's own lines."""

    def __init__(self, generator: OrderGenerator, product_ids: dict[int, int]) -> None:
        self._generator = generator
        self.product_ids = product_ids

    def __getattr__(self, name: str):
        return getattr(self._generator, name)


class CustomOrder(CustomRefunds, GeneratedOrder):
    """An order as `spec` states it. GeneratedOrder's __init__ (which draws the order) is not called:
    this sets every attribute the views and GeneratedOrder's methods read."""

    # store.fulfillment_view: assigned where its lines wait (the fulfillment service's warehouse only
    # when a line names it), never moved there by the generator's rule.
    ships_from_own_locations = True

    def __init__(self, generator: OrderGenerator, spec: OrderSpec, *, number: int, name: str, created_at: datetime,
                 customer: dict | None, line_indexes: tuple[int, ...] | None = None, shipping_number: int = 1,
                 line_indexes_used: int = 0, paid_at: int = 0, fulfilled_at: int = 0,
                 cancelled: tuple[int, str] | None = None, refunds: tuple[RefundSpec, ...] = ()) -> None:
        """`customer` is the view of the shop's customer who buys (None: a guest). What `revised` passes:
        `line_indexes`, each line's index (its LineItem ID; None: 0 to n - 1), `line_indexes_used`, how
        many the order used before (a new line takes none of them), `shipping_number`, the shipping
        line's (its ShippingLine ID), `paid_at` and `fulfilled_at` (epoch seconds; 0: when
        processed, and when created), `cancelled` (epoch seconds and reason; None: not cancelled), and
        what `refunded` passes: `refunds`, applied in order (OrderSpecError when one no longer fits)."""
        self._generator = generator
        profile = replace(generator.profile, taxes_included=spec.taxes_included)
        self.spec = spec
        self.profile = profile
        every_line = list(zip(self.line_indexes_of(spec, line_indexes), spec.lines)) + [
            pair for refund in refunds for pair in zip(refund.exchange_indexes, refund.exchange)]
        self.generator = _Origin(generator, {line.item.key: line.product_id or 0 for _, line in every_line})
        self._without_product = {index for index, line in every_line if line.product_id is None}
        self.number = number
        self.legacy_id = generator.order_id_base + number
        self.gid = f"gid://shopify/Order/{self.legacy_id}"
        self.name = name
        self.created = to_seconds(created_at)
        self.created_at = to_datetime(self.created)
        self.processed = to_seconds(spec.processed_at) if spec.processed_at else self.created
        self.paid_at = (paid_at or self.processed) if spec.is_paid else 0
        self.fulfilled_at = (fulfilled_at or self.created) if spec.is_fulfilled else 0
        self.line_indexes = self.line_indexes_of(spec, line_indexes)
        self.line_indexes_used = max(line_indexes_used, max(index for index, _ in every_line) + 1)
        self.shipping_number = shipping_number
        self.cancelled = cancelled
        self.plan = OrderPlan(number=number, created=self.created, flow=CARD_SALE if spec.is_paid else MANUAL_UNPAID,
                              story=NO_STORY, settled=self.created, captured=0, paid_later=0, edited=0,
                              cancelled=cancelled[0] if cancelled else 0, refunds=(), shipments=(self.fulfilled_at,),
                              gift_card_only=all(line.item.is_gift_card for line in spec.lines), multi_location=False)
        self.timeline = OrderTimeline(number, self.created_at, ())
        self.is_worked_example = self.is_big = self.test = False
        self._rng = RandomSource(stream_key(generator.seed, profile.handle, "custom orders"), number)
        self._counts: dict[str, int] = {}
        self.presentment_currency = spec.currency
        self.fx_rate = None if spec.currency == profile.currency else profile.fx_rate(spec.currency)

        self._customer = customer
        self.customer = None     # order_view's customer is a pool record; `view` sets the shop's customer
        self.address_person = Customer(profile, self.legacy_id % 997)   # order_view's addresses: `view` replaces
        self.ship_to = None
        self.email = spec.email or (customer or {}).get("email")
        self.phone = spec.phone
        self.note = spec.note
        self.tags = sorted(spec.tags)
        self.custom_attributes: list[dict] = []
        self.source_name = "web"
        self.risk = ("ACCEPT", "LOW")
        self.cancel_reason = cancelled[1] if cancelled else None

        self.discount_applications = list(spec.applications)
        self.lines = [self._line(index, line) for index, line in zip(self.line_indexes, spec.lines)]
        self.edit_line = None
        self.shipping = self._shipping()
        self.tip = self._money(spec.tip)
        self.transactions = []
        self.refunds = []
        self.returns = []
        if spec.is_paid:
            self._transaction("SALE", "SUCCESS", "shopify_payments", self.paid_at, self.total_for(self.lines))
        self.fulfillment_orders = self._custom_fulfillment_orders(self.fulfilled_at)
        self.refund_specs = refunds
        for refund in refunds:
            self._apply_refund(refund)

    @staticmethod
    def line_indexes_of(spec: OrderSpec, given: tuple[int, ...] | None) -> tuple[int, ...]:
        return given if given is not None else tuple(range(len(spec.lines)))

    def _money(self, amount) -> Money:
        """An amount in the order's currency, and in the shop's at the shop's rate for it."""
        if self.fx_rate is None:
            return Money(amount, amount)
        return Money(cents(amount / self.fx_rate), amount)

    def _line(self, index: int, given: LineSpec) -> LineRecord:
        # The record's location is one of the shop's own (where a refund restocks it): a line at the
        # fulfillment service's warehouse is restocked at the primary location.
        own = given.location if given.location < len(self.profile.locations) else 0
        line = LineRecord(index, given.item, given.quantity, self._money(given.price), own, self.created)
        self._allocate_as_given(line, given.discounts)
        line.taxes = [(rate, self._money(amount)) for rate, amount in given.taxes]
        return line

    def _shipping(self) -> ShippingRecord | None:
        spec = self.spec.shipping
        if spec is None:
            return None
        shipping = ShippingRecord(spec.title, spec.code, self._money(spec.price))
        self._allocate_as_given(shipping, spec.discounts)
        shipping.taxes = [(rate, self._money(amount)) for rate, amount in spec.taxes]
        return shipping

    def _allocate_as_given(self, record: LineRecord | ShippingRecord, discounts: Allocations) -> None:
        for index, amount in discounts:
            part = self._money(amount)
            record.allocations.append((self.discount_applications[index], part))
            record.discounted = record.discounted - part

    def _custom_fulfillment_orders(self, shipped: int) -> list[FulfillmentOrderRecord]:
        """One fulfillment order per location the goods wait at (the primary one first), then one for
        the gift cards; a record's location is an index into profile.all_locations."""
        by_location: dict[int, list[LineRecord]] = {}
        for line, given in zip(self.lines, self.spec.lines):
            if not line.item.is_gift_card:
                by_location.setdefault(given.location, []).append(line)
        digital = [line for line in self.lines if line.item.is_gift_card]
        orders = []
        for location, goods in sorted(by_location.items()):
            orders.append(FulfillmentOrderRecord(self.legacy_id * 10 + len(orders) + 1, location, goods, self.created,
                                                 shipped))
        if digital:
            orders.append(FulfillmentOrderRecord(self.legacy_id * 10 + len(orders) + 1, 0, digital, self.created,
                                                 self.created, is_digital=True))
        return orders

    # Changing -----------------------------------------------------------------------------------
    def line_gid(self, index: int) -> str:
        return f"gid://shopify/LineItem/{self.legacy_id * 1000 + index + 1}"

    def shipping_gid(self) -> str | None:
        if self.shipping is None:
            return None
        if self.shipping_number == 1:     # as every order's (store.order_view)
            return f"gid://shopify/ShippingLine/{self.legacy_id * 10 + 1}"
        return f"gid://shopify/ShippingLine/{self.legacy_id * 1000 + self.shipping_number}"

    def revised(self, spec: OrderSpec, *, line_ids: tuple[str | None, ...] | None,
                shipping_ids: tuple[str | None, ...] | None, at: datetime,
                cancel_reason: str | None = None) -> "CustomOrder":
        """This order made again to `spec` at `at`. `line_ids` names, for each of spec's lines, the
        LineItem it keeps (None: a new line; no tuple: the lines are this order's, as they were);
        `shipping_ids` the same for the shipping line; `cancel_reason` cancels it."""
        moment = to_seconds(at)
        indexes = self.line_indexes if line_ids is None else self._kept(
            line_ids, {self.line_gid(index): index for index in self.line_indexes}, self.line_indexes_used, "line")
        shipping_number = self.shipping_number
        if shipping_ids:
            current = {self.shipping_gid(): self.shipping_number} if self.shipping is not None else {}
            [shipping_number] = self._kept(shipping_ids, current, self.shipping_number + 1, "shipping line")
        if cancel_reason is not None and self.cancelled:
            raise OrderSpecError(f"the order {self.name} is already cancelled")
        return CustomOrder(
            self._generator, spec, number=self.number, name=self.name, created_at=self.created_at,
            customer=self._customer, line_indexes=indexes, line_indexes_used=self.line_indexes_used,
            shipping_number=shipping_number, paid_at=self.paid_at or moment,
            fulfilled_at=self.fulfilled_at or moment,
            cancelled=(moment, cancel_reason) if cancel_reason is not None else self.cancelled,
            refunds=self.refund_specs)

    def read_refund(self, given, *, catalog: Catalog, at: datetime) -> RefundSpec:
        """The refund `given` describes (store.custom_refunds), made at `at`."""
        lines = {self.line_gid(line.index): line.index
                 for line in self.lines + self.exchange_lines_at(to_seconds(at))}
        return read_refund_spec(given, line_index_of=lines.get, fresh_index=self.line_indexes_used,
                                profile=self._generator.profile, catalog=catalog, at=to_seconds(at))

    def refunded(self, refund: RefundSpec) -> "CustomOrder":
        """This order with `refund` too (OrderSpecError, and no order, when it does not fit)."""
        return self._remade(self.refund_specs + (refund,))

    def refund_gid(self, position: int) -> str:
        return f"gid://shopify/Refund/{self.refunds[position].id}"

    def with_refund_settled(self, refund_gid: str, *, at: datetime) -> "CustomOrder":
        """This order with the pending refund `refund_gid`'s money paid back at `at`."""
        gids = [self.refund_gid(position) for position in range(len(self.refunds))]
        if refund_gid not in gids:
            raise NoSuchRefund(f"the order {self.name} has no refund {refund_gid!r} "
                               f"(it has {', '.join(gids) or 'none'})")
        position = gids.index(refund_gid)
        spec = self.refund_specs[position]
        if not spec.is_pending or spec.settled_at:
            raise OrderSpecError(f"the refund {refund_gid} is not pending")
        specs = list(self.refund_specs)
        specs[position] = spec.settled(to_seconds(at))
        return self._remade(tuple(specs))

    def _remade(self, refunds: tuple[RefundSpec, ...]) -> "CustomOrder":
        return CustomOrder(
            self._generator, self.spec, number=self.number, name=self.name, created_at=self.created_at,
            customer=self._customer, line_indexes=self.line_indexes, line_indexes_used=self.line_indexes_used,
            shipping_number=self.shipping_number, paid_at=self.paid_at, fulfilled_at=self.fulfilled_at,
            cancelled=self.cancelled, refunds=refunds)

    def _kept(self, ids: tuple[str | None, ...], current: dict[str, int], fresh: int, what: str) -> tuple[int, ...]:
        """The number of each line given: the one its ID names, else the next unused from `fresh` on."""
        numbers, seen = [], set()
        for position, gid in enumerate(ids):
            if gid is None:
                numbers.append(fresh)
                fresh += 1
                continue
            if gid not in current:
                raise OrderSpecError(f"{what} {position + 1}: the order {self.name} has no {what} {gid!r} "
                                     f"(it has {', '.join(current) or 'none'})")
            if gid in seen:
                raise OrderSpecError(f"{what} {position + 1}: {gid} is given twice")
            seen.add(gid)
            numbers.append(current[gid])
        return tuple(numbers)

    # Reading ------------------------------------------------------------------------------------
    def view(self, now: datetime) -> dict:
        view = super().view(now)
        processed = iso(self.processed)
        view["processedAt"] = processed
        for fulfillment_order in view["fulfillmentOrders"]:
            fulfillment_order["orderProcessedAt"] = processed
        view["customer"] = dict(self._customer) if self._customer else None
        billing = self._address(self.spec.billing_address, 1)
        shipping = self._address(self.spec.shipping_address, 2)
        view["billingAddress"], view["shippingAddress"] = billing, shipping
        view["billingAddressMatchesShippingAddress"] = billing is not None and shipping is not None and all(
            billing[key] == shipping[key] for key in _PLACE)
        line_views = {line_view["id"]: line_view for line_view in view["lineItems"]}
        for index in self._without_product:    # custom line items: shared by the fulfillment orders' views
            line_view = line_views.get(self.line_gid(index))
            if line_view is not None:
                line_view.update(variant=None, product=None)
        for shipping_view in view["shippingLines"]:     # shared by the refunds' views
            shipping_view["id"] = self.shipping_gid()
        return view

    def _address(self, given: dict | None, position: int) -> dict | None:
        if given is None:
            return None
        entry = {key: given.get(key) for key in ADDRESS_FIELDS}
        first, last = entry["first_name"], entry["last_name"]
        if entry["name"] and first is None and last is None:
            first, _, last = entry["name"].partition(" ")
        address = address_view(self.profile, {**entry, "firstName": first, "lastName": last or None},
                               gid=f"gid://shopify/MailingAddress/{self.legacy_id * 10 + position}",
                               first_name=None, last_name=None)
        if entry["name"]:
            address["name"] = entry["name"]
        return address
