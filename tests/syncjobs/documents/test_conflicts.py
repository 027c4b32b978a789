"""Orders changed in Shopify after their document was made are flagged, not silently re-imported
(Business Central's conflict checks): each rule, a change that does not matter, the tile and its
list, and "Mark conflict resolved". The orders are imported as report 30104 imports them."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from connectors.shopify.models import ShopifyOrderLine
from core.tiles import TILES
from merchants.models import Merchant
from syncjobs.documents.models import OrderDocument
from tests.factories.users import merchant_user
from tests.syncjobs.documents.helpers import the_document, vat_order

SHIRT = {"title": "Shirt", "sku": "SHIRT", "quantity": 1, "price": "60.00", "taxes": [["VAT", "0.2", "10.00"]]}
SHIPPING = {"title": "Standard", "price": "6.00", "taxes": [["VAT", "0.2", "1.00"]]}


@pytest.fixture
def processed(merchant, make_order, run_report):
    """An order of one shirt (60.00) with shipping 6.00, made a sales order in the simulator; its GID."""
    gid = make_order(name="#4001", taxes_included=True, lines=[SHIRT], shipping_lines=[SHIPPING])
    run_report(30104)
    assert run_report(30103).created == 1
    return gid


@pytest.fixture
def edit(shopify, shop, run_report):
    """Change the order in the simulator as a merchant would, and import it."""
    def change(gid: str, **body) -> None:
        shopify.control("POST", "orders/custom/update", shop=shop.domain, id=gid, **body)
        run_report(30104)
    return change


def the_shirt(gid: str) -> str:
    return ShopifyOrderLine.objects.get(order__shopify_gid=gid, sku="SHIRT").shopify_gid


def conflict_of(merchant) -> str:
    return OrderDocument.objects.get(merchant=merchant, kind="order").conflict


def test_a_quantity_that_grew_is_a_conflict(merchant, processed, edit):
    edit(processed, order={"lines": [{**SHIRT, "id": the_shirt(processed), "quantity": 2,
                                      "taxes": [["VAT", "0.2", "20.00"]]}]})

    assert conflict_of(merchant) == ("the quantity grew on 1 line since sales order SO00001 was made: update the "
                                     "document, then mark the conflict resolved")


def test_a_line_added_or_removed_is_a_conflict(merchant, processed, edit):
    edit(processed, order={"lines": [{**SHIRT, "title": "Other shirt"}]})   # no id: a new line, the shirt gone

    assert conflict_of(merchant).startswith("the lines changed (1 added, 1 removed)")


def test_changed_shipping_is_a_conflict(merchant, processed, edit):
    edit(processed, order={"shipping_lines": [{**SHIPPING, "price": "9.00", "taxes": [["VAT", "0.2", "1.50"]]}]})

    assert "the shipping changed from 6.00 to 9.00" in conflict_of(merchant)


def test_cancelled_without_refund_lines_is_a_conflict(merchant, processed, edit):
    edit(processed, cancel={"reason": "CUSTOMER"})

    assert conflict_of(merchant).startswith("it was cancelled without refund lines")


def test_cancelled_with_its_refund_is_no_conflict(merchant, processed, edit, shopify, shop):
    shopify.control("POST", "orders/custom/refund", shop=shop.domain, id=processed, refund={
        "lines": [{"id": the_shirt(processed), "quantity": 1, "restock_type": "CANCEL"}], "shipping": {}})
    edit(processed, cancel={"reason": "CUSTOMER"})

    assert conflict_of(merchant) == ""


def test_a_change_that_does_not_matter_is_no_conflict(merchant, processed, edit):
    edit(processed, order={"note": "gift wrap", "email": "new@example.com"})

    assert conflict_of(merchant) == ""


def test_the_tile_lists_exactly_the_changed_orders_and_mark_resolved_takes_the_order_as_it_now_is(
        merchant, processed, edit, login):
    shirt = the_shirt(processed)
    edit(processed, order={"lines": [{**SHIRT, "id": shirt, "quantity": 2, "taxes": [["VAT", "0.2", "20.00"]]}]})
    tile = TILES["unprocessed_order_updates"]
    assert tile.rows(Merchant.objects.all()).count() == 1
    client = login(merchant_user(merchant))
    url = f"{reverse('admin:document_sync_orderdocument_changelist')}?conflict=yes"
    listed = client.get(url)
    assert [row.pk for row in listed.context["cl"].result_list] == [OrderDocument.objects.get().pk]

    done = client.post(url, {"action": "resolve_conflicts", "_selected_action": [OrderDocument.objects.get().pk]},
                       follow=True)

    assert [str(m) for m in done.context["messages"]] == ["1 conflict marked resolved."]
    assert tile.rows(Merchant.objects.all()).count() == 0
    assert OrderDocument.objects.get().lines_made_from == {shirt: 2}
    edit(processed, order={"note": "the same order again"})
    assert conflict_of(merchant) == ""   # nothing new changed


def test_an_order_edited_in_the_simulator_after_processing_shows_under_unprocessed_order_updates(
        merchant, make_order, run_report, shopify, shop):
    gid = make_order(**vat_order())
    run_report(30104)
    run_report(30103)
    line_id = ShopifyOrderLine.objects.get(order__shopify_gid=gid).shopify_gid

    shopify.control("POST", "orders/custom/update", shop=shop.domain, id=gid, order={"note": "gift wrap"})
    run_report(30104)
    assert conflict_of(merchant) == ""
    shopify.control("POST", "orders/custom/update", shop=shop.domain, id=gid, order={"lines": [
        {"id": line_id, "title": "Shirt", "sku": "SHIRT", "quantity": 3, "price": "60.00",
         "taxes": [["VAT", "0.2", "27.00"]], "discounts": [[0, "18.00"]]}]})
    run_report(30104)

    assert conflict_of(merchant).startswith("the quantity grew on 1 line since sales order SO00001 was made")
    assert TILES["unprocessed_order_updates"].rows(Merchant.objects.all()).count() == 1


def test_update_the_documents_remakes_an_open_one_from_the_order_and_refuses_a_posted_one(
        merchant, make_order, run_report, shopify, shop, login):
    open_one = make_order(**vat_order(name="#2001"))
    posted = make_order(**vat_order(name="#2002", fulfilled=True))
    run_report(30104)
    run_report(30103)
    run_report(297)
    for gid in (open_one, posted):
        line_id = ShopifyOrderLine.objects.get(order__shopify_gid=gid).shopify_gid
        shopify.control("POST", "orders/custom/update", shop=shop.domain, id=gid, order={"lines": [
            {"id": line_id, "title": "Shirt", "sku": "SHIRT", "quantity": 3, "price": "60.00",
             "taxes": [["VAT", "0.2", "27.00"]], "discounts": [[0, "18.00"]]}]})
    run_report(30104)
    assert OrderDocument.objects.exclude(conflict="").count() == 2
    client = login(merchant_user(merchant))
    url = f"{reverse('admin:document_sync_orderdocument_changelist')}?conflict=yes"

    done = client.post(url, {"action": "update_from_orders",
                             "_selected_action": list(OrderDocument.objects.values_list("pk", flat=True))},
                       follow=True)

    said = [str(m) for m in done.context["messages"]]
    assert said[0] == "1 document made again from their orders, their conflicts resolved."
    assert said[1].startswith("Sales invoice SI00001 was left as it is: sales invoice SI00001 is not open any more")
    shirt = the_document(merchant, open_one).lines[0]
    assert (the_document(merchant, open_one).number, shirt.quantity, shirt.tax) == ("SO00001", 3, D("27.00"))
    assert list(OrderDocument.objects.exclude(conflict="").values_list("shopify_order_id", flat=True)) == [posted]
