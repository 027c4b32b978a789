"""The documents tests run on a documents-mode shop (tests.fixtures.document_shop)."""
from tests.fixtures.document_shop import make_order, merchant, run_report, simulator  # noqa: F401
