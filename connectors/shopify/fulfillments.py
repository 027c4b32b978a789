"""Fulfillments in Shopify for report 30109: what an order holds (its fulfillment orders, each at a
location, and the fulfillments it has), and one fulfillment made of lines of fulfillment orders.

`read_fulfillment_states` reads several orders a call (nodes) and then each connection past its first
page (an order's fulfillment orders, their lines, its fulfillments and theirs): an answer that cannot
be read whole is retried, never taken for "no more". A fulfillment order whose location was removed
from the shop has no location; one at a third-party fulfillment service's location says so.

`create_fulfillment` sends fulfillmentCreate, which Shopify does not make idempotent: sent twice, it
fulfils twice. So the order is read first, and a fulfillment Shopify made at or after `asked_at`
with exactly the request's lines and tracking number is the request's (a worker stopped after
sending, its answer never read); after a lost answer (a timeout, a dropped connection, a 5xx, an
answer that cannot be read) the order is read again after a pause, and the request is sent again
only if no such fulfillment is there. A refusal (userErrors) is the request's alone; a read that
cannot be done before anything is sent raises.
"""
from __future__ import annotations

import enum
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp, ShopifyQueryError

logger = logging.getLogger(__name__)

ORDER_GID_PREFIX = "gid://shopify/Order/"
MAX_REQUEST_COST = 1000            # Shopify's cap on one request's requested cost
ORDER_COST = 150                   # FulfillmentStates: requested points per order
ORDERS_PER_READ = MAX_REQUEST_COST // ORDER_COST
FIRST_FULFILLMENTS = 3             # FulfillmentStateFields' fulfillments(first:): a full list is read again whole
MAX_FULFILLMENTS = 250             # FulfillmentsOfOrder's fulfillments(first:)
FULFILLMENT_ORDERS_PAGE = 10       # FulfillmentOrdersPage: 253 points a page
LINES_PAGE = 250                   # FulfillmentOrderLinesPage, FulfillmentLineItemsPage: 503 points a page
MAX_LINES = 250                    # fulfillment order lines one request may name (Shopify's input array limit)
LOST_ROUNDS = 3                    # reads again after a lost answer, each possibly followed by one more send
LOST_SETTLE_SECONDS = 2.0          # first pause before reading again; doubled each round
# Shopify stamps createdAt in whole seconds by its own clock: a fulfillment stamped up to this much
# before `asked_at` still counts as made after it (our clock may be a little ahead of Shopify's).
CLOCK_SKEW = timedelta(seconds=5)
NOT_ADOPTED = ("CANCELLED", "ERROR", "FAILURE")   # fulfillment statuses that are no fulfillment of the request


@dataclass(frozen=True)
class FulfillmentOrderLineState:
    gid: str
    line_item_gid: str
    remaining_quantity: int
    total_quantity: int


@dataclass(frozen=True)
class FulfillmentOrderState:
    gid: str
    status: str                     # OPEN IN_PROGRESS ON_HOLD CLOSED CANCELLED INCOMPLETE SCHEDULED
    location_gid: str | None        # None: its location was removed from the shop
    location_name: str
    is_fulfillment_service: bool    # the location belongs to a third-party fulfillment service
    lines: tuple[FulfillmentOrderLineState, ...]


@dataclass(frozen=True)
class FulfillmentState:
    """A fulfillment Shopify already has."""

    gid: str
    status: str                     # SUCCESS CANCELLED ERROR FAILURE OPEN PENDING
    created_at: datetime
    tracking_number: str            # the first tracking number ("" without one)
    lines: tuple[tuple[str, int], ...]   # (line item GID, quantity)


@dataclass(frozen=True)
class OrderFulfillmentState:
    order_gid: str
    fulfillment_orders: tuple[FulfillmentOrderState, ...]
    fulfillments: tuple[FulfillmentState, ...]


@dataclass(frozen=True)
class Tracking:
    company: str = ""
    number: str = ""
    url: str = ""


@dataclass(frozen=True)
class FulfillmentRequest:
    order_gid: str
    location_gid: str
    lines: tuple[tuple[str, str, int], ...]   # (fulfillment order GID, fulfillment order line GID, quantity)
    tracking: Tracking
    notify_customer: bool


class CreateOutcome(enum.StrEnum):
    CREATED = "created"
    ALREADY_CREATED = "already created"     # made by an earlier send whose answer was lost (or a stopped run)
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class CreateResult:
    outcome: CreateOutcome
    fulfillment_gid: str = ""
    reason: str = ""                # REFUSED, FAILED: in words a bookkeeper can read


# Reading ------------------------------------------------------------------------------------------
def read_fulfillment_states(client: ShopifyClient, order_gids: list[str]) -> dict[str, OrderFulfillmentState | None]:
    """Each order's fulfillment orders and fulfillments, whole; None for an order Shopify does not
    have (or an ID that names no order). A null among many is read again alone: null then too means
    the order is gone."""
    wanted = list(dict.fromkeys(order_gids))
    states: dict[str, OrderFulfillmentState | None] = {gid: None for gid in wanted if not _is_order_gid(gid)}
    ids = [gid for gid in wanted if _is_order_gid(gid)]
    for start in range(0, len(ids), ORDERS_PER_READ):
        chunk = ids[start:start + ORDERS_PER_READ]
        data = client.execute(document("FulfillmentStates"), {"ids": chunk},
                              check=lambda d, chunk=chunk: _nodes_problem(d, chunk)).data
        for gid, node in zip(chunk, data["nodes"]):
            if node is None:
                node = _read_alone(client, gid)
            states[gid] = None if node is None else _completed_state(client, node)
    return {gid: states[gid] for gid in wanted}


def _read_alone(client: ShopifyClient, gid: str) -> dict | None:
    data = client.execute(document("FulfillmentStateOfOrder"), {"id": gid}, check=lambda d: _alone_problem(d, gid)).data
    return data["order"]


def _completed_state(client: ShopifyClient, order: dict) -> OrderFulfillmentState:
    """The order's state, every connection read to its end."""
    gid = order["id"]
    fulfillment_orders = list(order["fulfillmentOrders"]["nodes"])
    info = order["fulfillmentOrders"]["pageInfo"]
    if info["hasNextPage"]:
        fulfillment_orders += _rest(client, "FulfillmentOrdersPage", gid, info["endCursor"],
                                    ("order", "fulfillmentOrders"), _fulfillment_order_problem, FULFILLMENT_ORDERS_PAGE)
    for fulfillment_order in fulfillment_orders:
        connection = fulfillment_order["lineItems"]
        if connection["pageInfo"]["hasNextPage"]:
            connection["nodes"] = connection["nodes"] + _rest(
                client, "FulfillmentOrderLinesPage", fulfillment_order["id"], connection["pageInfo"]["endCursor"],
                ("node", "lineItems"), _fulfillment_order_line_problem)
    fulfillments: list[tuple[dict, dict | None]] = [(f, f["fulfillmentLineItems"]) for f in order["fulfillments"]]
    if len(fulfillments) >= FIRST_FULFILLMENTS:
        fulfillments = _every_fulfillment(client, gid, {f["id"]: lines for f, lines in fulfillments})
    lines_of: dict[str, list[dict]] = {}
    for fulfillment, connection in fulfillments:
        lines = list(connection["nodes"]) if connection else []
        if connection is None or connection["pageInfo"]["hasNextPage"]:
            lines += _rest(client, "FulfillmentLineItemsPage", fulfillment["id"],
                           connection["pageInfo"]["endCursor"] if connection else None,
                           ("node", "fulfillmentLineItems"), _fulfillment_line_problem)
        lines_of[fulfillment["id"]] = lines
    return OrderFulfillmentState(
        order_gid=gid,
        fulfillment_orders=tuple(_fulfillment_order_state(fo) for fo in fulfillment_orders),
        fulfillments=tuple(_fulfillment_state(f, lines_of[f["id"]]) for f, _ in fulfillments),
    )


def _every_fulfillment(client: ShopifyClient, gid: str, first: dict[str, dict]) -> list[tuple[dict, dict | None]]:
    """Every fulfillment of an order whose first few filled the list, with the first page of lines
    of those read before (`first`, by GID; None: their lines are still to be read)."""
    data = client.execute(document("FulfillmentsOfOrder"), {"id": gid}, check=lambda d: _every_problem(d, gid)).data
    found = data["order"]["fulfillments"]
    if len(found) >= MAX_FULFILLMENTS:
        logger.warning("shopify order %s shop=%s has %d fulfillments or more; only those are read", gid,
                       client.shop_label, MAX_FULFILLMENTS)
    return [(header, first.get(header["id"])) for header in found]


def _rest(client: ShopifyClient, name: str, owner: str, after: str | None, path: tuple[str, ...], item_problem,
          first: int = LINES_PAGE) -> list[dict]:
    """The nodes of a connection after `after` (None: from its start), page by page, each page whole."""
    nodes: list[dict] = []
    while True:
        data = client.execute(document(name), {"id": owner, "first": first, "after": after},
                              check=lambda d: _page_problem(d, path, item_problem)).data
        connection = _dig(data, path)
        nodes += connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


def _fulfillment_order_state(fo: dict) -> FulfillmentOrderState:
    assigned = fo["assignedLocation"]
    location = assigned.get("location")
    return FulfillmentOrderState(
        gid=fo["id"], status=fo["status"], location_gid=location["id"] if location else None,
        location_name=assigned.get("name") or "",
        is_fulfillment_service=bool(location and location["isFulfillmentService"]),
        lines=tuple(FulfillmentOrderLineState(line["id"], line["lineItem"]["id"], line["remainingQuantity"],
                                              line["totalQuantity"]) for line in fo["lineItems"]["nodes"]))


def _fulfillment_state(fulfillment: dict, lines: list[dict]) -> FulfillmentState:
    tracking = fulfillment.get("trackingInfo") or []
    return FulfillmentState(
        gid=fulfillment["id"], status=fulfillment["status"], created_at=_moment(fulfillment["createdAt"]),
        tracking_number=(tracking[0].get("number") or "") if tracking else "",
        lines=tuple((line["lineItem"]["id"], line.get("quantity") or 0) for line in lines))


# Fulfilling ---------------------------------------------------------------------------------------
def create_fulfillment(client: ShopifyClient, request: FulfillmentRequest, *, asked_at: datetime,
                       state: OrderFulfillmentState | None = None) -> CreateResult:
    """One fulfillment of the request's lines (see the module). `asked_at` (aware) is when the request
    was first tried: a fulfillment made since with exactly its lines and tracking number is adopted
    (ALREADY_CREATED) instead of sending it again. `state`: the order as the caller read it since
    `asked_at` (read_fulfillment_states), which spares reading it first. userErrors: REFUSED with
    Shopify's words; an answer lost every time: FAILED (whether it was made is not known; the next
    try, with the same `asked_at`, finds out)."""
    problem = request_problem(request)
    if problem:
        return _refused(problem)
    since = asked_at.replace(microsecond=0) - CLOCK_SKEW
    if state is None or state.order_gid != request.order_gid:
        state = read_fulfillment_states(client, [request.order_gid])[request.order_gid]
    if state is None:
        return _refused("Shopify no longer has the order")
    found = fulfillment_made_for(request, state, since=since)
    if found is not None:
        logger.info("shopify order %s shop=%s: fulfillment %s made earlier for this request; adopted",
                    request.order_gid, client.shop_label, found.gid)
        return CreateResult(CreateOutcome.ALREADY_CREATED, found.gid)
    result = _send(client, request)
    for round_no in range(LOST_ROUNDS + 1):
        if result is not None and (round_no == 0 or result.outcome != CreateOutcome.REFUSED):
            return result
        # The answer was lost, or a second send was refused (perhaps the first was made after all).
        client.pause(LOST_SETTLE_SECONDS * 2 ** round_no)
        try:
            state = read_fulfillment_states(client, [request.order_gid])[request.order_gid]
        except ShopifyGaveUp as exc:
            return _failed(f"Shopify's answer to the fulfillment was lost and the order could not be read again "
                           f"({exc}); whether it was made is unknown")
        found = fulfillment_made_for(request, state, since=since) if state is not None else None
        if found is not None:
            logger.info("shopify order %s shop=%s: answer to fulfillmentCreate lost, fulfillment %s found; adopted",
                        request.order_gid, client.shop_label, found.gid)
            return CreateResult(CreateOutcome.ALREADY_CREATED, found.gid)
        if result is not None:      # refused, and not made: Shopify's refusal stands
            return result
        if state is None:
            return _refused("Shopify no longer has the order")
        if round_no == LOST_ROUNDS:
            break
        logger.warning("shopify order %s shop=%s: answer to fulfillmentCreate lost and no fulfillment made; "
                       "sending it again", request.order_gid, client.shop_label)
        result = _send(client, request)
    return _failed(f"Shopify's answer to the fulfillment was lost {LOST_ROUNDS + 1} times and it was not made")


def request_problem(request: FulfillmentRequest) -> str | None:
    """What keeps the request from being sent, in words a bookkeeper can read, or None."""
    if not _is_order_gid(request.order_gid):
        return f"{request.order_gid!r} is not the ID of a Shopify order"
    if not request.lines:
        return "the request names no fulfillment order line to fulfil"
    if len(request.lines) > MAX_LINES:
        return (f"the request names {len(request.lines)} fulfillment order lines; one fulfillment takes "
                f"{MAX_LINES} at most")
    seen: set[str] = set()
    for _, line_gid, quantity in request.lines:
        if not isinstance(quantity, int) or quantity <= 0:
            return (f"fulfillment order line {line_gid} is to be fulfilled {quantity} times; quantities are whole "
                    "and above 0")
        if line_gid in seen:
            return f"fulfillment order line {line_gid} is named twice"
        seen.add(line_gid)
    return None


def fulfillment_input(request: FulfillmentRequest) -> dict:
    """fulfillmentCreate's FulfillmentInput: the lines by fulfillment order, in the request's order."""
    by_order: dict[str, list[dict]] = {}
    for fulfillment_order_gid, line_gid, quantity in request.lines:
        by_order.setdefault(fulfillment_order_gid, []).append({"id": line_gid, "quantity": quantity})
    given: dict = {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": gid, "fulfillmentOrderLineItems": lines}
                                                   for gid, lines in by_order.items()],
                   "notifyCustomer": request.notify_customer}
    tracking = {name: value for name, value in (("company", request.tracking.company),
                                                ("number", request.tracking.number),
                                                ("url", request.tracking.url)) if value}
    if tracking:
        given["trackingInfo"] = tracking
    return given


def fulfillment_made_for(request: FulfillmentRequest, state: OrderFulfillmentState, *,
                         since: datetime) -> FulfillmentState | None:
    """The earliest fulfillment of the order made at or after `since` with exactly the request's
    lines (by order line, quantities summed) and tracking number, not cancelled; None if there is none."""
    line_items = {line.gid: line.line_item_gid for fo in state.fulfillment_orders for line in fo.lines}
    wanted: Counter = Counter()
    for _, line_gid, quantity in request.lines:
        if line_gid not in line_items:
            return None
        wanted[line_items[line_gid]] += quantity
    candidates = sorted((f for f in state.fulfillments if f.created_at >= since), key=lambda f: f.created_at)
    for fulfillment in candidates:
        if fulfillment.status.upper() in NOT_ADOPTED or fulfillment.tracking_number != request.tracking.number:
            continue
        made: Counter = Counter()
        for line_item_gid, quantity in fulfillment.lines:
            made[line_item_gid] += quantity
        if made == wanted:
            return fulfillment
    return None


def _send(client: ShopifyClient, request: FulfillmentRequest) -> CreateResult | None:
    """The outcome of sending the request once, or None when its answer was lost."""
    try:
        data = client.execute(document("FulfillmentCreate"), {"fulfillment": fulfillment_input(request)},
                              check=_payload_problem, idempotent=False).data
    except ShopifyGaveUp:
        return None
    except ShopifyQueryError as exc:      # e.g. an input array longer than Shopify takes
        return _refused("; ".join(exc.messages))
    payload = data["fulfillmentCreate"]
    if payload["userErrors"]:
        return _refused("; ".join(error.get("message") or "refused" for error in payload["userErrors"]))
    gid = payload["fulfillment"]["id"]
    logger.info("shopify order %s shop=%s: fulfillment %s made at %s (%d lines)", request.order_gid,
                client.shop_label, gid, request.location_gid, len(request.lines))
    return CreateResult(CreateOutcome.CREATED, gid)


def _refused(reason: str) -> CreateResult:
    return CreateResult(CreateOutcome.REFUSED, reason=reason)


def _failed(reason: str) -> CreateResult:
    return CreateResult(CreateOutcome.FAILED, reason=reason)


# What keeps an answer from being read whole -------------------------------------------------------
def _payload_problem(data) -> str | None:
    payload = data.get("fulfillmentCreate") if isinstance(data, dict) else None
    if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
        return "fulfillmentCreate gave no payload"
    if payload["userErrors"]:
        return None
    fulfillment = payload.get("fulfillment")
    if not isinstance(fulfillment, dict) or not isinstance(fulfillment.get("id"), str) or not fulfillment["id"]:
        return "fulfillmentCreate named no fulfillment"
    return None


def _nodes_problem(data, ids: list[str]) -> str | None:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list) or len(nodes) != len(ids):
        return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} orders asked for"
    for gid, node in zip(ids, nodes):
        if node is not None and (problem := _order_problem(node, gid)):
            return problem
    return None


def _alone_problem(data, gid: str) -> str | None:
    if not isinstance(data, dict) or "order" not in data:
        return "order is missing"
    return None if data["order"] is None else _order_problem(data["order"], gid)


def _every_problem(data, gid: str) -> str | None:
    order = data.get("order") if isinstance(data, dict) else None
    if not isinstance(order, dict) or order.get("id") != gid:
        return f"the order {gid} is missing"
    return _list_problem(order.get("fulfillments"), f"the fulfillments of {gid}", _fulfillment_header_problem)


def _order_problem(node, gid: str) -> str | None:
    if not isinstance(node, dict) or node.get("id") != gid:
        return f"the order {gid} is not in its place"
    problem = _page_problem(node, ("fulfillmentOrders",), _fulfillment_order_problem)
    if problem:
        return f"the order {gid}: {problem}"
    return _list_problem(node.get("fulfillments"), f"the fulfillments of {gid}", _fulfillment_problem)


def _page_problem(data, path: tuple[str, ...], item_problem) -> str | None:
    """What keeps a page of connection `path` (each node checked by `item_problem`) from being read whole."""
    problem = page_problem(data, path)
    if problem:
        return problem
    connection = _dig(data, path)
    for item in connection["nodes"]:
        if problem := item_problem(item):
            return problem
    return None


def _list_problem(items, where: str, item_problem) -> str | None:
    if not isinstance(items, list):
        return f"{where} are missing"
    for item in items:
        if problem := item_problem(item):
            return problem
    return None


def _fulfillment_order_problem(fo) -> str | None:
    if not isinstance(fo, dict) or not isinstance(fo.get("id"), str) or not isinstance(fo.get("status"), str):
        return "a fulfillment order has no id or status"
    assigned = fo.get("assignedLocation")
    location = assigned.get("location") if isinstance(assigned, dict) else None
    if not isinstance(assigned, dict) or (location is not None and (
            not isinstance(location, dict) or not isinstance(location.get("id"), str)
            or not isinstance(location.get("isFulfillmentService"), bool))):
        return f"the fulfillment order {fo['id']} has no readable assigned location"
    problem = _page_problem(fo, ("lineItems",), _fulfillment_order_line_problem)
    return f"the fulfillment order {fo['id']}: {problem}" if problem else None


def _fulfillment_order_line_problem(line) -> str | None:
    if not isinstance(line, dict) or not isinstance(line.get("id"), str) or not all(
            isinstance(line.get(name), int) for name in ("remainingQuantity", "totalQuantity")):
        return "a fulfillment order line has no id or quantities"
    if not isinstance(line.get("lineItem"), dict) or not isinstance(line["lineItem"].get("id"), str):
        return f"the fulfillment order line {line['id']} names no order line"
    return None


def _fulfillment_header_problem(fulfillment) -> str | None:
    if not isinstance(fulfillment, dict) or not all(isinstance(fulfillment.get(name), str)
                                                    for name in ("id", "status", "createdAt")):
        return "a fulfillment has no id, status or createdAt"
    try:
        _moment(fulfillment["createdAt"])
    except ValueError:
        return f"the fulfillment {fulfillment['id']} has a createdAt that is no time"
    tracking = fulfillment.get("trackingInfo")
    if not isinstance(tracking, list) or any(not isinstance(entry, dict) for entry in tracking):
        return f"the fulfillment {fulfillment['id']} has no readable trackingInfo"
    return None


def _fulfillment_problem(fulfillment) -> str | None:
    problem = _fulfillment_header_problem(fulfillment)
    if problem:
        return problem
    problem = _page_problem(fulfillment, ("fulfillmentLineItems",), _fulfillment_line_problem)
    return f"the fulfillment {fulfillment['id']}: {problem}" if problem else None


def _fulfillment_line_problem(line) -> str | None:
    if not isinstance(line, dict) or not (line.get("quantity") is None or isinstance(line["quantity"], int)):
        return "a fulfillment line has no quantity"
    if not isinstance(line.get("lineItem"), dict) or not isinstance(line["lineItem"].get("id"), str):
        return "a fulfillment line names no order line"
    return None


def _is_order_gid(gid) -> bool:
    return isinstance(gid, str) and gid.startswith(ORDER_GID_PREFIX) and gid[len(ORDER_GID_PREFIX):].isdigit()


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment


def _dig(data, path: tuple[str, ...]):
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data
