"""B2B through the real clients (demo-us): companies, catalogs and price lists read, and
companies, their locations and contacts, and fixed prices written."""
from __future__ import annotations

from decimal import Decimal

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
from tests.shopify_simulator.real_clients.test_payments import amount
from tests.shopify_simulator.real_clients.test_products import (
    PRODUCT_CREATE,
    a_mug_titled,
)

# -- B2B: companies, catalogs, price lists (demo-us) -------------------------------------------------

COMPANIES_WITH_LOCATIONS = """query CompaniesWithLocations {
  companies(first: 8) {
    nodes {
      id name externalId
      ordersCount { count }
      orders(first: 5) {
        nodes { id purchasingEntity { __typename ... on PurchasingCompany { company { id } location { id } } } }
      }
      locations(first: 3) {
        nodes { id name currency catalogs(first: 3) { nodes { __typename id title priceList { id currency } } } }
      }
      contacts(first: 3) {
        nodes { id isMainContact customer { id companyContactProfiles { id company { id } } } }
      }
    }
  }
}"""


def companies_list_their_locations_contacts_catalogs_and_orders(data: dict, known: Known) -> None:
    companies = data["companies"]["nodes"]
    assert len(companies) >= 5
    for company in companies:
        locations = {location["id"] for location in company["locations"]["nodes"]}
        assert locations, company["name"]
        for contact in company["contacts"]["nodes"]:
            assert {"id": contact["id"], "company": {"id": company["id"]}} in \
                contact["customer"]["companyContactProfiles"]
        orders = company["orders"]["nodes"]
        assert company["ordersCount"]["count"] >= len(orders)
        for order in orders:
            buyer = order["purchasingEntity"]
            assert (buyer["__typename"], buyer["company"]["id"]) == ("PurchasingCompany", company["id"])
    assert sum(company["ordersCount"]["count"] for company in companies) >= 3
    catalogs = [catalog for company in companies for location in company["locations"]["nodes"]
                for catalog in location["catalogs"]["nodes"]]
    assert catalogs and all(c["__typename"] == "CompanyLocationCatalog" and c["priceList"] for c in catalogs)


COMPANY = """query Company($id: ID!) {
  company(id: $id) {
    id name externalId
    locationsCount { count } contactsCount { count } ordersCount { count }
    totalSpent { amount currencyCode }
    mainContact { id customer { email } }
    locations(first: 10) { nodes { id name ordersCount { count } } }
    contacts(first: 10) { nodes { id customer { email } } }
    orders(first: 20) { nodes { id currentTotalPriceSet { shopMoney { amount currencyCode } } } }
  }
}"""


def company_adds_up(company: dict) -> None:
    """Its counts are its lists', its spend its orders' current totals, its locations' orders its own."""
    locations, contacts = company["locations"]["nodes"], company["contacts"]["nodes"]
    orders = company["orders"]["nodes"]
    assert (company["locationsCount"]["count"], company["contactsCount"]["count"], company["ordersCount"]["count"]) \
        == (len(locations), len(contacts), len(orders))
    assert sum(location["ordersCount"]["count"] for location in locations) == len(orders)
    spent = sum((amount(order["currentTotalPriceSet"]["shopMoney"]) for order in orders), Decimal(0))
    assert amount(company["totalSpent"]) == spent
    if company["mainContact"]:
        assert company["mainContact"]["id"] in {contact["id"] for contact in contacts}


def the_company_asked_for_adds_up(data: dict, known: Known) -> None:
    company = data["company"]
    assert company["id"] == known.company_id and company["ordersCount"]["count"] > 0
    company_adds_up(company)


CATALOGS = """query Catalogs($type: CatalogType) {
  catalogs(first: 20, type: $type) {
    nodes {
      __typename id title status
      priceList { id currency }
      publication { id autoPublish }
      ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id company { id } } } }
      ... on MarketCatalog { markets(first: 2) { nodes { id name } } }
    }
  }
}"""


def catalogs_of_both_kinds_have_prices_and_buyers(data: dict, known: Known) -> None:
    catalogs = data["catalogs"]["nodes"]
    assert {c["__typename"] for c in catalogs} == {"CompanyLocationCatalog", "MarketCatalog"}
    for catalog in catalogs:
        assert catalog["status"] == "ACTIVE" and catalog["priceList"] and catalog["publication"]
        buyers = catalog.get("companyLocations") or catalog.get("markets")
        assert buyers["nodes"], catalog["title"]
    assert known.price_list_id in {c["priceList"]["id"] for c in catalogs}


CATALOG = """query Catalog($id: ID!) {
  catalog(id: $id) {
    __typename id title
    priceList { id currency }
    ... on CompanyLocationCatalog {
      companyLocationsCount { count }
      companyLocations(first: 20) { nodes { id inCatalog(catalogId: $id) } }
    }
  }
}"""


def the_catalog_asked_for_is_in_each_of_its_locations(data: dict, known: Known) -> None:
    catalog = data["catalog"]
    assert (catalog["__typename"], catalog["id"]) == ("CompanyLocationCatalog", known.catalog_id)
    assert catalog["priceList"] == {"id": known.price_list_id, "currency": known.price_list_currency}
    locations = catalog["companyLocations"]["nodes"]
    assert len(locations) == catalog["companyLocationsCount"]["count"] > 0
    assert all(location["inCatalog"] for location in locations)


PRICE_LISTS = """query PriceLists {
  priceLists(first: 20) {
    nodes { id name currency fixedPricesCount catalog { __typename id title } parent { adjustment { type value } } }
  }
}"""


def price_lists_belong_to_catalogs(data: dict, known: Known) -> None:
    lists = data["priceLists"]["nodes"]
    assert known.price_list_id in {p["id"] for p in lists}
    for price_list in lists:
        assert price_list["catalog"]["title"] and price_list["fixedPricesCount"] >= 0
        assert price_list["parent"]["adjustment"]["type"] in ("PERCENTAGE_DECREASE", "PERCENTAGE_INCREASE")


PRICE_LIST = """query PriceList($id: ID!, $query: String) {
  priceList(id: $id) {
    id currency fixedPricesCount
    fixed: prices(first: 100, originType: FIXED, query: $query) {
      nodes { originType price { amount currencyCode } compareAtPrice { amount } variant { id price } }
    }
    relative: prices(first: 5, originType: RELATIVE) {
      nodes { originType price { amount currencyCode } variant { id price } }
    }
  }
}"""


def prices_are_in_the_lists_currency(data: dict, known: Known) -> list[dict]:
    price_list = data["priceList"]
    assert price_list["id"] == known.price_list_id
    fixed, relative = price_list["fixed"]["nodes"], price_list["relative"]["nodes"]
    assert {p["originType"] for p in fixed} <= {"FIXED"} and {p["originType"] for p in relative} == {"RELATIVE"}
    assert {p["price"]["currencyCode"] for p in fixed + relative} == {known.price_list_currency}
    return fixed


def the_price_list_prices_fixed_and_relative(data: dict, known: Known) -> None:
    fixed = prices_are_in_the_lists_currency(data, known)
    assert len(fixed) == data["priceList"]["fixedPricesCount"] > 0


def a_fixed_price_of_the_variant_made(data: dict, known: Known) -> None:
    fixed = prices_are_in_the_lists_currency(data, known)
    assert [p["variant"]["id"] for p in fixed] == [known.made["variant_id"]]


COMPANY_CREATE = """mutation CompanyCreate($input: CompanyCreateInput!) {
  companyCreate(input: $input) {
    company {
      id name externalId
      mainContact { id customer { id email } }
      locations(first: 2) { nodes { id name currency shippingAddress { city countryCode } billingAddress { city } } }
    }
    userErrors { field message code }
  }
}"""
COMPANIES_BY_EXTERNAL_ID = """query CompaniesByExternalId($query: String!) {
  companies(first: 5, query: $query) {
    nodes {
      id name externalId
      mainContact { id customer { email companyContactProfiles { id company { id } } } }
      locations(first: 5) { nodes { id name } }
    }
  }
}"""


def a_company_of_its_own(known: Known) -> dict:
    return {"input": {
        "company": {"name": f"Company {known.tag}", "externalId": known.tag.upper()},
        "companyContact": {"firstName": "Grace", "lastName": "Hopper", "email": f"{known.tag}@company.example"},
        "companyLocation": {"name": "Head office", "billingSameAsShipping": True, "shippingAddress": {
            "address1": "1 State Street", "city": "Albany", "zip": "12207", "zoneCode": "NY", "countryCode": "US"}}}}


def a_company(client, known: Known) -> dict:
    company = given_data(client, COMPANY_CREATE, input={"company": {"name": f"Company {known.tag}"}})
    return {"company_id": company["companyCreate"]["company"]["id"]}


def the_company_found_is_the_writes_own(data: dict, known: Known) -> None:
    assert [c["externalId"] for c in data["companies"]["nodes"]] == [known.tag.upper()]


def the_company_created_is_found_with_its_location_and_contact(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyCreate"]
    assert result["userErrors"] == []
    created = result["company"]
    [location] = created["locations"]["nodes"]
    assert (location["name"], location["currency"], location["shippingAddress"], location["billingAddress"]) == (
        "Head office", "USD", {"city": "Albany", "countryCode": "US"}, {"city": "Albany"})
    [found] = read_back["companies"]["nodes"]
    assert (found["id"], found["name"]) == (created["id"], f"Company {known.tag}")
    assert [loc["id"] for loc in found["locations"]["nodes"]] == [location["id"]]
    contact = found["mainContact"]
    assert contact["customer"]["email"] == f"{known.tag}@company.example"
    assert contact["customer"]["companyContactProfiles"] == [{"id": contact["id"], "company": {"id": created["id"]}}]


COMPANY_LOCATION_CREATE = """mutation CompanyLocationCreate($companyId: ID!, $input: CompanyLocationInput!) {
  companyLocationCreate(companyId: $companyId, input: $input) {
    companyLocation { id name currency company { id } shippingAddress { city countryCode } billingAddress { city } }
    userErrors { field message code }
  }
}"""


def the_made_company_adds_up(data: dict, known: Known) -> None:
    assert data["company"]["id"] == known.made["company_id"]
    company_adds_up(data["company"])


def the_location_created_is_the_companys_second(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyLocationCreate"]
    assert result["userErrors"] == []
    location = result["companyLocation"]
    assert (location["company"]["id"], location["currency"], location["shippingAddress"]) == (
        known.made["company_id"], "CAD", {"city": "Toronto", "countryCode": "CA"})
    names = [(loc["id"], loc["name"]) for loc in read_back["company"]["locations"]["nodes"]]
    assert names[1:] == [(location["id"], f"Toronto {known.tag}")] and len(names) == 2


COMPANY_CONTACT_CREATE = """mutation CompanyContactCreate($companyId: ID!, $input: CompanyContactInput!) {
  companyContactCreate(companyId: $companyId, input: $input) {
    companyContact { id title isMainContact company { id } customer { id email } }
    userErrors { field message code }
  }
}"""
CUSTOMER_CONTACT_PROFILES = """query CustomerContactProfiles($id: ID!) {
  customer(id: $id) { id email companyContactProfiles { id title isMainContact company { id } } }
}"""


def customer_is_the_contact_written(data: dict, known: Known) -> None:
    assert data["customer"]["id"] == known.written["companyContactCreate"]["companyContact"]["customer"]["id"]


def the_contact_created_is_its_customers_profile(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyContactCreate"]
    assert result["userErrors"] == []
    contact = result["companyContact"]
    assert (contact["title"], contact["isMainContact"], contact["customer"]["email"]) == (
        "Buyer", False, f"{known.tag}@contact.example")
    assert read_back["customer"]["companyContactProfiles"] == [
        {"id": contact["id"], "title": "Buyer", "isMainContact": False, "company": {"id": known.made["company_id"]}}]


PRICE_LIST_FIXED_PRICES_ADD = """mutation PriceListFixedPricesAdd($priceListId: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $priceListId, prices: $prices) {
    prices { originType price { amount currencyCode } compareAtPrice { amount currencyCode } variant { id } }
    userErrors { field message code }
  }
}"""


def a_mug_to_price(client, known: Known) -> dict:
    product = given_data(client, PRODUCT_CREATE, product=a_mug_titled(known))["productCreate"]["product"]
    return {"product_id": product["id"], "variant_id": product["variants"]["nodes"][0]["id"]}


def a_trade_price(known: Known) -> dict:
    money = lambda value: {"amount": value, "currencyCode": known.price_list_currency}  # noqa: E731
    return {"priceListId": known.price_list_id, "prices": [
        {"variantId": known.made["variant_id"], "price": money("9.90"), "compareAtPrice": money("12.00")}]}


def the_price_added_reads_back_fixed(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["priceListFixedPricesAdd"]
    assert result["userErrors"] == []
    currency = known.price_list_currency
    expected = {"originType": "FIXED", "price": {"amount": "9.90", "currencyCode": currency},
                "compareAtPrice": {"amount": "12.00", "currencyCode": currency},
                "variant": {"id": known.made["variant_id"]}}
    assert result["prices"] == [expected]
    [price] = read_back["priceList"]["fixed"]["nodes"]
    assert (price["price"], price["compareAtPrice"]) == ({"amount": "9.90", "currencyCode": currency},
                                                         {"amount": "12.00"})


def variant_query(known: Known) -> str:
    return f"variant_id:{known.made['variant_id'].rsplit('/', 1)[1]}"


B2B = Resource("b2b", shop="demo-us", reads=[
    Read(COMPANIES_WITH_LOCATIONS, companies_list_their_locations_contacts_catalogs_and_orders),
    Read(COMPANY, the_company_asked_for_adds_up, lambda known: {"id": known.company_id}),
    Read(CATALOGS, catalogs_of_both_kinds_have_prices_and_buyers),
    Read(CATALOG, the_catalog_asked_for_is_in_each_of_its_locations, lambda known: {"id": known.catalog_id}),
    Read(PRICE_LISTS, price_lists_belong_to_catalogs),
    Read(PRICE_LIST, the_price_list_prices_fixed_and_relative, lambda known: {"id": known.price_list_id}),
], writes=[
    Write(COMPANY_CREATE, a_company_of_its_own,
          read_back=Read(COMPANIES_BY_EXTERNAL_ID, the_company_found_is_the_writes_own,
                         lambda known: {"query": f"external_id:{known.tag.upper()}"}),
          then=the_company_created_is_found_with_its_location_and_contact),
    Write(COMPANY_LOCATION_CREATE, lambda known: {"companyId": known.made["company_id"], "input": {
        "name": f"Toronto {known.tag}", "billingSameAsShipping": True,
        "shippingAddress": {"address1": "9 Queens Quay", "city": "Toronto", "zip": "M5J 2H7", "countryCode": "CA"}}},
          read_back=Read(COMPANY, the_made_company_adds_up, lambda known: {"id": known.made["company_id"]}),
          then=the_location_created_is_the_companys_second, given=a_company),
    Write(COMPANY_CONTACT_CREATE, lambda known: {"companyId": known.made["company_id"], "input": {
        "firstName": "Ann", "lastName": "Buyer", "email": f"{known.tag}@contact.example", "title": "Buyer"}},
          read_back=Read(CUSTOMER_CONTACT_PROFILES, customer_is_the_contact_written, lambda known: {
              "id": known.written["companyContactCreate"]["companyContact"]["customer"]["id"]}),
          then=the_contact_created_is_its_customers_profile, given=a_company),
    Write(PRICE_LIST_FIXED_PRICES_ADD, a_trade_price,
          read_back=Read(PRICE_LIST, a_fixed_price_of_the_variant_made,
                         lambda known: {"id": known.price_list_id, "query": variant_query(known)}),
          then=the_price_added_reads_back_fixed, given=a_mug_to_price),
])


READS = reads_of(B2B)
WRITES = writes_of(B2B)
DOCUMENTS = documents_of(B2B)


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
