"""Sync Shipments (report 30109): each posted shipment of a Shopify order not sent yet becomes its
fulfillments in Shopify, with the tracking the shipment carries.

A shipment's row is marked "being sent", with the fulfillments it asks for, before anything goes to
Shopify. Whatever stops the run after that (a killed worker, an answer lost every time), the next
run reads the order first and adopts a fulfillment made since with exactly those lines, so a
shipment is fulfilled once. The orders are read many at a time; a fixed number of queries per batch.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable

from django.db import transaction
from django.utils import timezone

from connectors.ledger.records import ShipmentData
from connectors.ledger.target import AccountingTarget
from connectors.shopify.client import ShopifyClient
from connectors.shopify.fulfillment_tracking import update_tracking
from connectors.shopify.fulfillments import (
    CreateOutcome,
    FulfillmentRequest,
    OrderFulfillmentState,
    Tracking,
    create_fulfillment,
    read_fulfillment_states,
)
from core.sentences import joined
from syncjobs.shipments.models import OPEN_STATES, ShipmentFulfillment, ShipmentState
from syncjobs.shipments.planning import Plan, PlannedRequest, plan_fulfillments
from syncjobs.shipments.recording import record_new_shipments

SHIPMENTS_PER_BATCH = 50


@dataclass
class ShipmentCounts:
    read: int = 0
    created: int = 0          # shipments fulfilled
    updated: int = 0
    skipped: int = 0          # nothing to send
    failed: int = 0           # shipment errors, and shipments whose answer was lost every time
    fulfillments: int = 0     # fulfillments made (a shipment may need one per location)
    recorded: int = 0         # posted shipments found in the books that had no row yet
    tracking_sent: int = 0    # shipments whose changed tracking went to their fulfillments
    errors: list[tuple[str, str, str]] = field(default_factory=list)           # (shipment no., order GID, why)
    skipped_records: list[tuple[str, str, str]] = field(default_factory=list)  # (record, why, Shopify ID)


def send_shipments(merchant, *, target: AccountingTarget, client: ShopifyClient | None = None,
                   shipment_nos: list[str] | None = None, progress: Callable[[ShipmentCounts], None] | None = None,
                   expect: Callable[[int], None] | None = None) -> ShipmentCounts:
    client = client or ShopifyClient.for_merchant(merchant)
    counts = ShipmentCounts(recorded=record_new_shipments(merchant, target))
    rows = ShipmentFulfillment.objects.filter(merchant=merchant, state__in=OPEN_STATES)
    if shipment_nos:
        rows = rows.filter(shipment_no__in=shipment_nos)
    ids = list(rows.order_by("posting_date", "shipment_no").values_list("pk", flat=True))
    if expect is not None:
        expect(len(ids))
    for start in range(0, len(ids), SHIPMENTS_PER_BATCH):
        batch = list(ShipmentFulfillment.objects.filter(pk__in=ids[start:start + SHIPMENTS_PER_BATCH])
                     .order_by("posting_date", "shipment_no"))
        _send_batch(merchant, target, client, batch, counts)
        if progress is not None:
            progress(counts)
    _send_changed_tracking(merchant, target, client, counts, shipment_nos)
    return counts


def _send_changed_tracking(merchant, target: AccountingTarget, client: ShopifyClient, counts: ShipmentCounts,
                           shipment_nos: list[str] | None) -> None:
    """Tracking changed in the books after the fulfillments were made goes to each of them."""
    rows = ShipmentFulfillment.objects.filter(merchant=merchant, tracking_to_send=True)
    if shipment_nos:
        rows = rows.filter(shipment_no__in=shipment_nos)
    rows = list(rows.order_by("pk")[:SHIPMENTS_PER_BATCH * 20])
    shipments = {s.number: s for s in target.posted_shipments(merchant, numbers=[r.shipment_no for r in rows])}
    for row in rows:
        shipment = shipments.get(row.shipment_no)
        if shipment is None:
            continue
        tracking = Tracking(company=shipment.tracking_company, number=shipment.tracking_number,
                            url=shipment.tracking_url)
        refused = [why for gid in row.fulfillments if (why := update_tracking(
            client, gid, tracking, notify_customer=merchant.send_shipping_confirmation))]
        if refused:
            counts.failed += 1
            counts.errors.append((row.shipment_no, row.shopify_order_id,
                                  "Shopify refused its new tracking: " + joined(refused)))
            continue
        ShipmentFulfillment.objects.filter(pk=row.pk).update(tracking_to_send=False)
        counts.tracking_sent += 1


def _send_batch(merchant, target: AccountingTarget, client: ShopifyClient, rows: list[ShipmentFulfillment],
                counts: ShipmentCounts) -> None:
    shipments = {s.number: s for s in target.posted_shipments(merchant, numbers=[r.shipment_no for r in rows])}
    orders = list(dict.fromkeys(r.shopify_order_id for r in rows))
    states = read_fulfillment_states(client, orders)
    claimed = _claimed(merchant, orders)
    for row in rows:
        counts.read += 1
        shipment, state = shipments.get(row.shipment_no), states.get(row.shopify_order_id)
        if shipment is None:
            _end(row, ShipmentState.ERROR, f"the books hold no posted shipment {row.shipment_no} any more", counts)
        elif state is None:
            _end(row, ShipmentState.ERROR, f"Shopify has no order {row.shopify_order_no or row.shopify_order_id} "
                                           "any more", counts)
        else:
            # Only a fulfillment no shipment has claimed can be this one's, adopted after a lost answer.
            taken = claimed.setdefault(row.shopify_order_id, set())
            unclaimed = replace(state, fulfillments=tuple(f for f in state.fulfillments if f.gid not in taken))
            made = _send_one(merchant, client, row, shipment, unclaimed, counts)
            taken.update(row.fulfillments)
            # A later shipment of the same order in this batch plans from what is left open now.
            if made:
                states[row.shopify_order_id] = _less(state, made)


def _claimed(merchant, order_gids: list[str]) -> dict[str, set[str]]:
    """The fulfillments the shipments of these orders have recorded as theirs (one query)."""
    claimed: dict[str, set[str]] = {}
    for order, fulfillments in ShipmentFulfillment.objects.filter(
            merchant=merchant, shopify_order_id__in=order_gids).values_list("shopify_order_id", "fulfillments"):
        claimed.setdefault(order, set()).update(fulfillments or {})
    return claimed


def _send_one(merchant, client: ShopifyClient, row: ShipmentFulfillment, shipment: ShipmentData,
              state: OrderFulfillmentState, counts: ShipmentCounts) -> list[PlannedRequest]:
    """Fulfil what the shipment shipped; the requests Shopify made fulfillments of."""
    made: list[PlannedRequest] = []
    if row.state == ShipmentState.SENDING and row.pending:
        _adopt(row, state)
    plan = plan_fulfillments(shipment, state, row.fulfilled_quantities)
    if plan.all_done:
        _fulfilled(row, plan, counts)
        return made
    if plan.nothing_to_send:
        _end(row, ShipmentState.NOTHING_TO_SEND, plan.nothing_to_send, counts)
        return made
    for gid, lines in plan.found_in_shopify.items():
        _record_made(row, None, gid, lines=lines)
    if not plan.requests and plan.found_in_shopify and not plan.left_out:
        _fulfilled(row, plan, counts, found=True)
        return made
    if not plan.requests:
        _end(row, ShipmentState.ERROR, "no open fulfillment line in Shopify matches it: " + joined(plan.left_out),
             counts)
        return made
    _mark_sending(row, plan)
    tracking = Tracking(company=shipment.tracking_company, number=shipment.tracking_number, url=shipment.tracking_url)
    for request in plan.requests:
        result = create_fulfillment(client, FulfillmentRequest(
            order_gid=row.shopify_order_id, location_gid=request.location_gid,
            lines=tuple((line.fulfillment_order_gid, line.fulfillment_order_line_gid, line.quantity)
                        for line in request.lines),
            tracking=tracking, notify_customer=merchant.send_shipping_confirmation), asked_at=row.attempted_at,
            state=state)
        if result.outcome in (CreateOutcome.CREATED, CreateOutcome.ALREADY_CREATED):
            _record_made(row, request, result.fulfillment_gid)
            counts.fulfillments += 1
            made.append(request)
        elif result.outcome == CreateOutcome.REFUSED:
            _end(row, ShipmentState.ERROR, f"Shopify refused the fulfillment at {request.location_name}: "
                                           f"{result.reason}", counts)
            return made
        else:   # lost every time: the row stays "being sent"; the next run reads the order first
            counts.failed += 1
            counts.errors.append((row.shipment_no, row.shopify_order_id,
                                  f"{result.reason}; the next run checks Shopify before sending again"))
            return made
    _fulfilled(row, plan, counts)
    return made


def _adopt(row: ShipmentFulfillment, state: OrderFulfillmentState) -> None:
    """Fulfillments Shopify made since the row was marked "being sent", with exactly the lines a
    pending request asked for, are that request's (its answer was lost, or the worker stopped)."""
    since = row.attempted_at
    taken = set(row.fulfillments)
    for pending in list(row.pending):
        wanted = Counter({gid: qty for gid, qty in pending["lines"]})
        for fulfillment in state.fulfillments:
            if fulfillment.gid in taken or (since and fulfillment.created_at < since.replace(microsecond=0)):
                continue
            if Counter(dict(fulfillment.lines)) == wanted and fulfillment.status.upper() != "CANCELLED":
                taken.add(fulfillment.gid)
                _record_made(row, None, fulfillment.gid, lines=pending["lines"])
                break


def _mark_sending(row: ShipmentFulfillment, plan: Plan) -> None:
    row.state = ShipmentState.SENDING
    row.pending = [request.as_pending() for request in plan.requests]
    row.attempted_at = row.attempted_at or timezone.now()
    row.save(update_fields=["state", "pending", "attempted_at", "updated_at"])


def _record_made(row: ShipmentFulfillment, request: PlannedRequest | None, gid: str, *,
                 lines: list | None = None) -> None:
    """One fulfillment made: its lines count as fulfilled for the shipment, at once (a stop after
    this never sends them again)."""
    lines = [list(line) for line in (lines if lines is not None else request.as_pending()["lines"])]
    row.pending = [p for p in row.pending if p["lines"] != lines]
    row.fulfillments[gid] = lines
    row.save(update_fields=["pending", "fulfillments", "updated_at"])


def _fulfilled(row: ShipmentFulfillment, plan: Plan, counts: ShipmentCounts, *, found: bool = False) -> None:
    with transaction.atomic():
        row.state = ShipmentState.FULFILLED
        row.reason = "; ".join(plan.left_out) if plan.left_out else ""
        if found:   # nothing was sent: Shopify had fulfilled those goods already
            row.reason = "Shopify had fulfilled its goods already; nothing was sent"
        row.pending = []
        row.fulfilled_at = row.fulfilled_at or timezone.now()
        row.save(update_fields=["state", "reason", "pending", "fulfilled_at", "updated_at"])
    counts.created += 1
    if plan.left_out:
        counts.skipped_records.append((f"shipment {row.shipment_no}", "fulfilled without " + joined(plan.left_out),
                                       row.shopify_order_id))


def _end(row: ShipmentFulfillment, state: str, reason: str, counts: ShipmentCounts) -> None:
    row.state, row.reason, row.pending = state, reason, []
    row.save(update_fields=["state", "reason", "pending", "updated_at"])
    if state == ShipmentState.ERROR:
        counts.failed += 1
        counts.errors.append((row.shipment_no, row.shopify_order_id, reason))
    else:
        counts.skipped += 1
    counts.skipped_records.append((f"shipment {row.shipment_no}", reason, row.shopify_order_id))


def _less(state: OrderFulfillmentState, made: list[PlannedRequest]) -> OrderFulfillmentState:
    """The order's state with the quantities just fulfilled taken off the open lines."""
    taken: Counter = Counter()
    for request in made:
        for line in request.lines:
            taken[line.fulfillment_order_line_gid] += line.quantity
    orders = tuple(replace(order, lines=tuple(replace(line, remaining_quantity=line.remaining_quantity
                                                      - taken.get(line.gid, 0)) for line in order.lines))
                   for order in state.fulfillment_orders)
    return replace(state, fulfillment_orders=orders)
