"""Bulk query operations: run a query over every object, write JSONL, serve it without a token.

Like Shopify, nested connections do not nest in the output: each child is a line of its own with
`__parentId`, after its parent. Orders are exported in batches, so memory stays flat however many
orders the store holds.
"""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    execute,
    get_named_type,
)
from graphql.execution.values import get_argument_values

from shopify_simulator.api.connections import connection, encode_cursor
from shopify_simulator.api.documents import checked_document
from shopify_simulator.api.registry import BULK_SOURCES
from shopify_simulator.api.request import RequestContext, iso
from shopify_simulator.api.roots import QueryRoot, resolve_field
from shopify_simulator.schema import admin_schema

logger = logging.getLogger(__name__)
BATCH_SIZE = 250
MAX_CONNECTIONS = 5
MAX_NESTING = 2


@dataclass
class BulkOperation:
    gid: str
    query: str
    created_at: datetime
    type: str = "QUERY"
    status: str = "CREATED"
    completed_at: datetime | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    error_code: str | None = None
    path: Path | None = field(default=None, repr=False)

    def view(self) -> dict:
        return {
            "__typename": "BulkOperation", "id": self.gid, "type": self.type, "status": self.status,
            "query": self.query, "createdAt": iso(self.created_at),
            "completedAt": iso(self.completed_at) if self.completed_at else None,
            "objectCount": str(self.object_count), "rootObjectCount": str(self.root_object_count),
            "fileSize": str(self.file_size) if self.file_size is not None else None,
            "url": self.url, "partialDataUrl": None, "errorCode": self.error_code,
        }


def _error(message: str, code: str = "INVALID") -> dict:
    return {"bulkOperation": None, "userErrors": [{"field": ["query"], "message": message, "code": code}]}


def start_bulk_query(context: RequestContext, query: str) -> dict:
    shop = context.shop
    checked = checked_document(query)
    if checked.errors:
        return _error(f"Invalid bulk query: {checked.errors[0].message}")
    operation = next(d for d in checked.document.definitions if isinstance(d, OperationDefinitionNode))
    if operation.operation.value != "query":
        return _error("Bulk queries must be queries, not mutations.")
    fragments = {d.name.value: d for d in checked.document.definitions if isinstance(d, FragmentDefinitionNode)}
    problem = _shape_problem(operation, fragments)
    if problem:
        return _error(problem)
    with shop.lock:
        running = [op for op in shop.bulk_operations.values() if op.status in ("CREATED", "RUNNING")]
        if running:
            return _error(f"A bulk query operation for this app and shop is already in progress: {running[0].gid}.",
                          "OPERATION_IN_PROGRESS")
        op = BulkOperation(gid=f"gid://shopify/BulkOperation/{2_000_000 + shop.next_id()}", query=query,
                           created_at=context.now)
        shop.bulk_operations[op.gid] = op
    thread = threading.Thread(target=_run, args=(context, op, checked.document, operation), daemon=True,
                              name=f"bulk-{op.gid.rsplit('/', 1)[1]}")
    thread.start()
    return {"bulkOperation": op.view(), "userErrors": []}


def _shape_problem(operation: OperationDefinitionNode, fragments: dict) -> str | None:
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(roots) != 1:
        return "Bulk queries must have exactly one top-level field."
    root = roots[0]
    definition = admin_schema().query_type.fields.get(root.name.value)
    if definition is None or not get_named_type(definition.type).name.endswith("Connection"):
        return "Bulk queries must contain at least one connection at the top level."
    counts = {"connections": 0, "depth": 0}

    def walk(node: FieldNode, depth: int, node_type) -> str | None:
        counts["connections"] += 1
        counts["depth"] = max(counts["depth"], depth)
        item_type, item_fields = _item_selection(node, node_type, fragments)
        nested = [f for f in item_fields if _is_connection(item_type, f)]
        # Child lines name their parent by its `id`: it must be there under its own name.
        if nested and not any(f.name.value == "id" and f.alias is None for f in item_fields):
            return f"The parent '{node.name.value}' of a nested connection must select the 'id' field."
        for child in nested:
            child_type = get_named_type(item_type.fields[child.name.value].type)
            problem = walk(child, depth + 1, child_type)
            if problem:
                return problem
        return None

    problem = walk(root, 1, get_named_type(definition.type))
    if problem:
        return problem
    if counts["connections"] > MAX_CONNECTIONS:
        return f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
    if counts["depth"] > MAX_NESTING + 1:
        return f"Bulk queries cannot contain connections nested more than {MAX_NESTING} levels deep."
    return None


def _item_selection(node: FieldNode, connection_type, fragments: dict):
    fields = []
    item_type = None
    for selection in node.selection_set.selections if node.selection_set else []:
        if not isinstance(selection, FieldNode):
            continue
        if selection.name.value == "nodes":
            item_type = get_named_type(connection_type.fields["nodes"].type)
            fields += _plain_fields(selection, fragments)
        elif selection.name.value == "edges":
            edge_type = get_named_type(connection_type.fields["edges"].type)
            for edge_field in _plain_fields(selection, fragments):
                if edge_field.name.value == "node":
                    item_type = get_named_type(edge_type.fields["node"].type)
                    fields += _plain_fields(edge_field, fragments)
    return item_type, fields


def _plain_fields(node, fragments: dict) -> list[FieldNode]:
    """The fields a selection asks for, through inline fragments and named ones."""
    found = []
    for selection in node.selection_set.selections if node.selection_set else []:
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, FragmentSpreadNode):
            if selection.name.value in fragments:
                found += _plain_fields(fragments[selection.name.value], fragments)
        elif getattr(selection, "selection_set", None):
            found += _plain_fields(selection, fragments)
    return found


def _is_connection(parent_type, node: FieldNode) -> bool:
    definition = getattr(parent_type, "fields", {}).get(node.name.value)
    return definition is not None and get_named_type(definition.type).name.endswith("Connection")


def _run(context: RequestContext, op: BulkOperation, document, operation: OperationDefinitionNode) -> None:
    shop = context.shop
    simulator = context.simulator
    time.sleep(simulator.bulk_start_delay)
    op.status = "RUNNING"
    token = secrets.token_hex(16)
    path = simulator.bulk_dir / f"{token}.jsonl"
    try:
        with path.open("w", encoding="utf-8") as out:
            for batch_data in _batches(context, document, operation):
                for line in _flatten(batch_data, operation):
                    out.write(json.dumps(line, separators=(",", ":")) + "\n")
                    op.object_count += 1
                    if "__parentId" not in line:
                        op.root_object_count += 1
        op.path = path
        op.file_size = path.stat().st_size
        op.url = f"{simulator.base_url}/_simulator/bulk/{token}.jsonl" if op.object_count else None
        op.status = "COMPLETED"
    except Exception:  # noqa: BLE001  (the job boundary: a failed export is a FAILED operation)
        logger.exception("bulk operation %s failed", op.gid)
        op.status, op.error_code = "FAILED", "INTERNAL_SERVER_ERROR"
    op.completed_at = shop.clock.now()
    if shop.on_event:
        shop.on_event(shop, "BULK_OPERATIONS_FINISH", op)


def _batches(context: RequestContext, document, operation: OperationDefinitionNode) -> Iterator[dict]:
    """Execution results, one per batch of top-level objects (all at once for small lists)."""
    shop = context.shop
    bulk_context = RequestContext(shop=shop, now=shop.clock.now(), simulator=context.simulator, bulk=True)
    root_field = next(s for s in operation.selection_set.selections if isinstance(s, FieldNode))
    name = root_field.name.value
    source = BULK_SOURCES.get(name)
    if source is None:   # a small list: one execution
        yield _execute(document, QueryRoot(bulk_context), bulk_context)
        return
    # Bulk queries take no variables: the arguments are in the document.
    arguments = get_argument_values(admin_schema().query_type.fields[name], root_field, {})
    batch: list[tuple[object, dict]] = []
    for item in source(bulk_context, arguments):
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield _execute(document, _BatchRoot(bulk_context, name, batch), bulk_context)
            batch = []
    if batch:
        yield _execute(document, _BatchRoot(bulk_context, name, batch), bulk_context)


class _BatchRoot(QueryRoot):
    """The query root of one batch: the exported connection lists the batch, every other field as usual."""

    def __init__(self, context: RequestContext, name: str, batch: list[tuple[object, dict]]) -> None:
        super().__init__(context)
        self.name, self.batch = name, batch

    def __getattr__(self, name: str):
        if name == self.__dict__.get("name"):
            return lambda info, **args: connection(
                [view for _, view in self.batch], [encode_cursor({"k": key}) for key, _ in self.batch],
                has_next=False, has_previous=False)
        return super().__getattr__(name)


def _execute(document, root, context) -> dict:
    result = execute(admin_schema(), document, root_value=root, context_value=context, field_resolver=resolve_field)
    if result.errors:
        raise RuntimeError(result.errors[0].message)
    return result.data


def _flatten(data: dict, operation: OperationDefinitionNode) -> Iterator[dict]:
    (value,) = data.values()
    yield from _flatten_connection(value, parent_id=None)


def _connection_items(value) -> list | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("nodes"), list):
        return value["nodes"]
    if isinstance(value.get("edges"), list):
        return [edge.get("node") for edge in value["edges"]]
    return None


def _flatten_connection(value, parent_id: str | None) -> Iterator[dict]:
    for item in _connection_items(value) or []:
        line = {}
        children = []
        for key, child in item.items():
            if _connection_items(child) is not None:
                children.append(child)
            else:
                line[key] = child
        if parent_id is not None:
            line["__parentId"] = parent_id
        yield line
        for child in children:
            yield from _flatten_connection(child, parent_id=item.get("id"))
