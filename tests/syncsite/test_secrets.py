"""Secrets (M5): encrypted at rest, rotatable, write-only in forms, never shown back."""
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from core.secrets import Secret
from merchants.models import Merchant
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shop_card import shop_card_post_data

TOKEN = "shpat_0123456789abcdef0123456789abcdef"
SECRET_KEY = "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"


def raw_column(merchant, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM merchants_merchant WHERE id = %s", [merchant.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def merchant(db):
    return MerchantFactory(access_token=TOKEN, api_secret_key=SECRET_KEY)


def test_the_database_holds_only_ciphertext(merchant):
    stored = raw_column(merchant, "access_token")

    assert TOKEN not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert Merchant.objects.get(pk=merchant.pk).access_token.reveal() == TOKEN


def test_repr_str_and_model_text_never_show_a_secret(merchant):
    merchant = Merchant.objects.get(pk=merchant.pk)

    shown = " ".join([repr(merchant.access_token), str(merchant.access_token), repr(merchant), str(merchant),
                      repr(merchant.__dict__)])

    assert TOKEN not in shown and SECRET_KEY not in shown


def test_the_shop_card_never_renders_a_stored_secret(merchant, superuser, login):
    page = login(superuser).get(reverse("admin:merchants_merchant_change", args=[merchant.pk])).content.decode()

    assert TOKEN not in page and SECRET_KEY not in page
    assert raw_column(merchant, "access_token") not in page
    assert "A value is stored (encrypted). Leave blank to keep it." in page


def test_blank_keeps_the_secret_and_a_new_value_replaces_it(merchant, superuser, login):
    client = login(superuser)
    url = reverse("admin:merchants_merchant_change", args=[merchant.pk])

    client.post(url, shop_card_post_data(merchant, access_token="", name="Renamed"))
    kept = Merchant.objects.get(pk=merchant.pk)
    client.post(url, shop_card_post_data(merchant, access_token="shpat_new"))
    replaced = Merchant.objects.get(pk=merchant.pk)

    assert kept.name == "Renamed" and kept.access_token.reveal() == TOKEN
    assert replaced.access_token.reveal() == "shpat_new"


def test_secrets_posted_to_the_shop_card_are_masked_in_error_reports(merchant, superuser, login):
    response = login(superuser).post(
        reverse("admin:merchants_merchant_change", args=[merchant.pk]),
        shop_card_post_data(merchant, access_token="shpat_posted", api_secret_key="shpss_posted"),
    )

    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)

    assert "shpat_posted" not in reported.values() and "shpss_posted" not in reported.values()
    assert reported["name"] == merchant.name


def test_rotation_reencrypts_old_secrets_with_the_current_key(merchant):
    current_key, old_key = settings.SYNCSITE_ENCRYPTION_KEYS[:2]
    encrypted_with_old_key = Fernet(old_key.encode()).encrypt(b"shpat_from_before").decode()
    Merchant.objects.filter(pk=merchant.pk).update(access_token=Secret("placeholder"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE merchants_merchant SET access_token = %s WHERE id = %s",
                       [encrypted_with_old_key, merchant.pk])

    readable_before = Merchant.objects.get(pk=merchant.pk).access_token.reveal()
    call_command("rotate_secrets", stdout=open("/dev/null", "w"))
    rotated = raw_column(merchant, "access_token")

    assert readable_before == "shpat_from_before"
    assert Fernet(current_key.encode()).decrypt(rotated.encode()) == b"shpat_from_before"
    assert Merchant.objects.get(pk=merchant.pk).api_secret_key.reveal() == SECRET_KEY


def test_an_error_report_never_shows_a_secret_just_typed_on_the_shop_card(rf, settings):
    """The DEBUG page and the mails to ADMINS mask it in the request and in every frame's variables."""
    import sys

    from django.views.debug import ExceptionReporter

    settings.DEBUG = True
    token = "shpat_" + "9f3c" * 8
    request = rf.post("/admin/merchants/merchant/1/change/", {"access_token": token, "name": "Shop"})

    def save_the_card(access_token):
        cleaned = {"access_token": access_token, "name": "Shop"}
        raise ValueError(f"the card could not be saved: {len(cleaned)} fields")

    try:
        save_the_card(token)
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        page, text = reporter.get_traceback_html(), reporter.get_traceback_text()

    assert token not in page and token not in text
    assert "the card could not be saved" in text


def test_a_card_django_cannot_read_still_hides_the_secrets_just_typed_on_the_debug_page(
        merchant, superuser, login, settings):
    """Too many fields: request.POST stays empty, but the raw body sits in the frames' variables."""
    settings.DEBUG = True
    token, key = "shpat_" + "7e1d" * 8, "shpss_" + "c0de" * 8
    data = {**shop_card_post_data(merchant, access_token=token, api_secret_key=key),
            **{f"x{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}}

    response = login(superuser).post(reverse("admin:merchants_merchant_change", args=[merchant.pk]),
                                     urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")

    page = response.content.decode()
    assert response.status_code == 400 and "TooManyFieldsSent" in page
    assert token not in page and key not in page
