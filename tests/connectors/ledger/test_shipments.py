"""Posted shipments as 30109 reads them from the built-in ledger: the shipping agent and package
tracking no. go from the order to its shipment when it posts; the tracking company and URL come from
the agent (its internet address with %1 for the number); batches of any size take the same queries;
and a posted shipment's tracking, and nothing else of it, is changed on its admin page."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.ledger.errors import LedgerError
from connectors.ledger.memory_target import InMemoryTarget
from connectors.ledger.models import PostedSalesShipment, PostedSalesShipmentLine, ShippingAgent
from connectors.ledger.records import DocumentType, ShipmentData, ShipmentLineData
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import documents_shop, gid, vat_order
from tests.factories.sales import PostedSalesShipmentFactory, ShippingAgentFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db

UPS_URL = "https://www.ups.com/track?tracknum=%1"


def ups(merchant) -> ShippingAgent:
    return ShippingAgentFactory(merchant=merchant, code="UPS", name="United Parcel Service", tracking_company="UPS",
                                internet_address=UPS_URL)


def shipped(merchant, *drafts) -> list[str]:
    ledger = target_for(merchant)
    outcomes = ledger.create_sales_documents(merchant, list(drafts))
    assert [o.error for o in outcomes] == [""] * len(drafts)
    results = ledger.post_sales_documents(merchant, DocumentType.ORDER, [o.document.number for o in outcomes],
                                          invoice=False)
    assert [r.error for r in results] == [""] * len(drafts)
    return [r.shipment_no for r in results]


def test_the_agent_and_tracking_no_go_from_the_order_to_its_shipment_and_are_read_with_its_lines():
    # given an order carried by UPS with its tracking no.
    merchant = documents_shop()
    ups(merchant)
    ledger = target_for(merchant)
    [outcome] = ledger.create_sales_documents(merchant, [vat_order(shipping_agent="UPS",
                                                                   package_tracking_no="1Z999AA10123456784")])
    # when it ships
    [result] = ledger.post_sales_documents(merchant, DocumentType.ORDER, [outcome.document.number], invoice=False)
    # then
    assert (outcome.document.shipping_agent, outcome.document.package_tracking_no) == ("UPS", "1Z999AA10123456784")
    assert PostedSalesShipment.objects.values_list("number", "shipping_agent", "package_tracking_no").get() == (
        "PSS00001", "UPS", "1Z999AA10123456784")
    assert ledger.posted_shipments(merchant) == [ShipmentData(
        number="PSS00001", order_no="SO00001", posting_date=date(2025, 3, 11), shopify_order_id=gid(1001),
        shopify_order_no="#1001", location="MAIN", tracking_company="UPS", tracking_number="1Z999AA10123456784",
        tracking_url="https://www.ups.com/track?tracknum=1Z999AA10123456784",
        lines=(ShipmentLineData(10000, "item", "I00001", "", D("2"), "gid://shopify/LineItem/1"),
               ShipmentLineData(20000, "account", "4010", "", D("1"), "gid://shopify/ShippingLine/1"),
               ShipmentLineData(30000, "account", "4040", "", D("1"), "")))]
    assert ledger.shipment_url(result.shipment_no) == "/admin/ledger/salesdocument/open/posted_shipment/PSS00001/"


def test_an_agent_the_books_do_not_hold_refuses_the_draft():
    merchant = documents_shop()

    [outcome] = target_for(merchant).create_sales_documents(merchant, [vat_order(shipping_agent="FEDEX")])

    assert (outcome.document, outcome.error) == (None, "shipping agent FEDEX does not exist")


def test_the_tracking_url_is_the_agents_address_with_the_number_for_percent_one():
    # given agents: one without tracking company (its name then), with an address typed without scheme;
    # one with no address
    merchant = documents_shop()
    ShippingAgentFactory(merchant=merchant, code="DHL", name="DHL Express", internet_address="www.dhl.com/track?id=%1")
    ShippingAgentFactory(merchant=merchant, code="OWN", name="Our van")
    shipped(merchant, vat_order(shipping_agent="DHL", package_tracking_no="JJD 01/7"),
            vat_order(shipping_agent="DHL", shopify_order_id=gid(2)),
            vat_order(shipping_agent="OWN", package_tracking_no="VAN-7", shopify_order_id=gid(3)),
            vat_order(package_tracking_no="123", shopify_order_id=gid(4)))
    # when
    found = target_for(merchant).posted_shipments(merchant)
    # then
    assert [(s.number, s.tracking_company, s.tracking_number, s.tracking_url) for s in found] == [
        ("PSS00001", "DHL Express", "JJD 01/7", "https://www.dhl.com/track?id=JJD%2001%2F7"),
        ("PSS00002", "DHL Express", "", ""),
        ("PSS00003", "Our van", "VAN-7", ""),
        ("PSS00004", "", "123", "")]


def test_shipments_are_read_by_number_after_a_number_and_of_shopify_orders_only_unless_asked():
    merchant = documents_shop()
    shipped(merchant, *[vat_order(shopify_order_id=gid(n)) for n in range(1, 5)])
    PostedSalesShipment.objects.filter(number="PSS00003").update(shopify_order_id="", shopify_order_no="")
    PostedSalesShipmentFactory(merchant=documents_shop(), number="PSS00005", shopify_order_id=gid(5))
    ledger = target_for(merchant)

    def numbers(**filters) -> list[str]:
        return [s.number for s in ledger.posted_shipments(merchant, **filters)]

    assert numbers() == ["PSS00001", "PSS00002", "PSS00004"]
    assert numbers(shopify_only=False) == ["PSS00001", "PSS00002", "PSS00003", "PSS00004"]
    assert numbers(numbers=["PSS00004", "PSS00003", "PSS00009"]) == ["PSS00004"]
    assert numbers(limit=2) == ["PSS00001", "PSS00002"]
    assert numbers(after_number="PSS00002", limit=2) == ["PSS00004"]
    assert numbers(after_number="PSS00004") == []


def many_shipments(merchant, count: int) -> None:
    """`count` shipments of two lines each, every third by UPS."""
    ups(merchant)
    ShippingAgentFactory(merchant=merchant, code="DHL", name="DHL Express")
    agents = ("UPS", "DHL", "")
    rows = [PostedSalesShipmentFactory(merchant=merchant, number=f"PSS{n:05d}", shopify_order_id=gid(n),
                                       shipping_agent=agents[n % 3], package_tracking_no=f"T{n}")
            for n in range(1, count + 1)]
    PostedSalesShipmentLine.objects.bulk_create(
        PostedSalesShipmentLine(shipment=row, line_no=line_no, type="item", number="I00001", quantity=1)
        for row in rows for line_no in (10000, 20000))


def test_reading_shipments_takes_the_same_queries_for_3_and_for_60():
    few, many = documents_shop(), documents_shop()
    many_shipments(few, 3)
    many_shipments(many, 60)

    with CaptureQueriesContext(connection) as for_few:
        read_few = target_for(few).posted_shipments(few)
    with CaptureQueriesContext(connection) as for_many:
        read_many = target_for(many).posted_shipments(many)

    assert (len(read_few), len(read_many)) == (3, 60)
    assert sum(len(s.lines) for s in read_many) == 120
    assert read_many[2].tracking_url == "https://www.ups.com/track?tracknum=T3"
    assert len(for_few) == len(for_many) == 3


def test_the_in_memory_target_keeps_no_posted_shipments():
    merchant = documents_shop()

    with pytest.raises(LedgerError, match="the in-memory target keeps no posted shipments"):
        InMemoryTarget().posted_shipments(merchant)
    with pytest.raises(LedgerError, match="the in-memory target keeps no posted shipments"):
        InMemoryTarget().shipment_url("PSS00001")


# The admin pages

def lines_management(count: int) -> dict[str, str]:
    return {"lines-TOTAL_FORMS": str(count), "lines-INITIAL_FORMS": str(count), "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000"}


def test_a_merchant_user_sets_the_tracking_of_a_posted_shipment_and_nothing_else_of_it_changes(login):
    # given a shipment posted without tracking, and agents of the shop
    merchant = documents_shop()
    ups(merchant)
    [number] = shipped(merchant, vat_order())
    shipment = PostedSalesShipment.objects.get(merchant=merchant, number=number)
    before = PostedSalesShipment.objects.filter(pk=shipment.pk).values().get()
    client = login(merchant_user(merchant))
    url = reverse("admin:ledger_postedsalesshipment_change", args=[shipment.pk])
    # when they set it, trying other fields too
    page = client.get(url).content.decode()
    response = client.post(url, {"shipping_agent": "UPS", "package_tracking_no": " 1Z999AA10123456784 ",
                                 "number": "HACKED", "ship_to_name": "Someone else", "posting_date": "2030-01-01",
                                 "shopify_order_id": "gid://shopify/Order/666", **lines_management(3)})
    after = PostedSalesShipment.objects.filter(pk=shipment.pk).values().get()
    shown = client.get(url).content.decode()
    # then
    assert 'name="shipping_agent"' in page and 'name="package_tracking_no"' in page and 'name="_save"' in page
    assert not any(f'name="{field}"' in page for field in ("number", "ship_to_name", "posting_date",
                                                          "shopify_order_id", "location", "sell_to"))
    assert response.status_code == 302
    assert after == {**before, "shipping_agent": "UPS", "package_tracking_no": "1Z999AA10123456784"}
    assert "https://www.ups.com/track?tracknum=1Z999AA10123456784" in shown
    assert target_for(merchant).posted_shipments(merchant)[0].tracking_number == "1Z999AA10123456784"


def test_an_agent_of_another_shop_is_no_choice_and_the_shipment_is_kept(login):
    merchant, other = documents_shop(), documents_shop()
    ups(merchant)
    ShippingAgentFactory(merchant=other, code="DHL", name="DHL Express")
    [number] = shipped(merchant, vat_order(shipping_agent="UPS", package_tracking_no="1Z1"))
    shipment = PostedSalesShipment.objects.get(merchant=merchant, number=number)
    url = reverse("admin:ledger_postedsalesshipment_change", args=[shipment.pk])

    response = login(merchant_user(merchant)).post(url, {"shipping_agent": "DHL", "package_tracking_no": "X",
                                                         **lines_management(3)})

    assert response.status_code == 200
    assert "Select a valid choice. DHL is not one of the available choices." in response.content.decode()
    assert PostedSalesShipment.objects.values_list("shipping_agent", "package_tracking_no").get(pk=shipment.pk) == (
        "UPS", "1Z1")


def test_nobody_adds_or_deletes_a_posted_shipment(superuser, login):
    merchant = documents_shop()
    [number] = shipped(merchant, vat_order())
    shipment = PostedSalesShipment.objects.get(merchant=merchant, number=number)
    client = login(superuser)

    added = client.get(reverse("admin:ledger_postedsalesshipment_add"))
    deleted = client.post(reverse("admin:ledger_postedsalesshipment_delete", args=[shipment.pk]), {"post": "yes"})

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert PostedSalesShipment.objects.filter(pk=shipment.pk).exists()


def test_a_shipping_agent_is_added_with_a_web_address_and_its_code_stays(login):
    merchant = documents_shop()
    client = login(merchant_user(merchant))
    add = reverse("admin:ledger_shippingagent_add")

    refused = client.post(add, {"merchant": merchant.pk, "code": "UPS", "name": "United Parcel Service",
                                "tracking_company": "UPS", "internet_address": "not a web address %1"})
    added = client.post(add, {"merchant": merchant.pk, "code": "UPS", "name": "United Parcel Service",
                              "tracking_company": "UPS", "internet_address": " www.ups.com/track?tracknum=%1 "},
                        follow=True)
    agent = ShippingAgent.objects.get(merchant=merchant)
    changed = client.post(reverse("admin:ledger_shippingagent_change", args=[agent.pk]), {
        "code": "XXX", "name": "UPS", "tracking_company": "UPS", "internet_address": UPS_URL})

    assert refused.status_code == 200 and "Not a web address %1 is not an internet address" in \
        refused.content.decode()
    assert messages_of(added)[0].startswith("The shipping agent")
    assert changed.status_code == 302
    assert ShippingAgent.objects.values_list("code", "name", "internet_address").get() == ("UPS", "UPS", UPS_URL)
