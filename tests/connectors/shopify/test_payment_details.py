"""The card an order was paid with, on its transactions (paymentDetails of card payments)."""

from connectors.shopify.models import ShopifyTransaction
from connectors.shopify.order_sync import sync_orders
from tests.fixtures.shopify_simulator import ShopifyHttp

CARD_GATEWAYS = ("shopify_payments", "bogus")


def test_card_payments_carry_the_card_brand_and_other_gateways_none(merchant, simulator, shop):
    http = ShopifyHttp(simulator, shop.access_token)
    order = http.run_text("{ orders(first: 1) { nodes { id transactions { id paymentDetails "
                          "{ ... on CardPaymentDetails { company } } } } } }")["orders"]["nodes"][0]

    sync_orders(merchant=merchant)

    rows = ShopifyTransaction.objects.filter(merchant=merchant)
    cards = rows.filter(gateway__in=CARD_GATEWAYS)
    assert cards.exists() and not cards.filter(card_brand="").exists()
    assert set(cards.values_list("card_brand", flat=True)) <= {"Visa", "Mastercard", "American Express", "Discover"}
    assert rows.exclude(gateway__in=CARD_GATEWAYS).exists()
    assert not rows.exclude(gateway__in=CARD_GATEWAYS).exclude(card_brand="").exists()
    for transaction in order["transactions"]:
        held = rows.get(shopify_gid=transaction["id"])
        assert held.card_brand == ((transaction["paymentDetails"] or {}).get("company") or "")


def test_an_order_s_transactions_name_the_same_card(merchant):
    """The capture and the refund go to the card that paid."""
    sync_orders(merchant=merchant)

    brands: dict[int, set[str]] = {}
    for order_id, brand in ShopifyTransaction.objects.filter(
            merchant=merchant, gateway="shopify_payments").values_list("order_id", "card_brand"):
        brands.setdefault(order_id, set()).add(brand)
    assert brands and all(len(found) == 1 and "" not in found for found in brands.values())
