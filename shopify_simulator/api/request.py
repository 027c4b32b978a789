"""What every resolver of the simulator shares: the request's context, Shopify's time format, and
search syntax errors as Shopify reports them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError

from shopify_simulator.api.search import SearchSyntaxError, parse_search

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop


@dataclass
class RequestContext:
    shop: "SimulatedShop"
    now: datetime
    simulator: Any
    bulk: bool = False       # bulk operations read every item of nested connections


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_or_error(text: str | None):
    try:
        return parse_search(text)
    except SearchSyntaxError as exc:
        raise GraphQLError(f"Invalid search query: {exc}", extensions={"code": "BAD_REQUEST"}) from None
