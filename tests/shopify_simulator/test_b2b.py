"""B2B over HTTP as a connector reads and writes it: companies with their locations, contacts and
catalogs; a catalog's price list priced for real variants; fixed prices added, changed and deleted
and read back; companies, locations and contacts created; every bad input a userError that changes
nothing. demo-us and demo-uk sell to companies; demo-eu (the first shop) does not."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.clock import SimulatorClock
from shopify_simulator.shop import SimulatedShop
from shopify_simulator.store.profiles import DEMO_US
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp
from tests.shopify_simulator.test_schema_completeness import on_nodes, query, selection
from tests.shopify_simulator.test_webhooks import receiver, subscribe, wait_for  # noqa: F401  (receiver: fixture)

COMPANIES = """{ companies(first: 10) { nodes { id name externalId updatedAt contactsCount { count }
  mainContact { id isMainContact customer { id email } }
  contacts(first: 3) { nodes { id title customer { id displayName } roleAssignments(first: 2) {
    nodes { role { name } companyLocation { id } } } } }
  locations(first: 3) { nodes { id name currency taxSettings { taxRegistrationId taxExempt }
    billingAddress { address1 city countryCode companyName } shippingAddress { address1 zip countryCode }
    buyerExperienceConfiguration { checkoutToDraft paymentTermsTemplate { id name dueInDays paymentTermsType } }
    catalogs(first: 2) { nodes { __typename id title status
      priceList { id currency fixedPricesCount parent { adjustment { type value } } }
      publication { id autoPublish } } } } } } } }"""
PRICES = """query($id: ID!, $origin: PriceListPriceOriginType) { priceList(id: $id) { id currency fixedPricesCount
  prices(first: 100, originType: $origin) { nodes { originType price { amount currencyCode }
    compareAtPrice { amount } variant { id price } } } } }"""
ADD = """mutation($id: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $id, prices: $prices) {
  prices { originType price { amount currencyCode } variant { id } } userErrors { field message code } } }"""
UPDATE = """mutation($id: ID!, $add: [PriceListPriceInput!]!, $delete: [ID!]!) {
  priceListFixedPricesUpdate(priceListId: $id, pricesToAdd: $add, variantIdsToDelete: $delete) {
    priceList { fixedPricesCount } pricesAdded { variant { id } } deletedFixedPriceVariantIds
    userErrors { field message code } } }"""
DELETE = """mutation($id: ID!, $ids: [ID!]!) { priceListFixedPricesDelete(priceListId: $id, variantIds: $ids) {
  deletedFixedPriceVariantIds userErrors { field message code } } }"""
COMPANY_CREATE = """mutation($input: CompanyCreateInput!) { companyCreate(input: $input) {
  company { id name externalId createdAt updatedAt mainContact { id customer { id email firstName } }
    locations(first: 5) { nodes { id name currency taxSettings { taxRegistrationId }
      billingAddress { address1 city } shippingAddress { address1 city }
      buyerExperienceConfiguration { paymentTermsTemplate { name } } } } }
  userErrors { field message code } } }"""
COMPANY = """query($id: ID!) { company(id: $id) { id name updatedAt contactsCount { count } locationsCount { count }
  locations(first: 10) { nodes { id name } } contacts(first: 10) { nodes { id customer { id email } } } } }"""


@pytest.fixture
def demo_us(simulator) -> ShopifyHttp:
    shop = simulator.shops[1]
    assert shop.profile.handle == "demo-us"
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return ShopifyHttp(simulator, shop.access_token)


@pytest.fixture
def demo_uk(simulator) -> ShopifyHttp:
    shop = simulator.shops[2]
    assert shop.profile.handle == "demo-uk"
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return ShopifyHttp(simulator, shop.access_token)


def company_catalog(client: ShopifyHttp) -> dict:
    """A company-location catalog of the shop's currency, with its price list."""
    data = client.run_text("""{ shop { currencyCode } catalogs(first: 20, type: COMPANY_LOCATION) { nodes { id title
        priceList { id currency } } } }""")
    return next(c for c in data["catalogs"]["nodes"] if c["priceList"]["currency"] == data["shop"]["currencyCode"])


def prices_of(client: ShopifyHttp, price_list_id: str, origin: str | None = None) -> dict[str, dict]:
    nodes = client.run_text(PRICES, id=price_list_id, origin=origin)["priceList"]["prices"]["nodes"]
    return {node["variant"]["id"]: node for node in nodes}


def test_companies_list_with_their_locations_contacts_and_catalogs(demo_us, simulator):
    companies = demo_us.run_text(COMPANIES)["companies"]["nodes"]

    held = {f"gid://shopify/Company/{c.id}": c for c in simulator.shops[1].companies.companies()}
    assert [c["id"] for c in companies] == list(held)[:10]
    for company in companies:
        record = held[company["id"]]
        assert company["name"] == record.name
        # Every location and contact the shop holds, each company with at least one of both.
        assert [n["id"] for n in company["locations"]["nodes"]] == [
            f"gid://shopify/CompanyLocation/{i}" for i in record.location_ids] != []
        assert [n["id"] for n in company["contacts"]["nodes"]] == [
            f"gid://shopify/CompanyContact/{i}" for i in record.contact_ids] != []
        assert company["contactsCount"]["count"] == len(record.contact_ids)
        assert company["mainContact"]["isMainContact"]
        assert company["mainContact"]["customer"]["email"].endswith("@example.com")
        for location in company["locations"]["nodes"]:
            assert location["billingAddress"]["companyName"] == company["name"]
            assert location["shippingAddress"]["address1"]
            assert location["catalogs"]["nodes"], location["name"]
    locations = [loc for c in companies for loc in c["locations"]["nodes"]]
    assert {loc["currency"] for loc in locations} == {"USD", "CAD"}     # an importer in Canada buys in CAD
    assert any(loc["taxSettings"]["taxRegistrationId"] for loc in locations)
    terms = [loc["buyerExperienceConfiguration"]["paymentTermsTemplate"] for loc in locations]
    assert {"name": "Net 30", "dueInDays": 30, "paymentTermsType": "NET",
            "id": "gid://shopify/PaymentTermsTemplate/4"} in terms
    shared = {}
    for location in locations:
        for catalog in location["catalogs"]["nodes"]:
            shared.setdefault(catalog["id"], []).append(location["id"])
    assert any(len(ids) > 1 for ids in shared.values())      # some locations share a catalog


def test_contacts_are_customers_of_the_shop_with_roles_at_their_locations(demo_us):
    company = demo_us.run_text(COMPANIES)["companies"]["nodes"][0]
    contact = company["contacts"]["nodes"][0]

    customer = demo_us.run_text('query($id: ID!) { customer(id: $id) { id displayName } }',
                                id=contact["customer"]["id"])["customer"]

    assert customer == contact["customer"]
    location_ids = {loc["id"] for loc in company["locations"]["nodes"]}
    assignments = contact["roleAssignments"]["nodes"]
    assert assignments and {a["companyLocation"]["id"] for a in assignments} <= location_ids
    assert {a["role"]["name"] for a in assignments} <= {"Location admin", "Ordering only"}


def test_a_location_catalog_prices_every_real_variant_fixed_or_adjusted(demo_us):
    catalog = company_catalog(demo_us)
    variants = demo_us.run_text("{ productVariants(first: 100) { nodes { id price } } }")["productVariants"]["nodes"]
    header = demo_us.run_text("""query($id: ID!) { priceList(id: $id) { fixedPricesCount
        parent { adjustment { type value } } catalog { id title } } }""", id=catalog["priceList"]["id"])["priceList"]

    prices = prices_of(demo_us, catalog["priceList"]["id"])

    assert header["catalog"] == {"id": catalog["id"], "title": catalog["title"]}
    assert set(prices) == {v["id"] for v in variants}
    fixed = [p for p in prices.values() if p["originType"] == "FIXED"]
    assert len(fixed) == header["fixedPricesCount"] >= 2
    adjustment = header["parent"]["adjustment"]
    assert adjustment["type"] == "PERCENTAGE_DECREASE"
    factor = 1 - Decimal(str(adjustment["value"])) / 100
    for variant in variants:
        price = prices[variant["id"]]
        assert price["price"]["currencyCode"] == "USD"
        if price["originType"] == "RELATIVE":
            expected = (Decimal(variant["price"]) * factor).quantize(Decimal("0.01"))
            assert Decimal(price["price"]["amount"]) == expected
    assert prices_of(demo_us, catalog["priceList"]["id"], "FIXED").keys() == {
        p["variant"]["id"] for p in fixed}


def test_a_market_catalog_prices_in_its_presentment_currency(demo_uk):
    catalogs = demo_uk.run_text("""{ catalogs(first: 5, type: MARKET) { nodes { __typename title
        ... on MarketCatalog { markets(first: 2) { nodes { name currencySettings { baseCurrency { currencyCode } } } } }
        priceList { id currency parent { adjustment { type } } } } } }""")["catalogs"]["nodes"]

    assert [c["__typename"] for c in catalogs] == ["MarketCatalog"]
    market = catalogs[0]
    assert market["priceList"]["currency"] == "EUR"
    assert market["markets"]["nodes"][0]["currencySettings"]["baseCurrency"]["currencyCode"] == "EUR"
    prices = prices_of(demo_uk, market["priceList"]["id"])
    assert {p["price"]["currencyCode"] for p in prices.values()} == {"EUR"}


def test_fixed_prices_added_changed_and_deleted_are_read_back(demo_us):
    price_list = company_catalog(demo_us)["priceList"]["id"]
    before = prices_of(demo_us, price_list)
    relative = [gid for gid, p in before.items() if p["originType"] == "RELATIVE"][:2]

    added = demo_us.run_text(ADD, id=price_list, prices=[
        {"variantId": relative[0], "price": {"amount": "11.50", "currencyCode": "USD"},
         "compareAtPrice": {"amount": "14.00", "currencyCode": "USD"}},
        {"variantId": relative[1], "price": {"amount": "7", "currencyCode": "USD"}}])["priceListFixedPricesAdd"]
    after_add = prices_of(demo_us, price_list)

    assert added["userErrors"] == []
    assert [p["variant"]["id"] for p in added["prices"]] == relative
    assert after_add[relative[0]]["originType"] == "FIXED"
    assert after_add[relative[0]]["price"] == {"amount": "11.50", "currencyCode": "USD"}
    assert after_add[relative[0]]["compareAtPrice"] == {"amount": "14.00"}
    assert after_add[relative[1]]["price"]["amount"] == "7.00"

    updated = demo_us.run_text(UPDATE, id=price_list, delete=[relative[0]], add=[
        {"variantId": relative[1], "price": {"amount": "6.25", "currencyCode": "USD"}}])["priceListFixedPricesUpdate"]
    after_update = prices_of(demo_us, price_list)

    assert updated["userErrors"] == []
    assert updated["deletedFixedPriceVariantIds"] == [relative[0]]
    assert after_update[relative[0]] == before[relative[0]]
    assert after_update[relative[1]]["price"]["amount"] == "6.25"

    deleted = demo_us.run_text(DELETE, id=price_list, ids=[relative[1]])["priceListFixedPricesDelete"]

    assert deleted == {"deletedFixedPriceVariantIds": [relative[1]], "userErrors": []}
    assert prices_of(demo_us, price_list) == before


def test_a_price_in_the_wrong_currency_is_refused_and_nothing_changes(demo_us):
    price_list = company_catalog(demo_us)["priceList"]["id"]
    before = prices_of(demo_us, price_list)
    good, other = list(before)[:2]

    answer = demo_us.run_text(ADD, id=price_list, prices=[
        {"variantId": good, "price": {"amount": "10.00", "currencyCode": "USD"}},
        {"variantId": other, "price": {"amount": "10.00", "currencyCode": "EUR"}}])["priceListFixedPricesAdd"]

    assert answer["prices"] is None
    assert answer["userErrors"] == [{"field": ["prices", "1", "price", "currencyCode"], "code":
                                     "PRICE_LIST_CURRENCY_MISMATCH", "message": answer["userErrors"][0]["message"]}]
    assert "EUR" in answer["userErrors"][0]["message"] and "USD" in answer["userErrors"][0]["message"]
    assert prices_of(demo_us, price_list) == before


@pytest.mark.parametrize("prices, field, code", [
    ([{"variantId": "gid://shopify/ProductVariant/1", "price": {"amount": "1.00", "currencyCode": "USD"}}],
     ["prices", "0", "variantId"], "VARIANT_NOT_FOUND"),
    ([{"variantId": None, "price": {"amount": "-1.00", "currencyCode": "USD"}}],
     ["prices", "0", "price", "amount"], None),
])
def test_unknown_variants_and_negative_prices_are_refused(demo_us, prices, field, code):
    price_list = company_catalog(demo_us)["priceList"]["id"]
    before = prices_of(demo_us, price_list)
    if prices[0]["variantId"] is None:
        prices[0]["variantId"] = next(iter(before))

    answer = demo_us.run_text(ADD, id=price_list, prices=prices)["priceListFixedPricesAdd"]

    assert (answer["userErrors"][0]["field"], answer["userErrors"][0]["code"]) == (field, code)
    assert prices_of(demo_us, price_list) == before


def test_unknown_price_lists_and_unfixed_deletions_are_refused(demo_us):
    price_list = company_catalog(demo_us)["priceList"]["id"]
    relative = next(gid for gid, p in prices_of(demo_us, price_list).items() if p["originType"] == "RELATIVE")

    unknown = demo_us.run_text(DELETE, id="gid://shopify/PriceList/1", ids=[relative])["priceListFixedPricesDelete"]
    unfixed = demo_us.run_text(DELETE, id=price_list, ids=[relative])["priceListFixedPricesDelete"]

    assert unknown["userErrors"][0]["code"] == "PRICE_LIST_NOT_FOUND"
    assert unfixed["userErrors"] == [{"field": ["variantIds", "0"], "code": "PRICE_NOT_FIXED",
                                      "message": unfixed["userErrors"][0]["message"]}]


def test_a_created_company_is_found_with_its_location_and_main_contact(demo_us):
    created = demo_us.run_text(COMPANY_CREATE, input={
        "company": {"name": "Acme Hardware", "externalId": "BC-C10000"},
        "companyContact": {"firstName": "Wile", "lastName": "Coyote", "email": "wile@acme.example"},
        "companyLocation": {"name": "Acme Depot", "taxRegistrationId": "12-3456789",
                            "shippingAddress": {"address1": "1 Desert Road", "city": "Albany", "zip": "12207",
                                                "zoneCode": "NY", "countryCode": "US"},
                            "billingSameAsShipping": True,
                            "buyerExperienceConfiguration": {
                                "paymentTermsTemplateId": "gid://shopify/PaymentTermsTemplate/4"}}})["companyCreate"]

    assert created["userErrors"] == []
    company = created["company"]
    location = company["locations"]["nodes"][0]
    assert location["name"] == "Acme Depot" and location["currency"] == "USD"
    assert location["billingAddress"] == location["shippingAddress"] == {"address1": "1 Desert Road",
                                                                         "city": "Albany"}
    assert location["buyerExperienceConfiguration"]["paymentTermsTemplate"]["name"] == "Net 30"
    assert company["mainContact"]["customer"]["email"] == "wile@acme.example"

    found = demo_us.run_text(COMPANY, id=company["id"])["company"]
    listed = demo_us.run_text('{ companies(first: 5, query: "external_id:BC-C10000") { nodes { id } } }')
    customer = demo_us.run_text('query($id: ID!) { customer(id: $id) { firstName email } }',
                                id=company["mainContact"]["customer"]["id"])["customer"]

    assert found["name"] == "Acme Hardware"
    assert found["locationsCount"]["count"] == 1 and found["contactsCount"]["count"] == 1
    assert listed["companies"]["nodes"] == [{"id": company["id"]}]
    assert customer == {"firstName": "Wile", "email": "wile@acme.example"}


def test_a_company_without_a_location_gets_one_named_after_it(demo_uk):
    created = demo_uk.run_text(COMPANY_CREATE, input={"company": {"name": "Bettys Cafés"}})["companyCreate"]

    assert created["userErrors"] == []
    assert [loc["name"] for loc in created["company"]["locations"]["nodes"]] == ["Bettys Cafés"]
    assert created["company"]["mainContact"] is None


@pytest.mark.parametrize("given, field, code", [
    ({"company": {"name": "  "}}, ["input", "company", "name"], "BLANK"),
    ({"company": {"name": "Twice", "externalId": "B2B-0001"}}, ["input", "company", "externalId"], "TAKEN"),
    ({"company": {"name": "Bad mail"}, "companyContact": {"email": "not-an-email"}},
     ["input", "companyContact", "email"], "INVALID"),
    ({"company": {"name": "Bad terms"}, "companyLocation": {"name": "Depot", "buyerExperienceConfiguration": {
        "paymentTermsTemplateId": "gid://shopify/PaymentTermsTemplate/99"}}},
     ["input", "companyLocation", "buyerExperienceConfiguration", "paymentTermsTemplateId"], "RESOURCE_NOT_FOUND"),
])
def test_bad_company_input_is_refused_and_nothing_is_created(demo_us, given, field, code):
    count = demo_us.run_text("{ companiesCount { count } }")["companiesCount"]["count"]

    answer = demo_us.run_text(COMPANY_CREATE, input=given)["companyCreate"]

    assert answer["company"] is None
    assert (answer["userErrors"][0]["field"], answer["userErrors"][0]["code"]) == (field, code)
    assert demo_us.run_text("{ companiesCount { count } }")["companiesCount"]["count"] == count


def test_locations_and_contacts_added_later_show_and_move_updated_at(demo_us, simulator):
    company = demo_us.run_text(COMPANIES)["companies"]["nodes"][0]
    simulator.clock.advance(5)
    customer = demo_us.run_text('{ customers(first: 1, query: "email:emma.smith.0@example.com") { nodes { id } } }')

    location = demo_us.run_text("""mutation($id: ID!) { companyLocationCreate(companyId: $id, input: {name: "Annex",
        billingSameAsShipping: true, shippingAddress: {address1: "9 Pier", countryCode: CA}}) {
        companyLocation { id currency company { id } } userErrors { field message code } } }""",
                                id=company["id"])["companyLocationCreate"]
    contact = demo_us.run_text("""mutation($id: ID!) { companyContactCreate(companyId: $id, input: {firstName: "Ann",
        email: "ann@annex.example", title: "Buyer"}) { companyContact { id title isMainContact customer { email } }
        userErrors { field message code } } }""", id=company["id"])["companyContactCreate"]
    assigned = demo_us.run_text("""mutation($id: ID!, $customer: ID!) { companyAssignCustomerAsContact(companyId: $id,
        customerId: $customer) { companyContact { id customer { id } } userErrors { field message code } } }""",
                                id=company["id"], customer=customer["customers"]["nodes"][0]["id"])
    again = demo_us.run_text("""mutation($id: ID!, $customer: ID!) { companyAssignCustomerAsContact(companyId: $id,
        customerId: $customer) { companyContact { id } userErrors { field code } } }""",
                             id=company["id"], customer=customer["customers"]["nodes"][0]["id"])
    found = demo_us.run_text(COMPANY, id=company["id"])["company"]

    assert location["userErrors"] == [] and location["companyLocation"]["currency"] == "CAD"
    assert contact["userErrors"] == [] and contact["companyContact"]["title"] == "Buyer"
    assert not contact["companyContact"]["isMainContact"]
    assert assigned["companyAssignCustomerAsContact"]["userErrors"] == []
    assert again["companyAssignCustomerAsContact"] == {"companyContact": None, "userErrors": [
        {"field": ["customerId"], "code": "TAKEN"}]}
    assert location["companyLocation"]["id"] in {loc["id"] for loc in found["locations"]["nodes"]}
    assert "ann@annex.example" in {c["customer"]["email"] for c in found["contacts"]["nodes"]}
    assert found["contactsCount"]["count"] == company["contactsCount"]["count"] + 2
    assert found["updatedAt"] > company["updatedAt"]


def test_unknown_companies_and_customers_are_refused(demo_us):
    unknown_company = demo_us.run_text("""mutation { companyLocationCreate(companyId: "gid://shopify/Company/1",
        input: {name: "X"}) { companyLocation { id } userErrors { field code } } }""")
    company = demo_us.run_text("{ companies(first: 1) { nodes { id } } }")["companies"]["nodes"][0]["id"]
    unknown_customer = demo_us.run_text("""mutation($id: ID!) { companyAssignCustomerAsContact(companyId: $id,
        customerId: "gid://shopify/Customer/1") { companyContact { id } userErrors { field code } } }""", id=company)

    assert unknown_company["companyLocationCreate"] == {"companyLocation": None, "userErrors": [
        {"field": ["companyId"], "code": "RESOURCE_NOT_FOUND"}]}
    assert unknown_customer["companyAssignCustomerAsContact"] == {"companyContact": None, "userErrors": [
        {"field": ["customerId"], "code": "RESOURCE_NOT_FOUND"}]}
    assert demo_us.run_text('{ company(id: "gid://shopify/Company/1") { id } }') == {"company": None}


def test_a_shop_without_b2b_has_no_companies_and_creates_none(shopify):
    data = shopify.run_text("""{ companies(first: 5) { nodes { id } } companyLocations(first: 5) { nodes { id } }
        catalogs(first: 5) { nodes { id } } priceLists(first: 5) { nodes { id } } companiesCount { count } }""")
    created = shopify.run_text(COMPANY_CREATE, input={"company": {"name": "Nope"}})["companyCreate"]

    assert data == {"companies": {"nodes": []}, "companyLocations": {"nodes": []}, "catalogs": {"nodes": []},
                    "priceLists": {"nodes": []}, "companiesCount": {"count": 0}}
    assert created["company"] is None and created["userErrors"][0]["code"] == "INVALID"


def test_b2b_objects_are_found_by_node_id(demo_us):
    company = demo_us.run_text(COMPANIES)["companies"]["nodes"][0]
    location = company["locations"]["nodes"][0]
    catalog = location["catalogs"]["nodes"][0]
    ids = [company["id"], location["id"], company["contacts"]["nodes"][0]["id"], catalog["id"],
           catalog["priceList"]["id"], catalog["publication"]["id"]]

    nodes = demo_us.run_text("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", ids=ids)["nodes"]

    assert [n["__typename"] for n in nodes] == ["Company", "CompanyLocation", "CompanyContact",
                                                "CompanyLocationCatalog", "PriceList", "Publication"]
    assert [n["id"] for n in nodes] == ids


def test_company_search_and_paging(demo_us):
    first = demo_us.run_text("{ companies(first: 3, sortKey: NAME) { nodes { name } pageInfo { endCursor } } }")
    rest = demo_us.run_text("query($after: String) { companies(first: 20, sortKey: NAME, after: $after) "
                            "{ nodes { name } } }", after=first["companies"]["pageInfo"]["endCursor"])
    names = [c["name"] for c in first["companies"]["nodes"] + rest["companies"]["nodes"]]
    one = names[4]

    found = demo_us.run_text('query($q: String) { companies(first: 5, query: $q) { nodes { name } } }',
                             q=f'name:"{one}"')

    assert names == sorted(names, key=str.lower)
    assert found["companies"]["nodes"] == [{"name": one}]


def test_company_creation_is_announced_by_webhook(demo_us, receiver):  # noqa: F811
    subscribe(demo_us, "COMPANIES_CREATE", receiver.url)

    created = demo_us.run_text(COMPANY_CREATE, input={"company": {"name": "Hooked Ltd"}})["companyCreate"]
    headers, body = wait_for(receiver.received, 1)[0]

    assert headers["X-Shopify-Topic"] == "companies/create"
    assert json.loads(body)["admin_graphql_api_id"] == created["company"]["id"]


B2B_TYPES = {
    "Company": query("companies(first: 5) { nodes", "Company"),
    "CompanyLocation": query("companyLocations(first: 10) { nodes", "CompanyLocation"),
    "CompanyContact": query("companies(first: 5) { nodes { contacts(first: 3) { nodes", "CompanyContact"),
    "CompanyContactRoleAssignment": query(
        "companyLocations(first: 5) { nodes { roleAssignments(first: 3) { nodes", "CompanyContactRoleAssignment"),
    "CompanyAddress": query("companyLocations(first: 5) { nodes { billingAddress", "CompanyAddress"),
    "CompanyLocationCatalog": query("catalogs(first: 10, type: COMPANY_LOCATION) { nodes { ... on "
                                    "CompanyLocationCatalog", "CompanyLocationCatalog"),
    "MarketCatalog": query("catalogs(first: 10, type: MARKET) { nodes { ... on MarketCatalog", "MarketCatalog"),
    "PriceList": query("priceLists(first: 10) { nodes", "PriceList"),
    "PriceListPrice": query("priceLists(first: 3) { nodes { prices(first: 20) { nodes", "PriceListPrice"),
    "Publication": query("publications(first: 10) { nodes", "Publication"),
    "Market": query("companyLocations(first: 10) { nodes { market", "Market"),
    "PaymentTermsTemplate": query("paymentTermsTemplates", "PaymentTermsTemplate"),
}


@pytest.mark.parametrize("type_name", B2B_TYPES)
def test_every_field_the_schema_promises_is_answered(demo_uk, type_name):
    response = demo_uk.post(B2B_TYPES[type_name])

    assert response.status_code == 200
    assert not response.json().get("errors"), response.json()["errors"][:3]


def test_every_field_is_answered_for_objects_found_by_id(demo_uk):
    company = demo_uk.run_text(COMPANIES)["companies"]["nodes"][0]
    location = company["locations"]["nodes"][0]
    catalog = location["catalogs"]["nodes"][0]
    for type_name, gid in (("Company", company["id"]), ("CompanyLocation", location["id"]),
                           ("CompanyContact", company["contacts"]["nodes"][0]["id"]),
                           ("CompanyLocationCatalog", catalog["id"]), ("PriceList", catalog["priceList"]["id"]),
                           ("Publication", catalog["publication"]["id"])):
        response = demo_uk.post(on_nodes(type_name, [gid]))
        body = response.json()
        assert not body.get("errors"), (type_name, body.get("errors"))
        assert body["data"]["nodes"][0]["__typename"] == type_name
    assert selection("Company")


def test_the_same_seed_makes_the_same_companies_and_another_seed_others():
    def made(seed: int) -> list:
        shop = SimulatedShop(profile=DEMO_US, seed=seed, clock=SimulatorClock(ANCHOR), total_orders=10)
        return [(c.name, [(loc.name, loc.tax_registration_id) for loc in shop.companies.locations_of(c)],
                 [k.customer_number for k in shop.companies.contacts_of(c)]) for c in shop.companies.companies()]

    assert made(7) == made(7)
    assert made(7) != made(8)


def test_a_contact_s_orders_can_name_its_company_location(simulator):
    """What an order view uses for purchasingEntity: the contact's customer leads to a location."""
    book = simulator.shops[1].companies
    company = next(book.companies())
    main = book.contact(company.main_contact_id)

    contact, location = book.location_of_customer(main.customer_number)

    assert contact == main and location.company_id == company.id
    assert book.location_of_customer(simulator.shops[1].profile.customer_id_base - 1) is None
