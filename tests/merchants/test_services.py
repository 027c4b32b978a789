"""Normalisation and checks of shop card values."""
import pytest

from merchants.errors import InvalidApiBaseUrl, InvalidShopDomain, InvalidTimeZone
from merchants.services import (
    check_currency,
    check_time_zone,
    normalise_api_base_url,
    normalise_shop_domain,
)


@pytest.mark.parametrize("raw", [
    "my-store", "my-store.myshopify.com", "MY-STORE.MyShopify.com", "https://my-store.myshopify.com/admin/orders",
    "  my-store.myshopify.com/  ",
])
def test_what_a_merchant_pastes_becomes_the_myshopify_domain(raw):
    assert normalise_shop_domain(raw) == "my-store.myshopify.com"


@pytest.mark.parametrize("raw", ["", "shop.example.com", "-bad.myshopify.com", "a b", "x.y.myshopify.com"])
def test_a_domain_that_is_no_store_handle_is_refused(raw):
    with pytest.raises(InvalidShopDomain, match="myshopify.com address"):
        normalise_shop_domain(raw)


def test_api_base_url_is_kept_without_trailing_slash_and_blank_stays_blank():
    assert normalise_api_base_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert normalise_api_base_url("  ") == ""


@pytest.mark.parametrize("raw", ["127.0.0.1:8765", "ftp://x", "https://x/?token=1", "https://user:pw@x", "http://x:port"])
def test_bad_api_base_urls_are_refused(raw):
    with pytest.raises(InvalidApiBaseUrl):
        normalise_api_base_url(raw)


def test_time_zone_and_currency_checks():
    assert check_time_zone("America/New_York") == "America/New_York"
    assert check_currency(" eur ") == "EUR"
    with pytest.raises(InvalidTimeZone):
        check_time_zone("EST5EDT-ish")
