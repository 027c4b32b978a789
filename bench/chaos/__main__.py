"""The chaos run: the stack as production runs it, broken on purpose while it syncs, then checked.

    .venv/bin/python -m bench.chaos [--seed N] [--runs 2] [--shops 3] [--days 7] [--profile ci|full]
                                    [--broker redis|orm] [--logs DIR]

It starts PostgreSQL databases of its own (CHAOS_POSTGRES_URL, default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_chaos, and the same name with _reference),
Redis, the Shopify simulator with faults, gunicorn and three qclusters, all on 127.0.0.1. For the
profile's time it posts the shops' days one by one through the queue and imports orders, while it
kills workers (busy and idle in turn), races Run now, shop-card presses and command-line syncs,
creates orders (their webhooks arrive) and sends hostile webhooks; a supervisor restarts the
workers when `queue_health` fails, as the README's systemd units do. Then it clears the faults,
lets the shops catch up for a bounded time and checks that nothing was lost, duplicated or
half-written, comparing the ledger with an undisturbed run of the same store. It prints one table
of figures and the verdicts, leaves every process's log in the folder it names, and exits 1 when a
check or a floor of the profile fails. The seed (default: from the commit) replays a run.
"""
from __future__ import annotations

import argparse
import base64
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from bench.chaos.profiles import PROFILES, Profile
from bench.chaos.stack import MANAGE, ROOT, Stack, wait_until_answering
from bench.databases import recreate_postgres
from bench.services import free_port, start_redis

POSTGRES_URL = os.environ.get("CHAOS_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/syncsite_chaos")


def commit_seed() -> int:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return int(head[:8], 16) % 100_000 if head else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="default: derived from the commit")
    parser.add_argument("--shops", type=int, default=3)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument("--broker", choices=("redis", "orm"), default="redis")
    parser.add_argument("--logs", type=Path, default=None, help="default: a new folder under the temp dir")
    parser.add_argument("--runs", type=int, default=None,
                        help="seeds to run, one after the other from --seed (default: the profile's, full: 2)")
    args = parser.parse_args()
    seed = commit_seed() if args.seed is None else args.seed
    profile = PROFILES[args.profile]
    runs = args.runs or profile.runs
    if runs > 1:
        return run_seeds(args, [seed + n for n in range(runs)])
    logs = args.logs or Path(tempfile.mkdtemp(prefix=f"syncsite-chaos-{seed}-"))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"chaos run: profile {profile.name}, seed {seed}, {args.shops} shops, {args.days} days; logs in {logs}",
          flush=True)
    print(f"replay: python -m bench.chaos --profile {profile.name} --seed {seed} --shops {args.shops} "
          f"--days {args.days}", flush=True)
    run = ChaosRun(seed=seed, shops=args.shops, days=args.days, profile=profile, broker=args.broker, logs=logs)
    try:
        return run.run()
    finally:
        run.stack.stop_all()
        if run.redis is not None:
            run.redis.kill()


def run_seeds(args, seeds: list[int]) -> int:
    """Each seed in a process of its own (Django is set up once per process, on its database)."""
    outcomes = []
    for seed in seeds:
        command = [sys.executable, "-m", "bench.chaos", "--profile", args.profile, "--seed", str(seed), "--runs", "1",
                   "--shops", str(args.shops), "--days", str(args.days), "--broker", args.broker]
        if args.logs:
            command += ["--logs", str(args.logs / f"seed-{seed}")]
        outcomes.append((seed, subprocess.run(command, cwd=ROOT).returncode))
        print(flush=True)
    for seed, code in outcomes:
        print(f"seed {seed}: {'PASS' if code == 0 else f'FAIL (exit {code})'}")
    return 0 if all(code == 0 for _, code in outcomes) else 1


class ChaosRun:
    def __init__(self, *, seed: int, shops: int, days: int, profile: Profile, broker: str, logs: Path) -> None:
        self.seed, self.shop_count, self.days, self.profile, self.broker, self.logs = (
            seed, shops, days, profile, broker, logs)
        self.rng = Random(seed)
        self.redis = None
        self.web_port, self.simulator_port, self.reference_port = free_port(), free_port(), free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.simulator_url = f"http://127.0.0.1:{self.simulator_port}"
        self.env = {
            **os.environ, "SYNCSITE_ENV_FILE": "", "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "syncsite.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SYNCSITE_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "SYNCSITE_PUBLIC_URL": self.web_url, "LOG_LEVEL": "WARNING",
            "Q_WORKERS": "2", "JOB_HEARTBEAT_SECONDS": "1", "JOB_STALE_SECONDS": "10",
            "QUEUE_PASS_MAX_SILENCE_SECONDS": "30", "QUEUE_ENTRY_MAX_LATENESS_SECONDS": str(profile.max_lateness),
            "SHOPIFY_READ_TIMEOUT": "4", "SHOPIFY_CONNECT_TIMEOUT": "2",
        }
        self.env.pop("REDIS_URL", None)
        self.stack = Stack(logs, self.env)

    def run(self) -> int:
        started = time.monotonic()
        anchor = datetime.now(UTC).date().isoformat()
        # Shopify Plus's bucket: throttling comes from the faults, not from a bucket that starves the run.
        simulator = ["-m", "shopify_simulator", "--seed", str(self.seed), "--orders", str(self.profile.orders),
                     "--anchor", anchor, "--plan", "plus"]
        self.stack.start("simulator", [sys.executable, *simulator, "--port", str(self.simulator_port)])
        reference_sim = self.stack.start("reference-simulator",
                                         [sys.executable, *simulator, "--port", str(self.reference_port)])
        if self.broker == "redis":
            self.redis, redis_url = start_redis()
            if self.redis is None:
                print(f"cannot run with Redis: {redis_url} (or run with --broker orm)")
                return 2
            self.env["REDIS_URL"] = redis_url
        chaos_db, reference_db = POSTGRES_URL, POSTGRES_URL + "_reference"
        recreate_postgres(chaos_db)
        recreate_postgres(reference_db)
        self.env["DATABASE_URL"] = chaos_db
        wait_until_answering(f"{self.simulator_url}/_simulator/shops", seconds=60,
                             process=self.stack.processes["simulator"])
        wait_until_answering(f"http://127.0.0.1:{self.reference_port}/_simulator/shops", seconds=60,
                             process=reference_sim)
        reference = self.stack.start("reference", [
            sys.executable, "-m", "bench.chaos.reference", "--simulator-url", f"http://127.0.0.1:{self.reference_port}",
            "--shops", str(self.shop_count), "--days", str(self.days), "--out", str(self.logs / "reference.json")],
            env={**self.env, "DATABASE_URL": reference_db, "REDIS_URL": ""})
        subprocess.run([*MANAGE, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=self.env, check=True)

        os.environ.update(self.env)
        import django  # noqa: PLC0415 (the settings read the environment set just above)

        django.setup()
        from bench.chaos.session import Session  # noqa: PLC0415 (it needs Django set up)

        return Session(self, reference, started).play()


if __name__ == "__main__":
    sys.exit(main())
