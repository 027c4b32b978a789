"""Parsed and validated GraphQL documents, cached by their text (clients send the same few)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, parse, validate

from shopify_simulator.schema import admin_schema


@dataclass(frozen=True)
class CheckedDocument:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]


@lru_cache(maxsize=512)
def checked_document(text: str) -> CheckedDocument:
    try:
        document = parse(text)
    except GraphQLSyntaxError as exc:
        return CheckedDocument(None, (exc,))
    return CheckedDocument(document, tuple(validate(admin_schema(), document)))
