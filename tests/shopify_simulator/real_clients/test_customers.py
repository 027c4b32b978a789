"""Customers through the real clients: found by email, read, created and edited."""
from __future__ import annotations

import pytest

from tests.shopify_simulator.real_clients.clients import (
    Known,
    Read,
    Resource,
    Write,
    assert_valid,
    documents_of,
    given_data,
    read_through,
    reads_of,
    write_through,
    writes_of,
)

# -- customers ---------------------------------------------------------------------------------------

CUSTOMERS_BY_EMAIL = """query CustomersByEmail($query: String!) {
  customers(first: 5, query: $query) {
    nodes { id email firstName lastName taxExempt taxExemptions emailMarketingConsent { marketingState } }
  }
}"""


def one_customer_has_that_email(data: dict, known: Known) -> None:
    assert [(c["id"], c["email"]) for c in data["customers"]["nodes"]] == [(known.customer_id, known.customer_email)]


CUSTOMER = """query Customer($id: ID!) {
  customer(id: $id) {
    id email displayName createdAt numberOfOrders
    amountSpent { amount currencyCode }
    defaultAddress { countryCodeV2 }
  }
}"""


def customer_is_the_one_asked_for(data: dict, known: Known) -> None:
    customer = data["customer"]
    assert (customer["id"], customer["email"]) == (known.customer_id, known.customer_email)
    assert customer["displayName"]


CUSTOMER_FIELDS = ("id email firstName lastName displayName note tags createdAt updatedAt "
                   "defaultAddress { city countryCodeV2 }")
CUSTOMER_CREATE = """mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) { customer { %s } userErrors { field message } }
}""" % CUSTOMER_FIELDS
CUSTOMER_UPDATE = """mutation CustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { %s } userErrors { field message } }
}""" % CUSTOMER_FIELDS
CUSTOMER_AS_EDITED = """query CustomerAsEdited($id: ID!) { customer(id: $id) { %s } }""" % CUSTOMER_FIELDS


def new_customer(known: Known) -> dict:
    return {"input": {"firstName": "Ada", "lastName": "Lovelace", "email": f"{known.tag}@example.org",
                      "tags": ["wholesale"], "addresses": [{"address1": "12 rue de Rivoli", "city": "Paris",
                                                            "zip": "75004", "countryCode": "FR"}]}}


def a_customer(client, known: Known) -> dict:
    return given_data(client, CUSTOMER_CREATE, **new_customer(known))["customerCreate"]["customer"]


def every_customer_found_has_the_email_written(data: dict, known: Known) -> None:
    assert {c["email"] for c in data["customers"]["nodes"]} == {f"{known.tag}@example.org"}


def the_customer_created_is_found_by_its_email(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["customerCreate"]
    assert result["userErrors"] == []
    assert (result["customer"]["displayName"], result["customer"]["defaultAddress"]) == (
        "Ada Lovelace", {"city": "Paris", "countryCodeV2": "FR"})
    [found] = read_back["customers"]["nodes"]
    assert (found["id"], found["firstName"], found["lastName"]) == (result["customer"]["id"], "Ada", "Lovelace")


def customer_is_the_one_made(data: dict, known: Known) -> None:
    assert data["customer"]["id"] == known.made["id"]


def the_customer_reads_back_as_edited(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["customerUpdate"]
    assert result["userErrors"] == []
    customer = read_back["customer"]
    assert customer == result["customer"]
    assert (customer["firstName"], customer["displayName"], customer["note"], customer["tags"]) == (
        "Augusta", "Augusta Lovelace", "Pays by transfer", ["b2b"])
    assert (customer["email"], customer["createdAt"]) == (known.made["email"], known.made["createdAt"])
    assert customer["updatedAt"] > known.made["updatedAt"]


CUSTOMERS = Resource("customers", reads=[
    Read(CUSTOMERS_BY_EMAIL, one_customer_has_that_email, lambda known: {"query": f"email:{known.customer_email}"}),
    Read(CUSTOMER, customer_is_the_one_asked_for, lambda known: {"id": known.customer_id}),
], writes=[
    Write(CUSTOMER_CREATE, new_customer,
          read_back=Read(CUSTOMERS_BY_EMAIL, every_customer_found_has_the_email_written,
                         lambda known: {"query": f"email:{known.tag}@example.org"}),
          then=the_customer_created_is_found_by_its_email),
    Write(CUSTOMER_UPDATE, lambda known: {"input": {"id": known.made["id"], "firstName": "Augusta",
                                                    "note": "Pays by transfer", "tags": ["b2b"]}},
          read_back=Read(CUSTOMER_AS_EDITED, customer_is_the_one_made, lambda known: {"id": known.made["id"]}),
          then=the_customer_reads_back_as_edited, given=a_customer),
])


READS = reads_of(CUSTOMERS)
WRITES = writes_of(CUSTOMERS)
DOCUMENTS = documents_of(CUSTOMERS)


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client_of, known_of, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    write_through(client_of, known_of, write)
