"""What each kind of Shopify Payments balance transaction does to the books (D2, issue 28).

A payout holds balance transactions; each moves the Shopify Payments clearing account by its net.
Charges and refunds are posted through the order transactions they name (the day's payments and
fees lines); the payout's own transfer is the payout line; a failed payout coming back is that
payout's reversal. Every other kind has a line of its own against a money kind, and a type this
table does not know posts to "Shopify other adjustments" under its own name: never dropped.
"""
from __future__ import annotations

ORDER = "order"                  # posted with the order transaction it names
PAYOUT = "payout"                # the payout itself
PAYOUT_BACK = "payout_back"      # a failed or cancelled payout's money back: its reversal
OTHER_KIND = "other_adjustments"

# Treatment -> Shopify types; a money kind (connectors.ledger.money_kinds) where it has a line.
TREATMENTS: dict[str, tuple[str, ...]] = {
    ORDER: ("CHARGE", "REFUND"),
    PAYOUT: ("TRANSFER",),
    PAYOUT_BACK: ("TRANSFER_FAILURE", "TRANSFER_CANCEL"),
    "disputes": ("DISPUTE_WITHDRAWAL", "DISPUTE_REVERSAL", "CHARGEBACK_HOLD", "CHARGEBACK_HOLD_RELEASE"),
    "dispute_fees": ("CHARGEBACK_FEE", "CHARGEBACK_FEE_REFUND"),
    "reserves": ("RESERVED_FUNDS", "RESERVED_FUNDS_WITHDRAWAL", "RESERVED_FUNDS_REVERSAL"),
    "shopify_adjustments": ("ADJUSTMENT", "CHARGE_ADJUSTMENT", "REFUND_ADJUSTMENT"),
}
_BY_TYPE = {kind: treatment for treatment, kinds in TREATMENTS.items() for kind in kinds}
NOT_OWN_LINE = frozenset({ORDER, PAYOUT, PAYOUT_BACK})
OWN_LINE_TYPES = tuple(kind for treatment, kinds in TREATMENTS.items() if treatment not in NOT_OWN_LINE
                       for kind in kinds)
NOT_OWN_LINE_TYPES = tuple(kind for treatment in NOT_OWN_LINE for kind in TREATMENTS[treatment])

DESCRIPTIONS = {
    "DISPUTE_WITHDRAWAL": "Chargebacks: disputed payments withdrawn",
    "DISPUTE_REVERSAL": "Chargebacks: disputes won, paid back",
    "CHARGEBACK_HOLD": "Chargebacks: funds held",
    "CHARGEBACK_HOLD_RELEASE": "Chargebacks: held funds released",
    "CHARGEBACK_FEE": "Chargeback fees",
    "CHARGEBACK_FEE_REFUND": "Chargeback fees refunded",
    "RESERVED_FUNDS": "Shopify Payments reserve",
    "RESERVED_FUNDS_WITHDRAWAL": "Shopify Payments reserve held",
    "RESERVED_FUNDS_REVERSAL": "Shopify Payments reserve released",
    "ADJUSTMENT": "Shopify Payments adjustments",
    "CHARGE_ADJUSTMENT": "Shopify Payments adjustments of charges",
    "REFUND_ADJUSTMENT": "Shopify Payments adjustments of refunds",
}


def treatment_of(bt_type: str) -> str:
    """ORDER, PAYOUT, PAYOUT_BACK, or the money kind the balance transaction posts to."""
    return _BY_TYPE.get(bt_type, OTHER_KIND)


def line_of(bt_type: str) -> tuple[str, str]:
    """(money kind, mapping key) of a balance transaction with a line of its own."""
    treatment = treatment_of(bt_type)
    return (OTHER_KIND, bt_type) if treatment == OTHER_KIND else (treatment, "")


def description_of(bt_type: str) -> str:
    return DESCRIPTIONS.get(bt_type) or f"Shopify other adjustments ({bt_type})"
