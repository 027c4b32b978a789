"""Account mappings (M2): their checks, when one is saved and again before each run, and the
mappings a sync adds for accounts it auto-created (M3)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from connectors.ledger.errors import MappingInvalid
from connectors.ledger.models import Account, AccountMapping
from connectors.ledger.money_kinds import MONEY_KINDS
from core.sentences import joined

if TYPE_CHECKING:
    from merchants.models import Merchant


def check_account_mapping(*, merchant: Merchant, kind: str, key: str, account: Account) -> None:
    """Raise MappingInvalid unless `account` is an active account of `merchant` that fits `kind`."""
    money_kind = MONEY_KINDS.get(kind)
    if money_kind is None:
        raise MappingInvalid(f"{kind!r} is not a kind of money syncsite maps", field="kind")
    if key and not money_kind.keyed_by:
        raise MappingInvalid(
            f"{money_kind.label} takes no key: only tax (per tax rate) and payment clearing (per gateway) do",
            field="key",
        )
    if account.merchant_id != merchant.pk:
        raise MappingInvalid(f"account {account.code} belongs to another merchant", field="account")
    if not account.is_active:
        raise MappingInvalid(
            f"account {account.code} {account.name} is inactive; activate it or pick an active account",
            field="account",
        )
    if not money_kind.fits(account.type):
        raise MappingInvalid(
            f"{money_kind.label} needs an account of type {money_kind.fitting_types_text()}, "
            f"but {account.code} {account.name} is {account.get_type_display().lower()}",
            field="account",
        )


def mapping_problems(*, merchant: Merchant) -> list[str]:
    """Everything that would stop a run from posting, in words the merchant can act on: each mapping
    that names an unusable account, then one sentence for all the kinds that the merchant's posting
    mode needs and that have no account."""
    mappings = list(merchant.account_mappings.select_related("account"))
    problems = []
    for mapping in mappings:
        try:
            check_account_mapping(merchant=merchant, kind=mapping.kind, key=mapping.key, account=mapping.account)
        except MappingInvalid as exc:
            problems.append(f"{exc} (mapping for {mapping.key})" if mapping.key else str(exc))
    mapped_kinds = {mapping.kind for mapping in mappings}
    missing = [kind.label for kind in MONEY_KINDS.values()
               if kind.is_required_in(merchant.posting_mode) and kind.code not in mapped_kinds
               and not (kind.can_auto_create and merchant.auto_create_accounts)]
    if missing:
        problems.append(missing_mappings_message(missing))
    return problems


def tax_key(title: str, rate: Decimal) -> str:
    """The mapping key of a tax line, e.g. "VAT 20%" or "NY State Tax 4%"."""
    return f"{title} {(Decimal(rate) * 100).normalize():f}%".strip()


def mapping_subject(kind: str, key: str = "") -> str:
    """What a mapping is for, in words: "sales", "tax (VAT 20%)"."""
    label = MONEY_KINDS[kind].label
    return f"{label} ({key})" if key else label


def missing_mappings_message(subjects: list[str]) -> str:
    """One short sentence for every kind of money that has no account."""
    them = "it" if len(subjects) == 1 else "them"
    return (f"no account is mapped for {joined(subjects)}; map {them} under Account mappings, or press "
            "Set up accounts on the shop card")


def mappings_broken_by(account: Account, *, is_active: bool, type: str) -> list[str]:
    """What would stop working if `account` became inactive or changed type: for the account form."""
    problems = []
    for mapping in account.mappings.all():
        kind = MONEY_KINDS.get(mapping.kind)
        if kind is None:
            continue
        if not is_active:
            problems.append(f"it is mapped for {mapping} and an inactive account cannot take postings")
        elif not kind.fits(type):
            problems.append(f"it is mapped for {mapping}, which needs an account of type {kind.fitting_types_text()}")
    return problems


def map_accounts(merchant: Merchant, codes: dict[tuple[str, str], str]) -> None:
    """Map each (kind, key) to the account of that code (accounts a sync has just created)."""
    from_codes = {a.code: a for a in Account.objects.filter(merchant=merchant, code__in=set(codes.values()))}
    AccountMapping.objects.bulk_create(
        AccountMapping(merchant=merchant, kind=kind, key=key, account=from_codes[code])
        for (kind, key), code in codes.items())
