"""What syncjobs tells the registries below it (core) and django-q2 once every app is loaded: every
report (importing the package registers them), their shop-card buttons, the queue's tile, the webhook
topics that start syncs, and the queue's schedules. Each sync domain registers its own (its AppConfig)."""
from __future__ import annotations

from django.db.models.signals import post_migrate
from django_q.signals import post_spawn

import syncjobs.reports  # noqa: F401  (registers every report)
from syncjobs import shop_card, webhooks
from syncjobs.queue import tiles as queue_tiles
from syncjobs.queue.queue_pass import run_queue_pass_at_worker_start
from syncjobs.queue.schedules import ensure_schedules


def register(app_config) -> None:
    shop_card.register()
    queue_tiles.register()
    webhooks.register()
    post_migrate.connect(ensure_schedules, sender=app_config, dispatch_uid="syncjobs.ensure_schedules")
    post_spawn.connect(run_queue_pass_at_worker_start, dispatch_uid="syncjobs.queue_pass_at_worker_start")
