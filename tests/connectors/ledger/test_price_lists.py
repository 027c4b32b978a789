"""Sales price lists: the price a list gives an item or a variant on a day (the variant's own line
beats its item's, the latest start wins, the dates bound it), the same in both targets, in one query
whatever the number of keys; their admin pages, scoped to the user's shops, quick with thousands of
prices, and a list in use not deleted."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from connectors.ledger.memory_target import InMemoryTarget
from connectors.ledger.models import PriceList, PriceListLine
from connectors.ledger.records import ItemData, PriceLineData, PriceListData, VariantData
from connectors.ledger.target import target_for
from core.in_use import IN_USE
from tests.factories.ledger import CustomerFactory, ItemFactory, PriceListFactory, PriceListLineFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db


def given_price_list(books, merchant, price_list: PriceListData, lines: list[PriceLineData]) -> None:
    """A price list in the books: typed into the ledger's tables, or put into the in-memory target."""
    if isinstance(books, InMemoryTarget):
        books.put_price_list(merchant, price_list, lines)
        return
    row = PriceList.objects.create(merchant=merchant, code=price_list.code, currency=price_list.currency,
                                   description=price_list.description)
    PriceListLine.objects.bulk_create(
        PriceListLine(price_list=row, item_no=line.item_no, variant_code=line.variant_code, unit_price=line.unit_price,
                      starting_date=line.starting_date, ending_date=line.ending_date) for line in lines)


def line(price: str, variant: str = "", start: date | None = None, end: date | None = None, item: str = "I1"):
    return PriceLineData(item_no=item, unit_price=Decimal(price), variant_code=variant, starting_date=start,
                         ending_date=end)


RETAIL = [
    line("10.00"),                                                        # the item, always
    line("12.00", start=date(2025, 3, 1)),                                # the item, from March
    line("9.00", "RED", start=date(2025, 1, 1), end=date(2025, 1, 31)),    # red, in January only
    line("8.00", "RED", start=date(2025, 4, 1)),                          # red, from April
    line("20.00", "BLUE", end=date(2024, 12, 31)),                        # blue, until 2024
]
KEYS = [("I1", ""), ("I1", "RED"), ("I1", "BLUE"), ("I9", "")]


@pytest.mark.parametrize(("on", "expected"), [
    (date(2024, 12, 31), {("I1", ""): "10.00", ("I1", "RED"): "10.00", ("I1", "BLUE"): "20.00"}),
    (date(2025, 1, 1), {("I1", ""): "10.00", ("I1", "RED"): "9.00", ("I1", "BLUE"): "10.00"}),
    (date(2025, 1, 31), {("I1", ""): "10.00", ("I1", "RED"): "9.00", ("I1", "BLUE"): "10.00"}),
    (date(2025, 2, 1), {("I1", ""): "10.00", ("I1", "RED"): "10.00", ("I1", "BLUE"): "10.00"}),
    (date(2025, 3, 31), {("I1", ""): "12.00", ("I1", "RED"): "12.00", ("I1", "BLUE"): "12.00"}),
    (date(2025, 4, 1), {("I1", ""): "12.00", ("I1", "RED"): "8.00", ("I1", "BLUE"): "12.00"}),
])
def test_a_variants_own_line_beats_its_items_and_the_latest_start_of_the_day_wins(books, on, expected):
    """A variant takes its own line valid that day, else its item's; of several valid, the latest
    starting (no starting date: always, so the earliest); an item without a line has no price."""
    # given
    merchant = MerchantFactory()
    books.create_items(merchant, [ItemData("Shirt", number="I1", variants=(VariantData("RED"), VariantData("BLUE"))),
                                  ItemData("Cap", number="I9")])
    given_price_list(books, merchant, PriceListData("RETAIL", "EUR", "Retail"), RETAIL)

    # when
    prices = books.price_list_prices(merchant, "RETAIL", KEYS, on=on)

    # then
    assert prices == {key: Decimal(price) for key, price in expected.items()}


def test_price_lists_are_read_by_code_and_a_list_nobody_has_gives_no_prices(books):
    merchant, other = MerchantFactory(), MerchantFactory()
    books.create_items(merchant, [ItemData("Shirt", number="I1")])
    books.create_items(other, [ItemData("Shirt", number="I1")])
    given_price_list(books, merchant, PriceListData("RETAIL", "EUR", "Retail"), [line("10.00")])
    given_price_list(books, other, PriceListData("RETAIL", "USD"), [line("99.00")])

    lists = books.get_price_lists(merchant, ["RETAIL", "NONE"])

    assert lists == {"RETAIL": PriceListData("RETAIL", "EUR", "Retail")}
    assert books.price_list_prices(merchant, "RETAIL", [("I1", "")], on=date(2025, 1, 1)) == {
        ("I1", ""): Decimal("10.00")}
    assert books.price_list_prices(merchant, "NONE", [("I1", "")], on=date(2025, 1, 1)) == {}
    assert books.price_list_prices(merchant, "RETAIL", [], on=date(2025, 1, 1)) == {}


@pytest.mark.parametrize("keys", [1, 500, 6000])
def test_the_prices_of_any_number_of_keys_take_one_query(django_assert_num_queries, keys):
    """1, 500 or 6,000 variants (beyond 5,000 items the lookup reads the whole list's day): one query."""
    # given
    merchant = MerchantFactory()
    price_list = PriceListFactory(merchant=merchant, code="RETAIL")
    priced = min(keys, 500)   # the others have no line: asked for, they have no price
    PriceListLine.objects.bulk_create(
        [PriceListLine(price_list=price_list, item_no=f"I{n}", unit_price=Decimal(n)) for n in range(priced)]
        + [PriceListLine(price_list=price_list, item_no=f"I{n}", variant_code="V", unit_price=Decimal(n + 1),
                         starting_date=date(2025, 1, 1)) for n in range(priced)])
    wanted = [(f"I{n}", "V" if n % 2 else "") for n in range(keys)]

    # when
    with django_assert_num_queries(1):
        prices = target_for(merchant).price_list_prices(merchant, "RETAIL", wanted, on=date(2025, 6, 1))

    # then
    assert len(prices) == priced
    assert prices[("I0", "")] == Decimal("0")
    assert keys == 1 or prices[("I1", "V")] == Decimal("2")


# The admin pages
def price_list_fields(merchant, **changes) -> dict:
    return {"merchant": merchant.pk, "code": "RETAIL", "description": "Retail", "currency": "EUR", **changes}


def test_a_merchant_user_sees_and_reaches_only_their_shops_price_lists(login):
    # given
    mine, theirs = MerchantFactory(), MerchantFactory()
    own = PriceListFactory(merchant=mine, code="MINE")
    foreign = PriceListFactory(merchant=theirs, code="THEIRS")
    PriceListLineFactory(price_list=foreign, item_no="I1")
    client = login(merchant_user(mine))

    # when
    listed = client.get(reverse("admin:ledger_pricelist_changelist")).content.decode()
    lines = client.get(reverse("admin:ledger_pricelistline_changelist")).content.decode()
    pages = [client.get(reverse("admin:ledger_pricelist_change", args=[foreign.pk])),
             client.get(reverse("admin:ledger_pricelist_import_prices", args=[foreign.pk])),
             client.get(reverse("admin:ledger_pricelist_delete", args=[foreign.pk]))]

    # then
    assert "MINE" in listed and "THEIRS" not in listed
    assert "0 price list lines" in lines
    assert [page.status_code for page in pages] == [404, 404, 404]
    assert client.get(reverse("admin:ledger_pricelist_import_prices", args=[own.pk])).status_code == 200


def test_the_list_counts_each_lists_prices_and_customers(superuser, login):
    merchant = MerchantFactory()
    retail, wholesale = PriceListFactory(merchant=merchant, code="RETAIL"), PriceListFactory(merchant=merchant,
                                                                                             code="WHOLESALE")
    for n in range(3):
        PriceListLineFactory(price_list=retail, item_no=f"I{n}")
    CustomerFactory(merchant=merchant, price_list_code="WHOLESALE")
    CustomerFactory(merchant=merchant, price_list_code="WHOLESALE")
    CustomerFactory(price_list_code="WHOLESALE")   # another shop's customer

    client = login(superuser)

    response = client.get(reverse("admin:ledger_pricelist_changelist"))
    customers = client.get(reverse("admin:ledger_customer_changelist"),
                           {"merchant": merchant.pk, "price_list_code": wholesale.code})

    rows = {row.code: (row.price_count, row.customer_count) for row in response.context["cl"].result_list}
    assert rows == {"RETAIL": (3, 0), "WHOLESALE": (0, 2)}
    assert f"?merchant={merchant.pk}&amp;price_list_code=WHOLESALE" in response.content.decode()
    assert len(customers.context["cl"].result_list) == 2   # where the count links to


@pytest.mark.parametrize(("currency", "saved", "error"), [
    ("eur", "EUR", None),
    ("euro", None, "&#x27;EURO&#x27; is not a currency code Shopify knows"),
    ("XYZ", None, "&#x27;XYZ&#x27; is not a currency code Shopify knows"),
])
def test_a_price_lists_currency_is_one_shopify_knows(superuser, login, currency, saved, error):
    merchant = MerchantFactory()

    response = login(superuser).post(reverse("admin:ledger_pricelist_add"),
                                     price_list_fields(merchant, currency=currency))

    if error:
        assert response.status_code == 200 and error in response.content.decode()
        assert not PriceList.objects.exists()
    else:
        assert response.status_code == 302 and PriceList.objects.get().currency == saved


def test_a_price_lists_currency_cannot_change_once_it_holds_prices(superuser, login):
    """Its amounts would silently become another currency's (and its catalogs' with them)."""
    merchant = MerchantFactory()
    empty, priced = PriceListFactory(merchant=merchant, code="EMPTY"), PriceListFactory(merchant=merchant,
                                                                                       code="PRICED")
    PriceListLineFactory(price_list=priced, item_no="I1")
    client = login(superuser)

    kept = client.post(reverse("admin:ledger_pricelist_change", args=[priced.pk]),
                       price_list_fields(merchant, code="PRICED", currency="USD"))
    moved = client.post(reverse("admin:ledger_pricelist_change", args=[empty.pk]),
                        price_list_fields(merchant, code="EMPTY", currency="USD"))

    assert kept.status_code == 200 and "The list holds prices in EUR: its currency cannot change" in \
        kept.content.decode()
    assert moved.status_code == 302
    assert dict(PriceList.objects.values_list("code", "currency")) == {"EMPTY": "USD", "PRICED": "EUR"}


def test_a_price_list_of_thousands_of_prices_shows_the_first_and_links_to_all(superuser, login,
                                                                            django_assert_max_num_queries):
    """The page shows 20 prices and a link to the list's prices, a page at a time: its queries do not
    grow with the prices."""
    # given
    merchant = MerchantFactory()
    price_list = PriceListFactory(merchant=merchant, code="RETAIL")
    PriceListLine.objects.bulk_create(PriceListLine(price_list=price_list, item_no=f"I{n:05d}", unit_price=n)
                                      for n in range(2000))
    client = login(superuser)

    # when
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:ledger_pricelist_change", args=[price_list.pk])).content.decode()
    with django_assert_max_num_queries(20):
        lines = client.get(reverse("admin:ledger_pricelistline_changelist"),
                           {"price_list__id__exact": price_list.pk}).content.decode()

    # then
    assert "The first 20 of 2,000 prices" in page and "I00019" in page and "I00020" not in page
    assert f"?price_list__id__exact={price_list.pk}" in page
    assert "Import prices (CSV)" in page
    assert "I00099" in lines and "I00100" not in lines and "2,000 price list lines" in lines


@pytest.fixture
def catalog_prices_retail():
    """A use of price list RETAIL, as the catalogs register theirs (core.in_use)."""
    def catalogs(merchant_id, codes):
        return [f"catalog Wholesale EU is priced from price list {c}" for c in codes if c == "RETAIL"]

    IN_USE.setdefault("price list", []).append(catalogs)
    yield
    IN_USE["price list"].remove(catalogs)


@pytest.mark.parametrize("use", ["customer", "shop card", "catalog"])
def test_a_price_list_in_use_is_not_deleted_and_its_page_says_what_uses_it(superuser, login, use, request):
    # given
    merchant = MerchantFactory()
    price_list = PriceListFactory(merchant=merchant, code="RETAIL")
    if use == "customer":
        CustomerFactory(merchant=merchant, number="C00007", price_list_code="RETAIL")
        said = "Price list RETAIL is the price list of customer C00007"
    elif use == "shop card":
        merchant.catalog_price_list_code = "RETAIL"
        merchant.save()
        said = f"Price list RETAIL prices {merchant.code}&#x27;s catalogs"
    else:
        request.getfixturevalue("catalog_prices_retail")
        said = "Catalog Wholesale EU is priced from price list RETAIL"
    client = login(superuser)

    # when
    page = client.get(reverse("admin:ledger_pricelist_change", args=[price_list.pk])).content.decode()
    refused = client.post(reverse("admin:ledger_pricelist_delete", args=[price_list.pk]), {"post": "yes"},
                          follow=True)
    listed = client.post(reverse("admin:ledger_pricelist_changelist"),
                         {"action": "delete_selected", "_selected_action": [price_list.pk], "post": "yes"},
                         follow=True)

    # then
    assert said in page
    assert PriceList.objects.filter(pk=price_list.pk).exists()
    assert "price list RETAIL cannot be deleted" in messages_of(refused)[0].replace("Price", "price")
    assert "nothing was deleted" in messages_of(listed)[0].lower()


def test_a_price_list_nothing_uses_is_deleted_with_its_prices(superuser, login):
    merchant = MerchantFactory()
    price_list = PriceListFactory(merchant=merchant, code="OLD")
    PriceListLineFactory(price_list=price_list, item_no="I1")
    CustomerFactory(price_list_code="OLD")   # another shop's customer names its own list OLD

    response = login(superuser).post(reverse("admin:ledger_pricelist_delete", args=[price_list.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not PriceList.objects.exists() and not PriceListLine.objects.exists()


@pytest.mark.parametrize(("changes", "error"), [
    ({"item_no": "NOPE"}, "There is no item NOPE"),
    ({"variant_code": "GREEN"}, "Item I1 has no variant GREEN"),
    ({"unit_price": "-1"}, "The unit price -1 is below 0"),
    ({"unit_price": "1.234"}, "Ensure that there are no more than 2 decimal places"),
    ({"starting_date": "2025-03-01", "ending_date": "2025-02-01"}, "The price ends on 2025-02-01, before it starts"),
])
def test_a_price_typed_in_keeps_the_rules_of_a_price(superuser, login, changes, error):
    merchant = MerchantFactory()
    item = ItemFactory(merchant=merchant, number="I1")
    item.variants.create(code="RED")
    price_list = PriceListFactory(merchant=merchant)
    fields = {"price_list": price_list.pk, "item_no": "I1", "variant_code": "RED", "unit_price": "12.50",
              "starting_date": "", "ending_date": ""}

    refused = login(superuser).post(reverse("admin:ledger_pricelistline_add"), {**fields, **changes})
    saved = login(superuser).post(reverse("admin:ledger_pricelistline_add"), fields)

    assert refused.status_code == 200 and error in refused.content.decode()
    assert saved.status_code == 302
    assert list(PriceListLine.objects.values_list("variant_code", "unit_price")) == [("RED", Decimal("12.50"))]


def test_a_merchant_user_cannot_put_a_price_into_another_shops_list(login):
    mine, theirs = MerchantFactory(), MerchantFactory()
    ItemFactory(merchant=mine, number="I1")
    foreign = PriceListFactory(merchant=theirs)

    response = login(merchant_user(mine)).post(reverse("admin:ledger_pricelistline_add"), {
        "price_list": foreign.pk, "item_no": "I1", "variant_code": "", "unit_price": "1", "starting_date": "",
        "ending_date": ""})

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PriceListLine.objects.exists()
