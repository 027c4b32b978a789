"""Shopify customer JSON (the CustomerFields fragment) -> imported-customer rows, upserted in batches
keyed by GID.

One call takes a batch and makes a fixed number of queries whatever its size: one to read what is
held, one insert of the new rows (COPY on PostgreSQL) and one batched UPDATE of the changed ones. A
customer whose updatedAt has not moved is skipped. A payload that cannot be read fails alone, with
its reason; the rest of the batch goes in.
"""
from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.table_writer import TableWriter
from connectors.shopify.importers.upserts import PayloadError, payload_time, upsert_batch
from connectors.shopify.models import ShopifyCustomer
from connectors.shopify.signals import customers_imported
from core.contacts import e164_phone, normalized_email

# Written again when a customer changed; imported_at (when first read) is kept.
CUSTOMER_FIELDS = [
    "legacy_id", "first_name", "last_name", "email", "phone", "email_normalized", "phone_e164", "address1",
    "address2", "city", "zip", "province_code", "country_code", "company", "address_name", "address_phone",
    "tax_exempt", "tax_exemptions", "state", "tags", "note", "email_marketing_state", "created_at",
    "shopify_updated_at", "updated_at",
]

JSON_FIELDS = ("tax_exemptions", "tags")


class CustomerPayloadError(PayloadError):
    pass




def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def parse_customer(payload: dict, *, shop_country: str) -> dict:
    """A customer's row (column names), as Shopify gave it plus its normalised email and phone."""
    gid = payload["id"]
    if not isinstance(gid, str) or not gid.startswith("gid://shopify/Customer/"):
        raise CustomerPayloadError(f"{gid!r} is not a customer ID")
    address = payload.get("defaultAddress") or {}
    email, phone = _text(payload.get("email"), 254), _text(payload.get("phone"), 64)
    return {
        "shopify_gid": gid, "legacy_id": int(payload.get("legacyResourceId") or gid.rsplit("/", 1)[1]),
        "first_name": _text(payload.get("firstName"), 255), "last_name": _text(payload.get("lastName"), 255),
        "email": email, "phone": phone,
        "email_normalized": normalized_email(email),
        # A number without + is read in the shop's country, as Shopify reads what the admin types.
        "phone_e164": e164_phone(phone, shop_country),
        "address1": _text(address.get("address1"), 255), "address2": _text(address.get("address2"), 255),
        "city": _text(address.get("city"), 255), "zip": _text(address.get("zip"), 32),
        "province_code": _text(address.get("provinceCode"), 16), "country_code": _text(address.get("countryCodeV2"), 2),
        "company": _text(address.get("company"), 255), "address_name": _text(address.get("name"), 255),
        "address_phone": _text(address.get("phone"), 64),
        "tax_exempt": bool(payload.get("taxExempt")), "tax_exemptions": list(payload.get("taxExemptions") or []),
        "state": _text(payload.get("state"), 16), "tags": list(payload.get("tags") or []),
        "note": str(payload.get("note") or ""),
        "email_marketing_state": _text((payload.get("emailMarketingConsent") or {}).get("marketingState"), 32),
        "created_at": payload_time(payload.get("createdAt")),
        "shopify_updated_at": payload_time(payload.get("updatedAt")),
    }


def import_customers(*, merchant, payloads: list[dict], shop_country: str) -> ImportCounts:
    """Upsert a batch of customers (each the CustomerFields fragment: a customer read with fewer
    fields would have the others blanked). `shop_country` (ISO code) reads phones written without +.
    New customers are inserted, changed ones (updatedAt moved) updated, the rest counted as skipped."""
    return upsert_batch(merchant, payloads, what="customer", write=_write, payload_error=CustomerPayloadError,
                        parse=lambda payload: parse_customer(payload, shop_country=shop_country))


@transaction.atomic
def _write(merchant_id: int, latest: dict[str, dict]) -> tuple[int, int]:
    held = {
        gid: (pk, updated)
        for gid, pk, updated in ShopifyCustomer.objects.filter(merchant_id=merchant_id, shopify_gid__in=list(latest))
        .values_list("shopify_gid", "id", "shopify_updated_at")
    }
    now = timezone.now()
    new, changed = [], []
    for gid, row in latest.items():
        if gid not in held:
            new.append({**row, "merchant_id": merchant_id, "imported_at": now, "updated_at": now})
        elif held[gid][1] != row["shopify_updated_at"]:
            changed.append({**row, "id": held[gid][0], "updated_at": now})
    for row in new:   # the writer passes values through: JSON goes as the database driver takes it
        for name in JSON_FIELDS:
            row[name] = ShopifyCustomer._meta.get_field(name).get_db_prep_save(row[name], connection)
    TableWriter().insert(ShopifyCustomer, new, with_id=False)
    _update(changed)
    if new or changed:
        customers_imported.send(sender=ShopifyCustomer, merchant_id=merchant_id,
                                gids=[row["shopify_gid"] for row in (*new, *changed)])
    return len(new), len(changed)


def _update(rows: list[dict]) -> None:
    if not rows:
        return
    table = ShopifyCustomer._meta.db_table
    fields = [ShopifyCustomer._meta.get_field(name) for name in CUSTOMER_FIELDS]
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{table}" SET {assignments} WHERE "id" = %s',  # noqa: S608 (the model's own table)
            [[f.get_db_prep_save(row[f.attname], connection) for f in fields] + [row["id"]] for row in rows],
        )
