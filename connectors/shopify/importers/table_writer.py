"""Fast inserts for large imports: ids reserved up front, rows written without building models.

On PostgreSQL rows go in with binary COPY (psycopg's `cursor.copy`), ids come from the table's
sequence in one query; on SQLite with one `executemany` per table, ids after the current maximum
(writers are serialised by SQLite's write lock, which the import transaction holds). Both run
inside the caller's transaction.
"""
from __future__ import annotations

from operator import itemgetter

from django.db import connection as default_connection
from django.db import models


class TableWriter:
    def __init__(self, connection=default_connection) -> None:
        self.connection = connection
        self.is_postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute(
                    "WITH serial AS (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS sequence) "
                    "SELECT nextval(serial.sequence) FROM serial, generate_series(1, %s)", [table, count])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 (a model's table)
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def insert(self, model: type[models.Model], rows: list[dict], *, with_id: bool) -> None:
        """Insert `rows` (dicts keyed by field attname); every column the model has must be given."""
        if not rows:
            return
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        values = itemgetter(*[f.attname for f in fields])  # a row's values as a tuple, in column order
        table = model._meta.db_table
        quoted = ", ".join(f'"{f.column}"' for f in fields)
        if self.is_postgres:
            raw = self.connection.connection  # psycopg's own connection: COPY is not in Django's API
            with raw.cursor() as cursor, \
                    cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT BINARY)') as copy:
                # Binary COPY names each column's type, without modifiers: "varchar(64)" -> "varchar".
                copy.set_types([f.db_type(self.connection).split("(")[0] for f in fields])
                for row in rows:
                    copy.write_row(values(row))
            return
        # SQLite keeps datetimes and decimals as text: only those columns are converted.
        adapt_datetime = self.connection.ops.adapt_datetimefield_value
        converters = [adapt_datetime if isinstance(f, models.DateTimeField) else
                      str if isinstance(f, models.DecimalField) else None for f in fields]
        placeholders = ", ".join(["%s"] * len(fields))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})',  # noqa: S608 (a model's table)
                [[value if convert is None or value is None else convert(value)
                  for convert, value in zip(converters, values(row))] for row in rows])
