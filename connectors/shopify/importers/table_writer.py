"""Fast inserts for large imports: ids reserved up front, rows written without building models.

On PostgreSQL rows go in with COPY (psycopg's `cursor.copy`), ids come from the table's sequence
in one query; on SQLite with one `executemany` per table, ids after the current maximum (writers
are serialised by SQLite's write lock, which the import transaction holds). Both run inside the
caller's transaction.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import connection as default_connection
from django.db import models


class TableWriter:
    def __init__(self, connection=default_connection) -> None:
        self.connection = connection
        self.is_postgres = connection.vendor == "postgresql"
        self._sequences: dict[str, str] = {}

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.is_postgres:
                sequence = self._sequences.get(table)
                if sequence is None:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                    sequence = self._sequences[table] = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 (a model's table)
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def insert(self, model: type[models.Model], rows: list[dict], *, with_id: bool) -> None:
        """Insert `rows` (dicts keyed by field attname); every column the model has must be given."""
        if not rows:
            return
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        columns = [f.column for f in fields]
        names = [f.attname for f in fields]
        table = model._meta.db_table
        if self.is_postgres:
            quoted = ", ".join(f'"{c}"' for c in columns)
            raw = self.connection.connection  # psycopg's own connection: COPY is not in Django's API
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[name] for name in names])
            return
        adapt = self.connection.ops.adapt_datetimefield_value
        placeholders = ", ".join(["%s"] * len(columns))
        quoted = ", ".join(f'"{c}"' for c in columns)
        values = [
            [adapt(v) if isinstance(v, datetime) else (str(v) if isinstance(v, Decimal) else v)
             for v in (row[name] for name in names)]
            for row in rows
        ]
        with self.connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})', values)  # noqa: S608
