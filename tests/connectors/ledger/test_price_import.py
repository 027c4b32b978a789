"""Prices imported into a price list from a CSV file on its page: a good file (comma or semicolon
separated, with or without a BOM) adds and updates the list's prices and the page says how many; a
file with any mistake imports nothing and lists every mistake with its line; no file, however bad,
makes a 500."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils.html import strip_tags

from connectors.ledger.models import PriceListLine
from connectors.ledger.prices import import_prices, read_price_file
from tests.factories.ledger import ItemFactory, PriceListFactory, PriceListLineFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.concurrency import race
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def price_list():
    """Price list RETAIL of a shop selling a shirt (red and blue) and a cap, the shirt at 10.00."""
    merchant = MerchantFactory()
    shirt = ItemFactory(merchant=merchant, number="1000")
    shirt.variants.create(code="RED")
    shirt.variants.create(code="BLUE")
    ItemFactory(merchant=merchant, number="2000")
    price_list = PriceListFactory(merchant=merchant, code="RETAIL")
    PriceListLineFactory(price_list=price_list, item_no="1000", unit_price=Decimal("10.00"))
    return price_list


def upload(client, price_list, content: str | bytes, *, replace_all: bool = False, follow: bool = True):
    data = {"file": SimpleUploadedFile("prices.csv", content.encode() if isinstance(content, str) else content,
                                       content_type="text/csv")}
    if replace_all:
        data["replace_all"] = "on"
    return client.post(reverse("admin:ledger_pricelist_import_prices", args=[price_list.pk]), data, follow=follow)


def prices_of(price_list) -> list[tuple]:
    return list(PriceListLine.objects.filter(price_list=price_list)
                .order_by("item_no", "variant_code", F("starting_date").asc(nulls_first=True))
                .values_list("item_no", "variant_code", "unit_price", "starting_date", "ending_date"))


def errors_of(response) -> list[str]:
    return [strip_tags(str(error)) for error in response.context["form"].errors["file"]]


def test_a_good_file_adds_and_updates_the_lists_prices_and_the_page_says_how_many(superuser, login, price_list):
    # given
    client = login(superuser)
    content = ("item_no,variant_code,unit_price,starting_date,ending_date\n"
               "1000,,10.00,,\n"                        # as the list has it: unchanged
               "1000,RED,11.50,2025-03-01,2025-06-30\n"
               "2000,,4,,\n")

    # when
    first = upload(client, price_list, content)
    second = upload(client, price_list, content.replace("2000,,4,,", "2000,,4.20,,") + "1000,BLUE,9.99,,\n")

    # then
    assert messages_of(first) == ["Price list RETAIL: 2 prices added, 0 changed, 1 unchanged."]
    assert messages_of(second) == ["Price list RETAIL: 1 price added, 1 changed, 2 unchanged."]
    assert prices_of(price_list) == [
        ("1000", "", Decimal("10.00"), None, None),
        ("1000", "BLUE", Decimal("9.99"), None, None),
        ("1000", "RED", Decimal("11.50"), date(2025, 3, 1), date(2025, 6, 30)),
        ("2000", "", Decimal("4.20"), None, None)]


def test_a_semicolon_separated_file_with_a_bom_and_decimal_commas_is_read(superuser, login, price_list):
    """As Excel saves "CSV UTF-8" in much of Europe; the header may leave out the optional columns."""
    content = "\ufeffItem_No;Unit_Price;Starting_Date\r\n1000;12,50;2025-01-01\r\n2000;3;\r\n"

    response = upload(login(superuser), price_list, content.encode("utf-8"))

    assert messages_of(response) == ["Price list RETAIL: 2 prices added, 0 changed, 0 unchanged."]
    assert prices_of(price_list)[1:] == [("1000", "", Decimal("12.50"), date(2025, 1, 1), None),
                                         ("2000", "", Decimal("3.00"), None, None)]


def test_replacing_all_prices_deletes_those_the_file_does_not_have(superuser, login, price_list):
    PriceListLineFactory(price_list=price_list, item_no="2000", unit_price=Decimal("5.00"))

    response = upload(login(superuser), price_list, "item_no,unit_price\n2000,5.00\n", replace_all=True)

    assert messages_of(response) == ["Price list RETAIL: 0 prices added, 0 changed, 1 unchanged, 1 removed."]
    assert prices_of(price_list) == [("2000", "", Decimal("5.00"), None, None)]


def test_a_file_with_mistakes_imports_nothing_and_lists_each_mistake_by_line(superuser, login, price_list):
    # given
    content = ("item_no,variant_code,unit_price,starting_date,ending_date\n"
               "1000,,12.00,,\n"                         # line 2: good, yet not imported
               "9999,,1.00,,\n"                          # line 3
               "1000,GREEN,1.00,,\n"                     # line 4
               "2000,,-1,,\n"                            # line 5
               "2000,,1.999,2025-01-01,\n"               # line 6
               "2000,,abc,,\n"                           # line 7
               "2000,,1,01/02/2025,\n"                   # line 8
               "2000,,1,2025-02-30,\n"                   # line 9
               "2000,RED,1,2025-03-01,2025-02-01\n"      # line 10: RED is the shirt's, and the dates
               "1000,,13.00,,\n"                         # line 11: the key of line 2
               ",,1,,\n"                                 # line 12
               "2000,,,,\n"                              # line 13
               "2000,,1,,,surplus\n")                    # line 14
    client = login(superuser)

    # when
    response = upload(client, price_list, content)

    # then
    assert response.status_code == 200
    assert errors_of(response) == [
        "Nothing was imported: the file has 13 mistakes.",
        "Line 3: there is no item 9999.",
        "Line 4: item 1000 has no variant GREEN.",
        "Line 5: the unit price -1 is below 0.",
        "Line 6: the unit price 1.999 has more than 2 decimals.",
        "Line 7: the unit price “abc” is not a number such as 12.50.",
        "Line 8: the starting date “01/02/2025” is not a date written YYYY-MM-DD, such as 2025-03-01.",
        "Line 9: the starting date “2025-02-30” is not a date written YYYY-MM-DD, such as 2025-03-01.",
        "Line 10: item 2000 has no variant RED.",
        "Line 10: the price ends on 2025-02-01, before it starts on 2025-03-01.",
        "Line 11: item 1000 with no starting date is on line 2 already.",
        "Line 12: the item no. is blank.",
        "Line 13: the unit price is blank.",
        "Line 14: the value “surplus” is in no column of the header."]
    assert prices_of(price_list) == [("1000", "", Decimal("10.00"), None, None)]


@pytest.mark.parametrize(("content", "error"), [
    (b"", "The submitted file is empty"),
    (b"\n \n", "The file holds no prices"),
    (b"item_no,unit_price\n", "The file holds no prices"),
    (b"\xff\xfei\x00t\x00e\x00m\x00", "The file is not UTF-8 text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "The file is not UTF-8 text"),
    (b"item_no,unit_price\n1000,1\x00\n", "Line 2: the unit price “1\x00” is not a number"),
    (b"sku,price\n1000,1\n", "Line 1: the header&#x27;s column “sku” is none of item_no"),
    (b"item_no,variant_code\n1000,RED\n", "Line 1: the header has no column unit_price"),
    (b"item_no,unit_price,unit_price\n1000,1,2\n", "Line 1: the header names the column unit_price twice"),
    (b"item_no,unit_price\n1000,NaN\n", "Line 2: the unit price “NaN” is not a number"),
    (b"item_no,unit_price\n1000,1e400\n", "Line 2: the unit price “1e400” is not a number"),
    (b"item_no,unit_price\n1000,99999999999999999999\n", "Line 2: the unit price 99999999999999999999 is too large"),
    (b'item_no,unit_price\n"1000,1\n', "Line 2: the unit price is blank"),
    (b"item_no,unit_price\n" + b"1000," + b"9" * 200_000 + b"\n", "Line 2: the file cannot be read as CSV"),
])
def test_no_file_makes_a_500_and_each_says_what_is_wrong(superuser, login, price_list, content, error):
    response = upload(login(superuser), price_list, content)

    assert response.status_code == 200
    assert error in " ".join(str(e) for e in response.context["form"].errors["file"]).replace("'", "&#x27;")
    assert prices_of(price_list) == [("1000", "", Decimal("10.00"), None, None)]


def test_only_a_user_who_may_change_the_list_imports_into_it(login, price_list):
    """A merchant user of another shop gets a 404: the list is not theirs to know of."""
    stranger = login(merchant_user(MerchantFactory()))

    response = upload(stranger, price_list, "item_no,unit_price\n2000,1\n", follow=False)

    assert response.status_code == 404
    assert len(prices_of(price_list)) == 1


def test_the_list_owners_merchant_user_imports_from_the_page_button(login, price_list):
    client = login(merchant_user(price_list.merchant))

    page = client.get(reverse("admin:ledger_pricelist_change", args=[price_list.pk])).content.decode()
    response = upload(client, price_list, "item_no,unit_price\n2000,1\n")

    assert reverse("admin:ledger_pricelist_import_prices", args=[price_list.pk]) in page
    assert messages_of(response) == ["Price list RETAIL: 1 price added, 0 changed, 0 unchanged."]


def test_an_import_takes_a_fixed_number_of_queries_per_500_lines(price_list, django_assert_max_num_queries):
    """1,000 lines, half new and half changed: checked in 2 queries, written in a few per 500 (SQLite
    inserts 142 a statement, its limit of 999 parameters: 8 statements here, PostgreSQL 2)."""
    # given
    merchant = price_list.merchant
    ItemFactory.create_batch(1000, merchant=merchant)
    numbers = sorted(merchant.ledger_items.filter(number__startswith="I").values_list("number", flat=True))
    PriceListLine.objects.bulk_create(PriceListLine(price_list=price_list, item_no=n, unit_price=1)
                                      for n in numbers[:500])
    content = "item_no,unit_price\n" + "".join(f"{n},2.00\n" for n in numbers)

    # when
    with django_assert_max_num_queries(2):
        lines = read_price_file(merchant=merchant, content=content.encode())
    with django_assert_max_num_queries(14):
        done = import_prices(price_list=price_list, lines=lines)

    # then
    assert (done.added, done.changed, done.unchanged) == (500, 500, 0)
    assert PriceListLine.objects.filter(price_list=price_list, unit_price=Decimal("2.00")).count() == 1000


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_into_one_list_at_once_take_turns():
    """The list is locked while a file is written: the second import finds the first one's prices and
    counts them unchanged, never a second price of the same key."""
    # given
    merchant = MerchantFactory()
    ItemFactory(merchant=merchant, number="1000")
    ItemFactory(merchant=merchant, number="2000")
    price_list = PriceListFactory(merchant=merchant, code="RETAIL")
    lines = read_price_file(merchant=merchant, content=b"item_no,unit_price\n1000,1.00\n2000,2.00\n")

    # when
    results = race(lambda _: import_prices(price_list=price_list, lines=lines), range(3))

    # then
    assert sorted((r.added, r.unchanged) for r in results) == [(0, 2), (0, 2), (2, 0)]
    assert prices_of(price_list) == [("1000", "", Decimal("1.00"), None, None),
                                     ("2000", "", Decimal("2.00"), None, None)]
