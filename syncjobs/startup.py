"""What syncjobs tells the registries below it (core) and django-q2 once every app is loaded: every
report (importing the package registers them), their shop-card buttons, the daily sync's panel and
rules, the role-center tiles, the webhook topics that start syncs, and the queue's schedules."""
from __future__ import annotations

from django.db.models.signals import post_migrate
from django_q.signals import post_spawn

import syncjobs.daily.adjustments  # noqa: F401  (listens to the order importer)
import syncjobs.reports  # noqa: F401  (registers every report)
from syncjobs import shop_card, tiles, webhooks
from syncjobs.daily import shop_card as daily_shop_card
from syncjobs.queue.queue_pass import run_queue_pass_at_worker_start
from syncjobs.queue.schedules import ensure_schedules


def register(app_config) -> None:
    shop_card.register()
    daily_shop_card.register()
    tiles.register()
    webhooks.register()
    post_migrate.connect(ensure_schedules, sender=app_config, dispatch_uid="syncjobs.ensure_schedules")
    post_spawn.connect(run_queue_pass_at_worker_start, dispatch_uid="syncjobs.queue_pass_at_worker_start")
