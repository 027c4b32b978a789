"""The Shopify orders list of a documents-mode shop: the "Unprocessed orders" tile's rows say why each
order is not in the books, and "Process orders" on the selected ones tries them again."""
from __future__ import annotations

from django.urls import reverse

from connectors.ledger.models import Item
from connectors.shopify.models import ShopifyOrder
from tests.factories.users import merchant_user
from tests.syncjobs.documents.helpers import documents_of, vat_line, vat_order

UNPROCESSED = f"{reverse('admin:shopify_shopifyorder_changelist')}?awaiting_ledger=yes"


def notes_on_the_list(client) -> dict[str, str]:
    response = client.get(UNPROCESSED)
    assert response.status_code == 200
    return {order.name: order.list_note for order in response.context["cl"].result_list}


def test_each_unprocessed_order_says_why_before_and_after_a_run(merchant, make_order, run_report, login):
    make_order(**vat_order(name="#2001"))
    make_order(**vat_order(name="#2002", lines=[vat_line("60.00", 2, "18.00", sku="CAP", title="Cap",
                                                         discounts=[(0, "12.00")])]))
    run_report(30104)
    client = login(merchant_user(merchant))

    before = notes_on_the_list(client)
    run_report(30103)
    after = notes_on_the_list(client)

    assert before["#2001"] == "ready: Process orders makes it a sales order"
    assert before["#2002"].startswith("not everything can be mapped: line 'Cap': no item")
    assert list(after) == ["#2002"] and after["#2002"].startswith("not everything can be mapped: line 'Cap'")


def test_process_orders_on_the_selected_orders_makes_their_documents_once_the_item_exists(
        merchant, make_order, run_report, login):
    gid = make_order(**vat_order(lines=[vat_line("60.00", 2, "18.00", sku="CAP", title="Cap",
                                                 discounts=[(0, "12.00")])]))
    run_report(30104)
    run_report(30103)
    Item.objects.create(merchant=merchant, number="CAP", description="Cap")
    merchant.allow_background_syncs = False   # the action runs it at once, as the card's button would
    merchant.save()
    client = login(merchant_user(merchant))
    order = ShopifyOrder.objects.get(shopify_gid=gid)

    response = client.post(UNPROCESSED, {"action": "process_orders", "_selected_action": [order.pk]}, follow=True)

    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert any("Process orders finished" in message for message in said), said
    assert ShopifyOrder.objects.get(pk=order.pk).processed is True
    assert [ref.kind for ref in documents_of(merchant, gid)] == ["order"]


def test_the_order_page_links_to_its_document(merchant, make_order, run_report, login):
    gid = make_order(**vat_order())
    run_report(30104)
    run_report(30103)
    client = login(merchant_user(merchant))
    order = ShopifyOrder.objects.get(shopify_gid=gid)

    page = client.get(reverse("admin:shopify_shopifyorder_change", args=[order.pk]))

    assert page.status_code == 200
    assert "sales order SO00001" in page.content.decode()


def test_once_posted_the_list_and_the_order_documents_show_what_posting_made(merchant, make_order, run_report, login):
    make_order(**vat_order(fulfilled=True))
    run_report(30104)
    run_report(30103)
    run_report(297)
    client = login(merchant_user(merchant))

    everything = client.get(reverse("admin:shopify_shopifyorder_changelist"))
    documents = client.get(reverse("admin:document_sync_orderdocument_changelist"))

    assert [order.list_note for order in everything.context["cl"].result_list] == ["posted invoice PSI00001"]
    assert "posted invoice PSI00001" in documents.content.decode()


def test_one_reason_for_many_lines_is_said_once_with_how_many(merchant, make_order, run_report):
    make_order(**vat_order(lines=[vat_line("10.00", 1, "", sku="CAP", title="Cap"),
                                  vat_line("10.00", 2, "", sku="CAP", title="Cap"),
                                  vat_line("60.00", 2, "18.00", discounts=[(0, "12.00")])]))
    run_report(30104)

    run_report(30103)

    (order,) = ShopifyOrder.objects.filter(processed=False)
    assert order.error_message.count("line 'Cap'") == 1 and order.error_message.endswith(" – 2 lines")
