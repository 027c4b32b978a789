"""The shop's customers: the generated pool, plus what writes changed and the customers created since.

Only writes are kept (the changed fields of each customer written to), so memory grows with writes,
never with reads. Callers write under the shop's lock; a write replaces a customer's changes whole,
so a reader never sees half of one.

The pool's first CUSTOMER_POOL customers are those orders buy as; a larger pool (`--customers`) adds
customers who joined before them, one a minute, and never ordered. Lists sort and search by
`created_at`/`updated_at`/`facts` without building views, so a list of 100,000 customers answers a
page by viewing that page only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from shopify_simulator.store.customers import (
    TAX_EXEMPT_EVERY,
    customer_created_at,
    iso,
    new_customer_view,
    pool_customer_view,
    with_changes,
)
from shopify_simulator.store.orders import CUSTOMER_POOL
from shopify_simulator.store.profiles import ShopProfile
from shopify_simulator.store.records import Customer

MAX_POOL = 1_000_000     # a shop's customer ids are a million apart from the next shop's


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What a customer is searched and sorted by, as its view says it."""

    first_name: str | None
    last_name: str | None
    display_name: str
    email: str | None
    phone: str | None
    tags: tuple[str, ...]
    tax_exempt: bool
    state: str


class CustomerBook:
    def __init__(self, profile: ShopProfile, generator, *, pool_size: int = CUSTOMER_POOL) -> None:
        if not CUSTOMER_POOL <= pool_size <= MAX_POOL:
            raise ValueError(f"a shop has {CUSTOMER_POOL:,} to {MAX_POOL:,} customers (its orders buy as the first "
                             f"{CUSTOMER_POOL})")
        self.profile, self.generator, self.pool_size = profile, generator, pool_size
        self._changes: dict[int, dict] = {}        # customer number -> changed fields (GraphQL names)
        self._created: dict[int, datetime] = {}    # customer number -> createdAt, for customers created since
        self._updated: dict[int, datetime] = {}    # customer number -> updatedAt, for customers written to
        self._order_pool_seconds: list[int] = []  # when the orders' pool joined, in seconds since the epoch

    def numbers(self) -> list[int]:
        """Every customer's number (its legacy id), in id order."""
        base = self.profile.customer_id_base
        return [*range(base, base + self.pool_size), *list(self._created)]

    def exists(self, number: int) -> bool:
        return self._pool_index(number) is not None or number in self._created

    def view(self, number: int) -> dict | None:
        index = self._pool_index(number)
        if index is not None:
            base = pool_customer_view(self.profile, Customer(self.profile, index), created=self._pool_created(index))
        elif number in self._created:
            base = new_customer_view(self.profile, number, created=self._created[number])
        else:
            return None
        changes = self._changes.get(number)
        return with_changes(base, changes) if changes else base

    def edited(self, number: int) -> dict | None:
        """The customer's view if a write changed it since generation, else None."""
        return self.view(number) if number in self._changes else None

    def created_at(self, number: int) -> datetime:
        index = self._pool_index(number)
        return self._pool_created(index) if index is not None else self._created[number]

    def updated_at(self, number: int) -> datetime:
        """The customer's updatedAt: its createdAt until a write moved it."""
        return self._updated.get(number) or self.created_at(number)

    def created_second(self, number: int) -> int:
        """createdAt in whole seconds since the epoch, as lists sort by it: arithmetic for the pool."""
        index = self._pool_index(number)
        return self._pool_second(index) if index is not None else int(self._created[number].timestamp())

    def updated_second(self, number: int) -> int:
        moment = self._updated.get(number)
        return int(moment.timestamp()) if moment is not None else self.created_second(number)

    def facts(self, number: int) -> CustomerFacts:
        """What lists search and sort by; a customer never written to is read off the generated pool,
        without its view (addresses, consent, ...)."""
        index = self._pool_index(number)
        if index is None or number in self._changes:
            view = self.view(number)
            return CustomerFacts(view["firstName"], view["lastName"], view["displayName"], view["email"],
                                 view["phone"], tuple(view["tags"]), view["taxExempt"], view["state"])
        customer = Customer(self.profile, index)
        return CustomerFacts(customer.first_name, customer.last_name, f"{customer.first_name} {customer.last_name}",
                             customer.email, customer.phone, (), index % TAX_EXEMPT_EVERY == 7, "ENABLED")

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
        self._updated[number] = now.replace(microsecond=0)
        self._changes[number] = {**fields, "updatedAt": iso(now)}

    def change(self, number: int, fields: dict, *, now: datetime) -> str:
        """Apply a write; updatedAt moves to now, and at least a second on, so an incremental sync
        reading `updated_at:>` its last mark sees every write. Returns the new updatedAt."""
        moment = max(now.replace(microsecond=0), self.updated_at(number) + timedelta(seconds=1))
        self._updated[number] = moment
        self._changes[number] = {**self._changes.get(number, {}), **fields, "updatedAt": iso(moment)}
        return iso(moment)

    def _pool_created(self, index: int) -> datetime:
        return datetime.fromtimestamp(self._pool_second(index), timezone.utc)

    def _pool_second(self, index: int) -> int:
        """The orders' pool joined one an hour (store.customers.customer_created_at); the customers
        beyond it one a minute before the first of them, so that none joined after the store's "now"."""
        if not self._order_pool_seconds:
            self._order_pool_seconds = [int(customer_created_at(self.generator, i).timestamp())
                                        for i in range(CUSTOMER_POOL)]
        if index < CUSTOMER_POOL:
            return self._order_pool_seconds[index]
        return self._order_pool_seconds[0] - 60 * (self.pool_size - index)

    def _pool_index(self, number: int) -> int | None:
        index = number - self.profile.customer_id_base
        return index if 0 <= index < self.pool_size else None
