from datetime import date, timedelta

import factory

from connectors.ledger.models import Account, AccountType, JournalEntry, JournalKind


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.REVENUE
    is_active = True


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    kind = JournalKind.DAILY_SALES
    posting_date = factory.Sequence(lambda n: date(2025, 1, 1) + timedelta(days=n))
    currency = "EUR"
    description = factory.LazyAttribute(lambda j: f"Daily sales {j.posting_date}")
    source_reference = factory.LazyAttribute(lambda j: f"daily:{j.merchant.code}:{j.posting_date}")
