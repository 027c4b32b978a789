"""Posting journals, the trial balance and the journal exports a bookkeeper loads elsewhere."""
import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from connectors.ledger.errors import AccountNotPostable, JournalAlreadyPosted, JournalNotBalanced
from connectors.ledger.models import AccountType, JournalEntry, JournalKind, JournalLine
from connectors.ledger.records import JournalData, JournalLineData
from connectors.ledger.target import target_for
from tests.factories.ledger import AccountFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 11)


@pytest.fixture
def books():
    merchant = MerchantFactory(code="DEMO-EU")
    return merchant, {
        "bank": AccountFactory(merchant=merchant, code="1010", name="Bank", type=AccountType.ASSET),
        "sales": AccountFactory(merchant=merchant, code="4000", name="Sales", type=AccountType.REVENUE),
        "vat": AccountFactory(merchant=merchant, code="2200", name="VAT payable", type=AccountType.LIABILITY),
    }


def draft(day, *lines):
    return JournalData(kind=JournalKind.DAILY_SALES, posting_date=day, currency="EUR",
                       description=f"Daily sales {day}", source_reference=f"daily:DEMO-EU:{day}",
                       lines=tuple(JournalLineData(account.code, Decimal(dr), Decimal(cr), text)
                                   for account, dr, cr, text in lines))


def post(merchant, *journals):
    return target_for(merchant).post_journals(merchant, list(journals))


def sale(books, day=DAY, gross="120.00"):
    merchant, a = books
    net = (Decimal(gross) / Decimal("1.2")).quantize(Decimal("0.01"))
    return draft(day, (a["bank"], gross, "0", "paid"), (a["sales"], "0", str(net), "sales"),
                 (a["vat"], "0", str(Decimal(gross) - net), "VAT 20%"))


def test_a_balanced_journal_is_posted_whole(books):
    (journal,) = post(books[0], sale(books))

    entry = JournalEntry.objects.get(pk=journal.number)
    assert [(line.account.code, line.debit, line.credit) for line in entry.lines.order_by("id")] == [
        ("1010", Decimal("120.00"), Decimal("0.00")), ("4000", Decimal("0.00"), Decimal("100.00")),
        ("2200", Decimal("0.00"), Decimal("20.00"))]


@pytest.mark.parametrize(("lines", "message"), [
    ([("bank", "120.00", "0"), ("sales", "0", "119.99")], "debits 120.00 do not equal credits 119.99"),
    ([("bank", "120.001", "0"), ("sales", "0", "120.001")], "is not a whole number of cents"),
    ([("bank", "10", "10"), ("sales", "0", "0")], "a debit or a credit, not both"),
    ([("bank", "-5", "0"), ("sales", "0", "-5")], "is not a whole number of cents ≥ 0"),
])
def test_a_journal_that_does_not_balance_posts_nothing(books, lines, message):
    merchant, accounts = books
    with pytest.raises(JournalNotBalanced, match=message):
        post(merchant, draft(DAY, *[(accounts[a], dr, cr, a) for a, dr, cr in lines]))
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()


def test_an_inactive_account_takes_no_posting(books):
    merchant, accounts = books
    accounts["vat"].is_active = False
    accounts["vat"].save()

    with pytest.raises(AccountNotPostable, match="2200 VAT payable is inactive"):
        post(merchant, sale(books))


def test_a_day_is_posted_once_and_the_refusal_names_the_journal_that_holds_it(books):
    (first,) = post(books[0], sale(books))

    with pytest.raises(JournalAlreadyPosted, match="DEMO-EU for 2025-03-11 is already posted") as refused:
        post(books[0], sale(books, gross="60.00"))
    assert JournalEntry.objects.count() == 1
    assert refused.value.number == first.number


def test_a_batch_posts_every_journal_or_none(books):
    merchant, accounts = books
    other_shops = AccountFactory(code="4100", type=AccountType.REVENUE)
    good = sale(books)
    bad = draft(DAY + dt.timedelta(days=1), (accounts["bank"], "10.00", "0", "paid"), (other_shops, "0", "10.00", "x"))

    with pytest.raises(AccountNotPostable, match="account 4100 is not in this chart of accounts"):
        post(merchant, good, bad)
    posted = post(merchant, good, sale(books, DAY + dt.timedelta(days=1), "60.00"))

    assert [(j.posting_date, j.total_debit) for j in posted] == [
        (DAY, Decimal("120.00")), (DAY + dt.timedelta(days=1), Decimal("60.00"))]
    assert sorted(JournalEntry.objects.values_list("pk", flat=True)) == sorted(int(j.number) for j in posted)


def test_the_trial_balance_sums_each_account_over_the_period_and_exports_csv(books, login):
    merchant, _ = books
    for day, gross in ((DAY, "120.00"), (DAY + dt.timedelta(days=1), "60.00"), (DAY + dt.timedelta(days=5), "6.00")):
        post(merchant, sale(books, day, gross))
    client = login(merchant_user(merchant))
    query = {"merchant": merchant.pk, "start": "2025-03-11", "end": "2025-03-12"}

    page = client.get(reverse("admin:ledger_trial_balance"), query)
    rows = [(r.code, r.debit, r.credit, r.balance) for r in page.context["rows"]]
    download = client.get(reverse("admin:ledger_trial_balance"), {**query, "format": "csv"})

    assert [tuple(map(str, row)) for row in rows] == [
        ("1010", "180.00", "0.00", "180.00"), ("2200", "0.00", "30.00", "-30.00"),
        ("4000", "0.00", "150.00", "-150.00")]
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert table[0] == ["account_code", "account_name", "type", "debit", "credit", "balance"]
    assert table[-1] == ["", "Total", "", "180.00", "180.00", "0.00"]


def test_a_merchant_user_gets_no_trial_balance_of_another_shop(books, login):
    other = MerchantFactory()
    client = login(merchant_user(other))

    page = client.get(reverse("admin:ledger_trial_balance"), {"merchant": books[0].pk})

    assert page.context["rows"] is None and "merchant" in page.context["form"].errors


def test_journals_export_as_csv_and_json_with_account_codes(books, login):
    merchant, _ = books
    (journal,) = post(merchant, sale(books))
    client = login(merchant_user(merchant))
    changelist = reverse("admin:ledger_journalentry_changelist")

    as_csv = client.post(changelist, {"action": "export_csv", "_selected_action": [journal.number]})
    as_json = client.post(changelist, {"action": "export_json", "_selected_action": [journal.number]})

    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert [(r["shop"], r["posting_date"], r["account_code"], r["debit"], r["credit"]) for r in rows] == [
        ("DEMO-EU", "2025-03-11", "1010", "120.00", "0.00"), ("DEMO-EU", "2025-03-11", "4000", "0.00", "100.00"),
        ("DEMO-EU", "2025-03-11", "2200", "0.00", "20.00")]
    assert as_csv["Content-Disposition"] == 'attachment; filename="journals-DEMO-EU-2025-03-11.csv"'
    assert as_json["Content-Disposition"] == 'attachment; filename="journals-DEMO-EU-2025-03-11.json"'
    assert json.loads(as_json.content) == [{**r, "journal": int(r["journal"])} for r in rows]


def test_posting_mode_time_zone_and_currency_are_locked_once_postings_exist(books, login, staff):
    merchant, _ = books
    client = login(staff)
    url = reverse("admin:merchants_merchant_change", args=[merchant.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}
    post(merchant, sale(books))

    response = client.post(url, {**data, "time_zone": "America/New_York", "posting_mode": "documents",
                                 "shop_currency": "USD", "access_token": "", "api_secret_key": ""})

    errors = response.context["adminform"].form.errors
    assert errors["time_zone"] == ["The time zone cannot change: DEMO-EU already has postings made under it."]
    assert set(errors) >= {"posting_mode", "shop_currency"}


def test_a_merchant_user_sees_the_lines_of_their_journal(books, login):
    merchant, _ = books
    (journal,) = post(merchant, sale(books))
    client = login(merchant_user(merchant))

    page = client.get(reverse("admin:ledger_journalentry_change", args=[journal.number])).content.decode()

    table = page[page.index('<table class="journal-lines">'):]
    rows = re.findall(r"<tr><td>(\d+) [^<]*</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", table)
    assert sorted(rows) == [("1010", "120.00", ""), ("2200", "", "20.00"), ("4000", "", "100.00")]
    assert "VAT payable" in page
    assert re.search(r"<th>Total</th><th[^>]*>120.00</th><th[^>]*>120.00</th>", table)   # the two totals
    assert "Debit (EUR)" in table


def test_the_trial_balance_of_a_user_with_one_shop_shows_at_once_in_its_currency(books, login):
    merchant, _ = books
    post(merchant, sale(books))
    client = login(merchant_user(merchant))

    page = client.get(reverse("admin:ledger_trial_balance"))
    download = client.get(reverse("admin:ledger_trial_balance") + "?" + page.context["query"] + "&format=csv")

    assert page.context["rows"] and "Amounts in EUR." in page.content.decode()
    assert download["Content-Type"].startswith("text/csv")


def test_a_trial_balance_asked_without_a_shop_says_why(books, login, staff):
    page = login(staff).get(reverse("admin:ledger_trial_balance"), {"start": "2025-03-01"})

    assert page.context["rows"] is None
    assert "Choose a shop: a trial balance covers one shop" in page.content.decode()
