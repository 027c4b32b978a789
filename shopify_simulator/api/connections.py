"""Relay connections over in-memory lists, with Shopify's rules: first or last, at most 250."""
from __future__ import annotations

import base64
import json
from itertools import islice
from typing import Any, Callable, Iterable

from graphql import GraphQLError

MAX_PAGE_SIZE = 250


def encode_cursor(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("Invalid cursor for current pagination sort.", extensions={"code": "BAD_REQUEST"})
    if not isinstance(payload, dict):
        raise GraphQLError("Invalid cursor for current pagination sort.", extensions={"code": "BAD_REQUEST"})
    return payload


def page_size(args: dict) -> tuple[int, bool]:
    """(size, is_backwards) from first/last, refusing what Shopify refuses."""
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last", extensions={"code": "BAD_REQUEST"})
    if first is not None and last is not None:
        raise GraphQLError("providing both first and last is not supported", extensions={"code": "BAD_REQUEST"})
    size = first if first is not None else last
    if size < 0 or size > MAX_PAGE_SIZE:
        raise GraphQLError(f"The page size must be between 0 and {MAX_PAGE_SIZE}, it was {size}.",
                           extensions={"code": "BAD_REQUEST"})
    return size, last is not None


def connection(nodes: list, cursors: list[str], *, has_next: bool, has_previous: bool) -> dict:
    return {
        "nodes": nodes,
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, nodes)],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }


def list_connection(items: list, args: dict, *, unlimited: bool = False) -> dict:
    """A page of a plain list; cursors are positions. `unlimited` (bulk operations) returns all."""
    if unlimited:
        return connection(items, [encode_cursor({"i": i}) for i in range(len(items))],
                          has_next=False, has_previous=False)
    size, backwards = page_size(args)
    items = list(reversed(items)) if args.get("reverse") else list(items)
    positions = list(range(len(items)))
    after, before = decode_cursor(args.get("after")), decode_cursor(args.get("before"))
    if after is not None:
        positions = [p for p in positions if p > after.get("i", -1)]
    if before is not None:
        positions = [p for p in positions if p < before.get("i", len(items))]
    if backwards:
        chosen = positions[-size:] if size else []
        has_previous, has_next = len(positions) > len(chosen), before is not None
    else:
        chosen = positions[:size]
        has_next, has_previous = len(positions) > len(chosen), after is not None
    return connection([items[p] for p in chosen], [encode_cursor({"i": p}) for p in chosen],
                      has_next=has_next, has_previous=has_previous)


ItemsAfter = Callable[[dict | None, bool], Iterable[tuple[dict, Any]]]


def page_of(items_after: ItemsAfter, args: dict, *, reverse: bool) -> dict:
    """A page from a source that lists (cursor payload, item) after a cursor, in either direction."""
    size, backwards = page_size(args)
    cursor = decode_cursor(args.get("before") if backwards else args.get("after"))
    found = list(islice(items_after(cursor, bool(reverse) != backwards), size + 1))
    has_more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    return connection([item for _, item in found], [encode_cursor(key) for key, _ in found],
                      has_next=has_more if not backwards else cursor is not None,
                      has_previous=cursor is not None if not backwards else has_more)
