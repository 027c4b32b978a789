"""Customers written over HTTP, as Shopify takes them: customerCreate and customerUpdate (and the
admin, through the control API) change what every read returns, move updatedAt, answer Shopify's
userErrors for bad input and send signed customers/create and customers/update webhooks."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from shopify_simulator.store.orders import CUSTOMER_POOL
from tests.shopify_simulator.test_schema_completeness import selection
from tests.shopify_simulator.test_webhooks import receiver, subscribe, wait_for  # noqa: F401  (a fixture)

FIELDS = ("id email phone firstName lastName displayName note tags taxExempt taxExemptions locale state "
          "createdAt updatedAt emailMarketingConsent { marketingState marketingOptInLevel } "
          "defaultAddress { address1 city zip countryCodeV2 name }")
CREATE = """mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) { customer { %s } userErrors { field message } } }""" % FIELDS
UPDATE = """mutation CustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { %s } userErrors { field message } } }""" % FIELDS
BY_ID = "query($id: ID!) { customer(id: $id) { %s } node(id: $id) { ... on Customer { email } } }" % FIELDS
SEARCH = """query($query: String, $sortKey: CustomerSortKeys, $reverse: Boolean) {
  customers(first: 250, query: $query, sortKey: $sortKey, reverse: $reverse) { nodes { id email updatedAt } } }"""
ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada.lovelace@example.org", "phone": "+33 6 12 34 56 78",
       "note": "Pays by transfer", "tags": ["wholesale, vip"], "taxExempt": True,
       "taxExemptions": ["EU_REVERSE_CHARGE_EXEMPTION_RULE"],
       "emailMarketingConsent": {"marketingState": "SUBSCRIBED"},
       "addresses": [{"address1": "12 rue de Rivoli", "city": "Paris", "zip": "75004", "countryCode": "FR"}]}


def created(shopify, **fields) -> dict:
    answer = shopify.run_text(CREATE, input=fields)["customerCreate"]
    assert answer["userErrors"] == []
    return answer["customer"]


def pool_customers(shopify, count: int = 3) -> list[dict]:
    return shopify.run_text("{ customers(first: %d) { nodes { %s } } }" % (count, FIELDS))["customers"]["nodes"]


def ids(shopify, **variables) -> list[str]:
    return [c["id"] for c in shopify.run_text(SEARCH, **variables)["customers"]["nodes"]]


def test_a_created_customer_is_found_by_email_phone_tag_and_id(shopify):
    """customerCreate keeps what it is given, as Shopify normalizes it (E.164 phone, split and
    sorted tags), and every read finds the customer."""
    # when
    customer = created(shopify, **ADA)
    # then
    assert customer["phone"] == "+33612345678"
    assert customer["tags"] == ["vip", "wholesale"]
    assert customer["displayName"] == "Ada Lovelace"
    assert customer["state"] == "DISABLED"
    assert customer["emailMarketingConsent"] == {"marketingState": "SUBSCRIBED", "marketingOptInLevel": "SINGLE_OPT_IN"}
    assert customer["defaultAddress"] == {"address1": "12 rue de Rivoli", "city": "Paris", "zip": "75004",
                                          "countryCodeV2": "FR", "name": "Ada Lovelace"}
    assert customer["createdAt"] == customer["updatedAt"]
    assert ids(shopify, query="email:ada.lovelace@example.org") == [customer["id"]]
    assert ids(shopify, query="phone:+33612345678") == [customer["id"]]
    assert customer["id"] in ids(shopify, query="tag:vip")
    found = shopify.run_text(BY_ID, id=customer["id"])
    assert found["customer"] == customer
    assert found["node"] == {"email": "ada.lovelace@example.org"}
    assert ids(shopify, reverse=True)[0] == customer["id"]   # ids grow: the newest is listed last


def test_a_created_customer_answers_every_field_the_schema_promises(shopify):
    customer = created(shopify, email="grace@example.org", addresses=[{"city": "Arlington"}])

    body = shopify.post("query($id: ID!) { customer(id: $id) { %s } }" % selection("Customer"),
                        {"id": customer["id"]}).json()

    assert not body.get("errors"), body.get("errors")
    assert body["data"]["customer"]["displayName"] == "grace@example.org"


def test_an_update_changes_what_reads_return_and_moves_updated_at(shopify, simulator):
    """An incremental sync reading `updated_at:>` its last mark, or sorting by UPDATED_AT, finds the
    customer just edited."""
    # given
    before = pool_customers(shopify)[1]
    mark = simulator.clock.advance(60).strftime("%Y-%m-%dT%H:%M:%SZ")
    # when
    answer = shopify.run_text(UPDATE, input={"id": before["id"], "firstName": "Renamed", "note": "Moved to Lyon",
                                             "tags": ["b2b"], "email": "renamed@example.org"})["customerUpdate"]
    # then
    after = shopify.run_text(BY_ID, id=before["id"])["customer"]
    assert answer["userErrors"] == []
    assert answer["customer"] == after
    assert (after["firstName"], after["note"], after["tags"], after["email"]) == (
        "Renamed", "Moved to Lyon", ["b2b"], "renamed@example.org")
    assert after["displayName"] == f"Renamed {before['lastName']}"
    assert after["lastName"] == before["lastName"] and after["phone"] == before["phone"]
    assert after["updatedAt"] > before["updatedAt"]
    assert after["createdAt"] == before["createdAt"]
    assert ids(shopify, query=f"updated_at:>='{mark}'") == [before["id"]]
    assert ids(shopify, sortKey="UPDATED_AT", reverse=True)[0] == before["id"]
    assert ids(shopify, query="email:renamed@example.org") == [before["id"]]
    assert ids(shopify, query=f"email:{before['email']}") == []


def test_a_generated_customer_is_found_by_its_phone_in_e164_too(shopify):
    customer = pool_customers(shopify)[0]
    compact = "+" + "".join(c for c in customer["phone"] if c.isdigit())

    assert ids(shopify, query=f"phone:{compact}") == [customer["id"]]


def test_an_order_shows_its_customer_as_edited(shopify):
    order = shopify.run_text("{ orders(first: 20) { nodes { id customer { id email } } } }")["orders"]["nodes"]
    bought = next(o for o in order if o["customer"])

    shopify.run_text(UPDATE, input={"id": bought["customer"]["id"], "email": "moved@example.org"})
    again = shopify.run_text('{ order(id: "%s") { customer { id email } } }' % bought["id"])["order"]

    assert again["customer"] == {"id": bought["customer"]["id"], "email": "moved@example.org"}


def test_each_write_moves_updated_at_on_even_within_one_second(shopify):
    customer = created(shopify, firstName="Quick")

    stamps = [shopify.run_text(UPDATE, input={"id": customer["id"], "note": f"edit {n}"})
              ["customerUpdate"]["customer"]["updatedAt"] for n in range(3)]

    assert customer["updatedAt"] < stamps[0] < stamps[1] < stamps[2]


REFUSED = {
    "an unknown customer": ("update", {"id": "gid://shopify/Customer/1", "note": "x"},
                            ["id"], "Customer does not exist"),
    "a taken email": ("create", {"email": "{taken_email}"}, ["email"], "Email has already been taken"),
    "a taken phone": ("update", {"id": "{own_id}", "phone": "{taken_phone}"}, ["phone"],
                      "Phone has already been taken"),
    "an invalid email": ("create", {"email": "not-an-address"}, ["email"], "Email is invalid"),
    "an invalid phone": ("update", {"id": "{own_id}", "phone": "12"}, ["phone"], "Phone is invalid"),
    "no name, phone or email": ("create", {"note": "who?"}, None,
                                "Customer must have a name, phone number or email address"),
    "all of them removed": ("update", {"id": "{own_id}", "firstName": None, "lastName": "", "email": None,
                                       "phone": None}, None,
                            "Customer must have a name, phone number or email address"),
    "consent on an update": ("update", {"id": "{own_id}", "emailMarketingConsent": {"marketingState": "SUBSCRIBED"}},
                             ["emailMarketingConsent"], "To update emailMarketingConsent, please use the "
                             "customerEmailMarketingConsentUpdate Mutation instead"),
    "consent without an email": ("create", {"firstName": "Lin",
                                            "emailMarketingConsent": {"marketingState": "SUBSCRIBED"}},
                                 ["emailMarketingConsent"],
                                 "An email address is required to set the email marketing consent state."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_bad_input_is_refused_with_shopifys_user_error_and_changes_nothing(shopify, case):
    # given
    own, other = pool_customers(shopify, 2)
    kind, fields, field, message = REFUSED[case]
    values = {"{own_id}": own["id"], "{taken_email}": other["email"].upper(), "{taken_phone}": other["phone"]}
    given = {key: values.get(value, value) if isinstance(value, str) else value for key, value in fields.items()}
    count = len(ids(shopify))
    # when
    answer = shopify.run_text(CREATE if kind == "create" else UPDATE, input=given)
    # then
    payload = answer["customerCreate" if kind == "create" else "customerUpdate"]
    assert payload == {"customer": None, "userErrors": [{"field": field, "message": message}]}
    assert shopify.run_text(BY_ID, id=own["id"])["customer"] == own
    assert len(ids(shopify)) == count


def test_an_unknown_tax_exemption_fails_schema_validation(shopify):
    response = shopify.post(CREATE, {"input": {"email": "tax@example.org", "taxExemptions": ["NO_SUCH_EXEMPTION"]}})

    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"


def test_writes_send_signed_customer_webhooks_in_the_2025_01_shape(shopify, simulator, receiver):  # noqa: F811
    # given
    subscribe(shopify, "CUSTOMERS_CREATE", receiver.url)
    subscribe(shopify, "CUSTOMERS_UPDATE", receiver.url)
    # when
    customer = created(shopify, **ADA)
    shopify.run_text(UPDATE, input={"id": customer["id"], "lastName": "King"})
    shopify.run_text(UPDATE, input={"id": customer["id"], "lastName": "King"})   # no change: no webhook
    deliveries = wait_for(receiver.received, 2)
    time.sleep(0.2)
    # then
    assert [headers["X-Shopify-Topic"] for headers, _ in receiver.received] == ["customers/create",
                                                                                "customers/update"]
    secret = simulator.shops[0].api_secret_key
    for headers, body in deliveries:
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        assert hmac.compare_digest(headers["X-Shopify-Hmac-Sha256"], expected)
    create, update = (json.loads(body) for _, body in deliveries)
    assert create["admin_graphql_api_id"] == customer["id"]
    assert create["id"] == int(customer["id"].rsplit("/", 1)[1])
    assert (create["email"], create["phone"], create["first_name"], create["last_name"]) == (
        "ada.lovelace@example.org", "+33612345678", "Ada", "Lovelace")
    assert create["tax_exempt"] is True and create["tax_exemptions"] == ["EU_REVERSE_CHARGE_EXEMPTION_RULE"]
    assert create["default_address"]["city"] == "Paris" and create["default_address"]["default"] is True
    assert create["addresses"] == [create["default_address"]]
    assert "tags" not in create and "email_marketing_consent" not in create   # not in 2025-01's payload
    assert update["last_name"] == "King"
    assert update["updated_at"] > create["updated_at"]


def test_the_admin_creates_and_edits_customers_through_the_control_api(shopify, simulator, receiver):  # noqa: F811
    # given
    subscribe(shopify, "CUSTOMERS_CREATE", receiver.url)
    subscribe(shopify, "CUSTOMERS_UPDATE", receiver.url)
    # when
    made = shopify.control("POST", "customers", first_name="Alan", last_name="Turing", email="alan@example.org",
                           tags="math, codes")
    edited = shopify.control("POST", "customers/update", id=made["id"], phone="+44 7700 900456", tax_exempt=True)
    refused = shopify.session.post(f"{simulator.base_url}/_simulator/customers", json={"email": "alan@example.org"})
    unknown = shopify.session.post(f"{simulator.base_url}/_simulator/customers/update",
                                   json={"id": "gid://shopify/Customer/1", "note": "x"})
    wait_for(receiver.received, 2)
    # then
    customer = shopify.run_text(BY_ID, id=made["id"])["customer"]
    assert (customer["email"], customer["tags"], customer["phone"], customer["taxExempt"]) == (
        "alan@example.org", ["codes", "math"], "+447700900456", True)
    assert edited == {"id": made["id"], "updatedAt": customer["updatedAt"]}
    assert (refused.status_code, refused.json()["error"]) == (422, "Email has already been taken")
    assert unknown.status_code == 404
    assert [h["X-Shopify-Topic"] for h, _ in receiver.received] == ["customers/create", "customers/update"]


def test_a_customer_webhook_can_be_triggered_for_the_newest_customer(shopify, receiver):  # noqa: F811
    subscribe(shopify, "CUSTOMERS_UPDATE", receiver.url)
    customer = created(shopify, email="triggered@example.org")

    queued = shopify.control("POST", "webhooks/trigger", topic="customers/update")["queued"]
    _, body = wait_for(receiver.received, 1)[0]

    assert queued == 1
    assert json.loads(body)["admin_graphql_api_id"] == customer["id"]


def test_customers_are_counted_with_the_same_search_as_they_are_listed(shopify):
    created(shopify, firstName="Counted", email="counted@example.org", tags=["counted"])

    everyone = shopify.run_text("{ customersCount { count precision } }")["customersCount"]
    tagged = shopify.run_text('{ customersCount(query: "tag:counted") { count } }')["customersCount"]

    assert everyone == {"count": CUSTOMER_POOL + 1, "precision": "EXACT"}
    assert tagged == {"count": 1}
