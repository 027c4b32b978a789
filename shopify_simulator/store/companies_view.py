"""Companies, their locations, contacts, roles and addresses, catalogs, publications and price lists
as Shopify serves them, every field the schema promises filled: a company's, a location's and a
contact's orders are the shop's orders placed by its contacts (an order's purchasingEntity names the
same company and location), their spend is those orders' current totals; events, metafields and draft
orders are empty lists.

What costs something or points back (a company's locations and orders, a location's catalogs, a price
list's prices) is a function the GraphQL layer calls only when the query asks for it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Callable, NamedTuple

from shopify_simulator.store.companies import (
    TEMPLATES_BY_ID,
    Company,
    CompanyAddress,
    CompanyContact,
    CompanyContactRole,
    CompanyLocation,
    PaymentTermsTemplate,
    RoleAssignment,
)
from shopify_simulator.store.companies_generation import ABROAD, COUNTRY_NAMES
from shopify_simulator.store.money import decimal_string
from shopify_simulator.store.price_lists import MARKET, Catalog, PriceList, Publication, price_of
from shopify_simulator.store.product_view import product_view, variant_view

CURRENCY_NAMES = {"USD": "US Dollar", "CAD": "Canadian Dollar", "GBP": "British Pound", "EUR": "Euro",
                  "AUD": "Australian Dollar", "NZD": "New Zealand Dollar"}
B2B_APP = {"__typename": "App", "id": "gid://shopify/App/2614661", "title": "Shopify B2B", "handle": "b2b",
           "apiKey": "b2b", "description": None, "developerName": "Shopify", "developerType": "SHOPIFY",
           "embedded": True, "features": [], "shopifyDeveloped": True, "published": True, "previouslyInstalled": False,
           "isPostPurchaseAppInUse": False, "pricingDetailsSummary": "Free", "uninstallMessage": "",
           "webhookApiVersion": "2025-01"}


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def count(number: int) -> dict:
    return {"count": number, "precision": "EXACT"}


def lifetime(since: datetime, now: datetime) -> str:
    """Shopify's words for how long ago: "3 days", "about 1 month", "over 2 years"."""
    days = max(0, (now - since).days)
    if days < 1:
        return "less than a day"
    if days < 30:
        return f"{days} day{'s' if days > 1 else ''}"
    if days < 365:
        months = days // 30
        return f"about {months} month{'s' if months > 1 else ''}"
    years = days // 365
    return f"{'about' if days % 365 < 180 else 'over'} {years} year{'s' if years > 1 else ''}"


# The API layer's paging and search, handed in (the store knows no GraphQL):
# page(info, records in ID order, keep, view, args) -> a connection, built only for the page asked;
# search(query text) -> a predicate over a field getter.
Page = Callable[..., dict]
Search = Callable[[str | None], Callable[[Callable[[str], object]], bool]]


class PlacedOrder(NamedTuple):
    """An order of the shop placed for a company: by which contact, for which location."""
    number: int
    contact_id: int
    location_id: int


def template_view(template: PaymentTermsTemplate) -> dict:
    return {"__typename": "PaymentTermsTemplate", "id": template.gid, "name": template.name,
            "translatedName": template.name, "description": template.description, "dueInDays": template.due_in_days,
            "paymentTermsType": template.terms_type}


class B2BViews:
    """The views of one shop's B2B records at one moment (`now`, for lifetimes)."""

    def __init__(self, shop, now: datetime, *, page: Page, search: Search) -> None:
        self.shop, self.now = shop, now
        self.book, self.prices = shop.companies, shop.price_lists
        self.page, self.search = page, search
        self._placed: list[PlacedOrder] | None = None

    # Orders placed for companies
    def placed_orders(self) -> list[PlacedOrder]:
        """Every order of the shop whose customer buys for a company, oldest first, with the contact
        and location its purchasingEntity names. One walk over the shop's orders, made the first time
        a view asks (a company's, a location's or a contact's orders or spend) and shared by every view
        these views made (a page of companies walks once): cheap at the simulator's sizes (thousands of
        orders, built from their number and cached by the order index, only the walk's ID order read);
        an index of orders by customer would be the next step for far bigger shops."""
        if self._placed is None:
            index, book = self.shop.orders, self.book
            buyers = {contact.customer_number for contact in book.contacts()}
            placed = []
            if buyers:
                numbers = index.numbers_by_created(after_number=None, reverse=False, upper=None,
                                                   lower=index.visible_from(self.shop.scopes))
                for number, _ in numbers:
                    customer = index.order(number).customer if index.exists(number) else None
                    customer_number = int(customer.gid.rsplit("/", 1)[1]) if customer else None
                    found = book.location_of_customer(customer_number) if customer_number in buyers else None
                    if found is not None:
                        contact, location = found
                        placed.append(PlacedOrder(number, contact.id, location.id))
            self._placed = placed
        return self._placed

    def _orders(self, keep: Callable[[PlacedOrder], bool]) -> dict:
        """`orders`, `ordersCount` and `totalSpent` over the placed orders `keep` picks, each worked
        out when asked; orders list in ID order (UPDATED_AT: by updatedAt), `reverse` flips it."""
        def numbers() -> list[int]:
            return [placed.number for placed in self.placed_orders() if keep(placed)]

        def views() -> list[dict]:
            return [self.shop.orders.view(number, self.now) for number in numbers()]

        def listed(info, sortKey="ID", reverse=False, **args) -> list[dict]:
            found = views()
            if sortKey == "UPDATED_AT":
                found.sort(key=lambda view: (view["updatedAt"], int(view["legacyResourceId"])))
            return found[::-1] if reverse else found

        def spent(info, **args) -> dict:
            amount = sum((Decimal(view["currentTotalPriceSet"]["shopMoney"]["amount"]) for view in views()),
                         Decimal(0))
            return {"amount": decimal_string(amount), "currencyCode": self.shop.profile.currency}

        return {"orders": listed, "ordersCount": lambda info, **args: count(len(numbers())),
                "totalSpent": spent}

    # Companies
    def company(self, company: Company) -> dict:
        book = self.book
        created = iso(company.created)
        main = book.contact(company.main_contact_id) if company.main_contact_id else None
        return {
            "__typename": "Company", "id": company.gid, "name": company.name, "externalId": company.external_id,
            "note": company.note, "createdAt": created, "updatedAt": iso(company.updated),
            "customerSince": iso(company.customer_since),
            "lifetimeDuration": lifetime(company.customer_since, self.now),
            "defaultCursor": company.gid, "hasTimelineComment": False,
            "contactCount": len(company.contact_ids), "contactsCount": count(len(company.contact_ids)),
            "locationsCount": count(len(company.location_ids)),
            **self._orders(lambda placed: placed.location_id in company.location_ids),
            "mainContact": (lambda info, **args: self.contact(main)) if main else None,
            "defaultRole": lambda info, **args: self.role(book.role_named(company, "Ordering only")),
            "contactRoles": lambda info, sortKey="ID", **args: [self.role(r) for r in book.roles_of(company)],
            "contacts": lambda info, sortKey="ID", query=None, **args: self._sorted(
                book.contacts_of(company), query, sortKey, self.contact_value, CONTACT_SORTS, self.contact),
            "locations": lambda info, sortKey="ID", query=None, **args: self._sorted(
                book.locations_of(company), query, sortKey, self.location_value, LOCATION_SORTS, self.location),
            "draftOrders": [], "events": [], "metafields": [], "metafieldDefinitions": [], "metafield": None,
        }

    def location(self, location: CompanyLocation) -> dict:
        book, prices = self.book, self.prices
        company = book.company(location.company_id)
        template = TEMPLATES_BY_ID.get(location.payment_terms_id) if location.payment_terms_id else None
        exemptions = list(location.tax_exemptions)
        placed = self._orders(lambda order: order.location_id == location.id)

        def in_catalog(info, catalogId, **args) -> bool:
            catalog = prices.catalog(_number(catalogId))
            return catalog is not None and catalog.gid == catalogId and location.id in catalog.location_ids

        return {
            "__typename": "CompanyLocation", "id": location.gid, "name": location.name,
            "externalId": location.external_id, "note": location.note, "phone": location.phone,
            "locale": location.locale, "currency": location.currency, "createdAt": iso(location.created),
            "updatedAt": iso(location.updated), "defaultCursor": location.gid,
            "hasTimelineComment": False, **placed,
            "orderCount": lambda info, **args: placed["ordersCount"](info)["count"],
            "taxRegistrationId": location.tax_registration_id, "taxExemptions": exemptions,
            "taxSettings": {"taxExempt": location.tax_exempt, "taxExemptions": exemptions,
                            "taxRegistrationId": location.tax_registration_id},
            "buyerExperienceConfiguration": {
                "checkoutToDraft": location.checkout_to_draft, "editableShippingAddress":
                    location.editable_shipping_address, "deposit": None,
                "payNowOnly": template is None and not location.checkout_to_draft,
                "paymentTermsTemplate": template_view(template) if template else None},
            "billingAddress": self.address(company, location.billing) if location.billing else None,
            "shippingAddress": self.address(company, location.shipping) if location.shipping else None,
            "company": lambda info, **args: self.company(company),
            "market": lambda info, **args: self.market(location.country_code),
            "catalogs": lambda info, **args: [self.catalog(c) for c in prices.catalogs_of_location(location.id)],
            "catalogsCount": lambda info, **args: count(len(prices.catalogs_of_location(location.id))),
            "inCatalog": in_catalog,
            "roleAssignments": lambda info, sortKey="ID", query=None, **args: [
                self.assignment(a) for a in book.assignments_at(location)],
            "staffMemberAssignments": [], "draftOrders": [], "events": [], "metafields": [],
            "metafieldDefinitions": [], "metafield": None,
        }

    def address(self, company: Company, address: CompanyAddress) -> dict:
        country = COUNTRY_NAMES.get(address.country_code, address.country_code)
        area = " ".join(part for part in (address.city, address.zone_code, address.zip) if part)

        def formatted(info=None, withName=False, withCompanyName=True, **args) -> list[str]:
            lines = [company.name] if withCompanyName else []
            if withName and address.recipient:
                lines.append(address.recipient)
            return [*lines, *(line for line in (address.address1, address.address2, area, country) if line)]

        return {
            "__typename": "CompanyAddress", "id": address.gid, "address1": address.address1,
            "address2": address.address2, "city": address.city, "zip": address.zip, "zoneCode": address.zone_code,
            "province": address.zone_code, "countryCode": address.country_code, "country": country,
            "companyName": company.name, "recipient": address.recipient, "firstName": address.first_name,
            "lastName": address.last_name, "phone": address.phone, "createdAt": iso(address.created),
            "updatedAt": iso(address.updated), "formattedAddress": formatted,
            "formattedArea": ", ".join(part for part in (address.city, address.zone_code, country) if part),
        }

    def contact(self, contact: CompanyContact) -> dict:
        book = self.book
        company = book.company(contact.company_id)
        return {
            "__typename": "CompanyContact", "id": contact.gid, "title": contact.title, "locale": contact.locale,
            "isMainContact": company.main_contact_id == contact.id, "createdAt": iso(contact.created),
            "updatedAt": iso(contact.updated), "lifetimeDuration": lifetime(contact.created, self.now),
            "company": lambda info, **args: self.company(company),
            "customer": lambda info, **args: self.shop.customers.view(contact.customer_number),
            "roleAssignments": lambda info, sortKey="ID", query=None, **args: [
                self.assignment(a) for a in book.assignments_of(contact)],
            "orders": self._orders(lambda placed: placed.contact_id == contact.id)["orders"], "draftOrders": [],
        }

    def role(self, role: CompanyContactRole) -> dict:
        return {"__typename": "CompanyContactRole", "id": role.gid, "name": role.name, "note": None}

    def assignment(self, assignment: RoleAssignment) -> dict:
        book = self.book
        contact = book.contact(assignment.contact_id)
        location = book.location(assignment.location_id)
        return {
            "__typename": "CompanyContactRoleAssignment", "id": assignment.gid, "createdAt": iso(assignment.created),
            "updatedAt": iso(assignment.updated), "role": self.role(book.role(assignment.role_id)),
            "company": lambda info, **args: self.company(book.company(contact.company_id)),
            "companyContact": lambda info, **args: self.contact(contact),
            "companyLocation": lambda info, **args: self.location(location),
        }

    # Markets, catalogs, publications, price lists
    def market(self, country_code: str) -> dict:
        profile = self.shop.profile
        is_home = country_code == profile.country_code
        currency = profile.currency if is_home else next(
            (code for code, abroad in ABROAD.items() if abroad.country_code == country_code), profile.currency)
        codes = list(COUNTRY_NAMES)
        number = 9_000_000 + (profile.id_base - 5_000_000_000) // 1000 + codes.index(country_code) \
            if country_code in codes else 9_000_000
        return {
            "__typename": "Market", "id": f"gid://shopify/Market/{number}",
            "name": COUNTRY_NAMES.get(country_code, country_code), "handle": country_code.lower(),
            "enabled": True, "primary": is_home,
            "currencySettings": {"baseCurrency": {"currencyCode": currency,
                                                  "currencyName": CURRENCY_NAMES.get(currency, currency),
                                                  "enabled": True, "rateUpdatedAt": None},
                                 "localCurrencies": False},
            "catalogs": lambda info, **args: [self.catalog(c) for c in self.prices.catalogs_of_market(country_code)],
            "catalogsCount": lambda info, **args: count(len(self.prices.catalogs_of_market(country_code))),
            "priceList": None, "regions": [], "webPresence": None, "webPresences": [], "metafields": [],
            "metafieldDefinitions": [], "metafield": None,
        }

    def catalog(self, catalog: Catalog) -> dict:
        prices = self.prices
        price_list = prices.price_list(catalog.price_list_id)
        publication = prices.publication(catalog.publication_id)
        view = {
            "__typename": "MarketCatalog" if catalog.kind == MARKET else "CompanyLocationCatalog",
            "id": catalog.gid, "title": catalog.title, "status": catalog.status, "operations": [],
            "priceList": (lambda info, **args: self.price_list(price_list)) if price_list else None,
            "publication": (lambda info, **args: self.publication(publication)) if publication else None,
        }
        if catalog.kind == MARKET:
            view["markets"] = lambda info, **args: [self.market(catalog.market_country)]
        else:
            locations = lambda: [self.book.location(i) for i in catalog.location_ids  # noqa: E731
                                 if self.book.location(i) is not None]
            view["companyLocations"] = lambda info, sortKey="ID", query=None, **args: self._sorted(
                locations(), query, sortKey, self.location_value, LOCATION_SORTS, self.location)
            view["companyLocationsCount"] = lambda info, **args: count(len(locations()))
        return view

    def publication(self, publication: Publication) -> dict:
        shop = self.shop
        catalog = self.prices.catalog(publication.catalog_id)
        published = iso(publication.created)

        def products(info, **args) -> dict:
            return self.page(info, shop.catalog.products(),
                             keep=lambda p: p.status == "ACTIVE" and publication.offers(p.id),
                             view=lambda p: product_view(shop, p), args=args)

        def product_publications(info, **args) -> dict:
            return self.page(info, shop.catalog.products(), keep=lambda p: publication.offers(p.id),
                             view=lambda p: {"isPublished": p.status == "ACTIVE", "publishDate": published,
                                             "publication": self.publication(publication),
                                             "publishable": product_view(shop, p)}, args=args)

        return {
            "__typename": "Publication", "id": publication.gid, "name": catalog.title if catalog else "",
            "autoPublish": bool(publication.auto_publish), "supportsFuturePublishing": False, "operation": None,
            "app": B2B_APP, "catalog": (lambda info, **args: self.catalog(catalog)) if catalog else None,
            "collections": [], "collectionPublicationsV3": [], "hasCollection": lambda info, **args: False,
            "products": products, "productPublicationsV3": product_publications,
        }

    def price_list(self, price_list: PriceList) -> dict:
        shop, prices = self.shop, self.prices
        catalog = prices.catalog(price_list.catalog_id) if price_list.catalog_id else None

        def listed(info, originType=None, query=None, **args) -> dict:
            wanted = self.search(query)
            if originType == "FIXED" and price_list.negotiated is None:
                variants = [shop.catalog.variant(i) for i in sorted(price_list.fixed)]
                records = [v for v in variants if v is not None]
            else:
                records = shop.catalog.variants()
            keep_fixed = {"FIXED": True, "RELATIVE": False}.get(originType)
            return self.page(
                info, records, args=args, view=lambda v: self.price(price_list, v),
                keep=lambda v: ((keep_fixed is None or price_list.is_fixed(v.id) == keep_fixed)
                                and wanted({"id": v.id, "variant_id": v.id, "product_id": v.product_id}.get)))

        return {
            "__typename": "PriceList", "id": price_list.gid, "name": price_list.name, "currency": price_list.currency,
            "fixedPricesCount": price_list.fixed_count(shop.catalog),
            "parent": {"adjustment": {"type": price_list.adjustment_type,
                                      "value": float(price_list.adjustment_value)},
                       "settings": {"compareAtMode": price_list.compare_at_mode}},
            "catalog": (lambda info, **args: self.catalog(catalog)) if catalog else None,
            "prices": listed, "quantityRules": [],
        }

    def price(self, price_list: PriceList, variant) -> dict:
        shop = self.shop
        profile = shop.profile
        rate = Decimal(1) if price_list.currency == profile.currency else profile.fx_rate(price_list.currency)
        amount, compare_at, origin = price_of(price_list, variant, rate)
        return {
            "__typename": "PriceListPrice", "originType": origin,
            "price": {"amount": decimal_string(amount), "currencyCode": price_list.currency},
            "compareAtPrice": ({"amount": decimal_string(compare_at), "currencyCode": price_list.currency}
                               if compare_at is not None else None),
            "quantityPriceBreaks": [],
            "variant": lambda info, **args: variant_view(shop, shop.catalog.product(variant.product_id), variant),
        }

    # Search values and sorting of nested lists
    def _sorted(self, records: list, query, sort_key: str, value, sorts: dict, view) -> list[dict]:
        """A nested list (a company's locations, a catalog's locations) searched and sorted; the API
        layer pages it."""
        wanted = self.search(query)
        sort = sorts.get(sort_key, sorts["ID"])
        kept = sorted((r for r in records if wanted(lambda field, r=r: value(r, field))), key=lambda r: sort(self, r))
        return [view(r) for r in kept]

    def company_value(self, company: Company, field: str):
        values = {"name": company.name, "external_id": company.external_id or "", "id": company.id,
                  "created_at": company.created, "updated_at": company.updated, "since_date": company.customer_since,
                  "": {company.name, company.external_id or ""}}
        return values.get(field)

    def location_value(self, location: CompanyLocation, field: str):
        values = {"name": location.name, "external_id": location.external_id or "", "id": location.id,
                  "company_id": location.company_id, "created_at": location.created, "updated_at": location.updated,
                  "": {location.name, location.external_id or ""}}
        return values.get(field)

    def contact_value(self, contact: CompanyContact, field: str):
        if field in ("email", "name", ""):
            customer = self.shop.customers.view(contact.customer_number) or {}
            email, name = customer.get("email") or "", customer.get("displayName") or ""
            return {"email": email, "name": name, "": {email, name}}[field]
        if field in ("company_location_id", "location_name", "role_name"):
            assignments = self.book.assignments_of(contact)
            locations = [self.book.location(a.location_id) for a in assignments]
            return {"company_location_id": {loc.id for loc in locations},
                    "location_name": {loc.name for loc in locations},
                    "role_name": {self.book.role(a.role_id).name for a in assignments}}[field]
        values = {"id": contact.id, "company_id": contact.company_id, "created_at": contact.created,
                  "updated_at": contact.updated, "title": contact.title or ""}
        return values.get(field)

    def _contact_name(self, contact: CompanyContact) -> str:
        return ((self.shop.customers.view(contact.customer_number) or {}).get("displayName") or "").lower()

    def _contact_email(self, contact: CompanyContact) -> str:
        return ((self.shop.customers.view(contact.customer_number) or {}).get("email") or "").lower()


def _number(gid: str | None) -> int:
    tail = (gid or "").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else -1


COMPANY_SORTS = {
    "ID": lambda self, c: (c.id,), "NAME": lambda self, c: (c.name.lower(), c.id),
    "CREATED_AT": lambda self, c: (c.created.isoformat(), c.id),
    "UPDATED_AT": lambda self, c: (c.updated.isoformat(), c.id),
    "SINCE_DATE": lambda self, c: (c.customer_since.isoformat(), c.id),
}
LOCATION_SORTS = {
    "ID": lambda self, loc: (loc.id,), "NAME": lambda self, loc: (loc.name.lower(), loc.id),
    "CREATED_AT": lambda self, loc: (loc.created.isoformat(), loc.id),
    "UPDATED_AT": lambda self, loc: (loc.updated.isoformat(), loc.id),
    "COMPANY_ID": lambda self, loc: (loc.company_id, loc.id),
    "COMPANY_AND_LOCATION_NAME": lambda self, loc: (self.book.company(loc.company_id).name.lower(),
                                                    loc.name.lower(), loc.id),
}
CONTACT_SORTS = {
    "ID": lambda self, c: (c.id,), "CREATED_AT": lambda self, c: (c.created.isoformat(), c.id),
    "UPDATED_AT": lambda self, c: (c.updated.isoformat(), c.id), "COMPANY_ID": lambda self, c: (c.company_id, c.id),
    "TITLE": lambda self, c: ((c.title or "").lower(), c.id),
    "NAME": lambda self, c: (self._contact_name(c), c.id), "EMAIL": lambda self, c: (self._contact_email(c), c.id),
    "NAME_EMAIL": lambda self, c: (self._contact_name(c), self._contact_email(c), c.id),
}
