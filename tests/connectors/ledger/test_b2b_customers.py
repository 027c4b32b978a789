"""Customers as B2B companies: their tax registration no. (kept as typed, found normalised in one
indexed lookup), price list and "B2B company" mark carried through the target in both kinds of
books, and typed on the customer page, where a price list the shop does not have is a form error."""
import pytest
from django.urls import reverse

from connectors.ledger.models import Customer
from connectors.ledger.records import CustomerData
from connectors.ledger.target import target_for
from core.contacts import normalized_tax_id
from tests.factories.ledger import CustomerFactory, PriceListFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "normalised"), [
    ("DE123456789", "DE123456789"),
    ("de 123 456 789", "DE123456789"),
    ("FR-12.345.678.901", "FR12345678901"),
    ("\u00a0GB 123\u20134567\u00a089 ", "GB123456789"),
    ("", ""),
    (None, ""),
])
def test_a_tax_id_is_compared_upper_cased_without_spaces_dots_or_dashes(typed, normalised):
    assert normalized_tax_id(typed) == normalised


def test_customers_are_found_by_their_tax_id_however_it_was_typed(books):
    # given
    merchant = MerchantFactory()
    books.create_customers(merchant, [
        CustomerData("Müller GmbH", number="C1", tax_registration_no="DE 123 456 789"),
        CustomerData("Martin SARL", number="C2", tax_registration_no="fr12345678901"),
        CustomerData("Consumer", number="C3"),
    ])
    books.create_customers(MerchantFactory(), [CustomerData("Other shop's", number="C1",
                                                            tax_registration_no="DE123456789")])

    # when
    one = books.find_customers_by_tax_id(merchant, ["de-123.456.789"])
    both = books.find_customers_by_tax_id(merchant, ["FR 12 345 678 901", "DE123456789", "XX0"])
    none = books.find_customers_by_tax_id(merchant, ["", " "])

    # then
    assert [c.number for c in one] == ["C1"]
    assert one[0].tax_registration_no == "DE 123 456 789"   # kept as typed
    assert [c.number for c in both] == ["C1", "C2"]
    assert none == []


def test_the_b2b_customers_are_those_marked_and_not_blocked_in_number_order(books):
    merchant = MerchantFactory()
    books.create_customers(merchant, [
        CustomerData("B", number="C3", b2b_company=True),
        CustomerData("A", number="C1", b2b_company=True),
        CustomerData("Blocked", number="C2", b2b_company=True, blocked=True),
        CustomerData("Consumer", number="C4"),
    ])

    assert books.b2b_customer_numbers(merchant) == ["C1", "C3"]


def test_the_b2b_fields_go_through_create_get_and_update(books):
    """What a sync writes it reads back; an update that changes nothing says so."""
    # given
    merchant = MerchantFactory()
    draft = CustomerData("Müller GmbH", tax_registration_no="DE123456789", price_list_code="WHOLESALE",
                         b2b_company=True)
    [created] = books.create_customers(merchant, [draft])

    # when
    read = books.get_customers(merchant, [created.number])[created.number]
    moved = CustomerData(**{**read.__dict__, "tax_registration_no": "ATU12345678", "price_list_code": "RETAIL"})
    changed = books.update_customers(merchant, [moved])
    again = books.update_customers(merchant, [moved])

    # then
    assert (read.tax_registration_no, read.price_list_code, read.b2b_company) == ("DE123456789", "WHOLESALE", True)
    assert changed == [created.number] and again == []
    assert books.get_customers(merchant, [created.number])[created.number].price_list_code == "RETAIL"
    assert [c.number for c in books.find_customers_by_tax_id(merchant, ["ATU 12345678"])] == [created.number]
    assert books.find_customers_by_tax_id(merchant, ["DE123456789"]) == []


def test_finding_by_tax_id_is_one_query_for_any_number_of_ids(django_assert_num_queries):
    merchant = MerchantFactory()
    for n in range(30):
        CustomerFactory(merchant=merchant, tax_registration_no=f"DE{n:09d}")

    with django_assert_num_queries(1):
        one = target_for(merchant).find_customers_by_tax_id(merchant, ["DE000000007"])
    with django_assert_num_queries(1):
        many = target_for(merchant).find_customers_by_tax_id(merchant, [f"de {n:09d}" for n in range(500)])

    assert len(one) == 1 and len(many) == 30


# The customer page
def customer_fields(merchant, **changes) -> dict:
    return {"merchant": merchant.pk, "number": "", "name": "Müller GmbH", "email": "", "phone": "", "address": "",
            "address_2": "", "city": "", "post_code": "", "county": "", "country": "DE", "tax_liable": "on",
            "tax_registration_no": "", "price_list_code": "", **changes}


def test_a_customer_typed_with_a_tax_id_price_list_and_b2b_mark_is_found_by_its_tax_id(superuser, login):
    # given
    merchant = MerchantFactory()
    PriceListFactory(merchant=merchant, code="WHOLESALE")

    # when
    response = login(superuser).post(reverse("admin:ledger_customer_add"), customer_fields(
        merchant, tax_registration_no=" DE 123 456 789 ", price_list_code="wholesale", b2b_company="on"))

    # then
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.tax_registration_no, customer.price_list_code, customer.b2b_company) == (
        "DE 123 456 789", "WHOLESALE", True)
    assert [c.number for c in target_for(merchant).find_customers_by_tax_id(merchant, ["DE123456789"])] == [
        customer.number]
    assert target_for(merchant).b2b_customer_numbers(merchant) == [customer.number]


def test_a_price_list_the_shop_does_not_have_is_a_form_error(login):
    """Another shop's list of that code is none of this customer's shop."""
    mine, theirs = MerchantFactory(code="MINE"), MerchantFactory()
    PriceListFactory(merchant=theirs, code="WHOLESALE")
    customer = CustomerFactory(merchant=mine, number="C00001")
    client = login(merchant_user(mine))

    response = client.post(reverse("admin:ledger_customer_change", args=[customer.pk]),
                           customer_fields(mine, number="C00001", price_list_code="WHOLESALE"))

    assert response.status_code == 200
    assert "MINE has no price list WHOLESALE; add it under Price lists first." in response.content.decode()
    customer.refresh_from_db()
    assert customer.price_list_code == ""


def test_the_customer_list_filters_b2b_companies_and_finds_a_tax_id(superuser, login):
    merchant = MerchantFactory()
    CustomerFactory(merchant=merchant, name="Müller GmbH", b2b_company=True, tax_registration_no="DE123456789")
    CustomerFactory(merchant=merchant, name="Jo Consumer")
    client = login(superuser)

    companies = client.get(reverse("admin:ledger_customer_changelist"), {"b2b_company__exact": "1"})
    found = client.get(reverse("admin:ledger_customer_changelist"), {"q": "DE123456789"})

    assert [c.name for c in companies.context["cl"].result_list] == ["Müller GmbH"]
    assert [c.name for c in found.context["cl"].result_list] == ["Müller GmbH"]
