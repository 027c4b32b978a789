"""The labels syncsite gives Shopify's states cover exactly the values Shopify's schema can send."""
import gzip
import json
from pathlib import Path

import pytest

from connectors.shopify import states

SCHEMA = Path(__file__).resolve().parents[3] / "shopify_simulator" / "schema" / "admin-2025-01.json.gz"


@pytest.mark.parametrize("choices, enum", [
    (states.FinancialStatus, "OrderDisplayFinancialStatus"),
    (states.FulfillmentStatus, "OrderDisplayFulfillmentStatus"),
    (states.TransactionKind, "OrderTransactionKind"),
    (states.TransactionStatus, "OrderTransactionStatus"),
    (states.PayoutStatus, "ShopifyPaymentsPayoutStatus"),
])
def test_each_state_shopify_can_send_has_a_label(choices, enum):
    types = json.load(gzip.open(SCHEMA))["data"]["__schema"]["types"]
    values = {v["name"] for v in next(t for t in types if t["name"] == enum)["enumValues"]}

    assert set(choices.values) == values
    assert all(label[0].isupper() and "_" not in label for label in choices.labels)
