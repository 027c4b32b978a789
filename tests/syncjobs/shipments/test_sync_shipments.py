"""30109 Sync Shipments: posted shipments of Shopify orders become fulfillments in Shopify, after
Business Central's shipping tests (ShpfyShippingTest, ShpfySkippedRecordLogTest): the request's
tracking and lines, one request per location and per 250 lines, a fulfillment service's goods left
to it, and each reason a shipment is not sent written down."""
from __future__ import annotations

import pytest
import requests

from connectors.ledger.models import PostedSalesShipment, SalesLine, ShippingAgent
from connectors.ledger.shipments import update_shipment_tracking
from connectors.ledger.target import target_for
from connectors.shopify.client import ClientSettings, ShopifyClient
from core.secrets import Secret
from core.tiles import TILES
from merchants.models import Merchant
from shopify_simulator.payloads import fulfillment_event_payload
from shopify_simulator.resources.orders import order_number
from syncjobs.queue.models import SkippedRecord
from syncjobs.shipments.models import ShipmentFulfillment, ShipmentState
from syncjobs.shipments.sending import send_shipments
from tests.fixtures.job_queue import work_off_queue
from tests.fixtures.shopify_simulator import RANDOM_FAULTS
from tests.syncjobs.documents.helpers import vat_line
from tests.syncjobs.shipments.helpers import (
    WEBHOOK_KEY,
    deliver_webhook,
    fulfillments_in_shopify,
    ship_in_books,
    shirt_order,
)


@pytest.fixture
def dhl(merchant):
    return ShippingAgent.objects.create(merchant=merchant, code="DHL", name="DHL", tracking_company="DHL Express",
                                        internet_address="https://www.dhl.com/track?n=%1")


def the_row(merchant) -> ShipmentFulfillment:
    (row,) = ShipmentFulfillment.objects.filter(merchant=merchant)
    return row


def skipped_reasons(merchant) -> list[str]:
    return list(SkippedRecord.objects.filter(merchant=merchant, report_number=30109).values_list("reason", flat=True))


def test_a_posted_shipment_becomes_one_fulfillment_with_its_tracking_and_lines_and_a_second_run_sends_nothing(
        merchant, make_order, run_report, shopify, dhl, shop):
    # given
    gid = make_order(**shirt_order(2))
    ship_in_books(merchant, run_report, agent="DHL", tracking_no="JJD0001")
    (shipment,) = PostedSalesShipment.objects.filter(merchant=merchant)
    # when
    run = run_report(30109)
    again = run_report(30109)
    # then
    assert (run.status, run.read, run.created, run.failed) == ("success", 1, 1, 0), run.message
    assert (again.status, again.read) == ("success", 0)
    assert fulfillments_in_shopify(shopify, gid) == [{
        "status": "SUCCESS", "lines": {"SHIRT": 2}, "line_count": 1, "location": shop.profile.locations[0].gid,
        "tracking": [{"company": "DHL Express", "number": "JJD0001", "url": "https://www.dhl.com/track?n=JJD0001"}]}]
    row = the_row(merchant)
    assert (row.shipment_no, row.state, len(row.fulfillments)) == (shipment.number, ShipmentState.FULFILLED, 1)


def test_a_partial_shipment_fulfils_only_what_it_shipped(merchant, make_order, run_report, shopify):
    # given: Shopify's order has 5 shirts; the books ship 2 of them
    gid = make_order(**shirt_order(5))
    assert run_report(30104).status == run_report(30103).status == "success"
    SalesLine.objects.filter(document__merchant=merchant, number="SHIRT").update(quantity=2)
    assert run_report(296, post="ship").status == "success"
    # when
    run = run_report(30109)
    # then
    assert run.created == 1, run.message
    assert [f["lines"] for f in fulfillments_in_shopify(shopify, gid)] == [{"SHIRT": 2}]
    order = shopify.run_text("query ($id: ID!) { order(id: $id) { displayFulfillmentStatus } }", id=gid)
    assert order["order"]["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"


def test_goods_at_two_locations_make_two_fulfillments(merchant, make_order, run_report, shopify, shop):
    # given
    first, second = (location.gid for location in shop.profile.locations[:2])
    gid = make_order(**shirt_order(lines=[vat_line("60.00", 1, "10.00"),
                                          {**vat_line("60.00", 2, "20.00"), "location": second}]))
    ship_in_books(merchant, run_report)
    # when
    run = run_report(30109)
    # then
    assert run.created == 1, run.message
    made = fulfillments_in_shopify(shopify, gid)
    assert sorted((f["location"], f["lines"]["SHIRT"]) for f in made) == sorted([(first, 1), (second, 2)])
    assert len(the_row(merchant).fulfillments) == 2


def test_more_than_250_lines_go_in_two_requests(merchant, make_order, run_report, shopify):
    # given: 260 order lines of one shirt each
    gid = make_order(**shirt_order(lines=[vat_line("60.00", 1, "10.00") for _ in range(260)]))
    ship_in_books(merchant, run_report)
    client = ShopifyClient.for_merchant(merchant)
    # when
    counts = send_shipments(merchant, target=target_for(merchant), client=client)
    # then
    assert (counts.created, counts.fulfillments) == (1, 2)
    made = fulfillments_in_shopify(shopify, gid)
    assert sorted(f["line_count"] for f in made) == [10, 250]
    assert the_row(merchant).state == ShipmentState.FULFILLED
    assert sum(len(lines) for lines in the_row(merchant).fulfillments.values()) == 260


def test_goods_held_by_a_fulfillment_service_are_never_sent_and_the_shipment_says_why(
        merchant, make_order, run_report, shopify, shop):
    # given
    gid = make_order(**shirt_order(lines=[{**vat_line("60.00", 1, "10.00"),
                                           "location": shop.profile.fulfillment_service_location.gid}]))
    ship_in_books(merchant, run_report)
    # when
    run = run_report(30109)
    # then
    assert fulfillments_in_shopify(shopify, gid) == []
    row = the_row(merchant)
    assert row.state == ShipmentState.ERROR and "fulfillment service" in row.reason
    assert run.failed == 1 and any("fulfillment service" in reason for reason in skipped_reasons(merchant))


def test_goods_at_a_removed_location_are_a_shipment_error_not_a_crash(merchant, make_order, run_report, shopify, shop):
    # given
    second = shop.profile.locations[1].gid
    gid = make_order(**shirt_order(lines=[{**vat_line("60.00", 1, "10.00"), "location": second}]))
    ship_in_books(merchant, run_report)
    shopify.control("POST", "locations/remove", shop=shop.domain, location_id=second)
    # when
    run = run_report(30109)
    # then
    assert run.status == "success" and run.failed == 1
    assert fulfillments_in_shopify(shopify, gid) == []
    assert "removed from the shop" in the_row(merchant).reason


def test_a_shipment_of_an_order_cancelled_in_shopify_is_a_shipment_error_naming_the_line_and_why(
        merchant, make_order, run_report, shopify, shop):
    # given: the goods left the warehouse, but the order was cancelled in Shopify meanwhile
    gid = make_order(**shirt_order(1))
    ship_in_books(merchant, run_report)
    shopify.control("POST", "orders/custom/update", shop=shop.domain, id=gid, cancel={"reason": "CUSTOMER"})
    # when
    run = run_report(30109)
    # then
    row = the_row(merchant)
    assert run.failed == 1 and row.state == ShipmentState.ERROR
    assert row.reason == ("no open fulfillment line in Shopify matches it: 1 of line 10000 (item SHIRT): Shopify "
                          "holds no open fulfillment line for it (fulfilled or cancelled there already?)")
    assert fulfillments_in_shopify(shopify, gid) == []
    assert skipped_reasons(merchant) == [row.reason]


def test_goods_shopify_fulfilled_already_are_not_sent_again_and_a_later_shipment_sends_the_rest(
        merchant, make_order, run_report, shopify, shop):
    # given: 3 shirts; 1 was fulfilled in Shopify by hand; the books ship all 3
    gid = make_order(**shirt_order(3))
    fulfil_by_hand(shopify, gid, 1)
    ship_in_books(merchant, run_report)
    # when
    run = run_report(30109)
    # then: the 2 still open are sent; the one Shopify fulfilled is the shipment's too, not sent twice
    assert (run.created, run.failed) == (1, 0), run.message
    assert sorted(f["lines"]["SHIRT"] for f in fulfillments_in_shopify(shopify, gid)) == [1, 2]
    assert len(the_row(merchant).fulfillments) == 2 and the_row(merchant).state == ShipmentState.FULFILLED


def test_a_shipment_with_no_item_line_has_nothing_to_send(merchant, make_order, run_report, shopify):
    # given: the order's only line was taken off the shipment (quantity 0) before posting
    make_order(**shirt_order(1))
    assert run_report(30104).status == run_report(30103).status == "success"
    SalesLine.objects.filter(document__merchant=merchant, number="SHIRT").update(quantity=0)
    assert run_report(296, post="ship").status == "success"
    # when
    run = run_report(30109)
    # then
    row = the_row(merchant)
    assert (run.status, run.skipped, row.state) == ("success", 1, ShipmentState.NOTHING_TO_SEND)
    assert row.reason == "it has no item line with a quantity shipped" == skipped_reasons(merchant)[0]


def test_the_tiles_count_unsent_shipments_and_errors_and_send_again_sends_a_fixed_one(
        merchant, make_order, run_report, shopify, admin_client, django_capture_on_commit_callbacks):
    # given: a shipment at a fulfillment service's location fails; the merchant moves the goods in Shopify
    make_order(**shirt_order(1))
    ship_in_books(merchant, run_report)
    mine = Merchant.objects.filter(pk=merchant.pk)
    unsent = list(TILES["unprocessed_shipments"].rows(mine))
    assert [row.shipment_no for row in unsent] == [the_row(merchant).shipment_no]   # counted as soon as posted
    ShipmentFulfillment.objects.filter(merchant=merchant).update(state=ShipmentState.ERROR, reason="a test error")
    assert list(TILES["shipment_errors"].rows(mine)) == [the_row(merchant)]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(TILES["shipment_errors"].link(), {
            "action": "send_again", "_selected_action": [the_row(merchant).pk]}, follow=True)
    # then: queued as the card's button queues it, and run by the worker
    assert response.status_code == 200
    assert "queued" in response.content.decode().lower()
    assert "left as they are" not in response.content.decode()   # the one chosen was reopened, none left
    work_off_queue()
    assert the_row(merchant).state == ShipmentState.FULFILLED
    assert not TILES["shipment_errors"].rows(mine).exists() and not TILES["unprocessed_shipments"].rows(mine).exists()
    listed = admin_client.get(TILES["shipment_errors"].link())
    assert listed.status_code == 200


def test_a_daily_summary_shop_has_no_shipments_to_send_and_says_why(merchant, run_report):
    Merchant.objects.filter(pk=merchant.pk).update(posting_mode="daily_summary")
    run = run_report(30109)
    assert run.status == "success"
    assert "posts a daily summary journal" in run.message




@pytest.mark.parametrize("kind, rule", [*RANDOM_FAULTS, ("null_nodes", {"probability": 0.5})])
def test_faults_still_end_in_each_shipment_fulfilled_once(merchant, make_order, run_report, shopify, shop, kind,
                                                          rule, monkeypatch):
    # given: three orders shipped in the books
    gids = [make_order(**shirt_order(n + 1, name=f"#30{n}")) for n in range(3)]
    ship_in_books(merchant, run_report)
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    monkeypatch.setattr("connectors.shopify.fulfillments.LOST_SETTLE_SECONDS", 0.4)
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(
        read_timeout=0.25 if kind == "slow" else 15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05))
    shop.faults.set(kind, **rule)
    # when: runs until nothing is left to send, faults and all
    for _ in range(6):
        try:
            send_shipments(merchant, target=target_for(merchant), client=client)
        except Exception:   # noqa: BLE001  (a read given up on: the next run goes on)
            continue
    shop.faults.clear()
    send_shipments(merchant, target=target_for(merchant))
    # then
    assert shop.faults.suffered.get(kind)
    assert set(ShipmentFulfillment.objects.filter(merchant=merchant).values_list("state", flat=True)) == {
        ShipmentState.FULFILLED}
    assert [[f["lines"] for f in fulfillments_in_shopify(shopify, gid)] for gid in gids] == [
        [{"SHIRT": 1}], [{"SHIRT": 2}], [{"SHIRT": 3}]]


class WorkerKilled(BaseException):
    """The worker's process ends here: nothing after this line of the run happens."""


class DyingTransport(requests.Session):
    """The HTTP transport of a worker killed around its fulfillmentCreate: before the request
    leaves, or after Shopify made the fulfillment but before the answer is read."""

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when

    def post(self, url, json=None, **kwargs):
        creating = (json or {}).get("operationName") == "FulfillmentCreate"
        if creating and self.when == "before sending":
            raise WorkerKilled
        response = super().post(url, json=json, **kwargs)
        if creating and self.when == "after Shopify made it":
            raise WorkerKilled
        return response


@pytest.mark.parametrize("when", ["before sending", "after Shopify made it"])
def test_a_worker_killed_around_the_fulfillment_leaves_the_shipment_fulfilled_once_by_the_next_run(
        merchant, make_order, run_report, shopify, when):
    # given
    gid = make_order(**shirt_order(2))
    ship_in_books(merchant, run_report)
    dying = ShopifyClient.for_merchant(merchant, session=DyingTransport(when))
    with pytest.raises(WorkerKilled):
        send_shipments(merchant, target=target_for(merchant), client=dying)
    assert the_row(merchant).state == ShipmentState.SENDING
    # when
    run = run_report(30109)
    # then
    assert (run.status, run.created) == ("success", 1), run.message
    made = fulfillments_in_shopify(shopify, gid)
    assert [f["lines"] for f in made] == [{"SHIRT": 2}]
    row = the_row(merchant)
    assert row.state == ShipmentState.FULFILLED and len(row.fulfillments) == 1 and not row.pending


def test_a_fulfillment_cancelled_in_shopify_turns_its_shipment_into_a_shipment_error(
        merchant, make_order, run_report, shop, client):
    # given: a shipment fulfilled in Shopify; the shop's webhooks reach syncsite
    merchant.api_secret_key = Secret(WEBHOOK_KEY)
    merchant.save()
    gid = make_order(**shirt_order(1))
    ship_in_books(merchant, run_report)
    run_report(30109)
    (fulfillment_gid,) = the_row(merchant).fulfillments
    payload = fulfillment_event_payload(shop, (order_number(shop, gid), fulfillment_gid))
    # when: someone cancels that fulfillment in Shopify
    answer = deliver_webhook(client, merchant, "fulfillments/update", {**payload, "status": "cancelled"})
    # then
    assert answer.status_code == 200
    row = the_row(merchant)
    assert row.state == ShipmentState.ERROR and row.fulfillments == {}
    assert row.reason.startswith(f"its fulfillment {fulfillment_gid.rsplit('/', 1)[1]} was cancelled in Shopify")


class SomeoneFulfilsFirst(requests.Session):
    """A person fulfils the order in Shopify's admin just before our fulfillmentCreate arrives."""

    def __init__(self, shopify, order_gid: str) -> None:
        super().__init__()
        self.shopify, self.order_gid = shopify, order_gid

    def post(self, url, json=None, **kwargs):
        if (json or {}).get("operationName") == "FulfillmentCreate" and self.order_gid:
            fulfil_by_hand(self.shopify, self.order_gid, 1)
            self.order_gid = ""
        return super().post(url, json=json, **kwargs)


def fulfil_by_hand(shopify, order_gid: str, quantity: int) -> None:
    order = shopify.run_text("""query ($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id
        lineItems(first: 5) { nodes { id } } } } } }""", id=order_gid)["order"]["fulfillmentOrders"]["nodes"][0]
    shopify.run_text("""mutation ($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) {
        fulfillment { id } userErrors { message } } }""", f={"lineItemsByFulfillmentOrder": [{
        "fulfillmentOrderId": order["id"],
        "fulfillmentOrderLineItems": [{"id": order["lineItems"]["nodes"][0]["id"], "quantity": quantity}]}]})


def test_a_fulfillment_shopify_refuses_is_a_shipment_error_with_shopifys_words(merchant, make_order, run_report,
                                                                                shopify):
    # given: the shirt is fulfilled by hand between our read of the order and our request
    gid = make_order(**shirt_order(1))
    ship_in_books(merchant, run_report)
    client = ShopifyClient.for_merchant(merchant, session=SomeoneFulfilsFirst(shopify, gid))
    # when
    counts = send_shipments(merchant, target=target_for(merchant), client=client)
    # then
    row = the_row(merchant)
    assert (counts.failed, row.state) == (1, ShipmentState.ERROR)
    assert row.reason.startswith("Shopify refused the fulfillment at ")
    assert len(fulfillments_in_shopify(shopify, gid)) == 1        # the one made by hand, none of ours
    # and Send again (the next run) takes the hand-made fulfillment as the shipment's
    row.state = ShipmentState.UNPROCESSED
    row.save()
    send_shipments(merchant, target=target_for(merchant))
    assert the_row(merchant).state == ShipmentState.FULFILLED


def test_tracking_entered_on_the_posted_shipment_after_it_was_sent_reaches_its_fulfillment(
        merchant, make_order, run_report, shopify, dhl):
    # given: sent without tracking; the parcel's number comes later, on the posted shipment's page
    gid = make_order(**shirt_order(1))
    ship_in_books(merchant, run_report)
    run_report(30109)
    (shipment,) = PostedSalesShipment.objects.filter(merchant=merchant)
    update_shipment_tracking(shipment=shipment, shipping_agent="DHL", package_tracking_no="JJD0002")
    assert list(TILES["unprocessed_shipments"].rows(Merchant.objects.filter(pk=merchant.pk))) == [the_row(merchant)]
    # when
    run = run_report(30109)
    again = run_report(30109)
    # then
    assert "the changed tracking of 1 shipment sent to its fulfillments" in run.log
    assert [f["tracking"] for f in fulfillments_in_shopify(shopify, gid)] == [[{
        "company": "DHL Express", "number": "JJD0002", "url": "https://www.dhl.com/track?n=JJD0002"}]]
    assert not the_row(merchant).tracking_to_send and "changed tracking" not in again.log
