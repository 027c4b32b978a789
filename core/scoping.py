"""The one place that decides which merchants a user sees (M4).

Staff (a superuser, or a member of the "syncsite staff" group) see every merchant. Everyone else
sees the merchants they are a member of. Being allowed into the admin (`is_staff`) says nothing
about this: merchant users have it too.
"""
from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.http import Http404

STAFF_GROUP = "syncsite staff"
_CACHE_ATTR = "_syncsite_is_staff"


def is_syncsite_staff(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _CACHE_ATTR):  # asked many times per page; the user object lives one request
        setattr(user, _CACHE_ATTR, user.groups.filter(name=STAFF_GROUP).exists())
    return getattr(user, _CACHE_ATTR)


def merchant_model() -> type[models.Model]:
    """The model a tenant is (settings.MERCHANT_MODEL, like AUTH_USER_MODEL): this package names no app.

    It declares `members_lookup`, the ORM path from a merchant to the users who are its members.
    """
    return apps.get_model(settings.MERCHANT_MODEL, require_ready=False)


def merchant_lookup(model: type[models.Model]) -> str | None:
    """The ORM path from `model` to its merchant's id, or None if it belongs to no merchant.

    A model owned through a parent declares `merchant_lookup = "order__merchant"`; a model with a
    `merchant` foreign key needs nothing.
    """
    merchant = merchant_model()
    if issubclass(model, merchant):
        return "pk"
    declared = getattr(model, "merchant_lookup", None)
    if declared:
        return declared
    try:
        field = model._meta.get_field("merchant")
    except Exception:
        return None
    if field.is_relation and field.related_model is merchant:
        return "merchant"
    return None


def merchants_for(user: User | AnonymousUser) -> models.QuerySet:
    merchant = merchant_model()
    if is_syncsite_staff(user):
        return merchant.objects.all()
    if not user.is_authenticated or not user.is_active:
        return merchant.objects.none()
    return merchant.objects.filter(**{merchant.members_lookup: user})


def scope_to_user(queryset: models.QuerySet, user: User | AnonymousUser) -> models.QuerySet:
    """Only the rows of `queryset` that `user` may see. Rows of no merchant are for staff only."""
    if is_syncsite_staff(user):
        return queryset
    lookup = merchant_lookup(queryset.model)
    if lookup is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    merchant = merchant_model()
    member_of = merchant.objects.filter(**{merchant.members_lookup: user}).values("pk")
    return queryset.filter(**{f"{lookup}__in": member_of})


def access_merchant_by_id(user: User | AnonymousUser, merchant_id: int | str) -> models.Model:
    """The merchant if `user` may see it; otherwise 404, so its existence is not disclosed."""
    try:
        return merchants_for(user).get(pk=int(merchant_id))
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        raise Http404("No such merchant") from None
