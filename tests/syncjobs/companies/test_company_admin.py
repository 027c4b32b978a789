"""The company links' pages: the list names each company and location and finds them by the company's
name, the Unmapped companies tile leads to exactly its rows, the actions map again or create the
customers and say what they left alone, a merchant user sees their shop's links only, and a ledger
customer the company sync uses is not deleted from under it."""
from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.ledger.models import Customer
from connectors.shopify.models import ShopifyCompany, ShopifyCompanyLocation
from syncjobs.companies.models import CompanyLink, Direction, MappedBy
from tests.factories.ledger import CustomerFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db
LINKS = reverse("admin:company_sync_companylink_changelist")
_ids = itertools.count(7_000_000)


def location_of(merchant, company: str, location: str = "Head office", **fields) -> ShopifyCompanyLocation:
    """An imported company location (and its company, by name) of the shop."""
    now = timezone.now()
    found, _ = ShopifyCompany.objects.get_or_create(
        merchant=merchant, name=company,
        defaults={"shopify_gid": f"gid://shopify/Company/{next(_ids)}", "imported_at": now, "updated_at": now,
                  "main_contact_email": f"buyer@{company.split()[0].lower()}.example"})
    return ShopifyCompanyLocation.objects.create(
        merchant=merchant, company=found, shopify_gid=f"gid://shopify/CompanyLocation/{next(_ids)}", name=location,
        updated_at=now, bill_to_address1="1 Main Street", bill_to_city="Albany", bill_to_country_code="US", **fields)


def link_of(location: ShopifyCompanyLocation, customer_no: str = "", **fields) -> CompanyLink:
    return CompanyLink.objects.create(merchant=location.merchant, company_location_gid=location.shopify_gid,
                                      company_gid=location.company.shopify_gid, customer_no=customer_no,
                                      unmapped_reason="" if customer_no else "no ledger customer matches", **fields)


def listed(client, **params) -> set[str]:
    response = client.get(LINKS, params)
    assert response.status_code == 200
    return {link.company_location_gid for link in response.context["cl"].result_list}


def press(client, action: str, links: list[CompanyLink]) -> list[str]:
    return messages_of(client.post(LINKS, {"action": action, "_selected_action": [link.pk for link in links]},
                                   follow=True))


def test_the_list_names_company_and_location_and_finds_them_by_the_companys_name(superuser, login):
    # given
    merchant = MerchantFactory()
    hudson = link_of(location_of(merchant, "Hudson Outfitters", "Albany Depot"))
    empire = link_of(location_of(merchant, "Empire Supply Co."), "C00007", mapped_by=MappedBy.BY_HAND)
    client = login(superuser)

    # when
    page = client.get(LINKS).content.decode()

    # then
    assert "Hudson Outfitters" in page and "Albany Depot" in page and "Empire Supply Co." in page
    assert listed(client, q="hudson") == {hudson.company_location_gid}
    assert listed(client, q="Empire Supply") == {empire.company_location_gid}
    assert listed(client, q="C00007") == {empire.company_location_gid}
    assert listed(client, q="Hudson Supply") == set()
    assert listed(client, q="Empire", unmapped="yes") == set()


def test_the_unmapped_companies_tile_leads_to_exactly_the_rows_it_counts(superuser, login):
    # given
    merchant, other = MerchantFactory(), MerchantFactory()
    waiting = [link_of(location_of(merchant, "Hudson Outfitters", name)) for name in ("Office", "Depot")]
    link_of(location_of(merchant, "Empire Supply Co."), "C00007", mapped_by=MappedBy.EMAIL)
    elsewhere = link_of(location_of(other, "Liberty Gear"))
    client = login(superuser)

    # when
    tiles = {t.tile.key: t for t in client.get(reverse("admin:index")).context["tiles"]}
    tile = tiles["unmapped_companies"]

    # then
    assert (tile.tile.label, tile.count) == ("Unmapped companies", 3)
    assert listed(client, unmapped="yes") == {link.company_location_gid for link in [*waiting, elsewhere]}
    assert tile.url == f"{LINKS}?unmapped=yes"


def test_map_again_uses_the_cards_rules_and_says_what_it_left_alone(superuser, login):
    """With a default company now on the card, map again maps the unmapped links to it; a link
    mapped already stays as it is, and the message says so."""
    # given
    merchant = MerchantFactory(company_import="all_customers")
    default = CustomerFactory(merchant=merchant)
    merchant.default_company_no = default.number
    merchant.save()
    mapped = link_of(location_of(merchant, "Empire Supply Co."), "C00007", mapped_by=MappedBy.BY_HAND)
    waiting = [link_of(location_of(merchant, "Hudson Outfitters", name)) for name in ("Office", "Depot")]
    client = login(superuser)

    # when
    said = press(client, "map_again", [mapped, *waiting])

    # then
    assert said == ["2 mapped, 0 still unmapped; 1 was already mapped and left as it is."]
    assert {(link.customer_no, link.mapped_by) for link in CompanyLink.objects.filter(
        pk__in=[w.pk for w in waiting])} == {(default.number, MappedBy.DEFAULT_COMPANY)}
    mapped.refresh_from_db()
    assert (mapped.customer_no, mapped.mapped_by) == ("C00007", MappedBy.BY_HAND)


def test_create_customers_makes_a_b2b_customer_from_each_selected_location(superuser, login):
    # given
    merchant = MerchantFactory(company_import="all_customers")
    office = location_of(merchant, "Hudson Outfitters", "Office", tax_registration_id="12-3456789")
    location_of(merchant, "Hudson Outfitters", "Depot")
    link = link_of(office)
    client = login(superuser)

    # when
    said = press(client, "create_ledger_customers", [link])

    # then
    assert said == ["1 ledger customer created and mapped."]
    link.refresh_from_db()
    assert (link.mapped_by, link.direction) == (MappedBy.CREATED, Direction.FROM_SHOPIFY)
    customer = Customer.objects.get(merchant=merchant, number=link.customer_no)
    assert (customer.name, customer.email, customer.tax_registration_no, customer.b2b_company, customer.city) == (
        "Hudson Outfitters — Office", "buyer@hudson.example", "12-3456789", False, "Albany")


def test_a_link_mapped_by_hand_must_name_a_customer_the_ledger_holds(superuser, login):
    # given
    merchant = MerchantFactory()
    known = CustomerFactory(merchant=merchant)
    link = link_of(location_of(merchant, "Hudson Outfitters"))
    url = reverse("admin:company_sync_companylink_change", args=[link.pk])
    client = login(superuser)

    # when
    page = client.get(url).content.decode()
    refused = client.post(url, {"customer_no": "C09999"})
    kept = client.post(url, {"customer_no": known.number})

    # then
    assert "Hudson Outfitters" in page and "buyer@hudson.example" in page
    assert "<title>Hudson Outfitters — Head office → unmapped" in page      # named, not its GID
    assert refused.status_code == 200 and "The ledger has no customer C09999." in refused.content.decode()
    assert kept.status_code == 302
    link.refresh_from_db()
    assert (link.customer_no, link.mapped_by, link.unmapped_reason) == (known.number, MappedBy.BY_HAND, "")


def test_a_merchant_user_sees_their_shops_links_only(login):
    merchant, other = MerchantFactory(), MerchantFactory()
    mine = link_of(location_of(merchant, "Hudson Outfitters"))
    theirs = link_of(location_of(other, "Liberty Gear"))
    client = login(merchant_user(merchant))

    assert listed(client) == {mine.company_location_gid}
    assert client.get(reverse("admin:company_sync_companylink_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:company_sync_companylink_change", args=[mine.pk])).status_code == 200


def test_a_ledger_customer_the_company_sync_uses_is_not_deleted_and_the_page_says_what_uses_it(superuser, login):
    # given
    merchant = MerchantFactory(code="DEMO-US")
    used, unused = CustomerFactory(merchant=merchant, number="CO-002"), CustomerFactory(merchant=merchant)
    merchant.default_company_no = used.number
    merchant.save()
    for name in ("Office", "Depot"):
        link_of(location_of(merchant, "Hudson Outfitters", name), used.number, mapped_by=MappedBy.TAX_ID)
    client = login(superuser)

    # when
    refused = client.post(reverse("admin:ledger_customer_delete", args=[used.pk]), {"post": "yes"}, follow=True)
    unused_gone = client.post(reverse("admin:ledger_customer_delete", args=[unused.pk]), {"post": "yes"})

    # then
    (said,) = messages_of(refused)
    assert "customer CO-002 is the default company on the shop card of DEMO-US" in said
    assert "2 Shopify company locations are linked to customer CO-002 (company links)" in said
    assert unused_gone.status_code == 302
    assert list(Customer.objects.values_list("number", flat=True)) == ["CO-002"]
