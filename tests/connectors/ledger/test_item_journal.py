"""The item journal: stock a bookkeeper types in is posted as item ledger entries, all or none, and
leaves the journal; a line that cannot be posted is named with why, on the page as a form error and
in the posting as a refusal; a physical inventory makes the lines that bring the books to the count.
The same queries for 2 lines as for 40; a merchant user keeps their own shop's journal only."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.ledger.errors import JournalLinesNotPostable, UnknownRecords
from connectors.ledger.item_journal import counted_lines, post_item_journal
from connectors.ledger.models import EntryType, Item, ItemJournalLine, ItemLedgerEntry, ItemVariant
from connectors.ledger.records import StockKey
from connectors.ledger.stock import stock
from tests.factories.ledger import ItemFactory, ItemJournalLineFactory, ItemLedgerEntryFactory, LocationFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.concurrency import race
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db

POSITIVE, NEGATIVE, PURCHASE = EntryType.POSITIVE_ADJUSTMENT, EntryType.NEGATIVE_ADJUSTMENT, EntryType.PURCHASE
MARCH_12 = date(2025, 3, 12)
JOURNAL = reverse("admin:ledger_itemjournalline_changelist")


def teapot_shop(code: str = "TEA"):
    """Teapot I00001 (variants BLUE and GREEN) and the service S00001; MAIN holds 10 blue teapots and
    4 plain ones, EAST 3 blue ones."""
    merchant = MerchantFactory(code=code)
    teapot = ItemFactory(merchant=merchant, number="I00001", description="Teapot")
    ItemVariant.objects.bulk_create([ItemVariant(item=teapot, code="BLUE"), ItemVariant(item=teapot, code="GREEN")])
    ItemFactory(merchant=merchant, number="S00001", description="Gift wrapping", type="service")
    main = LocationFactory(merchant=merchant, code="MAIN", name="Main warehouse")
    east = LocationFactory(merchant=merchant, code="EAST", name="East")
    for location, variant, quantity in ((main, "BLUE", 10), (main, "", 4), (east, "BLUE", 3)):
        ItemLedgerEntryFactory(merchant=merchant, item=teapot, location=location, variant_code=variant,
                               quantity=quantity)
    return merchant


def line(merchant, entry_type=POSITIVE, quantity="1", *, item="I00001", variant="BLUE", location="MAIN", **fields):
    return ItemJournalLineFactory(merchant=merchant, entry_type=entry_type, quantity=D(quantity),
                                  item=Item.objects.get(merchant=merchant, number=item), variant_code=variant,
                                  location=merchant.ledger_locations.get(code=location), posting_date=MARCH_12,
                                  **fields)


# Posting

def test_adjustments_and_a_purchase_change_stock_by_exactly_their_quantities_and_leave_the_journal():
    # given 10 blue and 4 plain teapots at MAIN, 3 blue at EAST
    merchant = teapot_shop()
    lines = [line(merchant, POSITIVE, "5", document_no="ADJ-1"), line(merchant, NEGATIVE, "3", document_no="ADJ-1"),
             line(merchant, PURCHASE, "2.5", variant="", document_no="PO-7", description="From the potter")]
    # when
    posted = post_item_journal(merchant=merchant, lines=lines)
    # then
    assert (posted.entries, posted.quantity_in, posted.quantity_out) == (3, D("7.5"), D("3"))
    assert stock(merchant) == {StockKey("I00001", "BLUE", "MAIN"): D("12"), StockKey("I00001", "", "MAIN"): D("6.5"),
                               StockKey("I00001", "BLUE", "EAST"): D("3")}
    entries = ItemLedgerEntry.objects.filter(pk__in=posted.entry_ids).order_by("pk")
    assert [(e.entry_type, e.quantity, e.variant_code, e.document_no, e.description, e.posting_date)
            for e in entries] == [
        (POSITIVE, D("5"), "BLUE", "ADJ-1", "Teapot", MARCH_12),
        (NEGATIVE, D("-3"), "BLUE", "ADJ-1", "Teapot", MARCH_12),
        (PURCHASE, D("2.5"), "", "PO-7", "From the potter", MARCH_12),
    ]
    assert not ItemJournalLine.objects.exists()


def test_a_line_that_cannot_be_posted_posts_nothing_of_the_batch_and_each_is_named_with_why():
    # given a good line and one line of each refusal
    merchant = teapot_shop()
    blocked = ItemFactory(merchant=merchant, number="I00009", description="Old kettle", blocked=True)
    good = line(merchant, POSITIVE, "5")
    red = line(merchant, POSITIVE, "1", variant="RED")
    service = line(merchant, POSITIVE, "1", item="S00001", variant="")
    kettle = line(merchant, PURCHASE, "2", item=blocked.number, variant="")
    zero = line(merchant, NEGATIVE, "0")
    before = stock(merchant)
    # when
    with pytest.raises(JournalLinesNotPostable) as refused:
        post_item_journal(merchant=merchant, lines=ItemJournalLine.objects.filter(merchant=merchant))
    # then
    assert [str(problem) for problem in refused.value.problems] == [
        f"line {red.pk} (item I00001 RED at MAIN): item I00001 has no variant RED (its variants: BLUE, GREEN)",
        f"line {service.pk} (item S00001 at MAIN): item S00001 is a service, and a service keeps no stock",
        f"line {kettle.pk} (item I00009 at MAIN): item I00009 is blocked",
        f"line {zero.pk} (item I00001 BLUE at MAIN): the quantity is 0: enter how many to post",
    ]
    assert str(refused.value).startswith("nothing was posted: line ")
    assert stock(merchant) == before
    assert ItemLedgerEntry.objects.filter(merchant=merchant).count() == 3
    assert set(ItemJournalLine.objects.values_list("pk", flat=True)) == {good.pk, red.pk, service.pk, kettle.pk,
                                                                         zero.pk}


def test_lines_posted_once_are_not_posted_again_and_another_shops_line_is_refused():
    merchant, other = teapot_shop(), teapot_shop("OTHER")
    lines = [line(merchant, POSITIVE, "5")]
    post_item_journal(merchant=merchant, lines=lines)
    theirs = line(other, POSITIVE, "1")

    with pytest.raises(JournalLinesNotPostable) as again:
        post_item_journal(merchant=merchant, lines=lines)
    with pytest.raises(JournalLinesNotPostable) as foreign:
        post_item_journal(merchant=merchant, lines=[theirs])

    assert [str(p) for p in again.value.problems] == [
        f"line {lines[0].pk}: it is no longer in the journal: posted or deleted meanwhile"]
    assert [str(p) for p in foreign.value.problems] == [
        f"line {theirs.pk} (item I00001 BLUE at MAIN): the line is another shop's, not TEA's"]
    assert stock(merchant)[StockKey("I00001", "BLUE", "MAIN")] == D("15")
    assert stock(other)[StockKey("I00001", "BLUE", "MAIN")] == D("10")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_posting_the_same_lines_at_once_post_them_once():
    # given 3 lines
    merchant = teapot_shop()
    lines = [line(merchant, POSITIVE, "1") for _ in range(3)]
    # when 4 people post them at the same instant
    results = race(lambda _: post_item_journal(merchant=merchant, lines=lines), range(4))
    # then one posting made the entries; the others were told the lines had gone
    assert sorted(type(result).__name__ for result in results) == [
        "JournalLinesNotPostable", "JournalLinesNotPostable", "JournalLinesNotPostable", "PostedJournal"]
    assert stock(merchant)[StockKey("I00001", "BLUE", "MAIN")] == D("13")
    assert not ItemJournalLine.objects.exists()


@pytest.mark.parametrize("count", [2, 40])
def test_posting_takes_the_same_queries_for_2_lines_as_for_40(count, django_assert_max_num_queries):
    # given `count` lines of several variants, locations and entry types
    merchant = teapot_shop()
    kinds = [(POSITIVE, "BLUE", "MAIN"), (NEGATIVE, "GREEN", "EAST"), (PURCHASE, "", "MAIN")]
    for n in range(count):
        entry_type, variant, location = kinds[n % 3]
        line(merchant, entry_type, "1", variant=variant, location=location)
    # when
    with django_assert_max_num_queries(7), CaptureQueriesContext(connection) as queries:
        posted = post_item_journal(merchant=merchant, lines=ItemJournalLine.objects.filter(merchant=merchant))
    # then
    assert posted.entries == count
    assert [q["sql"].split()[0] for q in queries] == [
        "SELECT",                 # the chosen lines' ids
        "SAVEPOINT",              # (the test's transaction holds the posting's)
        "SELECT",                 # the lines, locked, with their items and locations
        "SELECT",                 # the items' variants
        "INSERT",                 # the entries (500 to a statement)
        "DELETE",                 # the posted lines
        "RELEASE"]


# Physical inventory

def test_counted_lines_bring_stock_on_hand_to_the_count_and_none_where_it_agrees():
    # given 10 blue and 4 plain teapots at MAIN (3 blue at EAST, not counted)
    merchant = teapot_shop()
    main = merchant.ledger_locations.get(code="MAIN")
    # when 7 blue, 4 plain and 2 green are counted at MAIN
    lines = counted_lines(merchant=merchant, location=main, posting_date=MARCH_12, document_no="COUNT-3",
                          counts={("I00001", "BLUE"): 7, ("I00001", ""): D("4"), ("I00001", "GREEN"): "2"})
    # then
    assert [(li.entry_type, li.variant_code, li.quantity, li.location.code, li.document_no, li.description)
            for li in ItemJournalLine.objects.order_by("pk")] == [
        (NEGATIVE, "BLUE", D("3"), "MAIN", "COUNT-3", "Physical inventory"),
        (POSITIVE, "GREEN", D("2"), "MAIN", "COUNT-3", "Physical inventory"),
    ]
    assert len(lines) == 2
    # and once posted, the books hold what was counted
    post_item_journal(merchant=merchant, lines=lines)
    assert stock(merchant) == {
        StockKey("I00001", "BLUE", "MAIN"): D("7"), StockKey("I00001", "", "MAIN"): D("4"),
        StockKey("I00001", "GREEN", "MAIN"): D("2"), StockKey("I00001", "BLUE", "EAST"): D("3")}


def test_a_count_of_an_unknown_item_or_one_that_cannot_be_posted_makes_no_line():
    merchant = teapot_shop()
    main = merchant.ledger_locations.get(code="MAIN")

    with pytest.raises(UnknownRecords) as unknown:
        counted_lines(merchant=merchant, location=main, posting_date=MARCH_12, counts={("I00404", ""): 1})
    with pytest.raises(JournalLinesNotPostable) as refused:
        counted_lines(merchant=merchant, location=main, posting_date=MARCH_12,
                      counts={("I00001", "BLUE"): 8, ("I00001", "RED"): 1, ("S00001", ""): 2, ("I00001", ""): -1})

    assert str(unknown.value) == "no item I00404 in the books"
    assert str(refused.value) == (
        "no line was made: item I00001 at MAIN: the count is -1: a count cannot be negative; "
        "item I00001 RED at MAIN: item I00001 has no variant RED (its variants: BLUE, GREEN); "
        "item S00001 at MAIN: item S00001 is a service, and a service keeps no stock")
    assert not ItemJournalLine.objects.exists()


# The admin page

def line_form(merchant, **fields) -> dict:
    item = Item.objects.get(merchant=merchant, number=fields.pop("item", "I00001"))
    return {"merchant": merchant.pk, "posting_date": "2025-03-12", "entry_type": POSITIVE, "document_no": "ADJ-1",
            "item": item.pk, "variant_code": "BLUE", "location": merchant.ledger_locations.get(code="MAIN").pk,
            "quantity": "5", "description": "", **fields}


def test_a_merchant_user_adds_a_line_posts_it_sees_the_entry_and_never_another_shops_lines(login):
    # given alice of TEA, and a line in OTHER's journal
    merchant, other = teapot_shop(), teapot_shop("OTHER")
    theirs = line(other, POSITIVE, "9")
    client = login(merchant_user(merchant, username="alice"))
    # when she adds a line of 5 blue teapots and posts it from the list
    added = client.post(reverse("admin:ledger_itemjournalline_add"), line_form(merchant))
    journal = client.get(JOURNAL)
    mine = ItemJournalLine.objects.get(merchant=merchant)
    posted = client.post(JOURNAL, {"action": "post_lines", "_selected_action": [mine.pk]}, follow=True)
    entries = client.get(reverse("admin:ledger_itemledgerentry_changelist"))
    # then
    assert added.status_code == 302
    assert [row.pk for row in journal.context["cl"].result_list] == [mine.pk]
    assert messages_of(posted) == ["1 item ledger entry posted (5 in, 0 out); see them under item ledger entries."]
    assert stock(merchant)[StockKey("I00001", "BLUE", "MAIN")] == D("15")
    assert [(e.document_no, e.quantity) for e in entries.context["cl"].result_list][0] == ("ADJ-1", D("5"))
    assert not ItemJournalLine.objects.filter(merchant=merchant).exists()
    assert client.get(reverse("admin:ledger_itemjournalline_change", args=[theirs.pk])).status_code == 404
    assert messages_of(client.post(JOURNAL, {"action": "post_lines", "_selected_action": [theirs.pk]},
                                   follow=True)) == ["Nothing was posted: the selected lines are no longer in the "
                                                     "journal."]
    assert ItemJournalLine.objects.filter(pk=theirs.pk).exists()
    assert stock(other)[StockKey("I00001", "BLUE", "MAIN")] == D("10")


@pytest.mark.parametrize(("fields", "field", "error"), [
    ({"variant_code": "RED"}, "variant_code", "Item I00001 has no variant RED (its variants: BLUE, GREEN)."),
    ({"item": "S00001", "variant_code": ""}, "item", "Item S00001 is a service, and a service keeps no stock."),
    ({"quantity": "0"}, "quantity", "The quantity is 0: enter how many to post."),
    ({"quantity": "-2"}, "quantity", "The quantity is negative: enter it as a positive number (a negative "
                                     "adjustment takes stock out)."),
    ({"entry_type": "sale"}, "entry_type", "Select a valid choice. sale is not one of the available choices."),
], ids=["unknown variant", "service item", "zero quantity", "negative quantity", "sale"])
def test_a_line_that_could_not_be_posted_is_a_form_error_on_its_field(login, fields, field, error):
    merchant = teapot_shop()
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:ledger_itemjournalline_add"), line_form(merchant, **fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [error]}
    assert not ItemJournalLine.objects.exists()


def test_the_list_edits_quantities_and_refuses_a_zero_or_a_variant_the_item_lacks(login):
    merchant = teapot_shop()
    first, second = line(merchant, POSITIVE, "1"), line(merchant, NEGATIVE, "2")
    client = login(merchant_user(merchant))

    def edit(changes: dict[int, dict]):
        rows = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "1000", "_save": "Save"}
        for index, row in enumerate((first, second)):
            values = {"id": row.pk, "posting_date": "2025-03-12", "entry_type": row.entry_type, "document_no": "",
                      "variant_code": row.variant_code, "quantity": str(row.quantity), "description": "",
                      **changes[index]}
            rows.update({f"form-{index}-{name}": value for name, value in values.items()})
        return client.post(JOURNAL, rows)

    saved = edit({0: {"quantity": "4"}, 1: {"variant_code": "GREEN"}})
    refused = edit({0: {"quantity": "0"}, 1: {"variant_code": "RED"}})

    assert saved.status_code == 302
    assert list(ItemJournalLine.objects.order_by("pk").values_list("quantity", "variant_code")) == [
        (D("4"), "BLUE"), (D("2"), "GREEN")]
    assert refused.status_code == 200
    assert [form.errors for form in refused.context["cl"].formset.forms] == [
        {"quantity": ["The quantity is 0: enter how many to post."]},
        {"variant_code": ["Item I00001 has no variant RED (its variants: BLUE, GREEN)."]}]


def test_posting_refused_from_the_list_says_each_line_and_why_and_posts_nothing(login):
    merchant = teapot_shop()
    good, red = line(merchant, POSITIVE, "1"), line(merchant, POSITIVE, "1", variant="RED")
    client = login(merchant_user(merchant))

    response = client.post(JOURNAL, {"action": "post_lines", "_selected_action": [good.pk, red.pk]}, follow=True)

    assert messages_of(response) == [
        "Nothing was posted: 1 line of the selection cannot be posted.",
        f"Line {red.pk} (item I00001 RED at MAIN): item I00001 has no variant RED (its variants: BLUE, GREEN)."]
    assert ItemJournalLine.objects.count() == 2 and ItemLedgerEntry.objects.count() == 3


def test_staff_post_one_shops_lines_at_a_time(staff, login):
    merchant, other = teapot_shop(), teapot_shop("OTHER")
    mine, theirs = line(merchant, POSITIVE, "1"), line(other, POSITIVE, "1")

    response = login(staff).post(JOURNAL, {"action": "post_lines", "_selected_action": [mine.pk, theirs.pk]},
                                 follow=True)

    assert messages_of(response) == [
        "Nothing was posted: choose lines of one shop; each shop's journal posts on its own."]
    assert ItemJournalLine.objects.count() == 2


def test_a_saved_lines_page_offers_its_shops_items_and_locations_only(staff, login):
    merchant, other = teapot_shop(), teapot_shop("OTHER")
    mine = line(merchant, POSITIVE, "1")

    form = login(staff).get(reverse("admin:ledger_itemjournalline_change", args=[mine.pk])).context["adminform"].form

    assert {i.merchant_id for i in form.fields["item"].queryset} == {merchant.pk}
    assert {loc.merchant_id for loc in form.fields["location"].queryset} == {merchant.pk}
    assert "merchant" not in form.fields
    assert Item.objects.filter(merchant=other).count() == Item.objects.filter(merchant=merchant).count() == 2


def test_an_item_on_journal_lines_is_not_deleted(superuser, login):
    merchant = teapot_shop()
    teapot = Item.objects.get(merchant=merchant, number="I00001")
    line(merchant, POSITIVE, "1")

    response = login(superuser).post(reverse("admin:ledger_item_delete", args=[teapot.pk]), {"post": "yes"},
                                     follow=True)

    assert messages_of(response) == ["Item I00001 cannot be deleted: item I00001 is on lines of the item journal. "
                                     "Change those first."]
    assert Item.objects.filter(pk=teapot.pk).exists()


def test_staff_adding_a_line_with_another_shops_item_and_location_are_told_so(staff, login):
    merchant, other = teapot_shop(), teapot_shop("OTHER")
    theirs = line_form(other)

    response = login(staff).post(reverse("admin:ledger_itemjournalline_add"), {
        **line_form(merchant), "item": theirs["item"], "location": theirs["location"]})

    assert response.context["adminform"].form.errors == {"item": ["Item I00001 is another shop's."],
                                                         "location": ["Location MAIN is another shop's."]}
    assert not ItemJournalLine.objects.exists()
