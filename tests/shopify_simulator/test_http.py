"""The simulator speaks Shopify's HTTP: tokens pick the shop, errors look like Shopify's."""
import requests

from tests.fixtures.shopify_simulator import ShopifyHttp, document


def test_a_wrong_or_missing_token_gets_401_with_shopifys_body(shopify):
    wrong = shopify.post(document("ShopInfo"), token="shpat_00000000000000000000000000000000")
    missing = requests.post(shopify.simulator.graphql_url(), json={"query": "{ shop { name } }"}, timeout=5)

    for response in (wrong, missing):
        assert response.status_code == 401
        assert "Invalid API key or access token" in response.json()["errors"]


def test_the_token_picks_the_shop_and_every_answer_names_the_api_version(simulator):
    answers = [ShopifyHttp(simulator, shop.access_token).post(document("ShopInfo")) for shop in simulator.shops]

    shops = [a.json()["data"]["shop"] for a in answers]
    assert [s["myshopifyDomain"] for s in shops] == [s.domain for s in simulator.shops]
    assert {s["currencyCode"] for s in shops} == {"EUR", "USD", "GBP", "AUD"}
    assert len({s["ianaTimezone"] for s in shops}) == 4
    assert all(a.headers["X-Shopify-API-Version"] == "2025-01" for a in answers)
    assert all(t.startswith("shpat_") for t in (s.access_token for s in simulator.shops))


def test_an_invalid_document_gets_shopify_shaped_errors_with_http_200(shopify):
    response = shopify.post("{ orders(first: 5) { nodes { financialStatus } } }")

    assert response.status_code == 200
    errors = response.json()["errors"]
    assert "financialStatus" in errors[0]["message"] and "locations" in errors[0]
    assert "data" not in response.json()


def test_a_body_that_is_not_json_gets_400(shopify):
    response = shopify.session.post(shopify.simulator.graphql_url(), data=b"{not json",
                                    headers={"X-Shopify-Access-Token": shopify.token}, timeout=5)

    assert response.status_code == 400


def test_access_scopes_and_plan_are_reported(shopify):
    body = shopify.run("ShopInfo")

    handles = {s["handle"] for s in body["data"]["currentAppInstallation"]["accessScopes"]}
    assert {"read_orders", "read_all_orders"} <= handles
    assert body["data"]["shop"]["plan"]["displayName"] == "Basic"
