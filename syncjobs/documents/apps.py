from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Create Sales Documents and the batch posting reports (30103, 296, 297): each imported order of
    a documents-mode shop becomes a sales order or invoice in the books, and the order and its
    document know each other through this app's rows. A sync domain with its own models."""

    name = "syncjobs.documents"
    label = "document_sync"
    verbose_name = "Sales documents"

    def ready(self) -> None:
        from syncjobs.documents import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
