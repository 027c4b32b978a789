"""Bulk operations: the current one, one by GID, and bulkOperationRunQuery, over the generic export."""
from __future__ import annotations

from shopify_simulator.api.bulk import start_bulk_query
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext


@query_field("currentBulkOperation")
def current_bulk_operation(context: RequestContext, info, type="QUERY") -> dict | None:
    operations = [op for op in context.shop.bulk_operations.values() if op.type == type]
    return operations[-1].view() if operations else None


@node_type("BulkOperation")
def bulk_operation_node(context: RequestContext, gid: str, number: int) -> dict | None:
    operation = context.shop.bulk_operations.get(gid)
    return operation.view() if operation else None


@mutation("bulkOperationRunQuery")
def bulk_operation_run_query(context: RequestContext, info, query) -> dict:
    return start_bulk_query(context, query)
