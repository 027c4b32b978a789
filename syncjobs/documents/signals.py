"""What the documents domain tells the domains beside it, without knowing them."""
from django.dispatch import Signal

# Sent after posting made shipments (each committed): kwargs merchant, numbers (posted shipment nos.).
shipments_posted = Signal()
