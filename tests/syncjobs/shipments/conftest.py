"""The shipments tests run on a documents-mode shop (tests.fixtures.document_shop): orders made to
measure, processed and shipped in the books, then sent to Shopify."""
from tests.fixtures.document_shop import make_order, merchant, run_report, simulator  # noqa: F401
