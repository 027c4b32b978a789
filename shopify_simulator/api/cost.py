"""Query cost by Shopify's documented rules (graphql-core has none).

Scalars and enums cost 0, objects 1, a connection 2 + (first or last) × the cost of one item,
a list of objects its length × one item, interfaces and unions the most expensive possible
selection, and every mutation field 10. The *requested* cost is computed from the document before
execution, with the requested page sizes; the *actual* cost walks the answer, counting what came
back, and the difference is refunded to the bucket.
"""
from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
)
from graphql.execution.values import get_argument_values

MUTATION_FIELD_COST = 10
SINGLE_QUERY_MAX_COST = 1000
_UNREAD = object()


class QueryCost:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
                 variables: dict[str, Any]) -> None:
        self.schema = schema
        self.operation = operation
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    @property
    def is_mutation(self) -> bool:
        return self.operation.operation.value == "mutation"

    def requested(self) -> int:
        return self._root_cost(_UNREAD)

    def actual(self, data: dict | None) -> int:
        return self._root_cost(data or {})

    def _root_cost(self, data) -> int:
        if self.is_mutation:
            return MUTATION_FIELD_COST * len(self._fields(self.operation.selection_set, self.schema.mutation_type))
        return self._selection_cost(self.operation.selection_set, self.schema.query_type, data)

    # Selections
    def _fields(self, selection_set: SelectionSetNode, parent: GraphQLNamedType,
                condition: GraphQLObjectType | None = None) -> list[FieldNode]:
        """The fields that apply when the runtime type is `condition` (None: only unconditional ones)."""
        fields: list[FieldNode] = [s for s in selection_set.selections if isinstance(s, FieldNode)]
        for type_name, sub in self._fragments(selection_set, parent):
            if self._applies(type_name, parent, condition):
                fields.extend(self._fields(sub, parent, condition))
        return fields

    def _fragments(self, selection_set: SelectionSetNode, parent: GraphQLNamedType):
        """(type condition, selection set) of each fragment, inline or spread, in a selection."""
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    yield fragment.type_condition.name.value, fragment.selection_set
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                yield (condition.name.value if condition else parent.name), selection.selection_set

    def _applies(self, type_name: str, parent: GraphQLNamedType, condition: GraphQLObjectType | None) -> bool:
        runtime = condition or (parent if isinstance(parent, GraphQLObjectType) else None)
        if runtime is None:
            return type_name == parent.name
        if type_name == runtime.name:
            return True
        fragment_type = self.schema.get_type(type_name)
        return fragment_type is not None and is_abstract_type(fragment_type) and self.schema.is_sub_type(
            fragment_type, runtime)

    def _conditions(self, selection_set: SelectionSetNode, parent: GraphQLNamedType) -> list[GraphQLObjectType]:
        """The concrete types some fragment of this selection is about."""
        found: dict[str, GraphQLObjectType] = {}
        for type_name, sub in self._fragments(selection_set, parent):
            named = self.schema.get_type(type_name)
            if isinstance(named, GraphQLObjectType):
                found[named.name] = named
            elif named is not None and is_abstract_type(named):
                for possible in self.schema.get_possible_types(named):
                    found.setdefault(possible.name, possible)
            for nested in self._conditions(sub, parent):
                found.setdefault(nested.name, nested)
        return list(found.values())

    def _selection_cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, data) -> int:
        if selection_set is None:
            return 0
        if isinstance(parent, GraphQLObjectType):
            return self._fields_cost(self._fields(selection_set, parent, parent), parent, data)
        # Interface or union: the most expensive possible selection; with an answer, its own type.
        typename = data.get("__typename") if isinstance(data, dict) else None
        if typename and isinstance(self.schema.get_type(typename), GraphQLObjectType):
            runtime = self.schema.get_type(typename)
            return self._fields_cost(self._fields(selection_set, parent, runtime), runtime, data)
        branches = [self._fields_cost(self._fields(selection_set, parent, None), parent, data)]
        for runtime in self._conditions(selection_set, parent):
            branches.append(self._fields_cost(self._fields(selection_set, parent, runtime), runtime, data))
        return max(branches)

    def _fields_cost(self, fields: list[FieldNode], parent: GraphQLNamedType, data) -> int:
        total = 0
        for node in fields:
            name = node.name.value
            if name.startswith("__"):
                continue
            definition = getattr(parent, "fields", {}).get(name)
            if definition is None:
                continue
            value = _UNREAD if data is _UNREAD else (data or {}).get(node.alias.value if node.alias else name)
            total += self._field_cost(node, definition, value)
        return total

    def _field_cost(self, node: FieldNode, definition: GraphQLField, value) -> int:
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0
        if value is None:
            return 0  # null answer: nothing was read
        if named.name.endswith("Connection") and "first" in definition.args:
            return 2 + self._items_cost(node, definition, named, value, connection=True)
        if is_list_type(get_nullable_type(definition.type)):
            return self._items_cost(node, definition, named, value, connection=False)
        return 1 + self._selection_cost(node.selection_set, named, value)

    def _items_cost(self, node: FieldNode, definition: GraphQLField, named: GraphQLNamedType, value, *,
                    connection: bool) -> int:
        if connection:
            item_type, item_selection, items = self._connection_items(node, named, value)
        else:
            item_type, item_selection = named, node.selection_set
            items = value
        if item_selection is None:
            return 0
        if value is _UNREAD:
            args = get_argument_values(definition, node, self.variables)
            size = args.get("first") or args.get("last") or len(args.get("ids") or []) or (0 if connection else 1)
            return size * (1 + self._selection_cost(item_selection, item_type, _UNREAD))
        return sum(1 + self._selection_cost(item_selection, item_type, item) for item in (items or []))

    def _connection_items(self, node: FieldNode, connection_type, value):
        """The item type, the per-item selection and (with an answer) the items of a connection."""
        item_type, item_selection, items = None, None, None
        for field in self._fields(node.selection_set, connection_type, connection_type):
            name = field.name.value
            key = field.alias.value if field.alias else name
            if name == "nodes":
                item_type = get_named_type(connection_type.fields["nodes"].type)
                item_selection = field.selection_set
                if value is not _UNREAD:
                    items = (value or {}).get(key) or []
            elif name == "edges" and item_selection is None:
                edge_type = get_named_type(connection_type.fields["edges"].type)
                for edge_field in self._fields(field.selection_set, edge_type, edge_type):
                    if edge_field.name.value == "node":
                        item_type = get_named_type(edge_type.fields["node"].type)
                        item_selection = edge_field.selection_set
                        if value is not _UNREAD:
                            node_key = edge_field.alias.value if edge_field.alias else "node"
                            items = [edge.get(node_key) for edge in (value or {}).get(key) or []]
        return item_type, item_selection, items
