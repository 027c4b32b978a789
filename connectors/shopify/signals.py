"""What the importers announce, for the parts of syncsite that act on what was imported (D2
adjustments, customer and product links).

All are sent inside the import's transaction: `orders_replacing` before a changed order's rows are
replaced (its old amounts can still be read), `orders_replaced` once they are written again,
`orders_added` after new orders are written,
`customers_imported` after new or changed customers are written, `products_imported` after new or
changed products are written with their variants, `companies_imported` after new or changed
companies are written with their locations and contacts, `catalogs_imported` after catalogs.
`fulfillment_changed` is not an import's: the fulfillment webhooks send it
(webhooks/fulfillment_topics.py).
"""
from django.dispatch import Signal

orders_replacing = Signal()   # kwargs: merchant_id, order_ids
orders_replaced = Signal()    # kwargs: merchant_id, order_ids
orders_added = Signal()       # kwargs: merchant_id, order_ids
customers_imported = Signal()   # kwargs: merchant_id, gids (new or changed)
products_imported = Signal()  # kwargs: merchant_id, product_ids (ShopifyProduct pks, new or changed)
companies_imported = Signal()   # kwargs: merchant_id, gids (ShopifyCompany GIDs, new or changed)
catalogs_imported = Signal()    # kwargs: merchant_id, gids (ShopifyCatalog GIDs, new or changed)
# A fulfillment was made or changed in Shopify (fulfillments/create, fulfillments/update webhooks),
# sent in the delivery's transaction. kwargs: merchant, order_gid, fulfillment_gid, status (Shopify's
# FulfillmentStatus: SUCCESS, CANCELLED, ERROR, FAILURE, OPEN, PENDING), updated_at (aware datetime or
# None; deliveries come in any order). A receiver may return a core.webhook_topics.Handled: the first
# one returned is the delivery's outcome.
fulfillment_changed = Signal()
