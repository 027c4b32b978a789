import factory

from connectors.ledger.models import AccountType
from merchants.models import AccountMapping, Membership, Merchant


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    code = factory.Sequence(lambda n: f"M{n:03d}")
    name = factory.LazyAttribute(lambda m: f"Merchant {m.code}")
    shop_domain = factory.LazyAttribute(lambda m: f"{m.code.lower()}.myshopify.com")
    time_zone = "Europe/Paris"
    shop_currency = "EUR"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.factories.users.UserFactory")
    merchant = factory.SubFactory(MerchantFactory)


class AccountMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountMapping

    merchant = factory.SubFactory(MerchantFactory)
    kind = "sales"
    key = ""
    account = factory.SubFactory(
        "tests.factories.ledger.AccountFactory", merchant=factory.SelfAttribute("..merchant"), type=AccountType.REVENUE
    )
