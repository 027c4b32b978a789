"""Shopify Payments payouts and balance transactions, imported and kept up to date by GID."""

from connectors.shopify.models import ImportState, ShopifyBalanceTransaction, ShopifyPayout
from connectors.shopify.payout_sync import sync_payouts
from tests.fixtures.shopify_simulator import ShopifyHttp


def shopify_payouts(simulator, shop) -> dict:
    """What Shopify itself lists, read with a bare HTTP client."""
    http = ShopifyHttp(simulator, shop.access_token)
    payouts, after = {}, None
    while True:
        body = http.run("Payouts", first=50, after=after)["data"]["shopifyPaymentsAccount"]["payouts"]
        payouts.update({p["id"]: p for p in body["nodes"]})
        if not body["pageInfo"]["hasNextPage"]:
            return payouts
        after = body["pageInfo"]["endCursor"]


def test_every_payout_and_balance_transaction_is_imported_once(merchant, simulator, shop):
    expected = shopify_payouts(simulator, shop)

    first = sync_payouts(merchant=merchant)
    second = sync_payouts(merchant=merchant)

    held = {p.shopify_gid: p for p in ShopifyPayout.objects.filter(merchant=merchant)}
    assert set(held) == set(expected) and expected
    assert all(str(held[gid].net) == f"{float(p['net']['amount']):.4f}" and held[gid].status == p["status"]
               for gid, p in expected.items())
    assert ShopifyBalanceTransaction.objects.filter(merchant=merchant).count() > 0
    assert first.created == ShopifyPayout.objects.count() + ShopifyBalanceTransaction.objects.count()
    assert (second.created, second.updated, second.failed) == (0, 0, 0)


def test_a_payout_read_again_with_a_new_status_is_updated(merchant):
    sync_payouts(merchant=merchant)
    payout = ShopifyPayout.objects.filter(status="PAID").first()
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="IN_TRANSIT")   # as imported while in transit
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)

    again = sync_payouts(merchant=merchant)

    assert (again.created, again.updated) == (0, 1)
    assert ShopifyPayout.objects.get(pk=payout.pk).status == "PAID"


def test_the_import_notes_when_it_first_read_a_payout_as_left_and_as_failed(merchant):
    """The daily journal posts a payout that leaves, or fails, after its day was posted on the day
    the import read it so; a later read of the same status keeps the first time."""
    sync_payouts(merchant=merchant)
    payout = ShopifyPayout.objects.filter(status="PAID").first()
    first_read = payout.left_seen_at
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="SCHEDULED", left_seen_at=None)   # read while scheduled
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)

    sync_payouts(merchant=merchant)
    left = ShopifyPayout.objects.get(pk=payout.pk).left_seen_at
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)
    sync_payouts(merchant=merchant)

    again = ShopifyPayout.objects.get(pk=payout.pk)
    assert first_read is not None and left > first_read and again.left_seen_at == left
    assert again.failed_seen_at is None
    assert not ShopifyPayout.objects.filter(status__in=("IN_TRANSIT", "PAID"), left_seen_at=None).exists()
