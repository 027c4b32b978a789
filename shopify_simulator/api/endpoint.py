"""One GraphQL request, answered as Shopify answers it: validation, cost, the bucket, execution."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import GraphQLError, OperationDefinitionNode, execute
from graphql.execution.values import get_variable_values

from shopify_simulator.api.cost import SINGLE_QUERY_MAX_COST, QueryCost
from shopify_simulator.api.documents import checked_document
from shopify_simulator.api.request import RequestContext
from shopify_simulator.api.roots import MutationRoot, QueryRoot, resolve_field
from shopify_simulator.schema import admin_schema

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop

RATE_LIMITS_DOC = "https://shopify.dev/api/usage/rate-limits"


@dataclass
class Answer:
    status: int
    payload: dict
    headers: dict = field(default_factory=dict)

    def body(self) -> bytes:
        return json.dumps(self.payload, separators=(",", ":")).encode()


def _errors(errors, code: str | None = None) -> list[dict]:
    formatted = []
    for error in errors:
        entry = error.formatted if isinstance(error, GraphQLError) else {"message": str(error)}
        entry = dict(entry)
        if code and "code" not in (entry.get("extensions") or {}):
            entry["extensions"] = {**(entry.get("extensions") or {}), "code": code}
        formatted.append(entry)
    return formatted


def throttled(shop: "SimulatedShop", requested: int) -> Answer:
    payload = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": RATE_LIMITS_DOC}}],
        "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": None,
                                "throttleStatus": shop.bucket.status()}},
    }
    if shop.settings.throttle_status == 429:
        return Answer(429, payload, {"Retry-After": str(shop.bucket.seconds_until(requested))})
    return Answer(200, payload)


def answer_graphql(simulator, shop: "SimulatedShop", raw_body: bytes) -> Answer:
    try:
        body = json.loads(raw_body or b"{}")
        query = body.get("query")
        variables = body.get("variables") or {}
        operation_name = body.get("operationName")
        if not isinstance(query, str) or not isinstance(variables, dict):
            raise ValueError
    except (ValueError, AttributeError):
        return Answer(400, {"errors": {"query": "Required parameter missing or invalid"}})

    checked = checked_document(query)
    if checked.errors:
        return Answer(200, {"errors": _errors(checked.errors, "GRAPHQL_VALIDATION_FAILED")})
    operations = [d for d in checked.document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        message = (f"No operation named {operation_name!r}" if operation_name
                   else "An operation name is required when a document holds several operations")
        return Answer(200, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})
    operation = operations[0]
    schema = admin_schema()
    coerced = get_variable_values(schema, operation.variable_definitions or [], variables)
    if isinstance(coerced, list):
        return Answer(200, {"errors": _errors(coerced, "INVALID_VARIABLE")})

    cost = QueryCost(schema, checked.document, operation, coerced)
    try:
        requested = cost.requested()
    except GraphQLError as exc:
        return Answer(200, {"errors": _errors([exc], "BAD_REQUEST")})
    if requested > SINGLE_QUERY_MAX_COST:
        return Answer(200, {"errors": [{
            "message": f"Query cost is {requested}, which exceeds the single query max cost limit "
                       f"({SINGLE_QUERY_MAX_COST}).",
            "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": SINGLE_QUERY_MAX_COST,
                           "documentation": RATE_LIMITS_DOC},
        }]})
    if not shop.bucket.try_take(requested):
        return throttled(shop, requested)

    context = RequestContext(shop=shop, now=shop.clock.now(), simulator=simulator)
    root = MutationRoot(context) if cost.is_mutation else QueryRoot(context)
    result = execute(schema, checked.document, root_value=root, context_value=context,
                     variable_values=variables, operation_name=operation_name, field_resolver=resolve_field)
    actual = requested if cost.is_mutation else min(requested, cost.actual(result.data))
    shop.bucket.refund(requested - actual)
    payload: dict = {}
    if result.errors:
        # An error a resolver did not classify is the server's fault, wherever it happens (Shopify
        # answers INTERNAL_SERVER_ERROR beside whatever data it could still give).
        payload["errors"] = _errors(result.errors, "INTERNAL_SERVER_ERROR")
    payload["data"] = result.data
    payload["extensions"] = {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                                      "throttleStatus": shop.bucket.status()}}
    return Answer(200, payload)
