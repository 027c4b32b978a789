import gzip
import json
from pathlib import Path

from merchants.currencies import SHOP_CURRENCIES

SCHEMA = Path(__file__).resolve().parents[2] / "shopify_simulator" / "schema" / "admin-2025-01.json.gz"


def test_shop_currencies_are_shopifys_current_currency_codes():
    types = json.load(gzip.open(SCHEMA))["data"]["__schema"]["types"]
    enum = next(t for t in types if t["name"] == "CurrencyCode")
    current = {v["name"] for v in enum["enumValues"] if not v["isDeprecated"]} - {"XXX"}

    assert SHOP_CURRENCIES == current
