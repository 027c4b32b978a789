"""After the drain: did the stack lose, duplicate or half-write anything? Each check is a verdict
with the evidence. Needs Django set up (on the chaos database)."""
from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import requests
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from bench.chaos.shops import ShopPlan
from bench.chaos.verdicts import Verdict
from connectors.ledger.models import JournalEntry, JournalKind
from connectors.shopify.models import ShopifyOrder
from merchants.models import Merchant
from syncjobs.daily.models import DailySyncDay, DayStatus
from syncjobs.queue.dispatch import RUNNABLE
from syncjobs.queue.models import EntryStatus, JobQueueEntry

STORE_ORDERS = """query StoreOrders($after: String) {
  orders(first: 100, after: $after, sortKey: ID) {
    nodes { id totalPriceSet { shopMoney { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
MAX_PAGES = 500


def store_orders(simulator_url: str, shop: dict) -> dict[str, Decimal]:
    """Every order of the simulator's store with its total, read with a plain client (no faults)."""
    orders, after = {}, None
    session = requests.Session()
    session.headers["X-Shopify-Access-Token"] = shop["access_token"]
    for _ in range(MAX_PAGES):
        answer = session.post(f"{simulator_url}/admin/api/2025-01/graphql.json", timeout=30,
                              json={"query": STORE_ORDERS, "variables": {"after": after}}).json()
        if "data" not in answer or not answer["data"]:
            time.sleep(1)   # throttled: the bucket refills
            continue
        page = answer["data"]["orders"]
        orders.update({node["id"]: Decimal(node["totalPriceSet"]["shopMoney"]["amount"]) for node in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            return orders
        after = page["pageInfo"]["endCursor"]
    raise RuntimeError(f"the store of {shop['domain']} has more than {MAX_PAGES} pages of orders")


def orders_imported_once(simulator_url: str, shops: list[dict], plans: list[ShopPlan]) -> Verdict:
    problems, total = [], 0
    for shop, plan in zip(shops, plans, strict=True):
        store = store_orders(simulator_url, shop)
        total += len(store)
        rows = ShopifyOrder.objects.filter(merchant__code=plan.code)
        imported = dict(rows.values_list("shopify_gid", "total"))
        twice = rows.values("shopify_gid").annotate(n=Count("pk")).filter(n__gt=1).count()
        missing = sorted(set(store) - set(imported))
        extra = sorted(set(imported) - set(store))
        wrong = sorted(gid for gid in set(store) & set(imported) if store[gid] != imported[gid])
        for label, gids in (("missing", missing), ("not in the store", extra), ("with another total", wrong)):
            if gids:
                problems.append(f"{plan.code}: {len(gids)} {label}, e.g. {gids[:3]}")
        if twice:
            problems.append(f"{plan.code}: {twice} orders imported twice")
    return Verdict("every order imported once, with its total", not problems,
                   "; ".join(problems) or f"{total} orders of {len(shops)} stores")


def days_posted_once_and_balanced(plans: list[ShopPlan]) -> Verdict:
    problems, posted = [], 0
    for plan in plans:
        days = dict(DailySyncDay.objects.filter(merchant__code=plan.code, day__in=plan.days)
                    .values_list("day", "status"))
        not_synced = [f"{day} {days.get(day, 'missing')}" for day in plan.days if days.get(day) != DayStatus.SYNCED]
        if not_synced:
            problems.append(f"{plan.code}: not posted: {', '.join(not_synced)}")
        journals = JournalEntry.objects.filter(merchant__code=plan.code, kind=JournalKind.DAILY_SALES)
        twice = journals.values("posting_date").annotate(n=Count("pk")).filter(n__gt=1)
        if twice:
            problems.append(f"{plan.code}: days posted twice: {[row['posting_date'] for row in twice]}")
        posted += journals.filter(posting_date__in=plan.days).count()
    unbalanced = (JournalEntry.objects.annotate(debit=Sum("lines__debit"), credit=Sum("lines__credit"))
                  .filter(~Q(debit=F("credit"))).values_list("merchant__code", "posting_date")[:5])
    if unbalanced:
        problems.append(f"unbalanced journals: {list(unbalanced)}")
    return Verdict("every day posted once, every journal balanced", not problems,
                   "; ".join(problems) or f"{posted} journals over {sum(len(p.days) for p in plans)} days")


def balances_equal(chaos: dict, reference: dict) -> Verdict:
    differences = []
    for code in sorted(set(chaos) | set(reference)):
        ours, theirs = chaos.get(code, {}), reference.get(code, {})
        for account in sorted(set(ours) | set(theirs)):
            if Decimal(ours.get(account, "0")) != Decimal(theirs.get(account, "0")):
                differences.append(f"{code} {account}: {ours.get(account, '0')} ≠ {theirs.get(account, '0')}")
    accounts = sum(len(v) for v in reference.values())
    return Verdict("each account's balance equals the undisturbed run's, to the cent", not differences,
                   "; ".join(differences[:10]) or f"{accounts} account balances of {len(reference)} shops")


def no_entry_stuck(*, stale_seconds: float) -> Verdict:
    """Stuck: running without a heartbeat, due and not started for a minute, or Waiting behind a
    category nobody holds. (Shopify's webhooks still start imports while the checks read the store.)"""
    now = timezone.now()
    silent = JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS,
                                          heartbeat_at__lt=now - timedelta(seconds=stale_seconds + 5)).count()
    late = JobQueueEntry.objects.filter(RUNNABLE, earliest_start_at__lte=now - timedelta(seconds=60),
                                        merchant__is_enabled=True).count()
    held = JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS).values("category_id")
    orphaned = JobQueueEntry.objects.filter(status=EntryStatus.WAITING, updated_at__lt=now - timedelta(seconds=30)
                                            ).exclude(category_id__in=held).count()
    problems = [f"{n} {what}" for n, what in ((silent, "In Process without a heartbeat"),
                                              (late, "due for over a minute"),
                                              (orphaned, "Waiting behind a category nobody holds")) if n]
    return Verdict("no entry stuck", not problems,
                   ", ".join(problems) or f"{JobQueueEntry.objects.count()} entries, none stuck")


STATUS = re.compile(r"^(\d{3}) ")


def no_server_error(logs: Path) -> Verdict:
    statuses = [int(m[1]) for line in (logs / "web-access.log").read_text(errors="replace").splitlines()
                if (m := STATUS.match(line))]
    errors = [s for s in statuses if s >= 500]
    tracebacks = sum(path.read_text(errors="replace").count("Traceback (most recent call last)")
                     for path in logs.glob("sync-command-*.log"))
    problems = []
    if errors:
        problems.append(f"{len(errors)} answers ≥ 500")
    if tracebacks:
        problems.append(f"{tracebacks} tracebacks from command-line syncs")
    return Verdict("no 500 in the web log, no traceback from a command", not problems,
                   "; ".join(problems) or f"{len(statuses)} requests answered")


def shops_enabled(plans: list[ShopPlan]) -> Verdict:
    disabled = list(Merchant.objects.filter(code__in=[p.code for p in plans], is_enabled=False)
                    .values_list("code", "disabled_reason"))
    return Verdict("no shop disabled by a hostile webhook", not disabled,
                   str(disabled) if disabled else f"{len(plans)} shops enabled")
