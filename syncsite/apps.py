from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from syncsite import checks  # noqa: F401  (registers the system checks)


class SyncsiteAdminConfig(AdminConfig):
    """Django's admin, with syncsite's site as the default so every app registers on it."""

    default_site = "syncsite.admin_site.SyncsiteAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscovers every app's admin module
        admin.site.confine_unscoped_admins()


class SyncsiteConfig(AppConfig):
    name = "syncsite"
    verbose_name = "syncsite"
