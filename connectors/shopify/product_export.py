"""Products written to Shopify (report 30108's export; pictures are product_images.py): create,
update, statuses and prices, each answer read for Shopify's userErrors.

The sync domain decides what to send; this sends it. A created product carries a marker tag naming
its ledger item, so a create whose answer was lost is found again and completed rather than made
twice: markers are looked up before creating, and a lost create is looked for again after a pause
(Shopify's search may lag a write) before it is sent a second time. Prices of many products go in
one request as aliased productVariantsBulkUpdate fields, packed up to 250 variants and Shopify's
1,000-point requested-cost cap.

Errors of one record (userErrors, a lost answer) fail that record, in words a bookkeeper can read;
a failure to talk to Shopify at all (ShopifyGaveUp on a read or an update, an access error) stops
the export and is raised: every step here can be run again.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Iterator

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import Document, document
from connectors.shopify.errors import ShopifyGaveUp

logger = logging.getLogger(__name__)

MUTATION_COST = 10                  # Shopify's requested cost of one mutation field
MAX_REQUEST_COST = 1000             # Shopify's cap on one request's requested cost
MAX_FIELDS_PER_REQUEST = MAX_REQUEST_COST // MUTATION_COST
MAX_VARIANTS_PER_REQUEST = 250      # productVariantsBulkUpdate's limit per call
MARKERS_PER_LOOKUP = 50
LOST_LOOKUPS = 3                    # looks for a lost create before sending it again
LOST_SETTLE_SECONDS = 2.0           # first pause before looking; doubled each time
DEFAULT_OPTION = ("Title", "Default Title")


@dataclass(frozen=True)
class VariantDraft:
    sku: str
    price: Decimal
    option_value: str            # the value of the product's one option ("Default Title" without variants)
    barcode: str = ""
    compare_at_price: Decimal | None = None
    taxable: bool = True
    unit_cost: Decimal | None = None
    tracked: bool = True


@dataclass(frozen=True)
class ProductDraft:
    marker: str                  # a tag naming the ledger item, e.g. "syncsite-item-1000"
    title: str
    status: str                  # ACTIVE | DRAFT | ARCHIVED
    variants: tuple[VariantDraft, ...]
    option_name: str = "Title"
    vendor: str = ""
    product_type: str = ""
    description_html: str = ""


@dataclass(frozen=True)
class ExportedProduct:
    gid: str
    variant_gids: dict[str, str]  # sku -> variant gid


@dataclass
class ExportResult:
    done: dict[str, ExportedProduct] = field(default_factory=dict)   # by marker (create) or product gid
    failed: dict[str, str] = field(default_factory=dict)             # marker or gid -> the reason
    calls: int = 0                                                   # GraphQL requests made


@dataclass(frozen=True)
class PriceChange:
    product_gid: str
    variant_gid: str
    price: Decimal
    compare_at_price: Decimal | None = None     # None clears the compare-at price


@dataclass(frozen=True)
class _Existing:
    gid: str
    sku: str
    option_value: str


# Creating -----------------------------------------------------------------------------------------
def create_products(client: ShopifyClient, drafts: list[ProductDraft]) -> ExportResult:
    """Create each draft as a product with its variants; `done` by marker. A draft whose marker a
    product already carries (an earlier create whose answer was lost) completes that product."""
    result, started = ExportResult(), client.stats.calls
    drafts = [draft for draft in drafts if _draft_is_sound(draft, draft.marker, result)]
    found = marked_products(client, [draft.marker for draft in drafts])
    lost: list[ProductDraft] = []
    for draft in drafts:
        if draft.marker in found:
            _complete(client, draft, found[draft.marker], result)
        elif not _create(client, draft, result):
            lost.append(draft)
    for attempt in range(LOST_LOOKUPS):
        if not lost:
            break
        client.pause(LOST_SETTLE_SECONDS * 2 ** attempt)
        found = marked_products(client, [draft.marker for draft in lost])
        for draft in lost:
            if draft.marker in found:
                _complete(client, draft, found[draft.marker], result)
        lost = [draft for draft in lost if draft.marker not in found]
    for draft in lost:       # not there after every look: it was never made
        logger.warning("shopify product %s shop=%s: create answer lost and not found; sending it again",
                       draft.marker, client.shop_label)
        if not _create(client, draft, result):
            result.failed[draft.marker] = (
                "Shopify's answer to creating the product was lost twice; the next sync looks for it by its "
                f"tag {draft.marker} before creating it again")
    result.calls = client.stats.calls - started
    return result


def marked_products(client: ShopifyClient, markers: list[str]) -> dict[str, str]:
    """The Shopify product (GID) carrying each marker tag, where one does."""
    found: dict[str, str] = {}
    for start in range(0, len(markers), MARKERS_PER_LOOKUP):
        chunk = markers[start:start + MARKERS_PER_LOOKUP]
        query = " OR ".join(f"tag:'{marker}'" for marker in chunk)
        data = client.execute(document("ProductsTagged"), {"query": query},
                              check=lambda d: None if isinstance((d or {}).get("products"), dict)
                              else "products is missing").data
        wanted = set(chunk)
        for node in data["products"]["nodes"] or []:
            for tag in node.get("tags") or []:
                if tag in wanted:
                    found.setdefault(tag, node["id"])
    return found


def _create(client: ShopifyClient, draft: ProductDraft, result: ExportResult) -> bool:
    """productCreate, then its variants; False when the create's answer was lost."""
    try:
        data = client.execute(document("ProductCreate"), {"product": _product_input(draft, create=True)},
                              check=_payload_check("productCreate", "product"), idempotent=False).data
    except ShopifyGaveUp:
        return False
    payload = data["productCreate"]
    if payload["userErrors"]:
        result.failed[draft.marker] = _refused("the product", payload["userErrors"])
        return True
    gid = payload["product"]["id"]
    problem, created = _create_variants(client, gid, list(draft.variants), draft.option_name,
                                        replace_standalone=True)
    _record(draft, gid, draft.marker, problem, created, result)
    return True


def _complete(client: ShopifyClient, draft: ProductDraft, gid: str, result: ExportResult) -> None:
    """A product found by its marker: create the variants it does not have yet."""
    existing = _variants_of(client, gid)
    have = {variant.sku: variant.gid for variant in existing}
    missing = [variant for variant in draft.variants if variant.sku not in have]
    problem, created = None, {}
    if missing:
        standalone = len(existing) == 1 and not existing[0].sku
        problem, created = _create_variants(client, gid, missing, draft.option_name, replace_standalone=standalone)
    _record(draft, gid, draft.marker, problem, {**have, **created}, result)


def _record(draft: ProductDraft, gid: str, key: str, problem: str | None, by_sku: dict[str, str],
            result: ExportResult) -> None:
    if problem:
        result.failed[key] = problem
    else:
        result.done[key] = ExportedProduct(gid, {v.sku: by_sku[v.sku] for v in draft.variants if v.sku in by_sku})


# Updating -----------------------------------------------------------------------------------------
def update_products(client: ShopifyClient, updates: list[tuple[str, ProductDraft, dict[str, str]]]) -> ExportResult:
    """Bring each product (GID) in line with its draft, given its current variant GIDs by SKU: its
    own fields, then variants dropped, kept ones updated, new ones created; `done` by product GID.

    The product's option name is left as it is (productUpdate cannot rename options)."""
    result, started = ExportResult(), client.stats.calls
    for gid, draft, current in updates:
        if not _draft_is_sound(draft, gid, result):
            continue
        data = client.execute(document("ProductUpdate"), {"product": {"id": gid, **_product_input(draft)}},
                              check=_payload_check("productUpdate", "product")).data
        if data["productUpdate"]["userErrors"]:
            result.failed[gid] = _refused("the product", data["productUpdate"]["userErrors"])
            continue
        problem, created = _update_variants(client, gid, draft, current)
        _record(draft, gid, gid, problem, {**current, **created}, result)
    result.calls = client.stats.calls - started
    return result


def _update_variants(client: ShopifyClient, gid: str, draft: ProductDraft,
                     current: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """What went wrong, if anything, and the SKU -> GID of the variants created."""
    kept = [variant for variant in draft.variants if variant.sku in current]
    new = [variant for variant in draft.variants if variant.sku not in current]
    wanted = {variant.sku for variant in draft.variants}
    gone = [variant_gid for sku, variant_gid in current.items() if sku not in wanted]
    # A product keeps at least one variant: when every one is replaced, the last one goes with the
    # creation of the new ones (REMOVE_STANDALONE_VARIANT).
    last = gone.pop() if gone and not kept else None
    if gone:
        problem = _delete_variants(client, gid, gone)
        if problem:
            return problem, {}
    if kept:
        inputs = [{"id": current[variant.sku], **_variant_input(variant, draft.option_name)} for variant in kept]
        data = client.execute(document("ProductVariantsBulkUpdate"), {"productId": gid, "variants": inputs},
                              check=_payload_check("productVariantsBulkUpdate")).data
        errors = data["productVariantsBulkUpdate"]["userErrors"]
        if errors:
            return _refused_variants(errors, kept), {}
    if new:
        return _create_variants(client, gid, new, draft.option_name, replace_standalone=last is not None)
    return None, {}


def _delete_variants(client: ShopifyClient, gid: str, variant_gids: list[str]) -> str | None:
    variables = {"productId": gid, "variantsIds": variant_gids}
    try:
        data = client.execute(document("ProductVariantsBulkDelete"), variables,
                              check=_payload_check("productVariantsBulkDelete"), idempotent=False).data
    except ShopifyGaveUp:
        # Deleting twice is refused: delete what is still there.
        client.pause(LOST_SETTLE_SECONDS)
        still = {variant.gid for variant in _variants_of(client, gid)}
        variables["variantsIds"] = [variant_gid for variant_gid in variant_gids if variant_gid in still]
        if not variables["variantsIds"]:
            return None
        data = client.execute(document("ProductVariantsBulkDelete"), variables,
                              check=_payload_check("productVariantsBulkDelete"), idempotent=False).data
    errors = data["productVariantsBulkDelete"]["userErrors"]
    return _refused("removing variants", errors) if errors else None


# Statuses and prices ------------------------------------------------------------------------------
def set_statuses(client: ShopifyClient, statuses: dict[str, str]) -> ExportResult:
    """Set each product's (GID) status, DRAFT, ARCHIVED or ACTIVE: up to 100 products a request."""
    result, started = ExportResult(), client.stats.calls
    items = list(statuses.items())
    for start in range(0, len(items), MAX_FIELDS_PER_REQUEST):
        chunk = items[start:start + MAX_FIELDS_PER_REQUEST]
        variables = {f"p{i}": {"id": gid, "status": status} for i, (gid, status) in enumerate(chunk)}
        data = client.execute(status_document(len(chunk)), variables, check=_aliases_check(len(chunk))).data
        for i, (gid, _) in enumerate(chunk):
            payload = data[f"p{i}"]
            if payload["userErrors"]:
                result.failed[gid] = _refused("the status", payload["userErrors"])
            else:
                result.done[gid] = ExportedProduct(gid, {})
    result.calls = client.stats.calls - started
    return result


def update_prices(client: ShopifyClient, changes: list[PriceChange]) -> ExportResult:
    """Only prices: variants' price and compare-at price, many products a request (see the module);
    `done` by product GID with the variants updated, `failed` by the variant GID (or product GID)
    that Shopify refused."""
    result, started = ExportResult(), client.stats.calls
    for request in pack_price_changes(changes):
        variables = {}
        for i, (product_gid, part) in enumerate(request):
            variables[f"p{i}"] = product_gid
            variables[f"v{i}"] = [{"id": c.variant_gid, "price": str(c.price),
                                   "compareAtPrice": _money(c.compare_at_price)} for c in part]
        data = client.execute(price_document(len(request)), variables, check=_aliases_check(len(request))).data
        for i, (product_gid, part) in enumerate(request):
            _read_prices(data[f"p{i}"], product_gid, part, result)
    result.calls = client.stats.calls - started
    return result


def pack_price_changes(changes: list[PriceChange]) -> Iterator[list[tuple[str, list[PriceChange]]]]:
    """Requests of (product GID, its changes): at most 250 variants and 100 mutation fields each; a
    product that does not fit the rest of a request continues in the next."""
    by_product: dict[str, list[PriceChange]] = {}
    for change in changes:
        by_product.setdefault(change.product_gid, []).append(change)
    request: list[tuple[str, list[PriceChange]]] = []
    room = MAX_VARIANTS_PER_REQUEST
    for product_gid, pending in by_product.items():
        while pending:
            if room == 0 or len(request) == MAX_FIELDS_PER_REQUEST:
                yield request
                request, room = [], MAX_VARIANTS_PER_REQUEST
            part, pending = pending[:room], pending[room:]
            request.append((product_gid, part))
            room -= len(part)
    if request:
        yield request


def _read_prices(payload: dict, product_gid: str, part: list[PriceChange], result: ExportResult) -> None:
    refused: dict[str, list[dict]] = {}
    whole: list[dict] = []
    for error in payload["userErrors"]:
        index = _variant_index(error)
        if index is not None and index < len(part):
            refused.setdefault(part[index].variant_gid, []).append(error)
        else:
            whole.append(error)
    if whole:
        for change in part:
            result.failed[change.variant_gid] = _refused("the price", whole)
        result.failed[product_gid] = _refused("the prices", whole)
        return
    for variant_gid, errors in refused.items():
        result.failed[variant_gid] = _refused("the price", errors)
    updated = {v["id"]: v.get("sku") or "" for v in payload.get("productVariants") or []}
    if not updated:
        return
    previous = result.done.get(product_gid)
    variants = {**(previous.variant_gids if previous else {}), **{sku: gid for gid, sku in updated.items()}}
    result.done[product_gid] = ExportedProduct(product_gid, variants)


@lru_cache(maxsize=None)
def price_document(count: int) -> Document:
    """`count` aliased productVariantsBulkUpdate fields: p0(productId: $p0, variants: $v0) …"""
    return _aliased("ProductPricesUpdate", "productVariantsBulkUpdate", count,
                    {"productId": ("p", "ID!"), "variants": ("v", "[ProductVariantsBulkInput!]!")},
                    "allowPartialUpdates: true", "productVariants { id sku price compareAtPrice } "
                                                 "userErrors { field message code }")


@lru_cache(maxsize=None)
def status_document(count: int) -> Document:
    """`count` aliased productUpdate fields: p0(product: $p0) …"""
    return _aliased("ProductStatusesUpdate", "productUpdate", count, {"product": ("p", "ProductUpdateInput!")},
                    "", "product { id status } userErrors { field message }")


def _aliased(name: str, mutation: str, count: int, arguments: dict[str, tuple[str, str]], constant: str,
             selection: str) -> Document:
    if not 1 <= count <= MAX_FIELDS_PER_REQUEST:
        raise ValueError(f"{count} mutation fields do not fit one request")
    # Named by its size: the pacer remembers each operation's cost, and a request of 100 fields costs
    # twice one of 50 (one name for both would be paced on the wrong one's cost).
    name = f"{name}{count}"
    variables = ", ".join(f"${prefix}{i}: {kind}" for i in range(count) for prefix, kind in arguments.values())
    fields = []
    for i in range(count):
        given = [f"{argument}: ${prefix}{i}" for argument, (prefix, _) in arguments.items()]
        fields.append(f"  p{i}: {mutation}({', '.join([*given, constant] if constant else given)}) {{ {selection} }}")
    return Document(name, f"mutation {name}({variables}) {{\n" + "\n".join(fields) + "\n}\n")


# Variants -----------------------------------------------------------------------------------------
def _create_variants(client: ShopifyClient, gid: str, variants: list[VariantDraft], option_name: str, *,
                     replace_standalone: bool) -> tuple[str | None, dict[str, str]]:
    """productVariantsBulkCreate: what went wrong, if anything, and the SKU -> GID of the variants
    made. After a lost answer, what is still missing is created once more."""
    strategy = "REMOVE_STANDALONE_VARIANT" if replace_standalone else "DEFAULT"
    made: dict[str, str] = {}
    for attempt in range(2):
        variables = {"productId": gid, "strategy": strategy,
                     "variants": [_variant_input(variant, option_name) for variant in variants]}
        try:
            data = client.execute(document("ProductVariantsBulkCreate"), variables,
                                  check=_payload_check("productVariantsBulkCreate"), idempotent=False).data
        except ShopifyGaveUp:
            if attempt:
                return ("Shopify's answer to creating the variants was lost twice; the next sync completes "
                        "the product"), made
            client.pause(LOST_SETTLE_SECONDS)
            existing = _variants_of(client, gid)
            made = {variant.sku: variant.gid for variant in existing if variant.sku}
            variants = [variant for variant in variants if variant.sku not in made]
            if not variants:
                return None, made
            strategy = "REMOVE_STANDALONE_VARIANT" if len(existing) == 1 and not existing[0].sku else "DEFAULT"
            continue
        payload = data["productVariantsBulkCreate"]
        if payload["userErrors"]:
            return _refused_variants(payload["userErrors"], variants), made
        return None, {**made, **{v.get("sku") or "": v["id"] for v in payload.get("productVariants") or []}}
    return None, made


def _variants_of(client: ShopifyClient, gid: str) -> list[_Existing]:
    found = []
    for page in client.pages(document("ProductVariantSkus"), {"id": gid}, ("product", "variants")):
        for node in page:
            values = [option["value"] for option in node.get("selectedOptions") or []]
            found.append(_Existing(node["id"], node.get("sku") or "", values[0] if values else ""))
    return found


def _product_input(draft: ProductDraft, *, create: bool = False) -> dict:
    fields = {"title": draft.title, "status": draft.status, "vendor": draft.vendor,
              "productType": draft.product_type, "descriptionHtml": draft.description_html}
    if create:
        fields["tags"] = [draft.marker]
        values = list(dict.fromkeys(variant.option_value for variant in draft.variants))
        if (draft.option_name, values) != (DEFAULT_OPTION[0], [DEFAULT_OPTION[1]]):
            fields["productOptions"] = [{"name": draft.option_name, "values": [{"name": v} for v in values]}]
    return fields


def _variant_input(variant: VariantDraft, option_name: str) -> dict:
    return {
        "price": str(variant.price), "compareAtPrice": _money(variant.compare_at_price),
        "barcode": variant.barcode or None, "taxable": variant.taxable,
        "optionValues": [{"optionName": option_name, "name": variant.option_value}],
        "inventoryItem": {"sku": variant.sku, "cost": _money(variant.unit_cost), "tracked": variant.tracked},
    }


def _draft_is_sound(draft: ProductDraft, key: str, result: ExportResult) -> bool:
    """Drafts Shopify would take: variants matched by SKU need one SKU each."""
    if not draft.variants:
        result.failed[key] = "the item has no variant to send to Shopify"
        return False
    twice = sorted(sku for sku, count in Counter(v.sku for v in draft.variants).items() if count > 1)
    if twice:
        result.failed[key] = (f"two variants have the SKU {twice[0]!r}; each variant needs its own SKU to be "
                              "matched with Shopify's")
        return False
    return True


# Answers ------------------------------------------------------------------------------------------
def _refused(what: str, errors: list[dict]) -> str:
    """Shopify's userErrors in a sentence: 'Shopify refused the product: Title can't be blank (title)'."""
    reasons = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("field") or [])
        reasons.append(f"{error.get('message') or 'refused'}" + (f" ({where})" if where else ""))
    return f"Shopify refused {what}: {'; '.join(reasons)}"


def _refused_variants(errors: list[dict], variants: list[VariantDraft]) -> str:
    """userErrors of a bulk variant call, each named by the SKU of the variant it is about."""
    reasons = []
    for error in errors:
        index = _variant_index(error)
        rest = [str(part) for part in (error.get("field") or [])[2:]]
        about = (f"variant {variants[index].sku or index + 1}" if index is not None and index < len(variants)
                 else "the variants")
        reasons.append(f"{about}: {error.get('message') or 'refused'}" + (f" ({'.'.join(rest)})" if rest else ""))
    return f"Shopify refused {'; '.join(reasons)}"


def _variant_index(error: dict) -> int | None:
    path = error.get("field") or []
    if len(path) >= 2 and path[0] == "variants" and str(path[1]).isdigit():
        return int(path[1])
    return None


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _payload_check(name: str, subject: str = "") -> Callable[[dict], str | None]:
    def check(data) -> str | None:
        payload = (data or {}).get(name)
        if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
            return f"{name} gave no payload"
        if subject and not payload["userErrors"] and not (payload.get(subject) or {}).get("id"):
            return f"{name} named no {subject}"
        return None
    return check


def _aliases_check(count: int) -> Callable[[dict], str | None]:
    def check(data) -> str | None:
        for i in range(count):
            payload = (data or {}).get(f"p{i}")
            if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
                return f"p{i} gave no payload"
        return None
    return check
