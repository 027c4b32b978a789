"""System checks run at start-up (runserver, qcluster, migrate), so a bad key stops them early."""
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core import secrets


@checks.register(checks.Tags.security)
def encryption_key_is_usable(app_configs, **kwargs):
    try:
        secrets.fernet()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="syncsite.E001")]
    return []
