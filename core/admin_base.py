"""The two kinds of admin every model is registered with: scoped to merchants, or staff only.

`MerchantScopedAdmin` is the one mechanism that keeps a merchant user inside their merchants: its
queryset (and so Django's object lookup, change, delete and history pages, and actions), the
choices of every foreign key, and the merchant list filter all go through `core.scoping`.
An object outside the user's merchants is a 404, never a redirect that admits it exists.
"""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone

from core.local_time import in_zone, zone_named
from core.scoping import (
    is_syncsite_staff,
    merchant_lookup,
    merchants_for,
    scope_to_user,
)
from core.tiles import TILES

ALL_PERMISSIONS = frozenset({"view", "add", "change", "delete"})


def tile_list_filter(*, title: str, parameter_name: str,
                     choices: dict[str, tuple[str, str]]) -> type[admin.SimpleListFilter]:
    """A list filter that narrows a list to exactly the rows a role-center tile counts.

    `choices` maps each value of the filter to (tile key, label); the tiles' owners register them
    at start-up (core.tiles), so a list here needs no import of the layer that defines the rows.
    """

    class TileListFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return [(value, label) for value, (key, label) in choices.items() if key in TILES]

        def queryset(self, request, queryset):
            key = choices.get(self.value() or "", ("", ""))[0]
            if key not in TILES:
                return queryset
            return queryset & TILES[key].rows(merchants_for(request.user))

    TileListFilter.title, TileListFilter.parameter_name = title, parameter_name
    return TileListFilter


def merchant_list_filter(lookup: str, title: str = "merchant") -> type[admin.SimpleListFilter]:
    """A list filter whose choices are the user's merchants (not a DISTINCT over the table)."""

    class MerchantListFilter(admin.SimpleListFilter):
        parameter_name = "merchant"

        def lookups(self, request, model_admin):
            return [(str(m.pk), m.code) for m in merchants_for(request.user).only("pk", "code")]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{lookup: self.value()})
            return queryset

    MerchantListFilter.title = title
    return MerchantListFilter


def local_time_column(field: models.DateTimeField, merchant_path: str):
    """A list column showing `field` of each row in the row's own shop's time zone."""

    def column(obj):
        return in_zone(getattr(obj, field.name), getattr(merchant_of(obj, merchant_path), "time_zone", None))

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    column.__name__ = field.name
    return column


def merchant_of(obj, path: str):
    """Follow the ORM path to an object's merchant ("pk": the object is the merchant)."""
    if path == "pk":
        return obj
    for name in path.split("__"):
        obj = getattr(obj, name, None)
    return obj


class MerchantScopedAdmin(admin.ModelAdmin):
    """Admin for a model that belongs to a merchant.

    `merchant_user_permissions` says what a merchant user may do with their own rows; staff may do
    everything. `staff_only_fields` are read-only for merchant users. A row's page shows its times
    in its shop's time zone, and lists show each row's times in its own shop's (core.local_time).
    """

    merchant_user_permissions: frozenset[str] = frozenset({"view"})
    staff_only_fields: tuple[str, ...] = ()

    # Times
    def get_list_display(self, request):
        path = merchant_lookup(self.model)
        fields = {f.name: f for f in self.model._meta.concrete_fields if isinstance(f, models.DateTimeField)}
        return [local_time_column(fields[name], path) if isinstance(name, str) and name in fields and path else name
                for name in super().get_list_display(request)]

    def get_list_select_related(self, request):
        """The shop of each row comes with it, for its time zone (one query, not one per row)."""
        chosen = super().get_list_select_related(request)
        path = merchant_lookup(self.model)
        if chosen is True or not path or path == "pk":
            return chosen
        return (*(chosen or ()), path) if path not in (chosen or ()) else chosen

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self._zone_of(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Rendered here, while the shop's zone is active (a TemplateResponse renders later).
            return response.render() if hasattr(response, "render") else response

    def history_view(self, request, object_id, extra_context=None):
        with timezone.override(self._zone_of(request, object_id)):
            response = super().history_view(request, object_id, extra_context)
            return response.render() if hasattr(response, "render") else response

    def _zone_of(self, request, object_id):
        """The zone of the shop a change page is about (UTC on an add page)."""
        path = merchant_lookup(self.model)
        if not object_id or not path:
            return zone_named(None)
        try:
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):   # not an id: the page itself answers 404
            obj = None
        return zone_named(getattr(merchant_of(obj, path), "time_zone", None) if obj else None)

    # Rows
    def get_queryset(self, request):
        return scope_to_user(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this ID")
        return obj

    # Choices
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = self._scoped_choices(db_field, request)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        path = merchant_lookup(db_field.remote_field.model)
        if field is not None and path and path != "pk" and is_syncsite_staff(request.user):
            # Staff choose among every shop's rows: each choice says whose it is ("4000 Sales (DEMO-EU)").
            field.queryset = field.queryset.select_related(path)
            field.label_from_instance = lambda obj: f"{obj} ({getattr(merchant_of(obj, path), 'code', '?')})"
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = self._scoped_choices(db_field, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scoped_choices(self, db_field, request):
        related = db_field.remote_field.model
        queryset = related._default_manager.all()
        related_admin = self.admin_site._registry.get(related)
        if related_admin is not None:
            ordering = related_admin.get_ordering(request)
            if ordering:
                queryset = queryset.order_by(*ordering)
        return scope_to_user(queryset, request.user)

    def get_list_filter(self, request):
        lookup = merchant_lookup(self.model)
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and lookup and item in {"merchant", lookup}:
                item = merchant_list_filter(lookup)
            filters.append(item)
        return filters

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not is_syncsite_staff(request.user):
            readonly += tuple(f for f in self.staff_only_fields if f not in readonly)
        return readonly

    # Permissions
    def _may(self, request, action: str) -> bool:
        if is_syncsite_staff(request.user):
            return True
        return request.user.is_active and action in self.merchant_user_permissions

    def has_module_permission(self, request):
        return is_syncsite_staff(request.user) or (request.user.is_active and bool(self.merchant_user_permissions))

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")


class MerchantScopedInline(admin.TabularInline):
    """A table of a merchant's rows on a merchant-scoped page (the shop card's default customer per
    country). Whoever reached the page reached it through the parent's scoped queryset; merchant
    users get `merchant_user_permissions` on its rows, as MerchantScopedAdmin gives them, and change
    nothing there unless they may change the page itself. Staff may do everything."""

    merchant_user_permissions: frozenset[str] = frozenset({"view"})

    def get_queryset(self, request):
        return scope_to_user(super().get_queryset(request), request.user)

    def _may(self, request, action: str, obj=None) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        if action != "view" and parent is not None and not parent.has_change_permission(request, obj):
            return False
        if is_syncsite_staff(request.user):
            return True
        return request.user.is_active and action in self.merchant_user_permissions

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view", obj) or self._may(request, "change", obj)

    def has_add_permission(self, request, obj=None):
        return self._may(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)


class StaffOnlyAdminMixin:
    """Admin for a model that belongs to no merchant: staff only, merchant users never see it."""

    def has_module_permission(self, request):
        return is_syncsite_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_syncsite_staff(request.user)

    def has_add_permission(self, request, *args):
        return is_syncsite_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_syncsite_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_syncsite_staff(request.user)


class StaffOnlyAdmin(StaffOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyScopedAdmin(MerchantScopedAdmin):
    """Nobody adds, changes or deletes these rows here; merchant users see their shops' ones."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown with their parent (an order's lines, a journal's lines): whoever may see the parent
    sees them, through its scoped queryset; nobody edits them here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id", "merchant", "order")]

    def has_view_permission(self, request, obj=None):
        return True  # the parent itself was reached through the scoped queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
