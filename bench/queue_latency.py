"""From pressing a background sync to its run starting, on the ORM broker and on Redis.

    .venv/bin/python -m bench.queue_latency [--samples 20] [--workers 1,4] [--brokers orm,redis]

For each broker and worker count it starts `qcluster` on a fresh PostgreSQL database
(BENCH_POSTGRES_URL, default postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_queue),
presses "Sync orders" the way the shop card does (`start_in_background`) against a Shopify
simulator, and times press → the run's start, one press at a time. Redis: it uses a running
`redis-server` on the path, installs it with apt-get when it can (as root), or says plainly that it
could not. Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.databases import recreate_postgres
from bench.services import free_port, start_redis

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_queue")


def measure(samples: int) -> dict:
    """Runs in a child process whose environment names the database, broker and worker count."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command

    from merchants.models import Merchant
    from syncjobs.queue.entries import start_in_background
    from syncjobs.queue.models import SyncRun

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(code="BENCH", name="Bench", shop_domain="demo-eu.myshopify.com",
                                       api_base_url=os.environ["BENCH_SIMULATOR"],
                                       access_token=os.environ["BENCH_TOKEN"], allow_background_syncs=True)
    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=os.environ,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def press_and_wait(timeout: float = 60.0) -> float:
            from django.utils import timezone

            pressed = timezone.now()
            entry = start_in_background(merchant=merchant, report_number=30104,
                                        raw_parameters={"order_no": "#1001"}, user=None).entry
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                run = SyncRun.objects.filter(entry=entry).values("started_at", "ended_at").first()
                if run and run["ended_at"]:
                    return (run["started_at"] - pressed).total_seconds()
                time.sleep(0.005)
            raise RuntimeError("a pressed sync did not run within a minute: is the worker up?")

        press_and_wait(timeout=120)   # the cluster's start-up is not part of the figure
        latencies = sorted(press_and_wait() for _ in range(samples))
    finally:
        cluster.send_signal(signal.SIGTERM)
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
    return {
        "median s": round(statistics.median(latencies), 3),
        "p95 s": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 3),
        "max s": round(latencies[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--brokers", default="orm,redis")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.samples)))
        return

    port = free_port()
    simulator = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shopify_simulator", "--port", str(port), "--orders", "50",
         "--plan", "unlimited"],
        cwd=ROOT, env={**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    redis = None
    try:
        token = next(line.split("token ")[1].split()[0] for line in simulator.stdout if "demo-eu.myshopify.com" in line)
        print(f"{'broker':>8}  {'workers':>7}  {'median s':>9}  {'p95 s':>7}  {'max s':>7}")
        for broker in args.brokers.split(","):
            redis_url = ""
            if broker == "redis":
                redis, redis_url = start_redis()
                if redis is None:
                    print(f"{'redis':>8}  could not run: {redis_url}")
                    continue
            for workers in args.workers.split(","):
                recreate_postgres(POSTGRES_URL)
                env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": POSTGRES_URL,
                       "REDIS_URL": redis_url, "Q_WORKERS": workers, "BENCH_SIMULATOR": f"http://127.0.0.1:{port}",
                       "BENCH_TOKEN": token}
                child = subprocess.run([sys.executable, "-m", "bench.queue_latency", "--child", "--samples",
                                        str(args.samples)], cwd=ROOT, env=env, capture_output=True, text=True,
                                       timeout=900)
                if child.returncode != 0:
                    raise RuntimeError(child.stderr[-2000:])
                row = json.loads(child.stdout.strip().splitlines()[-1])
                print(f"{broker:>8}  {workers:>7}  {row['median s']:>9}  {row['p95 s']:>7}  {row['max s']:>7}")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


if __name__ == "__main__":
    main()
