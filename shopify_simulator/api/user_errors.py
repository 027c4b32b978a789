"""Shopify's answer to a mutation given bad input: the payload's object null and a userError."""
from __future__ import annotations


def refused(payload_field: str, field: list[str], message: str) -> dict:
    return {payload_field: None, "userErrors": [{"field": field, "message": message}]}
