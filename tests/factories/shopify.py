import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from connectors.shopify.models import (
    PAYOUT_FAILED,
    PAYOUT_LEFT,
    ImportState,
    ShopifyBalanceTransaction,
    ShopifyCustomer,
    ShopifyDispute,
    ShopifyOrder,
    ShopifyPayout,
    WebhookDelivery,
)


class ShopifyOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopifyOrder

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/Order/{9_000_000 + n}")
    legacy_id = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"#{1001 + n}")
    created_at = dt.datetime(2025, 3, 9, 12, 0, tzinfo=dt.timezone.utc)
    shopify_updated_at = dt.datetime(2025, 3, 9, 12, 5, tzinfo=dt.timezone.utc)
    currency = "EUR"
    presentment_currency = "EUR"


class ImportStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportState

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    kind = ImportState.Kind.ORDERS


class ShopifyPayoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopifyPayout

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/ShopifyPaymentsPayout/{n + 1}")
    legacy_id = factory.Sequence(lambda n: n + 1)
    issued_at = factory.LazyFunction(timezone.now)
    status = "PAID"
    net = Decimal("100.00")
    currency = "EUR"
    # Read as it is when it was issued, unless a test says when it was read so.
    left_seen_at = factory.LazyAttribute(lambda p: p.issued_at if p.status in PAYOUT_LEFT else None)
    failed_seen_at = factory.LazyAttribute(lambda p: p.issued_at if p.status in PAYOUT_FAILED else None)


class ShopifyBalanceTransactionFactory(factory.django.DjangoModelFactory):
    """A charge of 100.00 with a fee of 2.90, in no payout yet."""

    class Meta:
        model = ShopifyBalanceTransaction

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/ShopifyPaymentsBalanceTransaction/{8_000_000 + n}")
    type = "CHARGE"
    transaction_date = factory.LazyFunction(timezone.now)
    amount = Decimal("100.00")
    fee = Decimal("2.90")
    net = factory.LazyAttribute(lambda b: b.amount - b.fee)
    currency = "EUR"
    source_type = factory.LazyAttribute(lambda b: b.type if b.type in ("CHARGE", "REFUND") else "")
    first_seen_at = factory.LazyAttribute(lambda b: b.transaction_date)


class ShopifyDisputeFactory(factory.django.DjangoModelFactory):
    """A chargeback the bank opened, awaiting the merchant's answer."""

    class Meta:
        model = ShopifyDispute

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/ShopifyPaymentsDispute/{3_000_000 + n}")
    legacy_id = factory.Sequence(lambda n: 3_000_000 + n)
    amount = Decimal("50.00")
    currency = "EUR"
    status = "NEEDS_RESPONSE"
    type = "CHARGEBACK"
    reason = "FRAUDULENT"
    initiated_at = factory.LazyFunction(timezone.now)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    topic = "orders/create"
    event_id = factory.Sequence(lambda n: f"event-{n}")
    webhook_id = factory.Sequence(lambda n: f"delivery-{n}")
    outcome = "scheduled"


class ShopifyCustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopifyCustomer

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/Customer/{7_000_000_000 + n}")
    legacy_id = factory.Sequence(lambda n: 7_000_000_000 + n)
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Customer {n}")
    created_at = factory.LazyFunction(timezone.now)
    shopify_updated_at = factory.LazyFunction(timezone.now)
    imported_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


# The scoping tests' row makers (tests/factories/owned_rows.py) for the payments admins.
PAYMENT_IMPORT_ROW_MAKERS = {
    ShopifyBalanceTransaction: lambda merchant: ShopifyBalanceTransactionFactory(merchant=merchant),
    ShopifyDispute: lambda merchant: ShopifyDisputeFactory(merchant=merchant),
}
