"""The customer settings on the shop card name customers the books hold: a number that is not there
is a form error, never a sync that fails later."""
import pytest
from django.urls import reverse

from connectors.ledger.records import CustomerData
from connectors.ledger.target import target_for
from syncjobs.customers.models import CountryDefaultCustomer
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shop_card import shop_card_post_data

pytestmark = pytest.mark.django_db


def post(client, merchant, **changes):
    return client.post(reverse("admin:merchants_merchant_change", args=[merchant.pk]),
                       shop_card_post_data(merchant, **changes))


def test_a_default_customer_or_template_the_ledger_lacks_is_refused(superuser, login):
    merchant = MerchantFactory()
    (known,) = target_for(merchant).create_customers(merchant, [CustomerData(name="Web orders")])
    client = login(superuser)

    refused = post(client, merchant, default_customer_no="C09999", customer_template_no="C09998")
    kept = post(client, merchant, default_customer_no=known.number)

    page = refused.content.decode()
    assert refused.status_code == 200 and "The ledger has no customer C09999 to be the default customer." in page
    assert "The ledger has no customer C09998 to be the customer template." in page
    merchant.refresh_from_db()
    assert kept.status_code == 302 and merchant.default_customer_no == known.number


def test_the_default_customer_per_country_table_takes_only_known_customers(superuser, login):
    merchant = MerchantFactory()
    (known,) = target_for(merchant).create_customers(merchant, [CustomerData(name="Clients Deutschland")])
    client = login(superuser)
    rows = {"country_default_customers-TOTAL_FORMS": "1", "country_default_customers-0-country": "de"}

    refused = post(client, merchant, **rows, **{"country_default_customers-0-customer_no": "C09999"})
    kept = post(client, merchant, **rows, **{"country_default_customers-0-customer_no": known.number})

    assert refused.status_code == 200 and "The ledger has no customer C09999." in refused.content.decode()
    assert kept.status_code == 302
    assert list(CountryDefaultCustomer.objects.values_list("country", "customer_no")) == [("DE", known.number)]
