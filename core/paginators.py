"""A paginator for lists that grow to millions of rows (run logs, imported orders)."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 100_000   # under this, the planner's estimate is not worth trusting over a real count


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL an unfiltered list takes its row count from the planner's statistics instead of
    a full-table COUNT(*); a filtered list (a merchant user's list always is) counts for real."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            estimate = _estimated_rows(self.object_list)
            if estimate is not None and estimate >= EXACT_BELOW:
                return estimate
        return super().count


def _estimated_rows(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                       [queryset.model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] > 0 else None
