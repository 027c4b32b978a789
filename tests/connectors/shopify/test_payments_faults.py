"""The payments import through Shopify's bad moments: every record once, and a watermark that moves
only after a run that read everything; a dispute decided while the shop's clock runs on."""
from datetime import timedelta

import pytest

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.models import ImportState, ShopifyBalanceTransaction, ShopifyDispute, ShopifyPayout
from connectors.shopify.payout_sync import _page_problem, sync_payments
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import RANDOM_FAULTS, RecordingSession, ShopifyHttp


def client_for(merchant, *, read_timeout: float = 15, max_attempts: int = 8, session=None) -> ShopifyClient:
    settings = ClientSettings(connect_timeout=5, read_timeout=read_timeout, max_attempts=max_attempts,
                              backoff_base=0.01, backoff_cap=0.05)
    return ShopifyClient.for_merchant(merchant, client_settings=settings, session=session,
                                      sleep=lambda seconds: None)


def held(merchant) -> dict:
    return {
        model.__name__: sorted(model.objects.filter(merchant=merchant).values_list("shopify_gid", flat=True))
        for model in (ShopifyPayout, ShopifyBalanceTransaction, ShopifyDispute)
    }


def watermark(merchant):
    return ImportState.objects.filter(merchant=merchant, kind="payouts").values_list("watermark", flat=True).first()


@pytest.mark.parametrize("kind, rule", RANDOM_FAULTS)
def test_faults_end_with_every_record_once(merchant, shop, kind, rule, monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    shop.faults.set(kind, **rule)
    client = client_for(merchant, read_timeout=0.25 if kind == "slow" else 15)
    # when: runs until one gets through, faults and all
    for _ in range(6):
        try:
            sync_payments(merchant=merchant, client=client)
            break
        except ShopifyGaveUp:
            assert watermark(merchant) is None     # a run given up on moves nothing
    shop.faults.clear()
    through = held(merchant)
    last = sync_payments(merchant=merchant)
    # then
    assert shop.faults.suffered.get(kind)
    assert watermark(merchant) is not None
    assert (last.created, last.failed) == (0, 0)
    assert held(merchant) == through and all(through.values())


def test_a_run_given_up_on_keeps_the_watermark_and_the_next_one_reads_from_it(merchant, shop):
    sync_payments(merchant=merchant)
    before = watermark(merchant)
    ShopifyDispute.objects.filter(merchant=merchant).delete()
    ShopifyBalanceTransaction.objects.filter(merchant=merchant).delete()
    shop.faults.set("server_error", next_requests=100)

    with pytest.raises(ShopifyGaveUp):
        sync_payments(merchant=merchant, client=client_for(merchant, max_attempts=3))

    assert watermark(merchant) == before
    shop.faults.clear()
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)
    again = sync_payments(merchant=merchant)
    assert again.created == ShopifyBalanceTransaction.objects.count() + ShopifyDispute.objects.count()
    assert watermark(merchant) > before


def test_a_re_read_of_disputes_answered_with_null_nodes_is_asked_again(merchant, shop):
    """Shopify keeps every dispute: a null among nodes(ids:) is a lost answer, never a deletion."""
    sync_payments(merchant=merchant)
    ShopifyDispute.objects.filter(merchant=merchant).update(status="NEEDS_RESPONSE")
    shop.faults.set("null_nodes", next_requests=2)
    session = RecordingSession()

    again = sync_payments(merchant=merchant, client=client_for(merchant, session=session))

    assert shop.faults.suffered.get("null_nodes") == 2
    assert session.sent.count("DisputesByIds") == 3
    assert again.updated == ShopifyDispute.objects.filter(merchant=merchant).count()
    assert not ShopifyDispute.objects.filter(merchant=merchant, status="NEEDS_RESPONSE").exists()


@pytest.mark.parametrize("answer, problem", [
    ({"shopifyPaymentsAccount": {"payouts": None}}, "shopifyPaymentsAccount.payouts is missing"),
    ({}, "shopifyPaymentsAccount.payouts is missing"),
    ({"shopifyPaymentsAccount": {"payouts": {"nodes": [{"id": None}],
                                             "pageInfo": {"hasNextPage": False, "endCursor": None}}}},
     "1 of 1 nodes have no ShopifyPaymentsPayout id"),
    ({"shopifyPaymentsAccount": {"payouts": {"nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}}},
     "shopifyPaymentsAccount.payouts has no usable pageInfo"),
    ({"shopifyPaymentsAccount": None}, None),     # a shop without Shopify Payments
])
def test_an_answer_not_whole_is_a_failure_to_retry_never_the_end_of_the_data(answer, problem):
    assert _page_problem(answer, ("shopifyPaymentsAccount", "payouts"), "ShopifyPaymentsPayout") == problem


def test_a_dispute_under_review_is_decided_by_a_later_run(db, simulator_today):
    """The shop's clock runs on past the bank's decision: the next run stores it."""
    shop = simulator_today.shops[0]
    merchant = MerchantFactory(shop_domain=shop.domain, api_base_url=simulator_today.base_url,
                               access_token=shop.access_token, time_zone=shop.profile.time_zone,
                               shop_currency=shop.profile.currency)
    sync_payments(merchant=merchant)
    open_ = list(ShopifyDispute.objects.filter(merchant=merchant, status__in=("NEEDS_RESPONSE", "UNDER_REVIEW")))
    assert open_, "the simulated shop has a dispute still open today"

    simulator_today.clock.advance(timedelta(days=120).total_seconds())
    sync_payments(merchant=merchant)

    http = ShopifyHttp(simulator_today, shop.access_token)
    for dispute in open_:
        theirs = http.run_text("query($id: ID!) { dispute(id: $id) { status finalizedOn } }",
                               id=dispute.shopify_gid)["dispute"]
        dispute.refresh_from_db()
        assert theirs["status"] in ("WON", "LOST", "ACCEPTED")
        assert (dispute.status, str(dispute.finalized_on)) == (theirs["status"], theirs["finalizedOn"])
    reversals = ShopifyBalanceTransaction.objects.filter(merchant=merchant, type="DISPUTE_REVERSAL",
                                                         source_id__in=[str(d.legacy_id) for d in open_])
    assert reversals.count() == sum(1 for d in open_ if d.status == "WON")
