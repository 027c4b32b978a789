"""The shops a chaos run syncs, set up alike in the chaos database and in the undisturbed one, and
the ledger figures both runs are compared on. Needs Django set up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db.models import Sum

from connectors.ledger.models import Account, AccountMapping, JournalKind, JournalLine
from connectors.shopify.webhooks.switch import apply_auto_sync_orders
from core.scoping import STAFF_GROUP
from core.secrets import Secret
from merchants.models import Merchant, PostingMode
from syncsite.demo import CHART_OF_ACCOUNTS

STAFF_USER = ("chaos", "chaos-password")


@dataclass(frozen=True)
class ShopPlan:
    code: str
    days: list[date]   # the local days both runs post and compare, oldest first


def days_for(time_zone: str, count: int) -> list[date]:
    """`count` local days ending the day before yesterday: far enough from now that orders the run
    creates, and refunds the store schedules today, never fall on them."""
    last = datetime.now(ZoneInfo(time_zone)).date() - timedelta(days=2)
    return [last - timedelta(days=n) for n in range(count - 1, -1, -1)]


def set_up_shops(simulator_shops: list[dict], simulator_url: str, *, days: int, webhooks: bool) -> list[ShopPlan]:
    """One daily-summary merchant per simulator shop, with the demo's chart of accounts and mappings."""
    Group.objects.get_or_create(name=STAFF_GROUP)
    staff, created = User.objects.get_or_create(username=STAFF_USER[0], defaults={"is_staff": True})
    if created:
        staff.set_password(STAFF_USER[1])
        staff.save()
        staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    plans = []
    for shop in simulator_shops:
        wanted = days_for(shop["time_zone"], days)
        merchant = Merchant.objects.create(
            code=f"CHAOS-{shop['domain'].split('.')[0].upper()}"[:20], name=shop["name"], shop_domain=shop["domain"],
            time_zone=shop["time_zone"], shop_currency=shop["currency"], posting_mode=PostingMode.DAILY_SUMMARY,
            api_base_url=simulator_url, access_token=Secret(shop["access_token"]),
            api_secret_key=Secret(shop["api_secret_key"]), allow_background_syncs=True,
            auto_create_accounts=True, auto_create_code_from="9000", auto_create_code_to="9099",
            daily_sync_start_date=wanted[0], auto_sync_orders=webhooks,
        )
        for code, name, account_type, mapped in CHART_OF_ACCOUNTS:
            account = Account.objects.create(merchant=merchant, code=code, name=name.format(tax="Tax"),
                                             type=account_type)
            AccountMapping.objects.bulk_create(AccountMapping(merchant=merchant, kind=kind, key=key, account=account)
                                               for kind, key in mapped)
        if webhooks:
            outcome = apply_auto_sync_orders(merchant)
            if not outcome.ok:
                raise RuntimeError(outcome.message)
        plans.append(ShopPlan(merchant.code, wanted))
    return plans


def balances(plans: list[ShopPlan]) -> dict[str, dict[str, str]]:
    """Each shop's balance per account code (debit less credit) over its days' daily journals."""
    figures = {}
    for plan in plans:
        rows = (JournalLine.objects.filter(journal__merchant__code=plan.code, journal__kind=JournalKind.DAILY_SALES,
                                           journal__posting_date__gte=plan.days[0],
                                           journal__posting_date__lte=plan.days[-1])
                .values("account__code").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by("account__code"))
        figures[plan.code] = {row["account__code"]: str(row["debit"] - row["credit"]) for row in rows
                              if row["debit"] - row["credit"] != Decimal("0")}
    return figures
