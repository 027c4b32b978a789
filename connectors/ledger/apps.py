from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "connectors.ledger"
    label = "ledger"
    verbose_name = "Ledger"
