"""The customer settings on the shop card name customers the books hold: a number that is not there
is a form error, never a sync that fails later."""
import pytest
from django.urls import reverse

from connectors.ledger.records import CustomerData
from connectors.ledger.target import target_for
from syncjobs.customers.models import CountryDefaultCustomer
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
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


def test_a_country_typed_as_a_name_is_a_form_error_saying_to_type_its_code(superuser, login):
    """The browser does not cut "France" to "FR" unseen: the table refuses it and says what to type."""
    merchant = MerchantFactory()
    (known,) = target_for(merchant).create_customers(merchant, [CustomerData(name="Clients France")])

    refused = post(login(superuser), merchant, **{
        "country_default_customers-TOTAL_FORMS": "1", "country_default_customers-0-country": "France",
        "country_default_customers-0-customer_no": known.number})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "“France” is not a country code: type the two-letter ISO 3166 code, e.g. FR for France." in page
    assert 'maxlength="2"' not in page
    assert not CountryDefaultCustomer.objects.exists()


def test_a_merchant_user_sees_and_edits_their_default_customers_per_country(login):
    """The table is the shop's own setting: whoever may change the card changes it, in their shop only."""
    # given
    merchant, other = MerchantFactory(), MerchantFactory()
    (known,) = target_for(merchant).create_customers(merchant, [CustomerData(name="Clients Deutschland")])
    CountryDefaultCustomer.objects.create(merchant=merchant, country="AT", customer_no=known.number)
    CountryDefaultCustomer.objects.create(merchant=other, country="CH", customer_no="C09999")
    client = login(merchant_user(merchant))
    url = reverse("admin:merchants_merchant_change", args=[merchant.pk])

    # when
    page = client.get(url).content.decode()
    data = shop_card_post_data(merchant, **{"country_default_customers-TOTAL_FORMS": "2",
                                            "country_default_customers-1-country": "de",
                                            "country_default_customers-1-customer_no": known.number})
    saved = client.post(url, data)

    # then
    assert "Default customer per country (before any other mapping)" in page
    assert 'name="country_default_customers-0-country"' in page and 'value="AT"' in page
    assert "C09999" not in page   # another shop's rows never show
    assert saved.status_code == 302
    assert sorted(CountryDefaultCustomer.objects.filter(merchant=merchant).values_list("country", "customer_no")) == [
        ("AT", known.number), ("DE", known.number)]
    assert client.get(reverse("admin:merchants_merchant_change", args=[other.pk])).status_code == 404


def test_the_export_switch_names_shopify_with_its_capital(superuser, login):
    merchant = MerchantFactory()

    page = login(superuser).get(reverse("admin:merchants_merchant_change", args=[merchant.pk])).content.decode()

    assert "Export customers to Shopify" in page and "Export customers to shopify" not in page
