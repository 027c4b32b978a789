from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payout reconciliation (issue 28): each Shopify Payments payout taken apart into the balance
    transactions it holds, set against its net and against the journals that posted them. A sync
    domain with its own models."""

    name = "syncjobs.payments"
    label = "payment_sync"
    verbose_name = "Payments"

    def ready(self) -> None:
        from syncjobs.payments import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
