"""What the importers announce, for the parts of syncsite that act on what was imported (D2
adjustments, customer and product links).

All are sent inside the import's transaction: `orders_replacing` before a changed order's rows are
replaced (its old amounts can still be read), `orders_replaced` once they are written again,
`orders_added` after new orders are written,
`customers_imported` after new or changed customers are written, `products_imported` after new or
changed products are written with their variants.
"""
from django.dispatch import Signal

orders_replacing = Signal()   # kwargs: merchant_id, order_ids
orders_replaced = Signal()    # kwargs: merchant_id, order_ids
orders_added = Signal()       # kwargs: merchant_id, order_ids
customers_imported = Signal()   # kwargs: merchant_id, gids (new or changed)
products_imported = Signal()  # kwargs: merchant_id, product_ids (ShopifyProduct pks, new or changed)
