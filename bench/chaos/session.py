"""The chaos run once the stack's processes and Django are up: the shops, the actors, the drain,
the checks and the table of figures."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from random import Random

import requests
from django.db.models import Count, Q

from bench.chaos import actors, checks
from bench.chaos.shops import balances, set_up_shops
from bench.chaos.stack import wait_until_answering
from bench.chaos.verdicts import Verdict
from connectors.ledger.models import JournalEntry
from connectors.shopify.models import ShopifyOrder, WebhookDelivery
from merchants.models import Merchant
from syncjobs.daily.models import DailySyncDay, DayStatus
from syncjobs.queue.dispatch import RECURRING
from syncjobs.queue.entries import start_in_background
from syncjobs.queue.models import EntryStatus, JobQueueEntry, SyncRun

CLUSTERS = 3


class Session:
    def __init__(self, run, reference: subprocess.Popen, started: float) -> None:
        self.run, self.reference, self.started = run, reference, started

    def play(self) -> int:
        run = self.run
        shops = requests.get(f"{run.simulator_url}/_simulator/shops", timeout=10).json()["shops"][:run.shop_count]
        plans = set_up_shops(shops, run.simulator_url, days=run.days, webhooks=True)
        run.stack.start("web", [sys.executable, "-m", "gunicorn", "syncsite.wsgi", "-b", f"127.0.0.1:{run.web_port}",
                                 "-w", "2", "--threads", "4", "--access-logfile", str(run.logs / "web-access.log"),
                                 "--access-logformat", "%(s)s %(m)s %(U)s %(L)ss"])
        run.stack.start_workers(CLUSTERS)
        wait_until_answering(f"{run.web_url}/admin/login/", seconds=60, process=run.stack.processes["web"])
        setup_seconds = time.monotonic() - self.started

        figures = actors.Figures()
        self._set_faults(shops)
        stop, supervisor_stop = threading.Event(), threading.Event()
        common = {"figures": figures, "stop": stop}
        racer = actors.Racer(run.web_url, plans, run.logs, run.env, rng=Random(run.rng.random()),
                             every=run.profile.race_every, **common)
        chaos = [
            actors.DayDriver(plans, rng=Random(run.rng.random()), every=run.profile.seconds / (run.days + 1),
                             jitter=False, **common),
            actors.Killer(run.stack, rng=Random(run.rng.random()), every=run.profile.kill_every, **common),
            racer,
            actors.OrderMaker(run.simulator_url, [s["domain"] for s in shops], rng=Random(run.rng.random()),
                              every=run.profile.order_every, **common),
            actors.HostileWebhooks(run.web_url, shops, rng=Random(run.rng.random()),
                                   every=run.profile.webhook_every, **common),
        ]
        supervisor = actors.Supervisor(run.stack, rng=Random(run.rng.random()), figures=figures,
                                       stop=supervisor_stop)
        for actor in [supervisor, *chaos]:
            actor.start()
        print(f"set up in {setup_seconds:.0f} s; breaking things for {run.profile.seconds:.0f} s", flush=True)
        time.sleep(run.profile.seconds)
        stop.set()
        for actor in chaos:
            actor.join(timeout=60)
        racer.finish()   # the command-line syncs it started end too
        stats = requests.get(f"{run.simulator_url}/_simulator/stats", timeout=10).json()["shops"]
        requests.delete(f"{run.simulator_url}/_simulator/faults", json={}, timeout=10)

        drained = self._drain(plans, figures)
        supervisor_stop.set()
        supervisor.join(timeout=30)
        try:
            self.reference.wait(timeout=max(30.0, run.profile.drain_seconds))
        except subprocess.TimeoutExpired:
            print(f"the undisturbed run did not end in time; see {run.logs / 'reference.log'}")
            return 2
        if self.reference.returncode != 0:
            print(f"the undisturbed run failed (exit {self.reference.returncode}); see {run.logs / 'reference.log'}")
            return 2
        reference_figures = json.loads((run.logs / "reference.json").read_text())

        verdicts = [
            checks.orders_imported_once(run.simulator_url, shops, plans),
            checks.days_posted_once_and_balanced(plans),
            checks.balances_equal(balances(plans), reference_figures["balances"]),
            checks.no_entry_stuck(stale_seconds=float(run.env["JOB_STALE_SECONDS"])),
            checks.no_server_error(run.logs),
            checks.shops_enabled(plans),
            Verdict("every actor did its part without a surprise", not figures.problems,
                    "; ".join(figures.problems[:5]) or "no surprise"),
            *run.profile.floors(stats, figures.counts),
        ]
        run.stack.stop_all()
        print_table(stats, figures, drained, time.monotonic() - self.started)
        for note in figures.notes:
            print(f"  note: {note}")
        print()
        for verdict in verdicts:
            print(f"{'PASS' if verdict.ok else 'FAIL'}  {verdict.name}: {verdict.detail}")
        print(f"\nlogs: {run.logs}")
        return 0 if all(v.ok for v in verdicts) else 1

    def _set_faults(self, shops: list[dict]) -> None:
        for shop in shops:
            for kind, probability in self.run.profile.faults.items():
                requests.post(f"{self.run.simulator_url}/_simulator/faults", timeout=10, json={
                    "shop": shop["domain"], "kind": kind, "probability": probability, "seconds": 6, "status": 503})

    def _drain(self, plans, figures) -> float:
        """Catch up as a merchant's next syncs would: one import and one daily sync per shop, again
        while days are left, until everything is at rest or the profile's drain time is over."""
        began = time.monotonic()
        deadline = began + self.run.profile.drain_seconds
        # Retries planned a minute ahead count as unfinished too; recurring entries (none here) would not.
        unfinished = Q(status__in=[EntryStatus.WAITING, EntryStatus.IN_PROCESS]) | (
            Q(status=EntryStatus.READY) & ~RECURRING)
        for _round in range(3):
            for plan in plans:
                merchant = Merchant.objects.get(code=plan.code)
                start_in_background(merchant=merchant, report_number=30104, raw_parameters={}, user=None)
                actors.post(merchant, None)
            figures.add("catch-up rounds")
            while time.monotonic() < deadline and JobQueueEntry.objects.filter(unfinished).exists():
                time.sleep(1)
            left = DailySyncDay.objects.filter(merchant__code__in=[p.code for p in plans]).exclude(
                status=DayStatus.SYNCED).exclude(status=DayStatus.SKIPPED).count()
            if not left or time.monotonic() >= deadline:
                break
        return time.monotonic() - began


def print_table(stats: dict, figures, drained: float, elapsed: float) -> None:
    requests_made = sum(s["requests"] for s in stats.values())
    faults: dict[str, int] = {}
    for shop in stats.values():
        for kind, n in shop["faults"].items():
            faults[kind] = faults.get(kind, 0) + n
    faulted = sum(n for kind, n in faults.items() if kind != "null_nodes")
    counts = figures.counts
    rows = [
        ("Shopify requests", requests_made),
        ("faulted answers", f"{faulted} ({100 * faulted / max(requests_made, 1):.1f} %)"),
        *((f"  {kind}", n) for kind, n in sorted(faults.items())),
        ("workers killed busy / idle", f"{counts['kills busy']} / {counts['kills idle']}"),
        ("worker restarts (queue_health)", counts["worker restarts"]),
        ("races: shop card / Run now / command", f"{counts['races shop card']} / {counts['races run now']} / "
                                                 f"{counts['races command']}"),
        ("hostile webhook deliveries", counts["hostile deliveries"]),
        ("orders created during the run", counts["orders created"]),
        ("days asked / imports asked", f"{counts['days asked']} / {counts['imports asked']}"),
        ("catch-up rounds, drain seconds", f"{counts['catch-up rounds']}, {drained:.0f}"),
        ("elapsed seconds", f"{elapsed:.0f}"),
    ]
    rows += _database_rows()
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    hostile = sorted((k.removeprefix("hostile "), n) for k, n in counts.items()
                     if k.startswith("hostile ") and "→" in k)
    print("hostile webhooks by case → status: " + ", ".join(f"{k} ×{n}" for k, n in hostile))


def _database_rows() -> list[tuple[str, object]]:
    runs = dict(SyncRun.objects.values_list("status").annotate(n=Count("pk")))
    entries = dict(JobQueueEntry.objects.values_list("status").annotate(n=Count("pk")))
    return [
        ("orders imported", ShopifyOrder.objects.count()),
        ("webhook deliveries stored", WebhookDelivery.objects.count()),
        ("journals posted", JournalEntry.objects.count()),
        ("runs by status", ", ".join(f"{k} {v}" for k, v in sorted(runs.items()))),
        ("entries by status", ", ".join(f"{k} {v}" for k, v in sorted(entries.items()))),
    ]
