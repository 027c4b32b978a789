"""The query and mutation roots: each field answered by the resolver its resource registered, and
the default resolver every other field goes through."""
from __future__ import annotations

from graphql import GraphQLResolveInfo, get_named_type, get_nullable_type, is_list_type

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import MUTATIONS, QUERY_FIELDS
from shopify_simulator.api.request import RequestContext


class _Root:
    fields: dict = {}

    def __init__(self, context: RequestContext) -> None:
        self.context = context

    def __getattr__(self, name: str):
        resolver = type(self).fields.get(name)
        if resolver is None:
            raise AttributeError(name)
        return lambda info, **args: resolver(self.context, info, **args)


class QueryRoot(_Root):
    fields = QUERY_FIELDS


class MutationRoot(_Root):
    fields = MUTATIONS


def resolve_field(parent, info: GraphQLResolveInfo, **args):
    """Objects are plain dicts keyed by GraphQL field names (lists stand for connections and are
    paged here) or objects with methods named after fields; this answers every field of both."""
    name = info.field_name
    value = parent.get(name) if isinstance(parent, dict) else getattr(parent, name, None)
    if callable(value):
        # Worked out when asked for (its arguments, or what it costs to build); a list it returns
        # is paged below like any other.
        value = value(info, **args)
    if isinstance(value, list):
        named = get_named_type(info.return_type)
        if named.name.endswith("Connection") and not is_list_type(get_nullable_type(info.return_type)):
            return list_connection(value, args, unlimited=info.context.bulk)
        if args.get("first") is not None and not info.context.bulk:
            return value[: args["first"]]
    return value
