"""The shop's customers: the generated pool, plus what writes changed and the customers created since.

Only writes are kept (the changed fields of each customer written to), so memory grows with writes,
never with reads. Callers write under the shop's lock; a write replaces a customer's changes whole,
so a reader never sees half of one.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from shopify_simulator.store.customers import (
    customer_created_at,
    iso,
    new_customer_view,
    pool_customer_view,
    with_changes,
)
from shopify_simulator.store.orders import CUSTOMER_POOL
from shopify_simulator.store.profiles import ShopProfile
from shopify_simulator.store.records import Customer


class CustomerBook:
    def __init__(self, profile: ShopProfile, generator, *, pool_size: int = CUSTOMER_POOL) -> None:
        self.profile, self.generator, self.pool_size = profile, generator, pool_size
        self._changes: dict[int, dict] = {}        # customer number -> changed fields (GraphQL names)
        self._created: dict[int, datetime] = {}    # customer number -> createdAt, for customers created since

    def numbers(self) -> list[int]:
        """Every customer's number (its legacy id), in id order."""
        base = self.profile.customer_id_base
        return [*range(base, base + self.pool_size), *list(self._created)]

    def exists(self, number: int) -> bool:
        return self._pool_index(number) is not None or number in self._created

    def view(self, number: int) -> dict | None:
        index = self._pool_index(number)
        if index is not None:
            base = pool_customer_view(self.profile, Customer(self.profile, index),
                                      created=customer_created_at(self.generator, index))
        elif number in self._created:
            base = new_customer_view(self.profile, number, created=self._created[number])
        else:
            return None
        changes = self._changes.get(number)
        return with_changes(base, changes) if changes else base

    def edited(self, number: int) -> dict | None:
        """The customer's view if a write changed it since generation, else None."""
        return self.view(number) if number in self._changes else None

    def contact(self, number: int) -> tuple[str | None, str | None]:
        """(email, phone) as the customer has them now, without building its view."""
        changes = self._changes.get(number, {})
        index = self._pool_index(number)
        pooled = Customer(self.profile, index) if index is not None else None
        email = changes["email"] if "email" in changes else pooled.email if pooled else None
        phone = changes["phone"] if "phone" in changes else pooled.phone if pooled else None
        return email, phone

    def next_number(self) -> int:
        return self.profile.customer_id_base + self.pool_size + len(self._created)

    def create(self, number: int, fields: dict, *, now: datetime) -> None:
        """Add customer `number` (from next_number, under the shop's lock) with `fields` set."""
        self._created[number] = now
        self._changes[number] = {**fields, "updatedAt": iso(now)}

    def change(self, number: int, fields: dict, *, now: datetime) -> str:
        """Apply a write; updatedAt moves to now, and at least a second on, so an incremental sync
        reading `updated_at:>` its last mark sees every write. Returns the new updatedAt."""
        previous = datetime.fromisoformat(self.view(number)["updatedAt"].replace("Z", "+00:00"))
        updated_at = iso(max(now, previous + timedelta(seconds=1)))
        self._changes[number] = {**self._changes.get(number, {}), **fields, "updatedAt": updated_at}
        return updated_at

    def _pool_index(self, number: int) -> int | None:
        index = number - self.profile.customer_id_base
        return index if 0 <= index < self.pool_size else None
