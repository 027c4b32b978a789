"""The shop card (M1): its panels, its checks, who may change what, and its sync buttons."""
import pytest
from django.urls import reverse

from merchants.models import Merchant
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import shop_card_post_data


def change_url(merchant):
    return reverse("admin:merchants_merchant_change", args=[merchant.pk])


@pytest.fixture
def merchant(db):
    return MerchantFactory(code="DEMO-EU", time_zone="Europe/Paris", shop_currency="EUR")


def test_shop_card_shows_its_panels_and_sync_buttons(merchant, superuser, login):
    response = login(superuser).get(change_url(merchant))

    page = response.content.decode()
    for panel in ("General", "Background syncs", "Customers", "Products", "Inventory", "Order processing",
                  "Shipments", "Payments", "B2B", "Daily sync"):
        assert "<h2" in page and f">{panel}</" in page, panel
    for button in ("Sync orders", "Sync shipments", "Sync products", "Sync inventory", "Sync images",
                   "Sync customers", "Sync companies", "Sync payments", "Sync catalogs",
                   "Sync catalog prices", "Process orders", "Sync all", "Test connection"):
        assert f">{button}</button>" in page, button


def test_saving_normalises_the_shop_domain(merchant, superuser, login):
    response = login(superuser).post(
        change_url(merchant), shop_card_post_data(merchant, shop_domain="https://My-Store.myshopify.com/admin")
    )

    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.shop_domain == "my-store.myshopify.com"


@pytest.mark.parametrize("field, value, message", [
    ("time_zone", "Mars/Olympus", "is not an IANA time zone"),
    ("shop_domain", "shop.example.com", "myshopify.com address"),
    ("api_base_url", "ftp://example.com", "starting with http:// or https://"),
    ("shop_currency", "XYZ", "is not a currency code"),
    ("api_version", "latest", "API version such as 2025-01"),
    ("daily_sync_hour", "24", "less than or equal to 23"),
    ("auto_create_code_to", "12", "same length"),
])
def test_bad_values_are_form_errors_not_server_errors(merchant, superuser, login, field, value, message):
    data = shop_card_post_data(merchant, **{field: value})
    if field == "auto_create_code_to":
        data.update(auto_create_accounts="on", auto_create_code_from="9000")

    response = login(superuser).post(change_url(merchant), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Merchant.objects.get(pk=merchant.pk).time_zone == "Europe/Paris"


def test_merchant_user_sees_allow_background_syncs_but_cannot_change_it(merchant, login):
    alice = merchant_user(merchant)
    merchant.allow_background_syncs = False
    merchant.save()
    client = login(alice)

    page = client.get(change_url(merchant)).content.decode()
    response = client.post(change_url(merchant), shop_card_post_data(merchant, allow_background_syncs="on",
                                                                      name="Renamed by alice"))

    assert 'name="allow_background_syncs"' not in page
    assert "Allow background syncs" in page
    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.name == "Renamed by alice"
    assert merchant.allow_background_syncs is False


def test_staff_can_switch_allow_background_syncs(merchant, staff, login):
    response = login(staff).post(change_url(merchant), shop_card_post_data(merchant, allow_background_syncs=None))

    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.allow_background_syncs is False


def test_merchant_user_cannot_add_or_delete_merchants(merchant, login):
    client = login(merchant_user(merchant))

    assert client.get(reverse("admin:merchants_merchant_add")).status_code == 403
    delete_url = reverse("admin:merchants_merchant_delete", args=[merchant.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Merchant.objects.filter(pk=merchant.pk).exists()


@pytest.mark.parametrize("action, words", [
    ("sync_orders", "No access token is stored; enter one on the shop card first"),
    ("sync_companies", "No access token is stored; enter one on the shop card first"),
    ("sync_all", "No access token is stored; enter one on the shop card first"),
])
def test_sync_buttons_without_an_access_token_say_so_plainly(merchant, login, action, words):
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:merchants_merchant_action", args=[merchant.pk]), {"action": action},
                           follow=True)

    assert response.status_code == 200
    assert words in response.content.decode()


def test_sync_buttons_of_another_merchant_are_404(merchant, login):
    other = MerchantFactory()
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:merchants_merchant_action", args=[other.pk]), {"action": "sync_orders"})

    assert response.status_code == 404


def test_shop_card_warns_about_missing_required_mappings(merchant, superuser, login):
    page = login(superuser).get(change_url(merchant)).content.decode()

    assert "No account is mapped for sales, refunds, discounts," in page
    assert page.count("No account is mapped") == 1


@pytest.mark.parametrize("changes, field", [
    ({"api_base_url": "http://[::1"}, "api_base_url"),
    ({"auto_create_accounts": "on", "auto_create_code_from": "⁴⁷⁰⁰", "auto_create_code_to": "4799"},
     "auto_create_code_from"),
    ({"auto_create_accounts": "on", "auto_create_code_from": "٤٧٠٠", "auto_create_code_to": "٤٧٩٩"},
     "auto_create_code_from"),
    ({"time_zone": "localtime"}, "time_zone"),
    ({"time_zone": "Factory"}, "time_zone"),
    ({"access_token": "shpat_" + "x" * 1_000_000}, "access_token"),
])
def test_values_that_once_answered_500_or_were_kept_are_form_errors(merchant, superuser, login, changes, field):
    """Each of these once answered 500 or was stored; the shop card now says what is wrong."""
    response = login(superuser).post(change_url(merchant), shop_card_post_data(merchant, **changes))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    merchant.refresh_from_db()
    assert (merchant.time_zone, merchant.api_base_url, merchant.access_token.reveal()) == ("Europe/Paris", "", "")


def test_a_shop_code_in_other_digits_than_0_to_9_is_a_form_error(merchant, superuser, login):
    response = login(superuser).post(change_url(merchant), shop_card_post_data(merchant, code="DEMO-٣"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"]
    assert Merchant.objects.get(pk=merchant.pk).code == "DEMO-EU"


def test_a_token_typed_into_a_card_that_has_errors_is_asked_for_again_not_lost_silently(merchant, superuser, login):
    data = shop_card_post_data(merchant, time_zone="London", access_token="shpat_typed")

    response = login(superuser).post(change_url(merchant), data)

    errors = response.context["adminform"].form.errors
    assert "type it again" in " ".join(errors["access_token"])
    assert "shpat_typed" not in response.content.decode()   # still never shown back
