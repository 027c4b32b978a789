"""Sales documents of the built-in ledger and what posting them leaves, one row at a time (the
sales tests make theirs through the target; these are for the tests that walk the admin registry)."""
from datetime import date

import factory

from connectors.ledger.models import (
    CustomerLedgerEntry,
    PostedSalesCreditMemo,
    PostedSalesInvoice,
    PostedSalesShipment,
    SalesDocument,
    ShippingAgent,
)
from connectors.ledger.models.sales import WaitingCustomerPayment
from tests.factories.ledger import CustomerFactory

_CUSTOMER = factory.SubFactory(CustomerFactory, merchant=factory.SelfAttribute("..merchant"))


class SalesDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesDocument

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    type = "order"
    number = factory.Sequence(lambda n: f"SO{n + 1:05d}")
    sell_to = _CUSTOMER
    bill_to = factory.SelfAttribute("sell_to")
    currency = "EUR"
    document_date = date(2025, 3, 11)


class PostedSalesShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostedSalesShipment

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    number = factory.Sequence(lambda n: f"PSS{n + 1:05d}")
    order_no = "SO00001"
    sell_to = _CUSTOMER
    bill_to = factory.SelfAttribute("sell_to")
    currency = "EUR"
    document_date = posting_date = date(2025, 3, 11)


class PostedSalesInvoiceFactory(PostedSalesShipmentFactory):
    class Meta:
        model = PostedSalesInvoice

    number = factory.Sequence(lambda n: f"PSI{n + 1:05d}")


class PostedSalesCreditMemoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostedSalesCreditMemo

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    number = factory.Sequence(lambda n: f"PSCM{n + 1:05d}")
    source_type = "credit_memo"
    source_no = "SCM00001"
    sell_to = _CUSTOMER
    bill_to = factory.SelfAttribute("sell_to")
    currency = "EUR"
    document_date = posting_date = date(2025, 3, 11)


class CustomerLedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerLedgerEntry

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    customer = _CUSTOMER
    posting_date = date(2025, 3, 11)
    document_type = "invoice"
    document_no = factory.Sequence(lambda n: f"PSI{n + 1:05d}")
    currency = "EUR"
    amount = remaining_amount = 10


class ShippingAgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingAgent

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"AGENT{n + 1}")
    name = factory.Sequence(lambda n: f"Carrier {n + 1}")


# For tests/factories/owned_rows.py: ROW_MAKERS.update(SALES_ROW_MAKERS).
SALES_ROW_MAKERS = {
    SalesDocument: lambda merchant: SalesDocumentFactory(merchant=merchant),
    PostedSalesShipment: lambda merchant: PostedSalesShipmentFactory(merchant=merchant),
    PostedSalesInvoice: lambda merchant: PostedSalesInvoiceFactory(merchant=merchant),
    PostedSalesCreditMemo: lambda merchant: PostedSalesCreditMemoFactory(merchant=merchant),
    CustomerLedgerEntry: lambda merchant: CustomerLedgerEntryFactory(merchant=merchant),
    ShippingAgent: lambda merchant: ShippingAgentFactory(merchant=merchant),
    WaitingCustomerPayment: lambda merchant: WaitingCustomerPayment.objects.create(
        merchant=merchant, shopify_order_id="gid://shopify/Order/1", shopify_order_no="#1001", amount="19.00",
        posting_date="2025-03-11", document_no="1"),
}
