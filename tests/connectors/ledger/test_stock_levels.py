"""The stock 30102 sends to Shopify, read from the built-in ledger: per item and variant, summed over
the ledger locations a Shopify location maps to, on hand or available (on hand less what open sales
orders and invoices will take); services keep none; a fixed number of queries."""
from datetime import date
from decimal import Decimal as D

import pytest

from connectors.ledger.errors import LedgerError, NotAStockCalculation
from connectors.ledger.memory_target import InMemoryTarget
from connectors.ledger.records import (
    DocumentType,
    LineType,
    LocationData,
    SalesLineData,
    StockCalculation,
    StockEntry,
    StockKey,
)
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import documents_shop, gid, vat_order
from tests.factories.ledger import ItemFactory

pytestmark = pytest.mark.django_db

ON_HAND, AVAILABLE = StockCalculation.ON_HAND, StockCalculation.AVAILABLE


def teapots(quantity: str, *, variant: str = "BLUE", item: str = "I00001") -> tuple[SalesLineData, ...]:
    return (SalesLineData(LineType.ITEM, item, "Teapot", D(quantity), D("60.00"), variant_code=variant),
            SalesLineData(LineType.ITEM, "S00001", "Gift wrapping", D("1"), D("2.00")))


def received(*moves: tuple[str, str, str, str]) -> list[StockEntry]:
    return [StockEntry(StockKey(item, variant, location), D(quantity), "positive_adjustment", date(2025, 3, 1))
            for item, variant, location, quantity in moves]


def stocked_shop():
    """MAIN holds 10 blue teapots and 4 plain ones (and, wrongly, 5 gift wrappings: a service keeps
    no stock); EAST holds 3 blue ones. Open at MAIN: an order of 2 blue and an invoice of 1 plain;
    an order of 3 blue is shipped; a credit memo of 1 blue waits (goods coming back, not leaving).
    Open at EAST: an order of 1 blue. Item I00002 has no stock and an open order of 2 at MAIN."""
    merchant = documents_shop()
    ledger = target_for(merchant)
    ledger.create_locations(merchant, [LocationData("MAIN", "Main warehouse"), LocationData("EAST", "East")])
    ItemFactory(merchant=merchant, number="I00002", description="Cup")
    ledger.post_stock(merchant, received(("I00001", "BLUE", "MAIN", "10"), ("I00001", "", "MAIN", "4"),
                                         ("S00001", "", "MAIN", "5"), ("I00001", "BLUE", "EAST", "3")))
    outcomes = ledger.create_sales_documents(merchant, [
        vat_order(lines=teapots("2"), location="MAIN"),
        vat_order(lines=teapots("3"), location="MAIN", shopify_order_id=gid(2)),
        vat_order(type=DocumentType.INVOICE, lines=teapots("1", variant=""), location="MAIN",
                  shopify_order_id=gid(3)),
        vat_order(type=DocumentType.CREDIT_MEMO, lines=teapots("1"), location="MAIN", shopify_order_id=gid(4)),
        vat_order(lines=teapots("1"), location="EAST", shopify_order_id=gid(5)),
        vat_order(lines=teapots("2", variant="", item="I00002"), location="MAIN", shopify_order_id=gid(6)),
    ])
    assert [o.error for o in outcomes] == [""] * 6
    [shipped] = ledger.post_sales_documents(merchant, DocumentType.ORDER, ["SO00002"], invoice=False)
    assert (shipped.shipment_no, shipped.error) == ("PSS00001", "")
    # and another shop's stock at a location of the same code
    other = documents_shop()
    target_for(other).create_locations(other, [LocationData("MAIN", "Main")])
    target_for(other).post_stock(other, received(("I00001", "BLUE", "MAIN", "100")))
    return merchant


def test_on_hand_is_the_entries_and_available_takes_off_the_open_orders_and_invoices_not_the_shipped_one(
        django_assert_num_queries):
    # given
    merchant = stocked_shop()
    ledger = target_for(merchant)
    # when
    with django_assert_num_queries(1):
        on_hand = ledger.stock_levels(merchant, locations=["MAIN"], calculation=ON_HAND)
    with django_assert_num_queries(2):
        available = ledger.stock_levels(merchant, locations=["MAIN"], calculation=AVAILABLE)
    # then: the shipped order's 3 left on hand already; the open order's 2 and the invoice's 1 are to leave
    assert on_hand == {("I00001", "BLUE"): D("7"), ("I00001", ""): D("4")}
    assert available == {("I00001", "BLUE"): D("5"), ("I00001", ""): D("3"), ("I00002", ""): D("-2")}


def test_several_locations_are_summed_and_their_open_orders_all_taken_off():
    merchant = stocked_shop()
    ledger = target_for(merchant)

    on_hand = ledger.stock_levels(merchant, locations=["MAIN", "EAST"], calculation=ON_HAND)
    available = ledger.stock_levels(merchant, locations=["MAIN", "EAST"], calculation=AVAILABLE)
    east = ledger.stock_levels(merchant, locations=["EAST"], calculation=AVAILABLE)

    assert on_hand == {("I00001", "BLUE"): D("10"), ("I00001", ""): D("4")}
    assert available == {("I00001", "BLUE"): D("7"), ("I00001", ""): D("3"), ("I00002", ""): D("-2")}
    assert east == {("I00001", "BLUE"): D("2")}


def test_only_the_items_asked_for_and_no_locations_no_stock():
    merchant = stocked_shop()
    ledger = target_for(merchant)

    teapot = ledger.stock_levels(merchant, locations=["MAIN"], calculation=AVAILABLE, items={"I00001"})
    cups = ledger.stock_levels(merchant, locations=["MAIN"], calculation=AVAILABLE, items={"I00002"})
    wrapping = ledger.stock_levels(merchant, locations=["MAIN"], calculation=AVAILABLE, items={"S00001"})
    nowhere = ledger.stock_levels(merchant, locations=[], calculation=AVAILABLE)

    assert teapot == {("I00001", "BLUE"): D("5"), ("I00001", ""): D("3")}
    assert cups == {("I00002", ""): D("-2")}
    assert wrapping == nowhere == {}


def test_a_disabled_or_unknown_calculation_is_refused_plainly_and_the_in_memory_target_refuses_too():
    merchant = documents_shop()
    ledger = target_for(merchant)

    with pytest.raises(NotAStockCalculation, match="stock calculation is disabled sends no stock"):
        ledger.stock_levels(merchant, locations=["MAIN"], calculation=StockCalculation.DISABLED)
    with pytest.raises(NotAStockCalculation, match="'projected' is not a stock calculation"):
        ledger.stock_levels(merchant, locations=["MAIN"], calculation="projected")
    with pytest.raises(LedgerError, match="the in-memory target reckons no stock levels"):
        InMemoryTarget().stock_levels(merchant, locations=["MAIN"], calculation=ON_HAND)
