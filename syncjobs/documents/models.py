"""Which sales document each imported Shopify order became: one row per (order, document), naming
the accounting target's document by its type and number (no foreign key into any target's tables).
Posted documents are asked of the target by the Shopify order's GID, so nothing here changes when a
document is posted."""
from django.db import models


class DocumentKind(models.TextChoices):
    ORDER = "order", "Sales order"
    INVOICE = "invoice", "Sales invoice"
    CREDIT_MEMO = "credit_memo", "Sales credit memo"
    RETURN_ORDER = "return_order", "Sales return order"


SALE_KINDS = (DocumentKind.ORDER, DocumentKind.INVOICE)


class OrderDocument(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="order_documents")
    order = models.ForeignKey("shopify.ShopifyOrder", on_delete=models.PROTECT, related_name="documents")
    shopify_order_id = models.CharField("Shopify order", max_length=64)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    shopify_refund_id = models.CharField("Shopify refund", max_length=64, blank=True,
                                         help_text="The refund a credit memo or return order was made from.")
    document_no = models.CharField("document no.", max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    # The order as its document was made from it (Business Central's conflict checks compare with this):
    # each line's quantity by its GID, and the shipping.
    lines_made_from = models.JSONField(default=dict, blank=True, editable=False)
    shipping_made_from = models.DecimalField(max_digits=18, decimal_places=4, default=0, editable=False)
    conflict = models.TextField("changed after processing", blank=True,
                                help_text="What changed in Shopify since the document was made; blank: nothing that "
                                          "matters.")
    conflict_found_at = models.DateTimeField(null=True, blank=True)
    # The document no. written to the Shopify order, and the order's updatedAt that write left: the
    # orders/updated webhook the write causes carries it, and is known for syncsite's own.
    written_to_shopify = models.CharField(max_length=20, blank=True, editable=False)
    written_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField("closed in Shopify", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["merchant", "-created_at"]
        verbose_name = "order document"
        constraints = [
            models.UniqueConstraint(fields=["merchant", "kind", "document_no"], name="order_document_no_unique"),
            # One sales order or invoice per Shopify order, whatever runs at the same time.
            models.UniqueConstraint(fields=["merchant", "shopify_order_id"], condition=models.Q(kind__in=SALE_KINDS),
                                    name="order_document_one_sale_per_order"),
            # Each refund becomes at most one document, whatever runs twice.
            models.UniqueConstraint(fields=["merchant", "shopify_refund_id"], condition=~models.Q(shopify_refund_id=""),
                                    name="order_document_one_per_refund"),
        ]
        indexes = [models.Index(fields=["merchant"], condition=~models.Q(conflict=""),
                                name="order_document_conflicts")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_no}"
