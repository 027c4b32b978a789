"""What each resource answers, registered when its module is imported (shopify_simulator.resources).

A resolver takes the request's context, GraphQL's `info` and the field's arguments. A node resolver
takes the context, the GID and its numeric id. A bulk source yields (cursor key, object) of every
object a root connection lists, so a bulk export reads it in batches.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

Resolver = Callable[..., Any]
NodeResolver = Callable[[Any, str, int], "dict | None"]
BulkSource = Callable[[Any, dict], Iterator[tuple[Any, dict]]]

QUERY_FIELDS: dict[str, Resolver] = {}
MUTATIONS: dict[str, Resolver] = {}
NODE_TYPES: dict[str, NodeResolver] = {}
BULK_SOURCES: dict[str, BulkSource] = {}


class AlreadyRegistered(Exception):
    pass


def _add(table: dict, name: str, function) -> None:
    known = table.get(name)
    if known is not None and known is not function:
        raise AlreadyRegistered(f"{name} is already answered by {known.__module__}.{known.__qualname__}")
    table[name] = function


def query_field(name: str):
    """Register the resolver of root query field `name`."""
    def register(function: Resolver) -> Resolver:
        _add(QUERY_FIELDS, name, function)
        return function
    return register


def mutation(name: str):
    """Register the resolver of mutation `name`; it answers userErrors for bad input, as Shopify does."""
    def register(function: Resolver) -> Resolver:
        _add(MUTATIONS, name, function)
        return function
    return register


def node_type(*types: str):
    """Register how `node(id:)` finds objects whose GID names one of `types`."""
    def register(function: NodeResolver) -> NodeResolver:
        for type_name in types:
            _add(NODE_TYPES, type_name, function)
        return function
    return register


def bulk_source(name: str):
    """Register the objects root connection `name` exports, in batches, in a bulk operation."""
    def register(function: BulkSource) -> BulkSource:
        _add(BULK_SOURCES, name, function)
        return function
    return register
