"""The databases a bench runs against: a throwaway SQLite file or a recreated PostgreSQL database."""
from __future__ import annotations

import subprocess


def database_url(database: str, *, postgres_url: str, directory: str) -> str:
    """The DATABASE_URL for `database` ("sqlite" or "postgres"), empty and ready to migrate."""
    if database == "sqlite":
        return f"sqlite:///{directory}/bench.sqlite3"
    recreate_postgres(postgres_url)
    return postgres_url


def recreate_postgres(url: str) -> None:
    name, admin_url = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
