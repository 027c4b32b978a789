"""The undisturbed run a chaos run is compared with: the same store (seed and anchor), no faults, no
kills, every sync in the foreground one after the other. Run by the harness in a process of its own,
on a database of its own:

    DATABASE_URL=... python -m bench.chaos.reference --simulator-url URL --shops 3 --days 7 --out F

Writes one JSON object to --out: the shops' codes, days and ledger balances.
"""
from __future__ import annotations

import argparse
import json
import os

import django
import requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--simulator-url", required=True)
    parser.add_argument("--shops", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--out", required=True, help="where to write the JSON figures")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command

    from bench.chaos.shops import balances, set_up_shops
    from merchants.models import Merchant
    from syncjobs.queue.execution import run_now
    from syncjobs.queue.models import RunStatus, RunTrigger

    call_command("migrate", verbosity=0)
    shops = requests.get(f"{args.simulator_url}/_simulator/shops", timeout=10).json()["shops"][:args.shops]
    plans = set_up_shops(shops, args.simulator_url, days=args.days, webhooks=False)
    for plan in plans:
        merchant = Merchant.objects.get(code=plan.code)
        steps = [(30104, {})] + [(1, {"day": day.isoformat()}) for day in plan.days]
        for number, parameters in steps:
            run = run_now(merchant=merchant, report_number=number, raw_parameters=parameters, user=None,
                          trigger=RunTrigger.COMMAND)
            if run.status != RunStatus.SUCCESS:
                raise SystemExit(f"the undisturbed run failed: {plan.code} report {number} {parameters}: {run.message}")
    with open(args.out, "w") as out:
        json.dump({"plans": [{"code": p.code, "days": [d.isoformat() for d in p.days]} for p in plans],
                   "balances": balances(plans)}, out)


if __name__ == "__main__":
    main()
