"""What staff cannot do by mistake in the admin: delete what a journal took, delete the run log, or
pick a row without seeing whose it is."""
import datetime as dt

import pytest
from django.urls import reverse

from connectors.ledger.models import JournalKind
from connectors.shopify.models import ShopifyOrder, ShopifyPayout
from syncjobs.daily.models import PostedPayout
from syncjobs.queue.models import SyncRun
from tests.factories.ledger import AccountFactory, JournalEntryFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyOrderFactory, ShopifyPayoutFactory
from tests.factories.syncjobs import JobQueueCategoryFactory, SyncRunFactory

pytestmark = pytest.mark.django_db


def test_staff_cannot_delete_an_order_a_journal_took_but_can_delete_one_not_posted(superuser, login):
    taken = ShopifyOrderFactory(processed=True)
    loose = ShopifyOrderFactory(processed=False)
    client = login(superuser)

    page = client.get(reverse("admin:shopify_shopifyorder_delete", args=[taken.pk]))
    response = client.post(reverse("admin:shopify_shopifyorder_changelist"), {
        "action": "delete_selected", "_selected_action": [taken.pk, loose.pk], "post": "yes"}, follow=True)

    assert page.status_code == 403
    assert list(ShopifyOrder.objects.values_list("pk", flat=True)) == [taken.pk]
    assert any("in the ledger already and cannot be deleted" in str(m) for m in response.context["messages"])


def test_staff_cannot_delete_a_payout_a_journal_posted(superuser, login):
    payout = ShopifyPayoutFactory()
    journal = JournalEntryFactory(merchant=payout.merchant, kind=JournalKind.DAILY_SALES,
                                  posting_date=dt.date(2025, 3, 11))
    PostedPayout.objects.create(payout=payout, journal_no=str(journal.pk))

    page = login(superuser).post(reverse("admin:shopify_shopifypayout_delete", args=[payout.pk]), {"post": "yes"})

    assert ShopifyPayout.objects.filter(pk=payout.pk).exists()
    assert "protected" in page.content.decode().lower()


def test_sync_runs_leave_only_through_retention(superuser, login):
    run = SyncRunFactory()

    page = login(superuser).post(reverse("admin:syncjobs_syncrun_delete", args=[run.pk]), {"post": "yes"})

    assert page.status_code == 403 and SyncRun.objects.filter(pk=run.pk).exists()


def test_staff_see_whose_account_or_category_each_choice_is(superuser, login):
    eu, us = MerchantFactory(code="EU"), MerchantFactory(code="US")
    AccountFactory(merchant=eu, code="4000", name="Sales")
    AccountFactory(merchant=us, code="4000", name="Sales")
    JobQueueCategoryFactory(merchant=eu, code="SYNCS")
    client = login(superuser)

    mapping = client.get(reverse("admin:ledger_accountmapping_add")).context["adminform"].form
    entry = client.get(reverse("admin:syncjobs_jobqueueentry_add")).context["adminform"].form

    accounts = [label for _, label in mapping.fields["account"].choices][1:]
    assert sorted(accounts) == ["4000 Sales (EU)", "4000 Sales (US)"]
    assert [label for _, label in entry.fields["category"].choices][1:] == ["SYNCS (EU)"]
