import factory

from connectors.ledger.models import Account, AccountType


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    merchant = factory.SubFactory("tests.factories.merchants.MerchantFactory")
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.REVENUE
    is_active = True
