"""`node(id:)` and `nodes(ids:)`: an object by its GID, found by the resource that registered its type."""
from __future__ import annotations

import re

from graphql import GraphQLError

from shopify_simulator.api.registry import NODE_TYPES, query_field
from shopify_simulator.api.request import RequestContext

# Some GIDs carry parameters, e.g. gid://shopify/InventoryLevel/1?inventory_item_id=2: the resolver reads them.
_GID = re.compile(r"^gid://shopify/(?P<type>\w+)/(?P<id>\d+)(\?[\w=&]+)?$")
MAX_NODES = 250


def parse_gid(gid: str) -> tuple[str, int] | None:
    match = _GID.match(gid or "")
    return (match["type"], int(match["id"])) if match else None


def resolve_node(context: RequestContext, gid: str) -> dict | None:
    parsed = parse_gid(gid)
    if parsed is None:
        raise GraphQLError(f"Invalid global id '{gid}'", extensions={"code": "BAD_REQUEST"})
    kind, number = parsed
    resolver = NODE_TYPES.get(kind)
    return resolver(context, gid, number) if resolver else None


@query_field("node")
def node(context: RequestContext, info, id) -> dict | None:
    return resolve_node(context, id)


@query_field("nodes")
def nodes(context: RequestContext, info, ids) -> list:
    if len(ids) > MAX_NODES:
        raise GraphQLError(f"The ids argument accepts at most {MAX_NODES} ids.", extensions={"code": "BAD_REQUEST"})
    return [resolve_node(context, gid) for gid in ids]
