"""The payments' role-center tile (A1): payouts not reconciled."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.payments.selectors import payouts_not_reconciled


def _list() -> str:
    return f"{reverse('admin:payment_sync_payout_changelist')}?tile=not_reconciled"


def register() -> None:
    register_tile(Tile("payouts_not_reconciled", "Payouts not reconciled", payouts_not_reconciled, _list,
                       position=60))
