"""Where each posted shipment of a Shopify order stands with Shopify: not sent yet, being sent, a
fulfillment made, a shipment error, or nothing to send (Business Central keeps this as the
shipment's Shpfy Fulfillment Id: 0, an id, -1, -2)."""
from django.db import models


class ShipmentState(models.TextChoices):
    UNPROCESSED = "unprocessed", "Not sent yet"
    # A fulfillment was asked for and its answer is not recorded yet (a worker stopped, an answer
    # lost): the next run reads the order in Shopify and adopts what was made before sending anything.
    SENDING = "sending", "Being sent"
    FULFILLED = "fulfilled", "Fulfilled in Shopify"
    ERROR = "error", "Shipment error"
    NOTHING_TO_SEND = "nothing_to_send", "Nothing to send"


OPEN_STATES = (ShipmentState.UNPROCESSED, ShipmentState.SENDING)


class ShipmentFulfillment(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shipment_fulfillments")
    shipment_no = models.CharField("shipment no.", max_length=20)
    order_no = models.CharField("order no.", max_length=20, blank=True, help_text="The sales document it shipped.")
    shopify_order_id = models.CharField("Shopify order ID", max_length=100)
    shopify_order_no = models.CharField("Shopify order no.", max_length=30, blank=True)
    posting_date = models.DateField()
    state = models.CharField(max_length=20, choices=ShipmentState.choices, default=ShipmentState.UNPROCESSED)
    reason = models.TextField(blank=True, help_text="Why it is a shipment error or has nothing to send, or what "
                                                    "was left out of its fulfillment.")
    # {fulfillment GID: [[Shopify line item GID, quantity], ...]}: what was fulfilled for it so far, so a
    # retry sends only the rest, and a fulfillment cancelled in Shopify gives back just its lines.
    fulfillments = models.JSONField("Shopify fulfillments", default=dict, blank=True)
    # The fulfillments being asked for: [{"location": GID, "lines": [[line item GID, quantity], ...]}].
    pending = models.JSONField(default=list, blank=True, editable=False)
    tracking_to_send = models.BooleanField(
        default=False, help_text="The shipment's tracking changed in the books after its fulfillments were made: "
                                 "the next Sync shipments sends it to them.")
    attempted_at = models.DateTimeField(null=True, blank=True, help_text="When a fulfillment was first asked for.")
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "shipment to Shopify"
        verbose_name_plural = "shipments to Shopify"
        ordering = ["merchant", "-posting_date", "-shipment_no"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shipment_no"], name="shipment_fulfillment_unique")]
        indexes = [models.Index(fields=["merchant", "state"], name="shipment_fulfillment_state")]

    def __str__(self) -> str:
        return f"shipment {self.shipment_no}"

    @property
    def fulfilled_quantities(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for lines in self.fulfillments.values():
            for line_gid, quantity in lines:
                totals[line_gid] = totals.get(line_gid, 0) + quantity
        return totals
