"""Shops whose orders become sales documents, for the sales-document tests: a VAT shop (prices
include tax) and a US shop (prices exclude tax, state and county tax per line), with the drafts of
their worked examples."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from connectors.ledger.models import AccountMapping, AccountType, ItemType, ItemVariant
from connectors.ledger.records import DocumentType, LineType, SalesDocumentData, SalesLineData, TaxShare
from merchants.models import PostingMode
from tests.factories.ledger import AccountFactory, CustomerFactory, ItemFactory
from tests.factories.merchants import MerchantFactory

A = AccountType
VAT = "VAT 20%"
STATE, COUNTY = "CA State Tax 6.25%", "Los Angeles County Tax 1%"

VAT_CHART = (
    ("1100", "Receivables", A.ASSET, [("receivables", "")]),
    ("2400", "VAT 20% payable", A.LIABILITY, [("tax", VAT)]),
    ("4000", "Sales", A.REVENUE, [("sales", "")]),
    ("4010", "Shipping income", A.REVENUE, [("shipping_income", "")]),
    ("4030", "Discounts given", A.REVENUE, [("discounts", "")]),
    ("4040", "Tips received", A.REVENUE, [("tips", "")]),
    ("4020", "Sales returns", A.REVENUE, [("refunds", "")]),
    ("4050", "Returns not restocked", A.EXPENSE, [("non_restock", "")]),
)
US_CHART = (
    ("1200", "Accounts receivable", A.ASSET, [("receivables", "")]),
    ("2200", "CA state tax payable", A.LIABILITY, [("tax", STATE)]),
    ("2299", "Sales tax payable, other", A.LIABILITY, [("tax", "")]),
    ("4000", "Sales", A.REVENUE, [("sales", "")]),
    ("4100", "Shipping income", A.REVENUE, [("shipping_income", "")]),
    ("4300", "Sales discounts", A.REVENUE, [("discounts", "")]),
    ("4200", "Sales returns", A.REVENUE, [("refunds", "")]),
)


def documents_shop(chart=VAT_CHART, *, without: tuple[tuple[str, str], ...] = (), **fields):
    """A documents-mode shop with its chart and mappings (less `without`), customer C00001 and
    items I00001 (a teapot, inventory, variant BLUE) and S00001 (gift wrapping, a service)."""
    merchant = MerchantFactory(posting_mode=PostingMode.DOCUMENTS, **fields)
    for code, name, account_type, mapped in chart:
        account = AccountFactory(merchant=merchant, code=code, name=name, type=account_type)
        for kind, key in mapped:
            if (kind, key) not in without:
                AccountMapping.objects.create(merchant=merchant, kind=kind, key=key, account=account)
    CustomerFactory(merchant=merchant, number="C00001", name="Maison Martin")
    teapot = ItemFactory(merchant=merchant, number="I00001", description="Teapot")
    ItemVariant.objects.create(item=teapot, code="BLUE", description="Blue")
    ItemFactory(merchant=merchant, number="S00001", description="Gift wrapping", type=ItemType.SERVICE)
    return merchant


def vat_order(**changes) -> SalesDocumentData:
    """The worked example: 2 × 60.00 with a 12.00 share of the order's discount, VAT 18.00; shipping
    6.00 with VAT 1.00; a 5.00 tip. The customer owes 119.00."""
    lines = (
        SalesLineData(LineType.ITEM, "I00001", "Teapot", D("2"), D("60.00"), invoice_discount=D("12.00"),
                      taxes=(TaxShare(VAT, D("0.2"), D("18.00")),), shopify_line_id="gid://shopify/LineItem/1"),
        SalesLineData(LineType.ACCOUNT, "", "Shipping: Standard", D("1"), D("6.00"),
                      taxes=(TaxShare(VAT, D("0.2"), D("1.00")),), money_kind="shipping_income",
                      shopify_line_id="gid://shopify/ShippingLine/1"),
        SalesLineData(LineType.ACCOUNT, "", "Tip", D("1"), D("5.00"), money_kind="tips"),
    )
    return SalesDocumentData(**{
        "type": DocumentType.ORDER, "customer": "C00001", "currency": "EUR", "document_date": date(2025, 3, 11),
        "lines": lines, "prices_include_tax": True, "shopify_order_id": "gid://shopify/Order/1001",
        "shopify_order_no": "#1001", "external_document_no": "#1001", "released": True, **changes})


def us_order(**changes) -> SalesDocumentData:
    """3 × 20.00 less 6.00 and 1 × 10.00, each with state (6.25 %) and county (1 %) tax; shipping
    8.00 untaxed: 72.00 + tax 4.65 = 76.65."""
    lines = (
        SalesLineData(LineType.ITEM, "I00001", "Teapot", D("3"), D("20.00"), line_discount=D("6.00"),
                      taxes=(TaxShare(STATE, D("0.0625"), D("3.38")), TaxShare(COUNTY, D("0.01"), D("0.54")))),
        SalesLineData(LineType.ITEM, "S00001", "Gift wrapping", D("1"), D("10.00"),
                      taxes=(TaxShare(STATE, D("0.0625"), D("0.63")), TaxShare(COUNTY, D("0.01"), D("0.10")))),
        SalesLineData(LineType.ACCOUNT, "", "Shipping", D("1"), D("8.00"), money_kind="shipping_income"),
    )
    return SalesDocumentData(**{
        "type": DocumentType.ORDER, "customer": "C00001", "currency": "USD", "document_date": date(2025, 3, 11),
        "lines": lines, "shopify_order_id": "gid://shopify/Order/2001", "shopify_order_no": "#2001",
        "released": True, **changes})


def gid(n: int) -> str:
    return f"gid://shopify/Order/{n}"
