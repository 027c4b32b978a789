"""The product sync's pages: items added to the shop from a form that names what the books lack,
taking items out says what Shopify will see, and the actions say what they left alone."""
import pytest
from django.urls import reverse

from connectors.ledger.target import target_for
from syncjobs.products.models import Direction, ProductLink, VariantLink
from tests.factories.ledger import ItemFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def shop():
    merchant = MerchantFactory(code="SHOP", sync_item_direction="to_shopify", action_for_removed_items="ARCHIVED")
    ItemFactory(merchant=merchant, number="MUG")
    ItemFactory(merchant=merchant, number="OLD", blocked=True)
    return merchant


def test_adding_items_the_books_lack_is_a_form_error_and_known_ones_are_added(shop, login):
    client = login(merchant_user(shop))
    url = reverse("admin:product_sync_add_items")

    refused = client.post(url, {"merchant": shop.pk, "numbers": "MUG, NOPE\nGONE"})
    added = client.post(url, {"merchant": shop.pk, "numbers": "MUG OLD"}, follow=True)

    assert refused.status_code == 200
    assert refused.context["form"].errors["numbers"] == ["The ledger of SHOP has no item NOPE, GONE."]
    assert messages_of(added) == ["1 item added to SHOP; Sync products creates their products in Shopify.",
                                  "1 item blocked, so not added: OLD"]
    assert list(ProductLink.objects.values_list("item_no", "direction")) == [("MUG", Direction.TO_SHOPIFY)]


def test_taking_an_item_out_says_what_shopify_will_see(shop, login):
    link = ProductLink.objects.create(merchant=shop, item_no="MUG", direction=Direction.TO_SHOPIFY,
                                      shopify_gid="gid://shopify/Product/1")
    client = login(merchant_user(shop))

    response = client.post(reverse("admin:product_sync_productlink_changelist"), {
        "action": "take_out_of_shop", "_selected_action": [link.pk]}, follow=True)

    assert messages_of(response) == ["1 item taken out of the shop. SHOP: the next Sync products will archive the "
                                     "product."]
    link.refresh_from_db()
    assert link.removed_at is not None


def test_retrying_mapped_variants_says_they_were_left_alone(shop, login):
    product = ProductLink.objects.create(merchant=shop, shopify_gid="gid://shopify/Product/1", item_no="MUG")
    mapped = VariantLink.objects.create(merchant=shop, product=product, shopify_gid="gid://shopify/ProductVariant/1",
                                        item_no="MUG", mapped_by="by_hand")
    client = login(merchant_user(shop))

    response = client.post(reverse("admin:product_sync_variantlink_changelist"), {
        "action": "retry_mapping", "_selected_action": [mapped.pk]}, follow=True)

    assert messages_of(response) == ["0 mapped, 0 still unmapped; 1 variant was already mapped and left as it is."]
    assert target_for(shop).get_items(shop, ["MUG"])
