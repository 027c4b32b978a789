"""What the product sync reads for others: which of its settings and links name a ledger item
(registered with core.in_use, so the ledger refuses to delete an item still in use)."""
from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count

from merchants.models import Merchant
from syncjobs.products.models import ProductLink, VariantLink


def item_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """One sentence per use of the ledger items `numbers` of the shop: the shop card's item template,
    the Shopify variants linked to them, the products of the shop they are sold as. Three queries."""
    numbers = set(numbers)
    uses = []
    card = Merchant.objects.filter(pk=merchant_id).values("code", "item_template_no").first()
    if card is not None and card["item_template_no"] in numbers:
        uses.append(f"item {card['item_template_no']} is the item template on the shop card of {card['code']}")
    linked = (VariantLink.objects.filter(merchant_id=merchant_id, item_no__in=numbers).values("item_no")
              .annotate(links=Count("pk")).order_by("item_no"))
    uses += [f"{row['links']} Shopify variant{' is' if row['links'] == 1 else 's are'} linked to item "
             f"{row['item_no']} (variant links)" for row in linked]
    sold = (ProductLink.objects.filter(merchant_id=merchant_id, item_no__in=numbers, variants__isnull=True)
            .values_list("item_no", flat=True).order_by("item_no").distinct())
    uses += [f"item {number} is added to the shop (product links)" for number in sold]
    return uses
