"""The customer links' pages and the ledger customers they name: a link's page says whose it is,
the list finds links by the buyer's name or email, its actions say what they left alone, and a
ledger customer the sync uses is not deleted from under it."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.ledger.models import Customer
from syncjobs.customers.models import CountryDefaultCustomer, CustomerLink, Direction, MappedBy
from tests.factories.ledger import CustomerFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyCustomerFactory
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db
LINKS = reverse("admin:customer_sync_customerlink_changelist")


def link_of(buyer, customer_no="", **fields) -> CustomerLink:
    return CustomerLink.objects.create(merchant=buyer.merchant, shopify_gid=buyer.shopify_gid,
                                       customer_no=customer_no, **fields)


def found(client, search: str, **filters) -> set[str]:
    response = client.get(LINKS, {"q": search, **filters})
    assert response.status_code == 200
    return {link.shopify_gid for link in response.context["cl"].result_list}


def test_the_links_list_finds_the_buyer_by_first_last_or_full_name_or_email(superuser, login):
    # given
    merchant = MerchantFactory(posting_mode="documents")
    ada = ShopifyCustomerFactory(merchant=merchant, first_name="Ada", last_name="Lovelace", email="ada@engine.example")
    grace = ShopifyCustomerFactory(merchant=merchant, first_name="Grace", last_name="Hopper",
                                   email="grace@navy.example")
    link_of(ada)
    link_of(grace, "C00007", mapped_by=MappedBy.BY_HAND)
    client = login(superuser)

    # when / then
    assert found(client, "lovelace") == {ada.shopify_gid}
    assert found(client, "Grace") == {grace.shopify_gid}
    assert found(client, "Ada Lovelace") == {ada.shopify_gid}
    assert found(client, '"Grace Hopper"') == {grace.shopify_gid}
    assert found(client, "navy.example") == {grace.shopify_gid}
    assert found(client, "C00007") == {grace.shopify_gid}
    assert found(client, ada.shopify_gid) == {ada.shopify_gid}
    assert found(client, "Ada Hopper") == set()
    assert found(client, "Hopper", unmapped="yes") == set()   # with the role center's filter
    assert found(client, "Lovelace", unmapped="yes") == {ada.shopify_gid}


def test_searching_the_links_by_name_takes_the_same_queries_for_few_and_many_rows(superuser, login):
    merchant = MerchantFactory()
    client = login(superuser)

    def queries_to_find_the_ada_links() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LINKS, {"q": "Ada"}).status_code == 200
        return len(queries)

    for _ in range(2):
        link_of(ShopifyCustomerFactory(merchant=merchant, first_name="Ada"))
    few = queries_to_find_the_ada_links()
    for _ in range(20):
        link_of(ShopifyCustomerFactory(merchant=merchant, first_name="Ada"))

    assert queries_to_find_the_ada_links() == few


def test_a_links_page_names_the_buyer_and_shows_a_direction_only_once_mapped(superuser, login):
    # given
    merchant = MerchantFactory()
    ada = ShopifyCustomerFactory(merchant=merchant, first_name="Ada", last_name="Lovelace", email="ada@engine.example")
    nameless = ShopifyCustomerFactory(merchant=merchant, first_name="", last_name="", email="who@example.com")
    unmapped, mapped = link_of(ada), link_of(nameless, "C00003", mapped_by=MappedBy.EMAIL, direction=Direction.NONE)
    client = login(superuser)

    # when
    unmapped_page = client.get(reverse("admin:customer_sync_customerlink_change", args=[unmapped.pk])).content.decode()
    mapped_page = client.get(reverse("admin:customer_sync_customerlink_change", args=[mapped.pk])).content.decode()

    # then
    assert "<h2>Ada Lovelace → unmapped</h2>" in unmapped_page
    assert "<h2>who@example.com → C00003</h2>" in mapped_page
    rows = re.findall(r'<label>([^<]+):</label>\s*<div class="readonly">([^<]*)</div>', unmapped_page)
    assert ("Shopify customer", "Ada Lovelace") in rows and ("Shopify customer ID", ada.shopify_gid) in rows
    assert [label for label, _ in rows].count("Shopify customer") == 1
    assert "Direction" not in unmapped_page and "Neither" not in unmapped_page
    assert "<label>Direction:</label>" in mapped_page and "Neither (mapped to an existing customer)" in mapped_page


def test_the_mapping_actions_say_how_many_selected_links_were_mapped_already(superuser, login):
    """Retry and Create on links mapped already leave them as they are, and say so."""
    # given
    merchant = MerchantFactory(posting_mode="documents", customer_import="all_customers")
    default = CustomerFactory(merchant=merchant)
    merchant.default_customer_no = default.number
    merchant.save()
    mapped = [link_of(ShopifyCustomerFactory(merchant=merchant), default.number, mapped_by=MappedBy.BY_HAND)
              for _ in range(2)]
    waiting = link_of(ShopifyCustomerFactory(merchant=merchant))
    client = login(superuser)

    def press(action: str, links: list[CustomerLink]) -> list[str]:
        return messages_of(client.post(LINKS, {"action": action, "_selected_action": [link.pk for link in links]},
                                       follow=True))

    # when
    retried = press("retry_mapping", [*mapped, waiting])
    created = press("create_ledger_customers", mapped[:1])

    # then
    assert retried == ["1 mapped, 0 still unmapped; 2 were already mapped and left as they are."]
    assert created == ["0 ledger customers created and mapped; 1 was already mapped and left as it is."]
    waiting.refresh_from_db()
    assert waiting.customer_no == default.number


def test_a_ledger_customer_the_customer_sync_uses_is_not_deleted_and_the_page_says_what_uses_it(superuser, login):
    """A link, a default per country and the shop card's default customer and template hold the number:
    deleting it (from its page or the list) is refused, naming each; a customer nothing uses goes."""
    # given
    merchant = MerchantFactory(code="DEMO-UK")
    used, unused = CustomerFactory(merchant=merchant, number="C00002"), CustomerFactory(merchant=merchant)
    merchant.default_customer_no = merchant.customer_template_no = used.number
    merchant.save()
    CountryDefaultCustomer.objects.create(merchant=merchant, country="GB", customer_no=used.number)
    CountryDefaultCustomer.objects.create(merchant=merchant, country="IE", customer_no=used.number)
    for _ in range(2):
        link_of(ShopifyCustomerFactory(merchant=merchant), used.number, mapped_by=MappedBy.EMAIL)
    client = login(superuser)
    uses = ("customer C00002 is the default customer on the shop card of DEMO-UK, customer C00002 is the customer "
            "template on the shop card of DEMO-UK, customer C00002 is the default customer for GB and IE (the shop "
            "card's default customer per country) and 2 Shopify customers are linked to customer C00002 (customer "
            "links). Change those first.")

    # when
    page_get = client.get(reverse("admin:ledger_customer_delete", args=[used.pk]), follow=True)
    page_post = client.post(reverse("admin:ledger_customer_delete", args=[used.pk]), {"post": "yes"}, follow=True)
    from_list = client.post(reverse("admin:ledger_customer_changelist"), {
        "action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"}, follow=True)
    unused_gone = client.post(reverse("admin:ledger_customer_delete", args=[unused.pk]), {"post": "yes"})

    # then
    assert messages_of(page_get) == messages_of(page_post) == [f"Customer C00002 cannot be deleted: {uses}"]
    assert page_post.redirect_chain[-1][0] == reverse("admin:ledger_customer_change", args=[used.pk])
    assert messages_of(from_list) == [f"Nothing was deleted, as customers of the selection are in use: {uses}"]
    assert unused_gone.status_code == 302
    assert list(Customer.objects.values_list("number", flat=True)) == ["C00002"]
