"""What the import benches share: a Shopify simulator in its own process, a child process per run
(a fresh database, a fresh peak RSS) that reports its figures as JSON, and, inside the child, the
bench's merchant and the count of queries each batch of the import made."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench.databases import database_url
from bench.services import free_port

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench")
BASIC_BUCKET, BASIC_RESTORE = 1_000, 100      # a basic shop's bucket: points, and points restored a second


@contextmanager
def simulator(*options: str) -> Iterator[tuple[int, str, list[str]]]:
    """A simulator started with `options`: its port, demo-eu's token, and what it printed until then."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "shopify_simulator", "--port", str(port), "--anchor", "2025-03-12", *options],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        printed, token = [], ""
        for line in process.stdout:
            printed.append(line)
            if "demo-eu.myshopify.com" in line:
                token = line.split("token ")[1].split()[0]
                break
        yield port, token, printed
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_child(module: str, arguments: list[str], *, database: str, port: int, token: str) -> dict:
    """`python -m module --child arguments…` against a fresh `database`; the figures it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
        env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url,
               "BENCH_SIMULATOR": f"http://127.0.0.1:{port}", "BENCH_TOKEN": token}
        child = subprocess.run([sys.executable, "-m", module, "--child", *arguments], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=3600)
        if child.returncode != 0:
            raise RuntimeError(child.stderr[-2000:])
        return json.loads(child.stdout.strip().splitlines()[-1])


def run_children(module: str, steps: list[list[str]], *, database: str, port: int, token: str) -> list[dict]:
    """`python -m module --child step…` for each step in turn, all against one fresh `database` (a
    step reads what the one before wrote, in a process of its own: its peak RSS is its own); the
    figures each printed."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
        env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url,
               "BENCH_SIMULATOR": f"http://127.0.0.1:{port}", "BENCH_TOKEN": token}
        figures = []
        for arguments in steps:
            child = subprocess.run([sys.executable, "-m", module, "--child", *arguments], cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=3600)
            if child.returncode != 0:
                raise RuntimeError(child.stderr[-2000:])
            figures.append(json.loads(child.stdout.strip().splitlines()[-1]))
        return figures


def bench_merchant():
    """In the child: Django set up on a migrated database, a merchant connected to the parent's
    simulator, and a client polling bulk exports briskly."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command

    from connectors.shopify.client import ClientSettings, ShopifyClient
    from merchants.models import Merchant

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(code="BENCH", name="Bench", shop_domain="demo-eu.myshopify.com",
                                       api_base_url=os.environ["BENCH_SIMULATOR"],
                                       access_token=os.environ["BENCH_TOKEN"])
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(bulk_poll_min=0.2, bulk_poll_max=1))
    return merchant, client


class BatchQueries:
    """The import's progress callback: the queries each batch made (of those `queries` captured)
    and when the first batch was in."""

    def __init__(self) -> None:
        self.queries = None       # a CaptureQueriesContext, set by the bench once it opened one
        self.per_batch: list[int] = []
        self.first_batch_at = 0.0
        self._counted = 0

    def __call__(self, counts) -> None:
        self.first_batch_at = self.first_batch_at or time.perf_counter()
        self.per_batch.append(len(self.queries) - self._counted)
        self._counted = len(self.queries)
