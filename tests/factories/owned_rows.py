"""One row of any merchant-owned model, for the tests that walk the admin registry.

A model registered with MerchantScopedAdmin must appear here; a test fails until it does, so
every model added later is covered by the scoping tests automatically.
"""
from __future__ import annotations

from typing import Callable

from django.db import models
from django.utils import timezone

from connectors.ledger.models import (
    Account,
    AccountMapping,
    Customer,
    Item,
    ItemJournalLine,
    ItemLedgerEntry,
    JournalEntry,
    Location,
    NumberSeries,
    PriceList,
    PriceListLine,
)
from connectors.shopify.models import (
    ImportState,
    ShopifyCompany,
    ShopifyCustomer,
    ShopifyLocation,
    ShopifyOrder,
    ShopifyPayout,
    ShopifyProduct,
    WebhookDelivery,
)
from merchants.models import Membership, Merchant
from syncjobs.catalogs.models import CatalogLink
from syncjobs.companies.models import CompanyLink
from syncjobs.customers.models import CustomerLink
from syncjobs.documents.models import OrderDocument
from syncjobs.inventory.models import ShopLocation
from syncjobs.products.models import ProductLink, VariantLink
from syncjobs.queue.models import JobQueueCategory, JobQueueEntry, SkippedRecord, SyncRun
from syncjobs.shipments.models import ShipmentFulfillment
from tests.factories.ledger import (
    AccountFactory,
    AccountMappingFactory,
    CustomerFactory,
    ItemFactory,
    ItemJournalLineFactory,
    ItemLedgerEntryFactory,
    JournalEntryFactory,
    LocationFactory,
    NumberSeriesFactory,
    PriceListFactory,
    PriceListLineFactory,
)
from tests.factories.merchants import MembershipFactory
from tests.factories.payments import PAYMENT_ROW_MAKERS
from tests.factories.sales import SALES_ROW_MAKERS
from tests.factories.shopify import (
    PAYMENT_IMPORT_ROW_MAKERS,
    ImportStateFactory,
    ShopifyCustomerFactory,
    ShopifyOrderFactory,
    ShopifyPayoutFactory,
    WebhookDeliveryFactory,
)
from tests.factories.syncjobs import (
    JobQueueCategoryFactory,
    JobQueueEntryFactory,
    SkippedRecordFactory,
    SyncRunFactory,
)

ROW_MAKERS: dict[type[models.Model], Callable[[Merchant], models.Model]] = {
    Merchant: lambda merchant: merchant,
    Membership: lambda merchant: MembershipFactory(merchant=merchant),
    Account: lambda merchant: AccountFactory(merchant=merchant),
    JournalEntry: lambda merchant: JournalEntryFactory(merchant=merchant),
    AccountMapping: lambda merchant: AccountMappingFactory(merchant=merchant),
    Customer: lambda merchant: CustomerFactory(merchant=merchant),
    Item: lambda merchant: ItemFactory(merchant=merchant),
    Location: lambda merchant: LocationFactory(merchant=merchant),
    ItemLedgerEntry: lambda merchant: ItemLedgerEntryFactory(merchant=merchant),
    ItemJournalLine: lambda merchant: ItemJournalLineFactory(merchant=merchant),
    NumberSeries: lambda merchant: NumberSeriesFactory(merchant=merchant),
    ShopifyOrder: lambda merchant: ShopifyOrderFactory(merchant=merchant),
    ImportState: lambda merchant: ImportStateFactory(merchant=merchant),
    ShopifyPayout: lambda merchant: ShopifyPayoutFactory(merchant=merchant),
    ShopifyCustomer: lambda merchant: ShopifyCustomerFactory(merchant=merchant),
    WebhookDelivery: lambda merchant: WebhookDeliveryFactory(merchant=merchant),
    CustomerLink: lambda merchant: CustomerLink.objects.create(merchant=merchant,
                                                               shopify_gid=f"gid://shopify/Customer/{merchant.pk}"),
    ShopifyProduct: lambda merchant: ShopifyProduct.objects.create(
        merchant=merchant, shopify_gid=f"gid://shopify/Product/{merchant.pk}", legacy_id=merchant.pk, title="Mug",
        status="ACTIVE", created_at=timezone.now(), shopify_updated_at=timezone.now(), imported_at=timezone.now(),
        updated_at=timezone.now()),
    ProductLink: lambda merchant: ProductLink.objects.create(merchant=merchant,
                                                             shopify_gid=f"gid://shopify/Product/{merchant.pk}"),
    VariantLink: lambda merchant: VariantLink.objects.create(
        merchant=merchant, shopify_gid=f"gid://shopify/ProductVariant/{merchant.pk}",
        product=ProductLink.objects.create(merchant=merchant, shopify_gid=f"gid://shopify/Product/{merchant.pk}")),
    JobQueueCategory: lambda merchant: JobQueueCategoryFactory(merchant=merchant),
    JobQueueEntry: lambda merchant: JobQueueEntryFactory(merchant=merchant),
    SyncRun: lambda merchant: SyncRunFactory(merchant=merchant),
    SkippedRecord: lambda merchant: SkippedRecordFactory(run=SyncRunFactory(merchant=merchant)),
}

ROW_MAKERS.update(SALES_ROW_MAKERS)
ROW_MAKERS.update(PAYMENT_ROW_MAKERS)
ROW_MAKERS.update(PAYMENT_IMPORT_ROW_MAKERS)
ROW_MAKERS[OrderDocument] = lambda merchant: OrderDocument.objects.create(
    merchant=merchant, order=ShopifyOrderFactory(merchant=merchant), shopify_order_id=f"gid://shopify/Order/{merchant.pk}",
    kind="order", document_no=f"SO{merchant.pk:05d}")


def _shopify_location(merchant) -> ShopifyLocation:
    return ShopifyLocation.objects.create(merchant=merchant, shopify_gid=f"gid://shopify/Location/{merchant.pk}",
                                          name="Warehouse", is_active=True, is_fulfillment_service=False,
                                          fulfills_online_orders=True, imported_at=timezone.now())


ROW_MAKERS[ShopifyLocation] = _shopify_location
ROW_MAKERS[ShopLocation] = lambda merchant: ShopLocation.objects.create(merchant=merchant,
                                                                        location=_shopify_location(merchant))
ROW_MAKERS[ShipmentFulfillment] = lambda merchant: ShipmentFulfillment.objects.create(
    merchant=merchant, shipment_no=f"PSS{merchant.pk:05d}", shopify_order_id=f"gid://shopify/Order/{merchant.pk}",
    posting_date=timezone.localdate())
ROW_MAKERS[CompanyLink] = lambda merchant: CompanyLink.objects.create(
    merchant=merchant, company_location_gid=f"gid://shopify/CompanyLocation/{merchant.pk}",
    company_gid=f"gid://shopify/Company/{merchant.pk}")


def _shopify_company(merchant) -> ShopifyCompany:
    now = timezone.now()
    return ShopifyCompany.objects.create(merchant=merchant, shopify_gid=f"gid://shopify/Company/{merchant.pk}",
                                         name=f"Company of {merchant.code}", imported_at=now, updated_at=now)


ROW_MAKERS[ShopifyCompany] = _shopify_company
ROW_MAKERS[PriceList] = lambda merchant: PriceListFactory(merchant=merchant)
ROW_MAKERS[PriceListLine] = lambda merchant: PriceListLineFactory(
    price_list=PriceListFactory(merchant=merchant), item_no=ItemFactory(merchant=merchant).number)
ROW_MAKERS[CatalogLink] = lambda merchant: CatalogLink.objects.create(
    merchant=merchant, catalog_gid=f"gid://shopify/CompanyLocationCatalog/{merchant.pk}", title="Wholesale")
