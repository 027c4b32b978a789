"""Shopify Payments payouts, balance transactions and disputes, imported and kept up to date by GID
(report 30105, and report 1 before it posts)."""
from datetime import timedelta
from decimal import Decimal

from connectors.shopify.models import ImportState, ShopifyBalanceTransaction, ShopifyDispute, ShopifyPayout
from connectors.shopify.payout_sync import sync_payments
from tests.fixtures.shopify_simulator import ShopifyHttp

EVERY_TYPE_SIMULATED = {"CHARGE", "REFUND", "DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE", "DISPUTE_REVERSAL",
                        "CHARGEBACK_FEE_REFUND", "RESERVED_FUNDS_WITHDRAWAL", "RESERVED_FUNDS_REVERSAL", "ADJUSTMENT",
                        "TRANSFER_FAILURE"}
SUMMARY = ("charges", "refunds", "adjustments", "reserved_funds", "retried_payouts", "advance")


def listed(simulator, shop, connection: str, fields: str) -> dict:
    """What Shopify itself lists under shopifyPaymentsAccount, read with a bare HTTP client."""
    http = ShopifyHttp(simulator, shop.access_token)
    found, after = {}, None
    while True:
        body = http.run_text(
            f"query($after: String) {{ shopifyPaymentsAccount {{ {connection}(first: 50, after: $after) {{ "
            f"pageInfo {{ hasNextPage endCursor }} nodes {{ id {fields} }} }} }} }}", after=after,
        )["shopifyPaymentsAccount"][connection]
        found.update({node["id"]: node for node in body["nodes"]})
        if not body["pageInfo"]["hasNextPage"]:
            return found
        after = body["pageInfo"]["endCursor"]


def test_every_payout_balance_transaction_and_dispute_is_imported_once(merchant, simulator, shop):
    expected = listed(simulator, shop, "payouts", "status net { amount }")

    first = sync_payments(merchant=merchant)
    second = sync_payments(merchant=merchant)

    held = {p.shopify_gid: p for p in ShopifyPayout.objects.filter(merchant=merchant)}
    assert set(held) == set(expected) and expected
    assert all(held[gid].net == Decimal(p["net"]["amount"]) and held[gid].status == p["status"]
               for gid, p in expected.items())
    rows = (ShopifyPayout.objects.count() + ShopifyBalanceTransaction.objects.count()
            + ShopifyDispute.objects.count())
    assert first.created == rows and ShopifyDispute.objects.exists()
    assert (second.created, second.updated, second.failed) == (0, 0, 0)


def test_each_payout_has_its_summary_and_its_transactions_sum_to_its_net(merchant, simulator, shop):
    """Shopify: gross − fee over the summary's parts is the net, and so is the net of the balance
    transactions the payout holds; both to the cent, for every payout of the months simulated."""
    shopify = listed(simulator, shop, "payouts", "summary { chargesGross { amount } chargesFee { amount } "
                                                 "retriedPayoutsGross { amount } }")

    sync_payments(merchant=merchant)

    payouts = list(ShopifyPayout.objects.filter(merchant=merchant))
    held_nets: dict[str, Decimal] = {}
    for gid, net in ShopifyBalanceTransaction.objects.filter(merchant=merchant).values_list("payout_gid", "net"):
        held_nets[gid] = held_nets.get(gid, Decimal(0)) + net
    for payout in payouts:
        summary = sum(getattr(payout, f"{part}_gross") - getattr(payout, f"{part}_fee") for part in SUMMARY)
        assert summary == payout.net == held_nets[payout.shopify_gid], payout.shopify_gid
        theirs = shopify[payout.shopify_gid]["summary"]
        assert payout.charges_gross == Decimal(theirs["chargesGross"]["amount"])
        assert payout.charges_fee == Decimal(theirs["chargesFee"]["amount"])
        assert payout.retried_payouts_gross == Decimal(theirs["retriedPayoutsGross"]["amount"])
    assert any(p.retried_payouts_gross for p in payouts) and any(p.reserved_funds_gross for p in payouts)
    assert any(p.adjustments_gross for p in payouts) and any(p.refunds_gross for p in payouts)


def test_every_type_of_balance_transaction_is_stored_with_what_moved_the_money(merchant):
    sync_payments(merchant=merchant)

    rows = ShopifyBalanceTransaction.objects.filter(merchant=merchant)
    assert set(rows.values_list("type", flat=True)) == EVERY_TYPE_SIMULATED
    assert not rows.filter(first_seen_at=None).exists()
    charge = rows.filter(type="CHARGE").first()
    assert (charge.source_type, charge.source_id) == ("CHARGE", charge.source_order_transaction_id)
    assert charge.order_gid and charge.order_name.startswith("#")
    for dispute_move in rows.filter(type__in=("DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE")):
        assert dispute_move.source_type == "DISPUTE" and dispute_move.order_name
        assert ShopifyDispute.objects.filter(merchant=merchant, legacy_id=int(dispute_move.source_id)).exists()
    assert set(rows.filter(type__startswith="RESERVED_FUNDS").values_list("source_type", flat=True)) == {
        "SYSTEM_ADJUSTMENT"}
    assert not rows.filter(type="ADJUSTMENT", adjustment_reason="").exists()
    # A failed payout's money comes back naming that payout.
    failed = set(ShopifyPayout.objects.filter(merchant=merchant, status="FAILED").values_list("legacy_id", flat=True))
    backs = rows.filter(type="TRANSFER_FAILURE")
    assert backs and all(b.source_type == "TRANSFER" and int(b.source_id) in failed for b in backs)


def test_disputes_are_imported_with_their_status_reason_and_dates(merchant, simulator, shop):
    expected = listed(simulator, shop, "disputes", "status type initiatedAt finalizedOn amount { amount } "
                                                   "reasonDetails { reason networkReasonCode } order { name }")

    sync_payments(merchant=merchant)

    held = {d.shopify_gid: d for d in ShopifyDispute.objects.filter(merchant=merchant)}
    assert set(held) == set(expected)
    for gid, theirs in expected.items():
        ours = held[gid]
        assert (ours.status, ours.type, ours.reason, ours.network_reason_code, ours.order_name) == (
            theirs["status"], theirs["type"], theirs["reasonDetails"]["reason"],
            theirs["reasonDetails"]["networkReasonCode"], theirs["order"]["name"])
        assert ours.amount == Decimal(theirs["amount"]["amount"])
        assert str(ours.finalized_on) == theirs["finalizedOn"]
    assert {"WON", "LOST"} <= {d.status for d in held.values()}


def test_a_dispute_decided_after_its_window_is_read_again_by_its_id(merchant):
    """A dispute opened long before the watermark, held as under review: a later run reads it again
    by GID (not by initiated_at) and stores the bank's decision."""
    sync_payments(merchant=merchant)
    won = ShopifyDispute.objects.filter(merchant=merchant, status="WON").first()
    finalized = won.finalized_on
    ShopifyDispute.objects.filter(pk=won.pk).update(status="UNDER_REVIEW", finalized_on=None)  # as read back then

    again = sync_payments(merchant=merchant)

    won.refresh_from_db()
    assert (won.status, won.finalized_on) == ("WON", finalized)
    assert won.initiated_at < ImportState.objects.get(merchant=merchant, kind="payouts").watermark - timedelta(days=30)
    assert (again.created, again.updated, again.failed) == (0, 1, 0)


def test_an_incremental_run_reads_only_the_last_days(merchant):
    full = sync_payments(merchant=merchant)

    again = sync_payments(merchant=merchant)

    assert again.read < full.read / 10


def test_a_payout_read_again_with_a_new_status_is_updated(merchant):
    sync_payments(merchant=merchant)
    payout = ShopifyPayout.objects.filter(status="PAID").first()
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="IN_TRANSIT")   # as imported while in transit
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)

    again = sync_payments(merchant=merchant)

    assert again.created == 0 and again.updated == 1
    assert ShopifyPayout.objects.get(pk=payout.pk).status == "PAID"


def test_a_balance_transaction_keeps_when_it_was_first_read(merchant):
    sync_payments(merchant=merchant)
    row = ShopifyBalanceTransaction.objects.filter(merchant=merchant).first()
    first_read = row.first_seen_at
    ShopifyBalanceTransaction.objects.filter(pk=row.pk).update(payout_status="SCHEDULED")   # read while scheduled
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)

    sync_payments(merchant=merchant)

    row.refresh_from_db()
    assert row.payout_status != "SCHEDULED" and row.first_seen_at == first_read


def test_the_import_notes_when_it_first_read_a_payout_as_left_and_as_failed(merchant):
    """The daily journal posts a payout that leaves, or fails, after its day was posted on the day
    the import read it so; a later read of the same status keeps the first time."""
    sync_payments(merchant=merchant)
    payout = ShopifyPayout.objects.filter(status="PAID").first()
    first_read = payout.left_seen_at
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="SCHEDULED", left_seen_at=None)   # read while scheduled
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)

    sync_payments(merchant=merchant)
    left = ShopifyPayout.objects.get(pk=payout.pk).left_seen_at
    ImportState.objects.filter(merchant=merchant, kind="payouts").update(watermark=None)
    sync_payments(merchant=merchant)

    again = ShopifyPayout.objects.get(pk=payout.pk)
    assert first_read is not None and left > first_read and again.left_seen_at == left
    assert again.failed_seen_at is None
    assert not ShopifyPayout.objects.filter(status__in=("IN_TRANSIT", "PAID"), left_seen_at=None).exists()
    assert not ShopifyPayout.objects.filter(status="FAILED", failed_seen_at=None).exists()
