"""The run log while a sync runs: its page and the list refresh themselves, and only then."""
import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from syncjobs.queue.models import RunStatus
from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyOrderFactory
from tests.factories.syncjobs import SyncRunErrorFactory, SyncRunFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db
REFRESH = '<meta http-equiv="refresh" content="5">'


def test_a_running_run_and_the_list_refresh_themselves_until_it_ends(login):
    merchant = MerchantFactory(code="DEMO-EU")
    run = SyncRunFactory(merchant=merchant, status=RunStatus.IN_PROCESS, read=120, total=500)
    client = login(merchant_user(merchant))
    page_url = reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    list_url = reverse("admin:syncjobs_syncrun_changelist")

    running_page, running_list = client.get(page_url).content.decode(), client.get(list_url).content.decode()
    run.status = RunStatus.SUCCESS
    run.save()
    ended_page, ended_list = client.get(page_url).content.decode(), client.get(list_url).content.decode()

    assert REFRESH in running_page and "120 of 500 orders" in running_page
    assert REFRESH in running_list
    assert REFRESH not in ended_page and REFRESH not in ended_list


def test_another_shops_running_run_does_not_refresh_a_merchants_list(login):
    mine, theirs = MerchantFactory(code="DEMO-EU"), MerchantFactory(code="DEMO-US")
    SyncRunFactory(merchant=mine, status=RunStatus.SUCCESS)
    SyncRunFactory(merchant=theirs, status=RunStatus.IN_PROCESS)

    page = login(merchant_user(mine)).get(reverse("admin:syncjobs_syncrun_changelist")).content.decode()

    assert REFRESH not in page


def test_a_failed_record_links_to_the_order_and_to_what_to_fix(login):
    merchant = MerchantFactory(code="DEMO-EU")
    order = ShopifyOrderFactory(merchant=merchant)
    ShopifyOrderFactory(merchant=merchant)   # another order, which the link must not show
    run = SyncRunFactory(merchant=merchant, status=RunStatus.ERROR)
    SyncRunErrorFactory(run=run, shopify_id=order.shopify_gid, reason="#1001: no account is mapped for sales")
    client = login(merchant_user(merchant))

    page = client.get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()
    order_link = re.search(r'see <a href="([^"]+)">the imported order</a>', page)[1]
    shown = client.get(html.unescape(order_link)).context["cl"].result_list

    assert list(shown) == [order]
    mappings = reverse("admin:ledger_accountmapping_changelist")
    assert f'fix: <a href="{mappings}?merchant__id__exact={merchant.pk}">account mappings</a>' in page
    card = reverse("admin:merchants_merchant_change", args=[merchant.pk])
    assert f'fix: <a href="{card}">Set up accounts on the shop card</a>' in page


def test_a_run_page_says_its_filters_and_its_error_state_in_words(login):
    merchant = MerchantFactory()
    earlier = timezone.now() - dt.timedelta(hours=1)
    filtered = SyncRunFactory(merchant=merchant, parameters={"financial_status": "paid"}, started_at=earlier)
    failed = SyncRunFactory(merchant=merchant, status=RunStatus.ERROR, started_at=earlier)
    client = login(merchant_user(merchant))

    def page(run):
        return client.get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()

    assert "financial status: paid" in page(filtered) and '{"financial_status"' not in page(filtered)
    assert "counted in the role center until it is dismissed or a later run succeeds" in page(failed)
    SyncRunFactory(merchant=merchant, status=RunStatus.SUCCESS)
    assert "no longer counted: a later run of the same report for the shop succeeded" in page(failed)


def test_started_by_links_to_the_persons_page_only_for_whoever_may_open_it(superuser, login):
    """A merchant user reads their own name; staff, who manage users, get the link."""
    # given
    merchant = MerchantFactory(code="DEMO-UK")
    carol = merchant_user(merchant, username="carol")
    run = SyncRunFactory(merchant=merchant, status=RunStatus.SUCCESS, started_by=carol)
    page_url = reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    person_url = reverse("admin:auth_user_change", args=[carol.pk])

    # when
    as_carol = login(carol).get(page_url).content.decode()
    opened_by_carol = login(carol).get(person_url).status_code
    as_staff = login(superuser).get(page_url).content.decode()

    # then
    assert opened_by_carol == 403
    assert '<div class="readonly">carol</div>' in as_carol and person_url not in as_carol
    assert f'<a href="{person_url}">carol</a>' in as_staff
