"""Writes to Shopify orders that sales documents need: the document no. as a custom attribute of the
order (orderUpdate), and closing the order (orderClose).

Each order is read first, many at a time: a write already done is not sent again, and orderUpdate
(which replaces every custom attribute) gets back the attributes the order has. A write is sent
once; when its answer is lost (a timeout, a dropped connection, an answer that cannot be read) the
order is read again after a pause, and the write is sent again only if it was not done, so an order
is written once. Each order's outcome is a WriteResult: a refusal (userErrors), an order Shopify no
longer has, or an answer lost every time fails that order alone. A read that cannot be done at all
(ShopifyGaveUp before anything is written, an access error) raises.
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Callable

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp

logger = logging.getLogger(__name__)

DOCUMENT_NO_KEY = "syncsite document no."
ORDER_GID_PREFIX = "gid://shopify/Order/"
ORDERS_PER_READ = 100          # OrdersWriteState: 2 points an order, 200 a call
LOST_ROUNDS = 3                # reads again after a lost answer, each possibly followed by one more send
LOST_SETTLE_SECONDS = 2.0      # first pause before reading again; doubled each round


class Outcome(enum.StrEnum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    ALREADY_CLOSED = "already closed"
    FAILED = "failed"


@dataclass(frozen=True)
class WriteResult:
    outcome: Outcome
    updated_at: str | None = None   # WRITTEN, CLOSED: the order's updatedAt after the write (ISO 8601)
    closed_at: str | None = None    # CLOSED, ALREADY_CLOSED
    reason: str = ""                # FAILED: in words a bookkeeper can read

    @property
    def ok(self) -> bool:
        return self.outcome != Outcome.FAILED


@dataclass(frozen=True)
class _Write:
    """One kind of write, described for `_write_orders`."""

    what: str                                           # for reasons and logs: "writing the document no."
    mutation: str                                       # document name
    payload: str                                        # the mutation's payload field
    answered: tuple[str, ...]                           # fields the answered order must have
    is_done: Callable[[dict], bool]                     # from an order's state: nothing to send
    already: Callable[[dict], WriteResult]              # its outcome when is_done before sending
    found_done: Callable[[dict], WriteResult]           # its outcome when is_done after a lost answer
    variables: Callable[[dict], dict]                   # from an order's state: the mutation's variables
    result: Callable[[dict], WriteResult]               # from the answered order


# Writing the document no. -------------------------------------------------------------------------
def write_document_numbers(client: ShopifyClient, numbers: dict[str, str], *,
                           key: str = DOCUMENT_NO_KEY) -> dict[str, WriteResult]:
    """Set custom attribute `key` of each order (GID) to its document no.; the order's other
    attributes stay. WRITTEN carries the updatedAt of the write (the orders/updated webhook it
    causes carries the same; after a lost answer, the updatedAt read back); UNCHANGED: the order had
    that value already and nothing was sent."""
    def has_it(state: dict) -> bool:
        return any(a.get("key") == key and a.get("value") == numbers[state["id"]] for a in state["customAttributes"])

    def variables(state: dict) -> dict:
        return {"input": {"id": state["id"],
                          "customAttributes": with_attribute(state["customAttributes"], key, numbers[state["id"]])}}

    write = _Write(
        what="writing the document no.", mutation="OrderCustomAttributesUpdate", payload="orderUpdate",
        answered=("updatedAt",), is_done=has_it,
        already=lambda state: WriteResult(Outcome.UNCHANGED),
        found_done=lambda state: WriteResult(Outcome.WRITTEN, updated_at=state["updatedAt"]),
        variables=variables,
        result=lambda order: WriteResult(Outcome.WRITTEN, updated_at=order["updatedAt"]),
    )
    return _write_orders(client, list(numbers), write)


def with_attribute(attributes: list[dict], key: str, value: str) -> list[dict]:
    """AttributeInputs for `attributes` with `key` set to `value`: replaced where it is (a repeat of
    the key dropped), added at the end otherwise. A value Shopify holds as null goes back as ""
    (AttributeInput's value cannot be null)."""
    out: list[dict] = []
    placed = False
    for attribute in attributes:
        if attribute.get("key") == key:
            if not placed:
                out.append({"key": key, "value": value})
                placed = True
            continue
        out.append({"key": attribute.get("key"), "value": attribute.get("value") or ""})
    if not placed:
        out.append({"key": key, "value": value})
    return out


# Closing ------------------------------------------------------------------------------------------
def close_orders(client: ShopifyClient, gids: list[str]) -> dict[str, WriteResult]:
    """Close each order (GID). CLOSED carries closedAt and updatedAt of the close; ALREADY_CLOSED:
    the order was closed already and nothing was sent."""
    write = _Write(
        what="closing the order", mutation="OrderClose", payload="orderClose", answered=("closedAt", "updatedAt"),
        is_done=lambda state: bool(state.get("closed")),
        already=lambda state: WriteResult(Outcome.ALREADY_CLOSED, closed_at=state.get("closedAt")),
        found_done=lambda state: WriteResult(Outcome.CLOSED, updated_at=state["updatedAt"],
                                             closed_at=state.get("closedAt")),
        variables=lambda state: {"input": {"id": state["id"]}},
        result=lambda order: WriteResult(Outcome.CLOSED, updated_at=order["updatedAt"], closed_at=order["closedAt"]),
    )
    return _write_orders(client, gids, write)


# The shared run -----------------------------------------------------------------------------------
def _write_orders(client: ShopifyClient, gids: list[str], write: _Write) -> dict[str, WriteResult]:
    results: dict[str, WriteResult] = {}
    wanted: list[str] = []
    for gid in dict.fromkeys(gids):
        if isinstance(gid, str) and gid.startswith(ORDER_GID_PREFIX) and gid[len(ORDER_GID_PREFIX):].isdigit():
            wanted.append(gid)
        else:
            results[gid] = _failed(f"{gid!r} is not the ID of a Shopify order")
    states = read_order_states(client, wanted)
    lost: list[str] = []
    for gid in wanted:
        state = states[gid]
        if state is None:
            results[gid] = _gone()
        elif write.is_done(state):
            results[gid] = write.already(state)
        elif (outcome := _send(client, write, state)) is not None:
            results[gid] = outcome
        else:
            lost.append(gid)
    for round_no in range(LOST_ROUNDS + 1):
        if not lost:
            break
        client.pause(LOST_SETTLE_SECONDS * 2 ** round_no)
        try:
            states = read_order_states(client, lost)
        except ShopifyGaveUp as exc:
            for gid in lost:
                results[gid] = _failed(f"Shopify's answer to {write.what} was lost and the order could not be "
                                       f"read again ({exc}); whether it was done is unknown")
            break
        still: list[str] = []
        for gid in lost:
            state = states[gid]
            if state is None:
                results[gid] = _gone()
            elif write.is_done(state):
                results[gid] = write.found_done(state)
            elif round_no == LOST_ROUNDS:
                results[gid] = _failed(f"Shopify's answer to {write.what} was lost {LOST_ROUNDS + 1} times "
                                       "and it was not done")
            else:
                logger.warning("shopify order %s shop=%s: answer to %s lost and not done; sending it again",
                               gid, client.shop_label, write.what)
                if (outcome := _send(client, write, state)) is not None:
                    results[gid] = outcome
                else:
                    still.append(gid)
        lost = still
    return {gid: results[gid] for gid in dict.fromkeys(gids)}


def _send(client: ShopifyClient, write: _Write, state: dict) -> WriteResult | None:
    """The outcome of sending the write, or None when its answer was lost."""
    try:
        data = client.execute(document(write.mutation), write.variables(state),
                              check=_payload_check(write.payload, write.answered), idempotent=False).data
    except ShopifyGaveUp:
        return None
    payload = data[write.payload]
    if payload["userErrors"]:
        return _failed("Shopify refused " + write.what + ": "
                       + "; ".join(error.get("message") or "refused" for error in payload["userErrors"]))
    return write.result(payload["order"])


def _payload_check(name: str, answered: tuple[str, ...]):
    def check(data) -> str | None:
        payload = data.get(name) if isinstance(data, dict) else None
        if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
            return f"{name} gave no payload"
        if payload["userErrors"]:
            return None
        order = payload.get("order")
        if not isinstance(order, dict) or not order.get("id") or any(not order.get(f) for f in answered):
            return f"{name} named no order with {', '.join(answered)}"
        return None
    return check


# Reading ------------------------------------------------------------------------------------------
def read_order_states(client: ShopifyClient, gids: list[str]) -> dict[str, dict | None]:
    """Each order's id, updatedAt, closed, closedAt and customAttributes; None for an order Shopify no
    longer has. A null among many is read again alone: null then too means it is gone."""
    states: dict[str, dict | None] = {}
    for start in range(0, len(gids), ORDERS_PER_READ):
        ids = gids[start:start + ORDERS_PER_READ]
        data = client.execute(document("OrdersWriteState"), {"ids": ids}, check=lambda d: _nodes_problem(d, ids)).data
        for gid, node in zip(ids, data["nodes"]):
            states[gid] = node if node is not None else _read_alone(client, gid)
    return states


def _read_alone(client: ShopifyClient, gid: str) -> dict | None:
    data = client.execute(document("OrderWriteState"), {"id": gid}, check=_order_problem).data
    return data["order"]


def _nodes_problem(data, ids: list[str]) -> str | None:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list) or len(nodes) != len(ids):
        return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} orders asked for"
    for gid, node in zip(ids, nodes):
        if node is not None and (problem := _state_problem(node, gid)):
            return problem
    return None


def _order_problem(data) -> str | None:
    if not isinstance(data, dict) or "order" not in data:
        return "order is missing"
    return None if data["order"] is None else _state_problem(data["order"], None)


def _state_problem(node, gid: str | None) -> str | None:
    if not isinstance(node, dict) or (gid is not None and node.get("id") != gid):
        return f"the order {gid} is not in its place"
    if not node.get("updatedAt") or not isinstance(node.get("closed"), bool):
        return f"the order {node.get('id')} has no updatedAt or closed"
    attributes = node.get("customAttributes")
    if not isinstance(attributes, list) or any(not isinstance(a, dict) or not a.get("key") for a in attributes):
        return f"the order {node.get('id')} has no readable customAttributes"
    return None


def _failed(reason: str) -> WriteResult:
    return WriteResult(Outcome.FAILED, reason=reason)


def _gone() -> WriteResult:
    return _failed("Shopify no longer has this order")
