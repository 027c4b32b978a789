""""Set up accounts": a standard chart of accounts and a mapping for every kind of money, in one step.

A plan says, before anything is written, which accounts will be created and which mappings added;
applying it writes them in one transaction. An existing mapping is never changed, nor bypassed: its
kind (and key) is left out, and a kind mapped for all its tax rates or gateways at once gets no
account per rate or gateway (that would move part of its postings elsewhere). An account the
template names is reused only when it is the one a previous setup made (same code, name and type,
active); a code taken by anything else moves to the next free code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from connectors.ledger.chart_templates import ChartTemplate, KeyedSeries, gateway_name
from connectors.ledger.errors import LedgerError
from connectors.ledger.models import Account, AccountMapping, AccountType
from connectors.ledger.money_kinds import MONEY_KINDS

if TYPE_CHECKING:
    from merchants.models import Merchant

# How far past its code a template account may move when the code is taken.
CODE_SEARCH = 10


class SetupRefused(LedgerError):
    pass


@dataclass(frozen=True)
class PlannedAccount:
    code: str
    name: str
    type: AccountType
    is_new: bool

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class PlannedMapping:
    kind: str
    key: str
    account: PlannedAccount

    @property
    def subject(self) -> str:
        label = MONEY_KINDS[self.kind].label
        return f"{label} ({self.key})" if self.key else label


@dataclass
class SetupPlan:
    template: ChartTemplate
    mappings: list[PlannedMapping] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)   # kinds already mapped, left as they are

    @property
    def new_accounts(self) -> list[PlannedAccount]:
        return list({m.account.code: m.account for m in self.mappings if m.account.is_new}.values())

    @property
    def is_empty(self) -> bool:
        return not self.mappings


@dataclass(frozen=True)
class SetupResult:
    accounts: list[Account]
    mappings: list[AccountMapping]
    kept: list[str]

    def summary(self) -> str:
        if not self.mappings:
            return "every kind of money already has an account; nothing was created"
        accounts = len(self.accounts)
        mappings = len(self.mappings)
        made = (f"created {accounts} account{'s' if accounts != 1 else ''} and "
                f"{mappings} mapping{'s' if mappings != 1 else ''}")
        if self.accounts:
            made += ": " + ", ".join(str(a) for a in self.accounts)
        if self.kept:
            made += f"; {len(self.kept)} existing mapping{'s were' if len(self.kept) != 1 else ' was'} left as "\
                    "they were"
        return made


def plan_setup(*, merchant: Merchant, template: ChartTemplate, tax_keys: list[str], gateways: list[str]) -> SetupPlan:
    """What applying `template` would create for `merchant`, given the tax rates and payment gateways
    its imported data holds."""
    accounts = {a.code: a for a in Account.objects.filter(merchant=merchant)}
    mapped = set(AccountMapping.objects.filter(merchant=merchant).values_list("kind", "key"))
    mapped_kinds = {kind for kind, _ in mapped}
    plan = SetupPlan(template=template)
    claimed: set[str] = set()   # codes this plan already uses

    def account_for(code: str, name: str, type: AccountType, *, last: str | None = None) -> PlannedAccount:
        """The template's account: reused when a setup made it, else a new one at the first free code."""
        for candidate in _codes_from(code, last):
            existing = accounts.get(candidate)
            if existing is None and candidate not in claimed:
                claimed.add(candidate)
                return PlannedAccount(candidate, name, type, is_new=True)
            if existing is not None and (existing.name, existing.type, existing.is_active) == (name, type, True):
                return PlannedAccount(candidate, name, type, is_new=False)
        raise SetupRefused(f"no free account code is left near {code} for {name}; free one or map "
                           f"{name.lower()} by hand under Account mappings")

    for entry in template.accounts:
        account = None
        for kind in entry.kinds:
            if (kind, "") in mapped:
                plan.kept.append(MONEY_KINDS[kind].label)
                continue
            account = account or account_for(entry.code, entry.name, entry.type)
            plan.mappings.append(PlannedMapping(kind, "", account))
    keys = {"tax": tax_keys, "payment_clearing": gateways}
    for series in template.series:
        plan.mappings += _series_mappings(series, keys[series.kind], mapped, mapped_kinds, plan, account_for)
    return plan


def _series_mappings(series: KeyedSeries, keys: list[str], mapped, mapped_kinds, plan, account_for):
    label = MONEY_KINDS[series.kind].label
    if (series.kind, "") in mapped:
        # A mapping for every rate (or gateway) is already there: an account per key now would move
        # part of what it takes elsewhere in mid-period. The merchant maps per key by hand, if wanted.
        plan.kept.append(f"{label} (all {series_label(series)})")
        return []
    mappings = []
    for key in sorted(set(keys)):
        if (series.kind, key) in mapped:
            plan.kept.append(f"{label} ({key})")
            continue
        shown = gateway_name(key) if series.kind == "payment_clearing" else key
        name = series.name.format(key=shown)[:100]
        mappings.append(PlannedMapping(series.kind, key, account_for(series.first_code, name, series.type,
                                                                      last=series.last_code)))
    if not keys and series.kind not in mapped_kinds:
        # Nothing seen yet: one account for all, so the first days can post; a later setup adds one per key.
        general = account_for(series.last_code, series.general_name, series.type, last=series.last_code)
        mappings.append(PlannedMapping(series.kind, "", general))
    return mappings


def series_label(series: KeyedSeries) -> str:
    return MONEY_KINDS[series.kind].keyed_by + "s"


def _codes_from(code: str, last: str | None):
    """`code`, then the codes after it: up to `last`, or CODE_SEARCH further; same width."""
    if not code.isdigit():
        yield code
        return
    first = int(code)
    end = int(last) if last else first + CODE_SEARCH
    for number in range(first, end + 1):
        yield str(number).zfill(len(code))


def apply_setup(*, merchant: Merchant, template: ChartTemplate, tax_keys: list[str],
                gateways: list[str]) -> SetupResult:
    """Plan again and write the plan in one transaction. Two presses at once: the second finds the
    first one's accounts and mappings and adds nothing twice."""
    try:
        return _plan_and_write(merchant, template, tax_keys, gateways)
    except IntegrityError:
        pass   # another setup of the shop wrote first (SQLite takes no row lock): plan again over it
    try:
        return _plan_and_write(merchant, template, tax_keys, gateways)
    except IntegrityError as exc:
        raise SetupRefused("another setup of this shop ran at the same time; press Set up accounts again to "
                           "see what is left") from exc


@transaction.atomic
def _plan_and_write(merchant: Merchant, template: ChartTemplate, tax_keys: list[str],
                    gateways: list[str]) -> SetupResult:
    type(merchant).objects.select_for_update().filter(pk=merchant.pk).first()   # one setup of a shop at a time
    plan = plan_setup(merchant=merchant, template=template, tax_keys=tax_keys, gateways=gateways)
    return _write(merchant, plan)


def _write(merchant: Merchant, plan: SetupPlan) -> SetupResult:
    made = {p.code: Account(merchant=merchant, code=p.code, name=p.name, type=p.type) for p in plan.new_accounts}
    Account.objects.bulk_create(made.values())
    codes = {m.account.code for m in plan.mappings}
    accounts = {a.code: a for a in Account.objects.filter(merchant=merchant, code__in=codes)}
    mappings = [AccountMapping(merchant=merchant, kind=m.kind, key=m.key, account=accounts[m.account.code])
                for m in plan.mappings]
    AccountMapping.objects.bulk_create(mappings)
    return SetupResult(accounts=[accounts[code] for code in made], mappings=mappings, kept=plan.kept)
