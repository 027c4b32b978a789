"""An item the product sync names (a linked Shopify variant, the shop card's item template, an item
added to the shop) is not deleted from the ledger's pages; the refusal says what uses it."""
import pytest
from django.urls import reverse

from connectors.ledger.models import Item
from syncjobs.products.models import Direction, ProductLink, VariantLink
from tests.factories.ledger import ItemFactory
from tests.factories.merchants import MerchantFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_items_the_product_sync_uses_stay_and_the_refusal_names_each_use(superuser, login):
    merchant = MerchantFactory(code="SHOP", item_template_no="TPL")
    linked, template, added, free = (ItemFactory(merchant=merchant, number=n) for n in ("LS-1", "TPL", "MUG", "FREE"))
    product = ProductLink.objects.create(merchant=merchant, shopify_gid="gid://shopify/Product/1", item_no="LS-1")
    for n in (1, 2):
        VariantLink.objects.create(merchant=merchant, product=product, shopify_gid=f"gid://shopify/ProductVariant/{n}",
                                   item_no="LS-1")
    ProductLink.objects.create(merchant=merchant, item_no="MUG", direction=Direction.TO_SHOPIFY)
    client = login(superuser)

    refused = client.post(reverse("admin:ledger_item_changelist"), {
        "action": "delete_selected", "_selected_action": [linked.pk, template.pk, added.pk], "post": "yes"},
        follow=True)
    deleted = client.post(reverse("admin:ledger_item_delete", args=[free.pk]), {"post": "yes"}, follow=True)

    assert messages_of(refused) == [
        "Nothing was deleted, as items of the selection are in use: item TPL is the item template on the shop card "
        "of SHOP, 2 Shopify variants are linked to item LS-1 (variant links) and item MUG is added to the shop "
        "(product links). Change those first."]
    assert deleted.status_code == 200
    assert sorted(Item.objects.values_list("number", flat=True)) == ["LS-1", "MUG", "TPL"]
