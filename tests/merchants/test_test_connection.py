"""Test connection on the shop card, against the simulator."""
import pytest
import requests
from django.urls import reverse

from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user


@pytest.fixture
def merchant(db, simulator):
    shop = simulator.shops[0]
    return MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token, time_zone="Europe/Paris", shop_currency="EUR")


def press_test_connection(client, merchant):
    response = client.post(reverse("admin:merchants_merchant_action", args=[merchant.pk]),
                           {"action": "test_connection"}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_a_good_connection_names_the_shop_and_its_plan(merchant, login):
    messages = press_test_connection(login(merchant_user(merchant)), merchant)

    assert messages == ["Connected to Demo Boutique (EU) (demo-eu.myshopify.com, Basic plan, EUR, Europe/Paris)."]


def test_differences_with_the_shop_card_and_missing_scopes_are_warnings(merchant, simulator, login):
    merchant.shop_currency, merchant.time_zone = "USD", "Europe/Berlin"
    merchant.save()
    requests.post(f"{simulator.base_url}/_simulator/settings", timeout=5,
                  json={"shop": merchant.shop_domain, "scopes": ["read_orders", "read_customers"]})

    messages = press_test_connection(login(merchant_user(merchant)), merchant)

    assert "The shop's currency is EUR but the shop card says USD." in messages
    assert "The shop's time zone is Europe/Paris but the shop card says Europe/Berlin." in messages
    assert any("lacks the read_all_orders access scope, needed for orders older than 60 days" in m
               for m in messages)


def test_a_rejected_token_is_a_plain_error(merchant, login):
    merchant.access_token = "shpat_revoked"
    merchant.save()

    messages = press_test_connection(login(merchant_user(merchant)), merchant)

    assert messages == ["The connection test failed: the access token was rejected (401)."]


def test_an_address_nobody_answers_fails_fast_and_says_so(merchant, login):
    merchant.api_base_url = "http://127.0.0.1:9"  # the discard port: nothing listens
    merchant.save()

    messages = press_test_connection(login(merchant_user(merchant)), merchant)

    assert messages == ["The connection test failed: could not connect to http://127.0.0.1:9; check the shop "
                        "domain or API base URL (gave up after 2 attempts)."]
