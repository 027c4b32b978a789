from datetime import date, timedelta
from decimal import Decimal

import factory

from connectors.ledger.models import (
    Account,
    AccountMapping,
    AccountType,
    Customer,
    EntryType,
    Item,
    ItemJournalLine,
    ItemLedgerEntry,
    JournalEntry,
    JournalKind,
    Location,
    NumberSeries,
    PriceList,
    PriceListLine,
)
from core.contacts import normalized_tax_id


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.REVENUE
    is_active = True


class AccountMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountMapping

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    kind = "sales"
    key = ""
    account = factory.SubFactory(
        AccountFactory, merchant=factory.SelfAttribute("..merchant"), type=AccountType.REVENUE
    )


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    kind = JournalKind.DAILY_SALES
    posting_date = factory.Sequence(lambda n: date(2025, 1, 1) + timedelta(days=n))
    currency = "EUR"
    description = factory.LazyAttribute(lambda j: f"Daily sales {j.posting_date}")
    source_reference = factory.LazyAttribute(lambda j: f"daily:{j.merchant.code}:{j.posting_date}")


# code, name, type, the (kind, key) mappings it takes: a small chart for daily-sync tests.
DAILY_BOOKS = (
    ("1010", "Bank", AccountType.ASSET, [("payouts", "")]),
    ("1100", "Receivables", AccountType.ASSET, [("receivables", "")]),
    ("1200", "Shopify Payments clearing", AccountType.ASSET, [("payment_clearing", "shopify_payments")]),
    ("1210", "PayPal clearing", AccountType.ASSET, [("payment_clearing", "paypal")]),
    ("2100", "Gift cards outstanding", AccountType.LIABILITY, [("gift_cards_sold", ""), ("gift_card_redemptions", "")]),
    ("2200", "Tax payable", AccountType.LIABILITY, [("tax", "")]),
    ("4000", "Sales", AccountType.REVENUE, [("sales", "")]),
    ("4100", "Shipping income", AccountType.REVENUE, [("shipping_income", "")]),
    ("4200", "Discounts", AccountType.REVENUE, [("discounts", "")]),
    ("4300", "Tips", AccountType.REVENUE, [("tips", "")]),
    ("4400", "Refunds", AccountType.REVENUE, [("refunds", "")]),
    ("6100", "Payment fees", AccountType.EXPENSE, [("payment_fees", ""), ("fee_refunds", "")]),
    ("6900", "Rounding", AccountType.EXPENSE, [("rounding", "")]),
    ("1300", "Shopify Payments reserve", AccountType.ASSET, [("reserves", "")]),
    ("6200", "Chargebacks", AccountType.EXPENSE, [("disputes", "")]),
    ("6210", "Chargeback fees", AccountType.EXPENSE, [("dispute_fees", "")]),
    ("6300", "Payment adjustments", AccountType.EXPENSE, [("shopify_adjustments", ""), ("other_adjustments", "")]),
)


def daily_books(merchant, *, without: tuple[tuple[str, str], ...] = ()) -> dict[str, Account]:
    """The accounts and mappings a daily sync needs, less the (kind, key) mappings in `without`."""
    accounts = {}
    for code, name, account_type, mapped in DAILY_BOOKS:
        accounts[code] = AccountFactory(merchant=merchant, code=code, name=name, type=account_type)
        for kind, key in mapped:
            if (kind, key) not in without:
                AccountMapping.objects.create(merchant=merchant, kind=kind, key=key, account=accounts[code])
    return accounts


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    number = factory.Sequence(lambda n: f"C{n + 1:05d}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    tax_registration_no = ""
    search_tax_id = factory.LazyAttribute(lambda c: normalized_tax_id(c.tax_registration_no))   # as the ledger keeps it


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    number = factory.Sequence(lambda n: f"I{n + 1:05d}")
    description = factory.Sequence(lambda n: f"Item {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"LOC{n}")
    name = factory.Sequence(lambda n: f"Location {n}")


class ItemLedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemLedgerEntry

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    item = factory.SubFactory(ItemFactory, merchant=factory.SelfAttribute("..merchant"))
    location = factory.SubFactory(LocationFactory, merchant=factory.SelfAttribute("..merchant"))
    posting_date = date(2025, 3, 11)
    entry_type = EntryType.POSITIVE_ADJUSTMENT
    quantity = 5


class NumberSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NumberSeries

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = "customers"
    prefix = "C"


class ItemJournalLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemJournalLine

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    item = factory.SubFactory(ItemFactory, merchant=factory.SelfAttribute("..merchant"))
    location = factory.SubFactory(LocationFactory, merchant=factory.SelfAttribute("..merchant"))
    posting_date = date(2025, 3, 11)
    entry_type = EntryType.POSITIVE_ADJUSTMENT
    quantity = 5


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"PL{n + 1}")
    description = factory.Sequence(lambda n: f"Price list {n}")
    currency = "EUR"


class PriceListLineFactory(factory.django.DjangoModelFactory):
    """A price of an item (give `item_no`, an item of the list's shop)."""

    class Meta:
        model = PriceListLine

    price_list = factory.SubFactory(PriceListFactory)
    variant_code = ""
    unit_price = Decimal("10.00")
