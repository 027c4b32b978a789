"""Shopify's Admin GraphQL schema (2025-01), vendored in schema/, loaded once per process."""
from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from graphql import GraphQLSchema, build_client_schema

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "admin-2025-01.json.gz"
SCHEMA_VERSION = "2025-01"


@lru_cache(maxsize=1)
def admin_schema() -> GraphQLSchema:
    with gzip.open(SCHEMA_PATH) as handle:
        return build_client_schema(json.load(handle)["data"])
