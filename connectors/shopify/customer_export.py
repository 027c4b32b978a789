"""Customers written to Shopify (report 30100's export): create and update, each answer read for
Shopify's userErrors. A created customer carries a tag naming its ledger number, so a create whose
answer was lost is found again rather than made twice."""
from __future__ import annotations

from dataclasses import dataclass

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp

MARK_PREFIX = "syncsite-"


def mark(number: str) -> str:
    return f"{MARK_PREFIX}{number}"


@dataclass(frozen=True)
class Written:
    gid: str = ""
    errors: tuple[str, ...] = ()
    lost: bool = False       # the answer never came: whether it was done is unknown


def marked_customers(client: ShopifyClient, numbers: list[str]) -> dict[str, str]:
    """The Shopify customer (GID) each ledger number was created as, where one was."""
    found: dict[str, str] = {}
    for start in range(0, len(numbers), 50):
        chunk = numbers[start:start + 50]
        query = " OR ".join(f"tag:'{mark(n)}'" for n in chunk)
        data = client.execute(document("CustomersTagged"), {"query": query},
                              check=lambda d: None if isinstance((d or {}).get("customers"), dict)
                              else "customers is missing").data
        wanted = {mark(n): n for n in chunk}
        for node in data["customers"]["nodes"] or []:
            for tag in node.get("tags") or []:
                if tag in wanted:
                    found[wanted[tag]] = node["id"]
    return found


def create_customer(client: ShopifyClient, number: str, fields: dict) -> Written:
    tags = sorted({*fields.get("tags", []), mark(number)})
    try:
        data = client.execute(document("CustomerCreate"), {"input": {**fields, "tags": tags}},
                              check=_payload_check("customerCreate"), idempotent=False).data
    except ShopifyGaveUp:
        return Written(lost=True)
    return _written(data["customerCreate"])


def update_customer(client: ShopifyClient, gid: str, fields: dict) -> Written:
    data = client.execute(document("CustomerUpdate"), {"input": {**fields, "id": gid}},
                          check=_payload_check("customerUpdate")).data
    return _written(data["customerUpdate"])


def _written(payload: dict) -> Written:
    errors = tuple(error.get("message") or "refused" for error in payload.get("userErrors") or [])
    customer = payload.get("customer") or {}
    return Written(gid=customer.get("id") or "", errors=errors)


def _payload_check(name: str):
    def check(data) -> str | None:
        payload = (data or {}).get(name)
        if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
            return f"{name} gave no payload"
        if not payload["userErrors"] and not (payload.get("customer") or {}).get("id"):
            return f"{name} named no customer"
        return None
    return check
