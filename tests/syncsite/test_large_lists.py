"""Lists that grow to millions of rows open without counting the whole table."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import SyncRunFactory
from tests.factories.users import merchant_user

ROWS = 120_000


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_unfiltered_run_log_takes_its_size_from_the_planner_not_a_count(login, staff):
    merchant = MerchantFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO syncjobs_syncrun (merchant_id, report_number, trigger, parameters, started_at, status, "
            "message, log, read, created, updated, skipped, failed, dismissed) "
            "SELECT %s, 30104, 'queue', '{}', now() - make_interval(secs => n), 'success', '', '', 0, 0, 0, 0, 0, "
            "false "
            "FROM generate_series(1, %s) AS n", [merchant.pk, ROWS])
        cursor.execute("ANALYZE syncjobs_syncrun")
    client = login(staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:syncjobs_syncrun_changelist"))

    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert abs(response.context["cl"].result_count - ROWS) < ROWS * 0.1


@pytest.mark.django_db
def test_a_merchant_users_run_log_counts_their_own_runs(login):
    mine, theirs = MerchantFactory(), MerchantFactory()
    SyncRunFactory.create_batch(3, merchant=mine)
    SyncRunFactory.create_batch(2, merchant=theirs)

    response = login(merchant_user(mine)).get(reverse("admin:syncjobs_syncrun_changelist"))

    assert response.context["cl"].result_count == 3
