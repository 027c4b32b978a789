"""Tenant scoping (M4), proved for every model in the admin registry.

The parameters come from the registry itself, so a model registered later is covered without
touching this file: a merchant-scoped one needs a row maker in tests/factories/owned_rows.py.
"""
from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from core.admin_base import MerchantScopedAdmin, StaffOnlyAdminMixin
from core.scoping import merchant_lookup
from tests.factories.merchants import MerchantFactory
from tests.factories.owned_rows import ROW_MAKERS
from tests.factories.users import merchant_user

SCOPED = sorted(
    (m for m, a in admin.site._registry.items() if isinstance(a, MerchantScopedAdmin)), key=lambda m: m._meta.label
)
STAFF_ONLY = sorted(
    (m for m, a in admin.site._registry.items() if isinstance(a, StaffOnlyAdminMixin)), key=lambda m: m._meta.label
)


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def two_merchants(db):
    """alice belongs to `own`; `other` is a merchant she must never see."""
    own, other = MerchantFactory(code="OWN"), MerchantFactory(code="OTHER")
    return own, other, merchant_user(own, username="alice")


def owned_row(model, merchant):
    row = ROW_MAKERS[model](merchant)
    lookup = merchant_lookup(model)
    assert model._default_manager.filter(pk=row.pk).filter(**{lookup: merchant.pk}).exists()
    return row


def test_every_admin_is_either_merchant_scoped_or_staff_only():
    unscoped = [
        label(m) for m, a in admin.site._registry.items()
        if not isinstance(a, (MerchantScopedAdmin, StaffOnlyAdminMixin))
    ]
    assert unscoped == []


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_every_scoped_model_is_owned_by_a_merchant_and_has_a_row_maker(model):
    assert merchant_lookup(model) is not None, f"{label(model)} is scoped but has no path to a merchant"
    assert model in ROW_MAKERS, f"add a row maker for {label(model)} to tests/factories/owned_rows.py"


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_merchant_user_lists_only_own_rows(model, two_merchants, login):
    own, other, alice = two_merchants
    mine, theirs = owned_row(model, own), owned_row(model, other)

    response = login(alice).get(url(model, "changelist"))

    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert mine.pk in listed
    assert theirs.pk not in listed


@pytest.mark.parametrize("model", SCOPED, ids=label)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_merchant_user_gets_404_for_another_merchants_row(model, view, two_merchants, login):
    own, other, alice = two_merchants
    theirs = owned_row(model, other)

    response = login(alice).get(url(model, view, theirs.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_merchant_user_cannot_change_another_merchants_row(model, two_merchants, login):
    own, other, alice = two_merchants
    theirs = owned_row(model, other)
    before = model._default_manager.filter(pk=theirs.pk).values().get()

    response = login(alice).post(url(model, "change", theirs.pk), {"name": "hijacked", "code": "HIJACK"})

    assert response.status_code == 404
    assert model._default_manager.filter(pk=theirs.pk).values().get() == before


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_merchant_user_cannot_delete_another_merchants_row(model, two_merchants, login):
    own, other, alice = two_merchants
    theirs = owned_row(model, other)
    client = login(alice)

    by_page = client.post(url(model, "delete", theirs.pk), {"post": "yes"})
    by_action = client.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
    )

    assert by_page.status_code == 404
    assert by_action.status_code in (200, 302, 403)
    assert model._default_manager.filter(pk=theirs.pk).exists()


def _foreign_key_fields(model):
    admin_obj = admin.site._registry[model]
    return [
        f for f in model._meta.get_fields()
        if isinstance(f, (models.ForeignKey, models.ManyToManyField)) and f.editable
        and (admin_obj.fields is None or f.name in admin_obj.fields)
    ]


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_dropdowns_offer_only_own_merchants_rows(model, two_merchants, login, superuser):
    own, other, alice = two_merchants
    mine, theirs = owned_row(model, own), owned_row(model, other)
    model_admin = admin.site._registry[model]
    page = url(model, "change", mine.pk)

    response = login(alice).get(page)

    assert response.status_code == 200
    form = response.context["adminform"].form
    for field in _foreign_key_fields(model):
        if field.name not in form.fields:
            continue  # read-only for merchant users
        choices = set(form.fields[field.name].queryset.values_list("pk", flat=True))
        related_of_theirs = getattr(theirs, field.name) if isinstance(field, models.ForeignKey) else None
        if related_of_theirs is not None and merchant_lookup(field.related_model):
            assert related_of_theirs.pk not in choices, f"{field.name} offers another merchant's row"
        if merchant_lookup(field.related_model) is None:
            assert choices == set(), f"{field.name} offers staff-only rows to a merchant user"
    assert model_admin.has_view_permission(response.wsgi_request, mine)


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_merchant_filter_lists_only_own_merchants(model, two_merchants, login):
    own, other, alice = two_merchants
    owned_row(model, own)

    response = login(alice).get(url(model, "changelist"))

    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs if spec.title == "merchant"
        for choice in spec.choices(response.context["cl"])
    ]
    if choices:  # a model without a merchant filter has nothing to leak
        assert "OWN" in choices and "OTHER" not in choices


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_filtering_by_another_merchant_shows_nothing(model, two_merchants, login):
    own, other, alice = two_merchants
    owned_row(model, other)

    response = login(alice).get(url(model, "changelist"), {"merchant": other.pk})

    # An unknown choice is either ignored by Django (then only own rows show) or empties the list.
    listed = {obj.pk for obj in response.context["cl"].result_list} if response.status_code == 200 else set()
    assert not model._default_manager.filter(pk__in=listed, **{merchant_lookup(model): other.pk}).exists()


@pytest.mark.parametrize("model", STAFF_ONLY, ids=label)
def test_merchant_user_cannot_open_staff_only_models(model, two_merchants, login):
    own, other, alice = two_merchants

    response = login(alice).get(url(model, "changelist"))

    assert response.status_code == 403


def test_index_shows_merchant_user_no_staff_only_model(two_merchants, login):
    own, other, alice = two_merchants

    response = login(alice).get(reverse("admin:index"))

    shown = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert shown == {m._meta.object_name for m in SCOPED if admin.site._registry[m].merchant_user_permissions}


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_staff_group_member_sees_every_merchants_rows(model, two_merchants, staff, login):
    own, other, alice = two_merchants
    mine, theirs = owned_row(model, own), owned_row(model, other)

    client = login(staff)
    listed = {obj.pk for obj in client.get(url(model, "changelist")).context["cl"].result_list}

    assert {mine.pk, theirs.pk} <= listed
    assert client.get(url(model, "change", theirs.pk)).status_code == 200


def test_user_without_memberships_sees_no_merchant(two_merchants, login):
    loner = merchant_user()

    response = login(loner).get(url(SCOPED[0], "changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_staff_never_meet_a_500_on_the_pages_of_django_q2(db, login):
    """django-q2 allows no adds of tasks; staff-only must not widen that into an add page that fails."""
    from django.contrib import admin

    from tests.factories.users import staff_user

    client = login(staff_user())
    for model in [m for m in admin.site._registry if m._meta.app_label == "django_q"]:
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{base}_changelist")).status_code == 200, model
        assert client.get(reverse(f"{base}_add")).status_code in (200, 403), model
