"""A company location's own catalog made in Shopify (report 30114/30115's "create a catalog for a new
company"): the catalog, active, for the location; its price list, in the location's currency, at the
shop's prices (less 0 %) until report 30116 sets fixed prices; its publication, offering every
product and the ones added later. Then it is imported as the catalog sync imports it.

None of the three creates is idempotent, so each step first looks at what Shopify already holds:
the location's catalogs (by title), then the catalog's price list and publication. A half-made
catalog (a run stopped between two steps) is finished, never made again; a create whose answer was
lost is looked for again after a pause (Shopify's reads may lag a write) before it is sent a second
time, and a second lost answer is raised (the next run looks for it first).
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from connectors.shopify.catalog_sync import all_nodes, import_catalog
from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyError, ShopifyGaveUp
from connectors.shopify.models import ShopifyCatalog

logger = logging.getLogger(__name__)

LOST_LOOKUPS = 3                    # looks for a lost create before sending it again
LOST_SETTLE_SECONDS = 2.0           # first pause before looking; doubled each time
CATALOGS_PER_LOOKUP = 50            # a company location's catalogs, a page at a time (153 points)


class CatalogNotCreated(ShopifyError):
    """Shopify refused a step of making the catalog (userErrors), in its own words."""

    def __init__(self, title: str, what: str, user_errors: list[dict]) -> None:
        words = "; ".join(dict.fromkeys(error.get("message") or "refused" for error in user_errors))
        super().__init__(f"Shopify did not create the {what} of the catalog {title!r}: {words}")
        self.user_errors = user_errors


class CompanyLocationMissing(ShopifyError):
    def __init__(self, gid: str) -> None:
        super().__init__(f"Shopify has no company location {gid}; run Sync Companies")


class CatalogVanished(ShopifyError):
    def __init__(self, gid: str, title: str) -> None:
        super().__init__(f"the catalog {title!r} ({gid}) was deleted in Shopify while it was being made")


def create_catalog(*, merchant, client: ShopifyClient, company_location_gid: str, title: str,
                   currency: str) -> ShopifyCatalog:
    """The company location's catalog titled `title`, made whole in Shopify (the parts missing created)
    and imported. Raises CatalogNotCreated (Shopify's userErrors), CompanyLocationMissing, or the
    client's ShopifyError when Shopify could not be talked to."""
    catalog_gid = catalog_titled(client, company_location_gid, title)
    if catalog_gid is None:
        catalog_gid = _made(
            client, f"catalog {title!r}",
            create=lambda: _create(client, "CatalogCreate", "catalogCreate", "catalog", title, "catalog", {
                "title": title, "status": "ACTIVE", "context": {"companyLocationIds": [company_location_gid]}}),
            find=lambda: catalog_titled(client, company_location_gid, title))
    price_list_gid, publication_gid = _parts(client, catalog_gid, title)
    # A price list's name is unique in a shop, and two companies may share a name: the location's ID
    # makes it the location's own.
    price_list_name = f"{title} ({company_location_gid.rsplit('/', 1)[-1]})"
    if not price_list_gid:
        _made(client, f"price list of catalog {title!r}",
              create=lambda: _create(client, "PriceListCreate", "priceListCreate", "priceList", title, "price list", {
                  "name": price_list_name, "currency": currency, "catalogId": catalog_gid,
                  "parent": {"adjustment": {"type": "PERCENTAGE_DECREASE", "value": 0}}}),
              find=lambda: _parts(client, catalog_gid, title)[0])
    if not publication_gid:
        _made(client, f"publication of catalog {title!r}",
              create=lambda: _create(client, "PublicationCreate", "publicationCreate", "publication", title,
                                     "publication", {"catalogId": catalog_gid, "autoPublish": True,
                                                     "defaultState": "ALL_PRODUCTS"}),
              find=lambda: _parts(client, catalog_gid, title)[1])
    catalog = import_catalog(merchant=merchant, client=client, gid=catalog_gid)
    if catalog is None:
        raise CatalogVanished(catalog_gid, title)
    logger.info("catalog %s (%s) of merchant %s made for company location %s", catalog_gid, title, merchant.code,
                company_location_gid)
    return catalog


def catalog_titled(client: ShopifyClient, company_location_gid: str, title: str) -> str | None:
    """The GID of the company location's catalog titled `title`, if it has one."""
    catalogs = all_nodes(client, "CatalogsOfCompanyLocation", {"id": company_location_gid,
                                                               "first": CATALOGS_PER_LOOKUP},
                         "companyLocation", "catalogs", keys=("id", "title"))
    if catalogs is None:
        raise CompanyLocationMissing(company_location_gid)
    wanted = title.strip()
    return next((catalog["id"] for catalog in catalogs if catalog["title"].strip() == wanted), None)


def _parts(client: ShopifyClient, catalog_gid: str, title: str) -> tuple[str, str]:
    """(price list GID, publication GID) of the catalog, "" for a part it does not have yet."""
    data = client.execute(document("CatalogById"), {"id": catalog_gid}, check=_parts_problem).data
    catalog = data["catalog"]
    if catalog is None:
        raise CatalogVanished(catalog_gid, title)
    return (catalog["priceList"] or {}).get("id") or "", (catalog["publication"] or {}).get("id") or ""


def _parts_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or "catalog" not in data:
        return "catalog is missing"
    catalog = data["catalog"]
    if catalog is None:
        return None
    if not isinstance(catalog, dict) or "priceList" not in catalog or "publication" not in catalog:
        return "catalog without its price list or publication"
    for part in ("priceList", "publication"):
        if catalog[part] is not None and not isinstance((catalog[part] or {}).get("id"), str):
            return f"catalog.{part} without its ID"
    return None


def _made(client: ShopifyClient, what: str, *, create: Callable[[], str], find: Callable[[], str | None]) -> str:
    """create() -> the GID made; when its answer was lost, find() looks for it (after a pause, a few
    times) before create() is sent once more. A second lost answer raises ShopifyGaveUp."""
    try:
        return create()
    except ShopifyGaveUp:
        logger.warning("shopify %s shop=%s: the answer to creating it was lost; looking for it", what,
                       client.shop_label)
    for attempt in range(LOST_LOOKUPS):
        client.pause(LOST_SETTLE_SECONDS * 2 ** attempt)
        found = find()
        if found:
            return found
    logger.warning("shopify %s shop=%s: not found after a lost answer; creating it again", what, client.shop_label)
    return create()


def _create(client: ShopifyClient, document_name: str, field: str, subject: str, title: str, what: str,
            fields: dict) -> str:
    data = client.execute(document(document_name), {"input": fields}, check=_payload_check(field, subject),
                          idempotent=False).data
    payload = data[field]
    if payload["userErrors"]:
        raise CatalogNotCreated(title, what, payload["userErrors"])
    return payload[subject]["id"]


def _payload_check(field: str, subject: str) -> Callable[[Any], str | None]:
    def check(data: Any) -> str | None:
        payload = data.get(field) if isinstance(data, dict) else None
        if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
            return f"{field} gave no payload"
        if not payload["userErrors"] and not isinstance((payload.get(subject) or {}).get("id"), str):
            return f"{field} named no {subject}"
        return None
    return check
