"""Who carries a shipment: shipping agents, named by code on sales documents and posted shipments
(Business Central's Shipping Agent table)."""
from django.db import models

TRACKING_NO_PLACEHOLDER = "%1"


class ShippingAgent(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shipping_agents")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=50)
    tracking_company = models.CharField(
        max_length=100, blank=True,
        help_text='The carrier as Shopify knows it, e.g. "UPS" or "DHL Express"; blank: the name above.')
    internet_address = models.CharField(
        max_length=250, blank=True,
        help_text="The carrier's tracking page; %1 stands for the package tracking no., e.g. "
                  "https://www.ups.com/track?tracknum=%1")

    class Meta:
        ordering = ["merchant", "code"]
        constraints = [models.UniqueConstraint(fields=["merchant", "code"], name="ledger_shipping_agent_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
