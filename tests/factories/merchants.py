import factory

from merchants.models import Membership, Merchant


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
