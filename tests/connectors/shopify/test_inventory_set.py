"""Setting available stock over HTTP against the simulator (inventorySetQuantities with compare
quantities): a sale between our read and our write is read again and the write retried once, then
reported STALE naming both quantities; a refused entry fails alone; at most 250 quantities a call;
and through every fault (an error, a dropped or lost answer, an answer that cannot be read) a
quantity is set once, never added twice."""
import pytest
import requests

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.inventory import QuantityToSet, SetOutcome, set_available_quantities
from connectors.shopify.models import ShopifyInventoryLevel

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


class RecordingSession(requests.Session):
    """A transport that notes each operation sent (name, variables), and can set one simulator fault
    just before the first request of `arm` is sent, or spoil that request's answer once it came."""

    def __init__(self, shop=None, *, arm: str = "", fault: str = "", spoil: bytes = b"", **rule) -> None:
        super().__init__()
        self.shop, self.arm, self.fault, self.spoil, self.rule = shop, arm, fault, spoil, rule
        self.sent: list[tuple[str, dict]] = []

    def post(self, url, json=None, **kwargs):
        name = (json or {}).get("operationName", "")
        self.sent.append((name, (json or {}).get("variables") or {}))
        armed = bool(self.arm) and name == self.arm
        if armed:
            self.arm = ""
            if self.fault:
                self.shop.faults.set(self.fault, next_requests=1, **self.rule)
        response = super().post(url, json=json, **kwargs)
        if armed and self.spoil:   # Shopify did it; the answer came back unreadable
            response._content = self.spoil
        return response

    def calls(self, name: str) -> list[dict]:
        return [variables for sent, variables in self.sent if sent == name]


def client_for(merchant, client_settings=FAST, **kwargs) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=client_settings, **kwargs)


def item_gid(variant) -> str:
    return f"gid://shopify/InventoryItem/{variant.inventory_item_id}"


def stocked(shop, location: str, count: int = 1) -> list:
    """Tracked variants stocked at `location`."""
    return [v for v in shop.catalog.variants()
            if v.tracked and shop.inventory.level(v.inventory_item_id, location) is not None][:count]


def available(shop, variant, location: str) -> int:
    return shop.inventory.level(variant.inventory_item_id, location).available


def stored(merchant, variant, location: str) -> tuple[int, int | None]:
    row = ShopifyInventoryLevel.objects.get(merchant=merchant, location_gid=location,
                                            inventory_item_gid=item_gid(variant))
    return row.available, row.on_hand


@pytest.fixture
def location(shop) -> str:
    return shop.profile.locations[0].gid


@pytest.fixture
def variant(shop, location):
    return stocked(shop, location)[0]


def drift(shopify, shop, variant, location, *, delta: int, times: int) -> None:
    """Sales in Shopify between our read and our write: the level moves before our next writes."""
    shopify.control("POST", "inventory/drift", shop=shop.domain, inventory_item_id=variant.inventory_item_id,
                    location_id=location.rsplit("/", 1)[1], delta=delta, times=times)


def test_a_quantity_is_set_and_stored_as_shopify_answered(merchant, shop, variant, location):
    # given
    was = available(shop, variant, location)
    wanted = QuantityToSet(item_gid(variant), location, was + 5, was)
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant), [wanted])
    # then
    assert (result.wanted, result.outcome, result.shopify_quantity, result.reason) == (
        wanted, SetOutcome.SET, was + 5, "")
    assert available(shop, variant, location) == was + 5
    level = shop.inventory.level(variant.inventory_item_id, location)
    assert stored(merchant, variant, location) == (was + 5, level.on_hand)


def test_a_sale_between_read_and_write_is_read_again_and_the_quantity_set_once(merchant, shop, shopify, variant,
                                                                               location):
    # given
    was = available(shop, variant, location)
    drift(shopify, shop, variant, location, delta=-1, times=1)
    session = RecordingSession()
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.SET, was + 5)
    assert available(shop, variant, location) == was + 5, "set, not adjusted: the sale does not add or take"
    sent = session.calls("InventorySetQuantities")
    assert [v["input"]["quantities"][0]["compareQuantity"] for v in sent] == [was, was - 1]
    assert len(session.calls("InventoryLevelsByItemIds")) == 1
    assert stored(merchant, variant, location)[0] == was + 5


def test_a_level_that_moves_again_is_stale_naming_both_quantities_and_is_not_sent_a_third_time(
        merchant, shop, shopify, variant, location):
    # given
    was = available(shop, variant, location)
    drift(shopify, shop, variant, location, delta=-1, times=2)
    session = RecordingSession()
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.STALE, was - 2)
    assert f"{was + 5} was to be set, Shopify has {was - 2}" in result.reason
    assert len(session.calls("InventorySetQuantities")) == 2
    assert available(shop, variant, location) == was - 2, "Shopify's sales stand"
    assert stored(merchant, variant, location)[0] == was - 2


def test_a_level_already_at_the_wanted_quantity_is_unchanged_and_not_sent_again(merchant, shop, shopify, variant,
                                                                              location):
    """E.g. our own earlier write, whose answer was lost."""
    # given
    was = available(shop, variant, location)
    shopify.control("POST", "inventory/set", shop=shop.domain, inventory_item_id=variant.inventory_item_id,
                    location_id=location.rsplit("/", 1)[1], available=was + 5)
    session = RecordingSession()
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.UNCHANGED, was + 5)
    assert len(session.calls("InventorySetQuantities")) == 1
    assert available(shop, variant, location) == was + 5


def test_refused_entries_fail_alone_with_shopifys_words_and_the_rest_is_set(merchant, shop, location):
    # given
    service = shop.profile.fulfillment_service_location.gid
    first, second = stocked(shop, location, 2)
    not_at_service = next(v for v in shop.catalog.variants()
                          if v.tracked and shop.inventory.level(v.inventory_item_id, service) is None)
    wanted = [
        QuantityToSet(item_gid(first), location, 7, available(shop, first, location)),
        QuantityToSet(item_gid(not_at_service), service, 3, 0),
        QuantityToSet("gid://shopify/InventoryItem/1", location, 3, 0),
        QuantityToSet(item_gid(second), location, -2, available(shop, second, location)),
        QuantityToSet(item_gid(first), location, 8, 7),
        QuantityToSet(item_gid(second), location, 9, available(shop, second, location)),
    ]
    # when
    results = set_available_quantities(merchant, client_for(merchant), wanted)
    # then
    assert [r.wanted for r in results] == wanted
    assert [r.outcome for r in results] == [SetOutcome.SET, SetOutcome.REFUSED, SetOutcome.REFUSED,
                                            SetOutcome.REFUSED, SetOutcome.REFUSED, SetOutcome.SET]
    assert results[1].reason == "Shopify refused it: The item is not stocked at the location."
    assert results[2].reason == "Shopify refused it: The specified inventory item could not be found."
    assert "-2 cannot be set" in results[3].reason
    assert results[4].reason == "the same item and location are given twice; the first is set"
    assert (available(shop, first, location), available(shop, second, location)) == (7, 9)


def test_what_cannot_be_sent_is_refused_before_sending_and_a_refused_call_refuses_its_entries(merchant, shop, variant,
                                                                                               location):
    # given
    was = available(shop, variant, location)
    wanted = [QuantityToSet("gid://shopify/Product/1", location, 1, 0), QuantityToSet(item_gid(variant), "Paris", 1, 0),
              QuantityToSet(item_gid(variant), location, 1, "3"), QuantityToSet(item_gid(variant), location, 2.5, was),
              QuantityToSet(item_gid(variant), location, was + 1, was)]
    # when
    results = set_available_quantities(merchant, client_for(merchant), wanted, reason="because")
    # then
    assert [r.outcome for r in results] == [SetOutcome.REFUSED] * 5
    assert [r.reason for r in results[:4]] == [
        "'gid://shopify/Product/1' is not the ID of a Shopify inventory item",
        "'Paris' is not the ID of a Shopify location",
        "the compare quantity '3' is not a whole number",
        "2.5 cannot be set: Shopify takes a whole number from 0 to 1,000,000,000"]
    assert results[4].reason == "Shopify refused the request: The reason is not valid."
    assert available(shop, variant, location) == was


def test_without_a_compare_quantity_the_level_is_read_first(merchant, shop, location):
    # given
    first, second = stocked(shop, location, 2)
    untracked = next(v for v in shop.catalog.variants() if not v.tracked)
    already = available(shop, second, location)
    session = RecordingSession()
    # when
    results = set_available_quantities(merchant, client_for(merchant, session=session), [
        QuantityToSet(item_gid(first), location, 11, None),
        QuantityToSet(item_gid(second), location, already, None),
        QuantityToSet(item_gid(untracked), location, 1, None),
    ])
    # then
    assert [(r.outcome, r.shopify_quantity) for r in results] == [
        (SetOutcome.SET, 11), (SetOutcome.UNCHANGED, already), (SetOutcome.REFUSED, None)]
    assert "does not track this item's stock" in results[2].reason
    (sent,) = session.calls("InventorySetQuantities")
    assert [q["inventoryItemId"] for q in sent["input"]["quantities"]] == [item_gid(first)]
    assert available(shop, first, location) == 11


def test_a_level_shopify_no_longer_holds_is_refused_and_forgotten(merchant, shop, location):
    # given
    service = shop.profile.fulfillment_service_location.gid
    variant = next(v for v in shop.catalog.variants()
                   if v.tracked and shop.inventory.level(v.inventory_item_id, service) is None)
    ShopifyInventoryLevel.objects.create(merchant=merchant, inventory_item_gid=item_gid(variant), location_gid=service,
                                         available=4, reported_at="2025-01-01T00:00:00Z")
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant),
                                         [QuantityToSet(item_gid(variant), service, 3, None)])
    # then
    assert result.outcome == SetOutcome.REFUSED
    assert result.reason == "the item is not stocked at this location in Shopify"
    assert not ShopifyInventoryLevel.objects.filter(merchant=merchant, location_gid=service).exists()


@pytest.mark.parametrize("kind", ["server_error", "drop", "empty", "malformed", "throttle"])
def test_a_fault_before_shopify_sets_anything_is_retried_and_the_quantity_set_once(merchant, shop, variant, location,
                                                                                    kind):
    # given
    was = available(shop, variant, location)
    session = RecordingSession(shop, arm="InventorySetQuantities", fault=kind)
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert shop.faults.suffered == {kind: 1}
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.SET, was + 5)
    assert available(shop, variant, location) == was + 5


def test_an_answer_lost_after_shopify_set_the_quantity_never_adds_it_twice(merchant, shop, variant, location):
    """The client stops waiting; Shopify sets the quantity after all. Sent again, the write finds its
    compare quantity stale, the level is read: it holds the wanted quantity already."""
    # given
    was = available(shop, variant, location)
    session = RecordingSession(shop, arm="InventorySetQuantities", fault="slow", seconds=0.5)
    patient_retry = ClientSettings(read_timeout=0.25, max_attempts=3, backoff_base=1.0, backoff_cap=1.0)
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, patient_retry, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert shop.faults.suffered == {"slow": 1}
    assert len(session.calls("InventorySetQuantities")) == 2
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.UNCHANGED, was + 5)
    assert available(shop, variant, location) == was + 5
    assert stored(merchant, variant, location)[0] == was + 5


@pytest.mark.parametrize("answer", [b'{"data": {"inventorySetQuantities": null}}', b'{"data": {}}', b'{"data": null}',
                                    b'{"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": {}}}}'])
def test_an_unreadable_answer_after_shopify_set_the_quantity_is_asked_again_never_believed(merchant, shop, variant,
                                                                                            location, answer):
    # given
    was = available(shop, variant, location)
    session = RecordingSession(shop, arm="InventorySetQuantities", spoil=answer)
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 5, was)])
    # then
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.UNCHANGED, was + 5)
    assert available(shop, variant, location) == was + 5


def test_a_sale_then_a_re_read_answered_with_null_nodes_still_sets_the_quantity_once(merchant, shop, shopify, variant,
                                                                                    location):
    """The re-read after the stale answer comes back with every node null: asked again, not taken
    for "no such item"."""
    # given
    was = available(shop, variant, location)
    drift(shopify, shop, variant, location, delta=-3, times=1)
    session = RecordingSession(shop, arm="InventoryLevelsByItemIds", fault="null_nodes")
    # when
    (result,) = set_available_quantities(merchant, client_for(merchant, session=session),
                                         [QuantityToSet(item_gid(variant), location, was + 1, was)])
    # then
    assert shop.faults.suffered == {"null_nodes": 1}
    assert (result.outcome, result.shopify_quantity) == (SetOutcome.SET, was + 1)
    assert available(shop, variant, location) == was + 1



def test_more_than_250_quantities_go_in_calls_of_at_most_250_and_are_stored_in_a_few_queries(
        large_merchant, large_catalog, django_assert_max_num_queries):
    # given
    shop = large_catalog.shops[0]
    location = shop.profile.locations[0].gid
    variants = stocked(shop, location, 300)
    wanted = [QuantityToSet(item_gid(v), location, available(shop, v, location) + 1 + n % 7,
                            available(shop, v, location)) for n, v in enumerate(variants)]
    session = RecordingSession()
    # when
    with django_assert_max_num_queries(12):   # what is held, the upsert (166 rows a statement on SQLite)
        results = set_available_quantities(large_merchant, client_for(large_merchant, session=session), wanted)
    # then
    assert len(variants) == 300
    assert {r.outcome for r in results} == {SetOutcome.SET}
    assert [len(v["input"]["quantities"]) for v in session.calls("InventorySetQuantities")] == [250, 50]
    assert [available(shop, v, location) for v in variants] == [q.quantity for q in wanted]
    assert ShopifyInventoryLevel.objects.filter(merchant=large_merchant).count() == 300
