"""What the ledger tells the layers above it, without knowing them."""
from django.dispatch import Signal

# A posted shipment's shipping agent or package tracking no. changed: kwargs merchant_id, number.
shipment_tracking_changed = Signal()
