"""The ledger's chart of accounts, in batches and plain values (connectors.ledger.records)."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from connectors.ledger.errors import AccountCodeTaken, NoFreeAccountCode
from connectors.ledger.models import Account
from connectors.ledger.records import AccountData


def account_data(row: Account) -> AccountData:
    return AccountData(code=row.code, name=row.name, type=row.type, is_active=row.is_active,
                       is_auto_created=row.is_auto_created)


def list_accounts(merchant, *, active_only: bool = False) -> list[AccountData]:
    accounts = Account.objects.filter(merchant=merchant)
    if active_only:
        accounts = accounts.filter(is_active=True)
    return [account_data(row) for row in accounts.order_by("code")]


def create_accounts(merchant, drafts: list[AccountData]) -> list[AccountData]:
    """All or none; AccountCodeTaken names the first code the chart already holds."""
    codes = [draft.code for draft in drafts]
    taken = set(Account.objects.filter(merchant=merchant, code__in=codes).values_list("code", flat=True))
    repeated = {code for code in codes if codes.count(code) > 1}
    if taken or repeated:
        raise AccountCodeTaken(sorted(taken | repeated)[0])
    try:
        with transaction.atomic():
            Account.objects.bulk_create(
                Account(merchant=merchant, code=d.code, name=d.name, type=d.type, is_active=d.is_active,
                        is_auto_created=d.is_auto_created) for d in drafts)
    except IntegrityError as exc:    # taken meanwhile by another run
        raise AccountCodeTaken(codes[0]) from exc
    return list(drafts)


def create_accounts_in_range(merchant, *, first_code: str, last_code: str,
                             drafts: list[AccountData]) -> list[AccountData]:
    """Auto-created accounts taking the lowest free numeric codes in [first_code, last_code], in the
    order of `drafts` (whose codes are ignored); all or none."""
    first, last, width = int(first_code), int(last_code), len(first_code)
    taken = {int(code) for code in Account.objects.filter(merchant=merchant).values_list("code", flat=True)
             if code.isdigit() and first <= int(code) <= last}
    free = (str(number).zfill(width) for number in range(first, last + 1) if number not in taken)
    numbered = []
    for draft in drafts:
        code = next(free, None)
        if code is None:
            raise NoFreeAccountCode(first_code, last_code)
        numbered.append(AccountData(code=code, name=draft.name, type=draft.type, is_auto_created=True))
    return create_accounts(merchant, numbered)
