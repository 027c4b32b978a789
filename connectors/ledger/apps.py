from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "connectors.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from connectors.ledger import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
