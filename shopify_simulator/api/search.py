"""Shopify's search syntax for `query:` arguments: `field:value`, comparators, AND / OR / NOT.

    updated_at:>='2025-01-01T00:00:00Z' financial_status:paid -test:true

`parse_search` builds a small tree; `matches` evaluates it against a record through a field
getter; `time_bounds` pulls a date range out of a plain AND so listings can skip whole ranges.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Callable, Union

# A quoted value may hold its quote escaped with a backslash, as Shopify's syntax allows.
_QUOTED = r"'(?:[^'\\]|\\.)*'" + "|" + r'"(?:[^"\\]|\\.)*"'
_TOKEN = re.compile(r"""\s*(?:(\()|(\))|((?:[^\s()'"]+?:)?(?:[<>]=?)?(?:""" + _QUOTED + r"""|[^\s()]+)))""")
_ESCAPED = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Term:
    field: str          # "" for free text
    op: str             # ":", "<", "<=", ">", ">="
    value: str


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class All:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Any_:
    nodes: tuple["Node", ...]


Node = Union[Term, Not, All, Any_]


class SearchSyntaxError(ValueError):
    pass


def parse_search(text: str | None) -> Node | None:
    if not text or not text.strip():
        return None
    tokens = [m.group(0).strip() for m in _TOKEN.finditer(text) if m.group(0).strip()]
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.position != len(tokens):
        raise SearchSyntaxError(f"unexpected {tokens[parser.position]!r} in search query")
    return node


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse_or(self) -> Node:
        nodes = [self.parse_and()]
        while self._peek() == "OR":
            self.position += 1
            nodes.append(self.parse_and())
        return nodes[0] if len(nodes) == 1 else Any_(tuple(nodes))

    def parse_and(self) -> Node:
        nodes = [self.parse_unary()]
        while (token := self._peek()) is not None and token not in ("OR", ")"):
            if token == "AND":
                self.position += 1
            nodes.append(self.parse_unary())
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes))

    def parse_unary(self) -> Node:
        token = self._peek()
        if token is None:
            raise SearchSyntaxError("search query ends too early")
        self.position += 1
        if token == "NOT":
            return Not(self.parse_unary())
        if token == "(":
            node = self.parse_or()
            if self._peek() != ")":
                raise SearchSyntaxError("missing ) in search query")
            self.position += 1
            return node
        if token.startswith("-") and len(token) > 1:
            return Not(_term(token[1:]))
        return _term(token)


def _term(token: str) -> Term:
    field, sep, rest = token.partition(":")
    if not sep:
        return Term("", ":", _unquote(token))
    for op in (">=", "<=", ">", "<"):
        if rest.startswith(op):
            return Term(field.lower(), op, _unquote(rest[len(op):]))
    return Term(field.lower(), ":", _unquote(rest))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return _ESCAPED.sub(r"\1", value[1:-1])
    return value


def parse_time(value: str) -> datetime:
    """A search date: an ISO date-time (UTC if no offset) or a date (its midnight UTC)."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text), time.min)
        except ValueError:
            raise SearchSyntaxError(f"{value!r} is not a date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


Getter = Callable[[str], object]


def matches(node: Node | None, get: Getter) -> bool:
    """Whether a record matches; `get(field)` returns its value for a search field (None: unknown)."""
    if node is None:
        return True
    if isinstance(node, All):
        return all(matches(n, get) for n in node.nodes)
    if isinstance(node, Any_):
        return any(matches(n, get) for n in node.nodes)
    if isinstance(node, Not):
        return not matches(node.node, get)
    value = get(node.field)
    if value is None:
        return node.field not in KNOWN_FIELDS  # an unknown field filters nothing, as Shopify ignores it
    if isinstance(value, datetime):
        wanted = parse_time(node.value)
        return _compare(value, node.op, wanted)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _compare(value, node.op, float(node.value))
        except ValueError:
            return False
    if isinstance(value, (set, frozenset, list, tuple)):
        return node.value.lower() in {str(v).lower() for v in value}
    if isinstance(value, bool):
        return str(value).lower() == node.value.lower()
    return str(value).lower() == node.value.lower()


KNOWN_FIELDS = {
    "updated_at", "created_at", "processed_at", "financial_status", "fulfillment_status", "status", "test",
    "name", "id", "gateway", "issued_at", "payout_date", "transaction_type", "email",
    "sku", "barcode", "tag", "vendor", "product_type", "title", "product_id", "phone", "tax_exempt",
    "handle", "gift_card", "product_status", "inventory_item_id", "taxable",
}


def _compare(left, op: str, right) -> bool:
    if op == ":":
        return left == right
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


@dataclass(frozen=True)
class TimeBounds:
    lower: datetime | None = None
    lower_inclusive: bool = True
    upper: datetime | None = None
    upper_inclusive: bool = True

    def contains(self, moment: datetime) -> bool:
        if self.lower is not None and (moment < self.lower or (moment == self.lower and not self.lower_inclusive)):
            return False
        if self.upper is not None and (moment > self.upper or (moment == self.upper and not self.upper_inclusive)):
            return False
        return True


def time_bounds(node: Node | None, field: str) -> TimeBounds:
    """The range of `field` every match must lie in (open where the query says nothing certain)."""
    terms = [node] if isinstance(node, Term) else list(node.nodes) if isinstance(node, All) else []
    bounds = TimeBounds()
    for term in terms:
        if not isinstance(term, Term) or term.field != field:
            continue
        moment = parse_time(term.value)
        if term.op in (">", ">=") and (bounds.lower is None or moment >= bounds.lower):
            bounds = TimeBounds(moment, term.op == ">=", bounds.upper, bounds.upper_inclusive)
        elif term.op in ("<", "<=") and (bounds.upper is None or moment <= bounds.upper):
            bounds = TimeBounds(bounds.lower, bounds.lower_inclusive, moment, term.op == "<=")
        elif term.op == ":":
            bounds = TimeBounds(moment, True, moment, True)
    return bounds
