"""What breaks the stack on purpose while it syncs, each in a thread of its own, and the
supervisor that mends it as production would. Needs Django set up (on the chaos database).

Every loop is bounded by the run's deadline; every request has a timeout.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import requests
from django.db import connections
from django.urls import reverse
from django_q.brokers import get_broker
from django_q.status import Stat

from bench.chaos.shops import STAFF_USER, ShopPlan
from bench.chaos.stack import MANAGE, ROOT, Stack
from merchants.models import Merchant
from syncjobs.queue.entries import start_in_background
from syncjobs.queue.health import queue_health
from syncjobs.queue.models import EntryStatus, JobQueueEntry

TIMEOUT = 15


@dataclass
class Figures:
    """What the run did, counted by the actors (thread-safe through `add`)."""

    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] += n

    def note(self, text: str) -> None:
        with self.lock:
            self.notes.append(f"{time.strftime('%H:%M:%S')} {text}")

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 200:
                self.problems.append(text)


class Actor(threading.Thread):
    """A loop that acts every `every` seconds (jittered) until `stop` is set."""

    every = 5.0

    def __init__(self, *, rng: random.Random, figures: Figures, stop: threading.Event, every: float | None = None,
                 jitter: bool = True) -> None:
        super().__init__(name=type(self).__name__, daemon=True)
        self.rng, self.figures, self.stop = rng, figures, stop
        self.every = every or self.every
        self.jitter = jitter

    def run(self) -> None:
        try:
            first = True
            while not self.stop.wait(0 if first and not self.jitter else
                                     self.every * (self.rng.uniform(0.5, 1.5) if self.jitter else 1)):
                first = False
                try:
                    self.act()
                except Exception as exc:  # noqa: BLE001 (an actor that breaks is a finding, not the end)
                    self.figures.problem(f"{self.name}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def act(self) -> None:
        raise NotImplementedError


class DayDriver(Actor):
    """Plays the simulated days: each tick posts the next day of every shop through the queue (a
    one-off daily sync for that day), and asks for an import, as the recurring entries would."""

    def __init__(self, plans: list[ShopPlan], **kwargs) -> None:
        super().__init__(**kwargs)
        self.plans = plans
        self.next_day = 0

    def act(self) -> None:
        for plan in self.plans:
            merchant = Merchant.objects.get(code=plan.code)
            start_in_background(merchant=merchant, report_number=30104, raw_parameters={}, user=None)
            self.figures.add("imports asked")
            if self.next_day < len(plan.days):
                post(merchant, plan.days[self.next_day])
                self.figures.add("days asked")
        self.next_day += 1


def post(merchant, day: date | None) -> None:
    start_in_background(merchant=merchant, report_number=1,
                        raw_parameters={"day": day.isoformat()} if day else {}, user=None)


class Killer(Actor):
    """SIGKILLs a qcluster worker, a busy one (running an entry) and an idle one in turn."""

    def __init__(self, stack: Stack, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stack = stack
        self.busy_next = True

    def act(self) -> None:
        workers = worker_pids(self.stack)
        pids = (where.rpartition(":")[2] for where in JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS)
                .values_list("running_in", flat=True))
        running = {int(pid) for pid in pids if pid.isdigit()}
        busy, idle = sorted(workers & running), sorted(workers - running)
        # The kind due, else the other (on a loaded machine a kind is often missing for long
        # stretches, and a turn skipped is a kill the run never makes up).
        kind_is_busy = self.busy_next if (busy if self.busy_next else idle) else not self.busy_next
        pool = busy if kind_is_busy else idle
        if not pool:
            return
        pid = self.rng.choice(pool)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        self.figures.add("kills busy" if kind_is_busy else "kills idle")
        if kind_is_busy == self.busy_next:
            self.busy_next = not self.busy_next


def worker_pids(stack: Stack) -> set[int]:
    """The pids of the clusters' worker processes, as django-q2 reports them (every few seconds)."""
    ours = stack.worker_pids()
    pids = set()
    for stat in Stat.get_all(broker=get_broker()):
        if stat.pid in ours or not ours:
            pids.update(stat.workers)
    return pids


class Supervisor(Actor):
    """The README's systemd timer: `queue_health` every few seconds, the workers restarted when it
    fails twice in a row."""

    every = 3.0

    def __init__(self, stack: Stack, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stack = stack
        self.failed = 0

    def act(self) -> None:
        health = queue_health()
        self.failed = 0 if health.ok else self.failed + 1
        if self.failed >= 2:
            self.figures.add("worker restarts")
            self.figures.note(f"workers restarted: {health.summary}")
            self.stack.restart_workers()
            self.failed = 0


class Racer(Actor):
    """Bursts of people pressing at once: Sync orders on the shop card, Run now on entries, and
    command-line syncs, all for one shop whose syncs are busy."""

    every = 2.0

    def __init__(self, web_url: str, plans: list[ShopPlan], logs, env: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.web_url, self.plans, self.logs, self.env = web_url, plans, logs, env
        self.sessions: list[requests.Session] = []
        self.sessions_lock = threading.Lock()
        self.commands: list[subprocess.Popen] = []

    def act(self) -> None:
        self._reap()
        plan = self.rng.choice(self.plans)
        merchant = Merchant.objects.get(code=plan.code)
        entries = list(JobQueueEntry.objects.filter(merchant=merchant).order_by("-pk").values_list("pk", flat=True)[:8])
        presses = [self._press_button] * 2 + [self._run_now] * 2
        threads = [threading.Thread(target=press, args=(merchant, entries)) for press in presses]
        for thread in threads:
            thread.start()
        if len(self.commands) < 2 and self.rng.random() < 0.4:
            log = open(self.logs / f"sync-command-{len(self.commands)}-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
            self.commands.append(subprocess.Popen([*MANAGE, "sync", "30104", "--merchant", plan.code], cwd=ROOT,
                                                  env=self.env, stdout=log, stderr=subprocess.STDOUT))
            log.close()
            self.figures.add("races command")
        for thread in threads:
            thread.join(timeout=TIMEOUT + 5)

    def _session(self) -> requests.Session:
        """A logged-in session, reused: logging in is a password hash, not what this races."""
        with self.sessions_lock:
            if self.sessions:
                return self.sessions.pop()
        session = requests.Session()
        login = f"{self.web_url}/admin/login/"
        session.get(login, timeout=TIMEOUT)
        session.post(login, data={"username": STAFF_USER[0], "password": STAFF_USER[1], "next": "/admin/",
                                  "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}, timeout=TIMEOUT)
        return session

    def _post(self, path: str, data: dict, kind: str) -> None:
        session = self._session()
        try:
            # A fresh connection each time: a kept-alive one the server closes just then resets, which
            # says nothing about the product.
            response = session.post(f"{self.web_url}{path}", timeout=TIMEOUT, allow_redirects=False,
                                    headers={"Connection": "close"},
                                    data={**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")})
        except requests.RequestException as exc:
            self.figures.problem(f"{kind}: no answer: {type(exc).__name__}: {exc}")
            return
        with self.sessions_lock:
            self.sessions.append(session)
        self.figures.add(f"races {kind}")
        if response.status_code >= 500:
            self.figures.problem(f"{kind} answered {response.status_code}")
        elif response.status_code not in (200, 302):
            self.figures.problem(f"{kind} answered {response.status_code} (not a page or a redirect)")

    def _press_button(self, merchant, entries) -> None:
        self._post(reverse("admin:merchants_merchant_action", args=[merchant.pk]),
                   {"action": "sync_orders", "request_page": "1"}, "shop card")

    def _run_now(self, merchant, entries) -> None:
        if entries:
            picked = self.rng.sample(entries, min(len(entries), self.rng.randint(1, 4)))
            self._post(reverse("admin:syncjobs_jobqueueentry_changelist"),
                       {"action": "run_now", "_selected_action": picked}, "run now")

    def _reap(self, wait: float = 0) -> None:
        for command in list(self.commands):
            try:
                command.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            self.commands.remove(command)
            if command.returncode not in (0, 1):
                self.figures.problem(f"a command-line sync exited with {command.returncode}")

    def finish(self) -> None:
        self._reap(wait=120)


class OrderMaker(Actor):
    """New orders in the store now and then: Shopify sends orders/create, syncsite imports them."""

    every = 6.0

    def __init__(self, simulator_url: str, domains: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.simulator_url, self.domains = simulator_url, domains

    def act(self) -> None:
        count = self.rng.randint(1, 3)
        requests.post(f"{self.simulator_url}/_simulator/orders", json={"shop": self.rng.choice(self.domains),
                                                                       "count": count}, timeout=TIMEOUT)
        self.figures.add("orders created", count)


class HostileWebhooks(Actor):
    """Deliveries an attacker (or a confused proxy) sends: each must be refused, or taken harmlessly,
    and none may answer 500 or disable a shop."""

    every = 1.5
    CASES = ("topic swapped", "bad signature", "year 1", "year 9999", "nested brackets", "replayed",
             "unknown shop", "genuine uninstall")

    def __init__(self, web_url: str, shops: list[dict], **kwargs) -> None:
        super().__init__(**kwargs)
        self.url = f"{web_url}/webhooks/shopify/"
        self.shops = shops
        self.turn = 0

    def act(self) -> None:
        case = self.CASES[self.turn % len(self.CASES)]
        self.turn += 1
        shop = self.rng.choice(self.shops)
        number = 9_000_000 + self.turn
        order = {"id": number, "admin_graphql_api_id": f"gid://shopify/Order/{number}", "name": f"#{number}",
                 "updated_at": "2025-01-01T00:00:00Z", "created_at": "2025-01-01T00:00:00Z"}
        body, topic = json.dumps(order).encode(), "orders/create"
        secret, domain = shop["api_secret_key"], shop["domain"]
        triggered = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        webhook_id = f"chaos-{self.turn}"
        if case == "topic swapped":
            topic = "app/uninstalled"
        elif case == "bad signature":
            secret = "not-the-secret"
        elif case == "year 1":
            triggered = "0001-01-01T00:00:00.000Z"
        elif case == "year 9999":
            triggered = "9999-12-31T23:59:59.000Z"
        elif case == "nested brackets":
            body = b"[" * 100_000 + b"]" * 100_000
        elif case == "unknown shop":
            domain = "not-a-shop-of-ours.myshopify.com"
        elif case == "genuine uninstall":
            topic = "app/uninstalled"
            body = json.dumps({"id": 1, "name": shop["name"], "myshopify_domain": shop["domain"],
                               "domain": shop["domain"]}).encode()
        headers = {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": domain,
                   "X-Shopify-Hmac-Sha256": sign(body, secret), "X-Shopify-Webhook-Id": webhook_id,
                   "X-Shopify-Triggered-At": triggered, "X-Shopify-API-Version": "2025-01"}
        self._send(case, body, headers)
        if case == "replayed":   # the same delivery again: taken once
            self._send(case, body, headers)

    def _send(self, case: str, body: bytes, headers: dict) -> None:
        response = requests.post(self.url, data=body, headers=headers, timeout=TIMEOUT)
        self.figures.add("hostile deliveries")
        self.figures.add(f"hostile {case} → {response.status_code}")
        if response.status_code >= 500:
            self.figures.problem(f"hostile webhook ({case}) answered {response.status_code}")


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
