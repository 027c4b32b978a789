"""What syncsite does with each Shopify catalog: whether its prices come from the ledger, from which
price list, and how the last price sync went; and the passes of report 30116, so a stopped run
resumes where it was."""
from django.db import models


class CatalogLink(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="catalog_links")
    catalog_gid = models.CharField("Shopify catalog", max_length=64)
    title = models.CharField(max_length=255, blank=True, help_text="The catalog's title, for the lists.")
    sync_prices = models.BooleanField(
        "sync prices", default=False,
        help_text="On: Sync catalog prices sets its price list's prices from the ledger.")
    price_list_code = models.CharField(
        "price list", max_length=20, blank=True,
        help_text="The ledger price list its prices come from; blank: its company customer's, else the shop "
                  "card's, else the items' unit prices.")
    customer_no = models.CharField(
        "customer no.", max_length=20, blank=True,
        help_text="The ledger customer of the company it was created for (auto-create catalog), if any.")
    prices_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    prices_sent = models.PositiveIntegerField(default=0, editable=False,
                                              help_text="Prices the last sync sent (only what changed).")
    failure = models.CharField(max_length=500, blank=True, editable=False,
                               help_text="Why the last price sync of this catalog failed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "title"]
        verbose_name = "catalog"
        constraints = [models.UniqueConstraint(fields=["merchant", "catalog_gid"], name="catalog_link_one_per_gid")]
        indexes = [models.Index(fields=["merchant"], condition=models.Q(sync_prices=True),
                                name="catalog_link_priced")]

    def __str__(self) -> str:
        return self.title or self.catalog_gid


class CatalogPricePass(models.Model):
    """One pass of report 30116 over the catalogs of a filter: the catalogs it finished. A run that
    finds an unfinished pass of the same filter goes on with it (skips what it finished); a pass
    that ends is closed, and the next run starts a new one."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    filter_key = models.CharField(max_length=64, help_text="The request page's catalog filter, hashed.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    done_catalog_gids = models.JSONField(default=list, blank=True)
    prices_sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["merchant", "-started_at"]
        constraints = [models.UniqueConstraint(fields=["merchant", "filter_key"],
                                               condition=models.Q(finished_at__isnull=True),
                                               name="catalog_price_pass_one_open")]

    def __str__(self) -> str:
        return f"{self.filter_key} from {self.started_at:%Y-%m-%d %H:%M}"
