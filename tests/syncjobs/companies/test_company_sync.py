"""Sync Companies (30114) over HTTP against the simulator's demo-us (8 companies, 13 locations), against
the built-in ledger and the in-memory target alike: each company mapping mode, exact matching only,
auto-create and the default company, the unmapped tile, a second run that changes nothing, Shopify's
later edits, the export of the ledger's B2B customers (once, even after a lost answer) and the
shop card's "with order import"."""
from __future__ import annotations

from connectors.ledger.records import CustomerData
from connectors.shopify.client import ShopifyClient
from connectors.shopify.models import ShopifyCompanyLocation, ShopifyOrder
from connectors.shopify.order_sync import sync_orders
from core.contacts import e164_phone
from core.tiles import TILES
from merchants.models import Merchant
from syncjobs.companies.models import Direction, MappedBy
from syncjobs.companies.selectors import customers_of_locations
from tests.syncjobs.companies.helpers import (
    FAST,
    LOCATIONS,
    all_locations,
    b2b_merchant,
    companies_in_shopify,
    links,
    locations_of,
    run,
    set_card,
)

NOT_FOUND = ("no ledger customer has the main contact's email or phone; auto-create unknown companies is off and "
             "no default company is set on the shop card")


def named(companies: list[dict], name: str) -> dict:
    return next(company for company in companies if company["name"] == name)


def test_the_main_contacts_email_or_phone_finds_the_customer_and_nothing_looser_does(books, merchant, demo_us):
    """Each location of a company goes to the ledger customer with its main contact's email, else its
    phone; another contact's email, or an email that merely contains it, finds nothing."""
    # given
    companies = companies_in_shopify(demo_us)
    adirondack, pioneer = named(companies, "Adirondack Trading LLC"), named(companies, "Pioneer Supply Co.")
    granite = named(companies, "Granite Outfitters")   # two contacts: the second is not the main one
    other_contact = next(c["customer"] for c in granite["contacts"]["nodes"]
                         if c["customer"]["id"] != granite["mainContact"]["customer"]["id"])
    by_email, by_phone, near, not_main = books.create_customers(merchant, [
        CustomerData(name="Adirondack in the books", email=adirondack["mainContact"]["customer"]["email"].upper()),
        CustomerData(name="Pioneer in the books", phone=pioneer["mainContact"]["customer"]["phone"], country="US"),
        CustomerData(name="Not the same", email=granite["mainContact"]["customer"]["email"] + ".extra"),
        CustomerData(name="Granite's other contact", email=other_contact["email"])])

    # when
    result = run(merchant)

    # then
    mapped = links(merchant)
    every = all_locations(demo_us)
    assert set(mapped) == set(every) and result.links.read == LOCATIONS
    assert {(mapped[loc["id"]].customer_no, mapped[loc["id"]].mapped_by) for loc in locations_of(adirondack)} == {
        (by_email.number, MappedBy.EMAIL)}
    (pioneer_office,) = locations_of(pioneer)
    assert (mapped[pioneer_office["id"]].customer_no, mapped[pioneer_office["id"]].mapped_by) == (
        by_phone.number, MappedBy.PHONE)
    (granite_office,) = locations_of(granite)
    assert (mapped[granite_office["id"]].customer_no, mapped[granite_office["id"]].unmapped_reason) == ("", NOT_FOUND)
    assert len(result.links.unmapped) == LOCATIONS - 4
    assert near.number not in {link.customer_no for link in mapped.values()}
    assert not_main.number not in {link.customer_no for link in mapped.values()}
    # What the catalogs read: the mapped locations' customers only.
    assert customers_of_locations(merchant, every) == {
        **{loc["id"]: by_email.number for loc in locations_of(adirondack)}, pioneer_office["id"]: by_phone.number}


def test_by_tax_id_the_locations_registration_finds_the_customer_however_it_was_typed(books, merchant, demo_us):
    """Each location maps on its own tax ID: two locations of one company can go to two customers;
    a tax ID two customers share maps neither, and says which."""
    # given
    set_card(merchant, company_mapping="by_tax_id")
    adirondack = named(companies_in_shopify(demo_us), "Adirondack Trading LLC")
    office, warehouse, store = locations_of(adirondack)    # 78-8214754 …: typed with spaces and dots below
    office_customer, warehouse_customer, twin_a, twin_b = books.create_customers(merchant, [
        CustomerData(name="Adirondack head office", tax_registration_no=office["taxRegistrationId"].replace("-", " ")),
        CustomerData(name="Adirondack warehouse", tax_registration_no=warehouse["taxRegistrationId"].replace("-", ".")),
        CustomerData(name="Twin A", tax_registration_no=store["taxRegistrationId"]),
        CustomerData(name="Twin B", tax_registration_no=store["taxRegistrationId"].replace("-", ""))])

    # when
    run(merchant)

    # then
    mapped = links(merchant)
    assert (mapped[office["id"]].customer_no, mapped[office["id"]].mapped_by) == (office_customer.number,
                                                                                  MappedBy.TAX_ID)
    assert mapped[warehouse["id"]].customer_no == warehouse_customer.number
    assert (mapped[store["id"]].customer_no, mapped[store["id"]].unmapped_reason) == (
        "", f"ledger customers {twin_a.number}, {twin_b.number} have the same tax registration no.; map it by hand")
    lakeside_office = locations_of(named(companies_in_shopify(demo_us), "Lakeside Trading LLC"))[0]
    assert mapped[lakeside_office["id"]].unmapped_reason.startswith("the location has no tax registration ID; ")


def test_always_the_default_company_sends_every_location_to_it(books, merchant, demo_us):
    (default,) = books.create_customers(merchant, [CustomerData(name="B2B customers")])
    set_card(merchant, company_mapping="default_company", default_company_no=default.number,
             auto_create_unknown_companies=True)

    run(merchant)

    assert {(link.customer_no, link.mapped_by) for link in links(merchant).values()} == {
        (default.number, MappedBy.DEFAULT_COMPANY)}
    assert books.customer_numbers(merchant) == [default.number]    # nothing created


def test_a_location_no_customer_matches_goes_to_the_default_company_when_auto_create_is_off(books, merchant):
    (default,) = books.create_customers(merchant, [CustomerData(name="B2B customers")])
    set_card(merchant, default_company_no=default.number)

    result = run(merchant)

    assert {(link.customer_no, link.mapped_by) for link in links(merchant).values()} == {
        (default.number, MappedBy.DEFAULT_COMPANY)}
    assert (result.links.defaulted, result.links.unmapped) == (LOCATIONS, [])


def test_auto_create_makes_one_b2b_customer_per_location_and_a_second_run_changes_nothing(books, merchant, demo_us):
    # given
    set_card(merchant, auto_create_unknown_companies=True)

    # when
    first = run(merchant)
    second = run(merchant)

    # then
    mapped = links(merchant)
    numbers = {link.customer_no for link in mapped.values()}
    assert (first.links.created, len(numbers), len(books.customer_numbers(merchant))) == (LOCATIONS,) * 3
    assert {(link.mapped_by, link.direction) for link in mapped.values()} == {(MappedBy.CREATED,
                                                                               Direction.FROM_SHOPIFY)}
    assert (second.links.read, second.links.created, second.links.updated) == (0, 0, 0)
    companies = companies_in_shopify(demo_us)
    pioneer, adirondack = named(companies, "Pioneer Supply Co."), named(companies, "Adirondack Trading LLC")
    (office,) = locations_of(pioneer)
    made = books.get_customers(merchant, [mapped[office["id"]].customer_no])[mapped[office["id"]].customer_no]
    contact, billing = pioneer["mainContact"]["customer"], office["billingAddress"]
    assert (made.name, made.email, made.phone) == ("Pioneer Supply Co.", contact["email"].lower(),
                                                   e164_phone(contact["phone"], "US"))
    assert (made.address, made.city, made.post_code, made.county, made.country) == (
        billing["address1"], billing["city"], billing["zip"], billing["zoneCode"], billing["countryCode"])
    # Not marked "B2B company" (which would send it to Shopify again as a company of its own).
    assert (made.tax_registration_no, made.tax_liable, made.b2b_company) == (office["taxRegistrationId"], True, False)
    warehouse = locations_of(adirondack)[1]     # tax exempt, one of three locations
    number = mapped[warehouse["id"]].customer_no
    made = books.get_customers(merchant, [number])[number]
    assert (made.name, made.tax_liable) == ("Adirondack Trading LLC — Brooklyn Warehouse", False)


def test_a_customer_created_from_a_location_takes_its_companys_later_edits_once(books, merchant, demo_us, simulator):
    """Another main contact in Shopify: the customers of the company's locations take its email, once."""
    # given
    set_card(merchant, auto_create_unknown_companies=True)
    run(merchant)
    granite = named(companies_in_shopify(demo_us), "Granite Outfitters")
    other = next(c for c in granite["contacts"]["nodes"]
                 if c["customer"]["id"] != granite["mainContact"]["customer"]["id"])
    simulator.clock.advance(120)
    demo_us.run_text("""mutation($company: ID!, $contact: ID!) {
        companyAssignMainContact(companyId: $company, companyContactId: $contact) { userErrors { message } } }""",
                     company=granite["id"], contact=other["id"])

    # when
    edited = run(merchant)
    again = run(merchant)

    # then
    (office,) = locations_of(granite)
    number = links(merchant)[office["id"]].customer_no
    assert books.get_customers(merchant, [number])[number].email == other["customer"]["email"].lower()
    assert (edited.links.updated, again.links.updated) == (1, 0)


def test_a_customer_made_from_a_company_is_never_sent_back_to_shopify_as_another_company(books, merchant, demo_us):
    """Its link mapped again by hand to another customer: the next runs leave the customer alone."""
    # given
    set_card(merchant, auto_create_unknown_companies=True)
    run(merchant)
    before = len(companies_in_shopify(demo_us))
    link = next(iter(links(merchant).values()))
    (other,) = books.create_customers(merchant, [CustomerData(name="Chosen by hand")])
    type(link).objects.filter(pk=link.pk).update(customer_no=other.number, mapped_by=MappedBy.BY_HAND,
                                                 direction=Direction.NONE)

    # when
    again = run(merchant)

    # then
    assert len(companies_in_shopify(demo_us)) == before
    assert (again.exported.created, again.exported.failed) == (0, [])


def test_without_auto_create_or_default_the_unmapped_tile_counts_exactly_those_links(books, merchant):
    other = Merchant.objects.create(code="OTHER", name="Other", shop_domain="other.myshopify.com")

    result = run(merchant)

    tile = TILES["unmapped_companies"].rows(Merchant.objects.all())
    unmapped = {gid for gid, link in links(merchant).items() if not link.customer_no}
    assert set(tile.values_list("company_location_gid", flat=True)) == unmapped
    assert len(unmapped) == len(result.links.unmapped) == LOCATIONS
    assert not TILES["unmapped_companies"].rows(Merchant.objects.filter(pk=other.pk)).exists()


def test_a_ledger_b2b_customer_becomes_one_company_in_shopify_linked_to_it(books, merchant, demo_us):
    """Exported once, with its address, tax ID and contact; the import then brings the company back
    and maps it to the customer it came from, so even auto-create makes no second customer."""
    # given
    set_card(merchant, auto_create_unknown_companies=True)
    (acme,) = books.create_customers(merchant, [CustomerData(
        name="Acme Wholesale", email="buyer@acme.example", phone="(212) 555-0100", address="1 Broadway",
        city="New York", post_code="10004", county="NY", country="US", tax_registration_no="12-3456789",
        b2b_company=True)])

    # when
    first = run(merchant)
    second = run(merchant)

    # then
    (company,) = [c for c in companies_in_shopify(demo_us) if c["externalId"] == acme.number]
    (location,) = locations_of(company)
    assert (company["name"], location["taxRegistrationId"], location["billingAddress"]["city"]) == (
        "Acme Wholesale", "12-3456789", "New York")
    assert company["mainContact"]["customer"]["email"] == "buyer@acme.example"
    link = links(merchant)[location["id"]]
    assert (link.customer_no, link.mapped_by, link.direction) == (acme.number, MappedBy.EXPORTED,
                                                                  Direction.TO_SHOPIFY)
    assert (first.exported.created, first.exported.failed, second.exported.created) == (1, [], 0)
    assert len(books.customer_numbers(merchant)) == 1 + LOCATIONS     # Acme and one per demo-us location


def test_a_company_created_before_whose_answer_was_lost_is_found_again_not_made_twice(books, merchant, demo_us):
    """The export looks the customer no. up among the companies' external IDs before creating."""
    # given
    set_card(merchant, company_import="none")    # nothing imported: the export alone finds it
    (acme,) = books.create_customers(merchant, [CustomerData(name="Acme Wholesale", b2b_company=True,
                                                             address="1 Broadway", city="New York", country="US")])
    # What a create whose answer never came back left in Shopify: the company, with the customer no.
    demo_us.run_text("""mutation($input: CompanyCreateInput!) { companyCreate(input: $input) {
        userErrors { message } } }""", input={
        "company": {"name": "Acme Wholesale", "externalId": acme.number},
        "companyLocation": {"name": "Acme Wholesale", "billingSameAsShipping": True,
                            "shippingAddress": {"address1": "1 Broadway", "city": "New York",
                                                "countryCode": "US"}}})

    # when
    result = run(merchant)

    # then
    assert len([c for c in companies_in_shopify(demo_us) if c["externalId"] == acme.number]) == 1
    assert result.exported.failed == []
    (link,) = [link for link in links(merchant).values() if link.customer_no == acme.number]
    assert (link.mapped_by, link.direction) == (MappedBy.EXPORTED, Direction.TO_SHOPIFY)


def test_a_shop_without_b2b_refuses_the_export_and_the_run_names_the_customer(books, simulator):
    eu = b2b_merchant(simulator, "demo-eu")
    (acme,) = books.create_customers(eu, [CustomerData(name="Acme SARL", b2b_company=True, country="FR")])

    result = run(eu)

    assert result.has_b2b is False and result.links.read == 0
    ((number, why),) = result.exported.failed
    assert number == acme.number and "B2B is not available on this shop" in why


def test_with_order_import_only_locations_that_ordered_are_linked(books, merchant, demo_us):
    """Every company is read; only the locations imported orders were placed for get a customer."""
    # given
    set_card(merchant, company_import="with_order_import", auto_create_unknown_companies=True)
    sync_orders(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST))
    ordered = set(ShopifyOrder.objects.filter(merchant=merchant).exclude(company_location_gid="")
                  .values_list("company_location_gid", flat=True))

    # when
    result = run(merchant)

    # then
    assert ordered, "demo-us has B2B orders"
    assert ShopifyCompanyLocation.objects.filter(merchant=merchant).count() == LOCATIONS
    assert set(links(merchant)) == ordered and result.links.created == len(ordered)
    assert len(books.customer_numbers(merchant)) == len(ordered)


def test_a_shop_card_importing_no_companies_reads_none_from_shopify(books, merchant, demo_us):
    set_card(merchant, company_import="none", auto_create_unknown_companies=True)

    result = run(merchant)

    assert (result.imported.read, result.links.read, links(merchant)) == (0, 0, {})
    assert not ShopifyCompanyLocation.objects.filter(merchant=merchant).exists()
