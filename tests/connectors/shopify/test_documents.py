"""Every GraphQL document in the project validates against Shopify's 2025-01 schema, deprecations included."""
from pathlib import Path

import pytest
from graphql import parse, validate
from graphql.validation import NoDeprecatedCustomRule, specified_rules

from connectors.shopify.documents import DOCUMENTS_DIR, document
from shopify_simulator.schema import admin_schema

ROOT = Path(__file__).resolve().parents[3]
# Fragments are checked inside the documents that use them (documents.py appends them).
DOCUMENTS = sorted(p for p in ROOT.rglob("*.graphql") if ".venv" not in p.parts and "fragments" not in p.parts)
# Customer.email and Customer.emailMarketingConsent are deprecated in 2025-01 in favour of
# Customer.defaultEmailAddress, a field that only arrives later.
ALLOWED_DEPRECATIONS = {"The field Customer.email is deprecated.",
                        "The field Customer.emailMarketingConsent is deprecated."}


def test_the_project_has_documents_to_check():
    assert DOCUMENTS


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_document_is_valid_and_uses_no_deprecated_field(path):
    text = document(path.stem).text if path.parent == DOCUMENTS_DIR else path.read_text()
    errors = validate(admin_schema(), parse(text), [*specified_rules, NoDeprecatedCustomRule])

    problems = [e.message for e in errors if not any(e.message.startswith(a.rstrip(".")) for a in ALLOWED_DEPRECATIONS)]
    assert problems == []


def test_every_fragment_is_used_by_some_document():
    from connectors.shopify.documents import FRAGMENTS_DIR, _spreads, all_documents

    used = {name for doc in all_documents() for name in _spreads(doc.text)}
    assert {p.stem for p in FRAGMENTS_DIR.glob("*.graphql")} <= used
