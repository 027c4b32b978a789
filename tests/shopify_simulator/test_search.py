"""Shopify's search syntax on `query:` arguments."""
from datetime import datetime, timezone

from shopify_simulator.api.search import matches, parse_search, time_bounds

RECORD = {
    "updated_at": datetime(2025, 3, 9, 12, 0, tzinfo=timezone.utc),
    "financial_status": {"paid"},
    "test": False,
}


def match(query: str) -> bool:
    return matches(parse_search(query), RECORD.get)


def test_terms_comparators_and_quoted_dates():
    assert match("updated_at:>='2025-03-09T00:00:00Z'")
    assert not match("updated_at:>'2025-03-09T12:00:00Z'")
    assert match("updated_at:<=2025-03-10")
    assert match("financial_status:paid test:false")


def test_and_or_not():
    assert match("financial_status:pending OR financial_status:paid")
    assert not match("financial_status:paid AND test:true")
    assert match("-test:true")
    assert match("NOT financial_status:refunded")
    assert match("(financial_status:pending OR financial_status:paid) updated_at:>2025-03-01")


def test_time_bounds_of_a_plain_and():
    bounds = time_bounds(parse_search("updated_at:>='2025-03-01T00:00:00Z' updated_at:<2025-03-02 test:false"),
                         "updated_at")

    assert bounds.lower == datetime(2025, 3, 1, tzinfo=timezone.utc) and bounds.lower_inclusive
    assert bounds.upper == datetime(2025, 3, 2, tzinfo=timezone.utc) and not bounds.upper_inclusive
    assert time_bounds(parse_search("updated_at:>2025-03-01 OR test:true"), "updated_at").lower is None
