"""A model field that stores a secret encrypted and a form field that never shows it back."""
from __future__ import annotations

from django import forms
from django.apps import apps
from django.db import models, transaction

from core.secrets import Secret, decrypt, encrypt


class SecretInput(forms.PasswordInput):
    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"autocomplete": "new-password", **(attrs or {})}, render_value=False)


# Access tokens and API keys are tens of characters; far longer is a paste gone wrong, not a secret.
SECRET_MAX_LENGTH = 255


class SecretFormField(forms.CharField):
    """Write-only: the page never contains the stored value, and a blank answer keeps it."""

    widget = SecretInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs["max_length"] = SECRET_MAX_LENGTH
        super().__init__(strip=True, **kwargs)

    def widget_attrs(self, widget):
        # No maxlength on the page: the browser would cut a long paste short without a word.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def prepare_value(self, value):
        return ""


class EncryptedSecretField(models.Field):
    """Stores Fernet ciphertext; reads back as a `Secret`. An empty value is stored as ''."""

    description = "An encrypted secret"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if not value:
            return Secret("")
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, Secret):
            return value
        return Secret(value or "")

    def get_prep_value(self, value):
        if isinstance(value, Secret):
            value = value.reveal()
        if not value:
            return ""
        return encrypt(str(value))

    def value_to_string(self, obj):
        # Serialisation (dumpdata) keeps the ciphertext, never the plain value.
        return self.get_prep_value(self.value_from_object(obj))

    def save_form_data(self, instance, data):
        # A blank answer in a form means "keep the stored secret".
        if data:
            setattr(instance, self.attname, Secret(data) if not isinstance(data, Secret) else data)

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": SecretFormField, "widget": SecretInput})



def rotate_stored_secrets() -> int:
    """Encrypt every stored secret again with the current (first) key; returns how many rows.

    Run after putting a new key first in SYNCSITE_ENCRYPTION_KEY; then the old key can be dropped.
    Reading decrypts with any configured key and writing encrypts with the first, so a plain
    read-and-write is the rotation.
    """
    rotated = 0
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedSecretField)]
        if not names:
            continue
        with transaction.atomic():
            rows = list(model._base_manager.only("pk", *names))
            model._base_manager.bulk_update(rows, names, batch_size=500)
        rotated += len(rows)
    return rotated
