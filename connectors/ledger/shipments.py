"""Posted shipments as 30109 reads them, batch by batch, with their tracking (company, number, URL)
from the shipping agent; and the one change a posted shipment takes: its agent and tracking no."""
from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from connectors.ledger.errors import NotAnInternetAddress
from connectors.ledger.models import PostedSalesShipment, ShippingAgent
from connectors.ledger.models.shipping import TRACKING_NO_PLACEHOLDER
from connectors.ledger.records import ShipmentData, ShipmentLineData
from connectors.ledger.sales_rows import fit
from connectors.ledger.signals import shipment_tracking_changed

SCHEMES = ("https://", "http://")
SAMPLE_TRACKING_NO = "1Z999AA10123456784"


def posted_shipments(merchant, *, numbers=None, shopify_only: bool = True, after_number: str = "",
                     limit: int | None = None) -> list[ShipmentData]:
    """The posted shipments in number order: those of `numbers` when given, of Shopify orders only
    unless told otherwise, numbered after `after_number` (a keyset: the last number of the previous
    batch), at most `limit`. Three queries, whatever the number of shipments and lines."""
    rows = PostedSalesShipment.objects.filter(merchant=merchant).select_related("location").order_by("number")
    if numbers is not None:
        rows = rows.filter(number__in=set(numbers))
    if shopify_only:
        rows = rows.exclude(shopify_order_id="")
    if after_number:
        rows = rows.filter(number__gt=after_number)
    if limit is not None:
        rows = rows[:limit]
    rows = list(rows.prefetch_related("lines"))   # in line order (the lines' Meta ordering)
    agents = shipping_agents(merchant, {row.shipping_agent for row in rows})
    return [_shipment_data(row, agents.get(row.shipping_agent)) for row in rows]


def shipping_agents(merchant, codes) -> dict[str, ShippingAgent]:
    """The shop's agents of those codes, by code: one query, none when no code is given."""
    codes = set(codes) - {""}
    if not codes:
        return {}
    return {agent.code: agent for agent in ShippingAgent.objects.filter(merchant=merchant, code__in=codes)}


def _shipment_data(row: PostedSalesShipment, agent: ShippingAgent | None) -> ShipmentData:
    return ShipmentData(
        number=row.number, order_no=row.order_no, posting_date=row.posting_date,
        shopify_order_id=row.shopify_order_id, shopify_order_no=row.shopify_order_no,
        location=row.location.code if row.location else "",
        tracking_company=(agent.tracking_company or agent.name) if agent else "",
        tracking_number=row.package_tracking_no, tracking_url=tracking_url(agent, row.package_tracking_no),
        lines=tuple(ShipmentLineData(line.line_no, line.type, line.number, line.variant_code, line.quantity,
                                     line.shopify_line_id) for line in row.lines.all()))


def tracking_url(agent: ShippingAgent | None, tracking_no: str) -> str:
    """The agent's internet address with %1 replaced by the tracking no. (URL-quoted), "https://"
    put before an address typed without a scheme; "" without an agent, an address or a tracking no."""
    if agent is None or not agent.internet_address.strip() or not tracking_no.strip():
        return ""
    return _filled_in(agent.internet_address, tracking_no)


def check_internet_address(address: str) -> None:
    """NotAnInternetAddress unless `address`, a tracking no. put in for %1, is a web address."""
    try:
        URLValidator(schemes=["http", "https"])(_filled_in(address, SAMPLE_TRACKING_NO))
    except ValidationError as exc:
        raise NotAnInternetAddress(address.strip()) from exc


def _filled_in(address: str, tracking_no: str) -> str:
    url = address.strip().replace(TRACKING_NO_PLACEHOLDER, quote(tracking_no.strip(), safe=""))
    return url if url.lower().startswith(SCHEMES) else f"https://{url}"


def update_shipment_tracking(*, shipment: PostedSalesShipment, shipping_agent: str,
                             package_tracking_no: str) -> PostedSalesShipment:
    """Set a posted shipment's shipping agent and package tracking no. (Business Central's "Update
    document"), nothing else of it; the agent is one of the shipment's shop (the page's form checks)."""
    rows = PostedSalesShipment.objects.filter(pk=shipment.pk)
    before = rows.values_list("shipping_agent", "package_tracking_no").first()   # the page's form set the instance's
    shipment.shipping_agent = shipping_agent
    shipment.package_tracking_no = fit(PostedSalesShipment, "package_tracking_no", package_tracking_no.strip())
    rows.update(shipping_agent=shipment.shipping_agent, package_tracking_no=shipment.package_tracking_no)
    if before != (shipment.shipping_agent, shipment.package_tracking_no):
        # Shopify may have its fulfillment already: the shipments domain sends the new tracking.
        shipment_tracking_changed.send(sender=PostedSalesShipment, merchant_id=shipment.merchant_id,
                                       number=shipment.number)
    return shipment


def update_document_tracking(*, document, shipping_agent: str, package_tracking_no: str):
    """Set a sales document's shipping agent and package tracking no. before it ships; posting copies
    them onto its shipment. Nothing else of the document changes."""
    document.shipping_agent = shipping_agent
    document.package_tracking_no = fit(type(document), "package_tracking_no", package_tracking_no.strip())
    type(document).objects.filter(pk=document.pk).update(shipping_agent=document.shipping_agent,
                                                         package_tracking_no=document.package_tracking_no)
    return document
