"""Emails to a shop's users about its runs: on success when the entry asks for it, and whenever a
recurring entry's run fails (nobody is watching a recurring sync)."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from core.local_time import in_zone
from syncjobs.queue.models import RunStatus, SyncRun

logger = logging.getLogger(__name__)


def notify_about_run(run: SyncRun) -> bool:
    """Send the run's email if one is due; returns whether one was sent."""
    entry = run.entry
    if entry is None:
        return False
    failed = run.status == RunStatus.ERROR
    if not ((failed and entry.is_recurring) or (not failed and entry.notify_on_success)):
        return False
    outcome = "failed" if failed else "succeeded"
    link = settings.SYNCSITE_BASE_URL + reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    return email_shop_users(
        run.merchant_id,
        subject=f"[syncsite] {run.report_label.split(' ', 1)[-1]} for {run.merchant.code} {outcome}",
        message=(f"{run.report_label} for {run.merchant.name} ({run.merchant.code}) {outcome} "
                 f"at {in_zone(run.ended_at, run.merchant.time_zone)}.\n\n{run.message}\n\nThe run: {link}\n"),
    )


def email_shop_users(merchant_id: int, *, subject: str, message: str) -> bool:
    """Email the shop's active users who have an address; returns whether a mail went out. A mail
    server that fails is logged, never allowed to fail the sync that wrote."""
    recipients = list(get_user_model().objects.filter(merchant_memberships__merchant_id=merchant_id, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
    if not recipients:
        return False
    try:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
    except Exception:
        logger.exception("could not send %r to the users of merchant %s", subject, merchant_id)
        return False
    return True
