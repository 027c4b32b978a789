"""What the importer announces, for the parts of syncsite that keep what they posted (D2 adjustments).

Both are sent inside the import's transaction: `orders_replacing` before a changed order's rows are
replaced (its old amounts can still be read), `orders_added` after new orders are written.
"""
from django.dispatch import Signal

orders_replacing = Signal()   # kwargs: merchant_id, order_ids
orders_added = Signal()       # kwargs: merchant_id, order_ids
