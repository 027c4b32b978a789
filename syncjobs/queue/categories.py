"""Each merchant's own job queue category: all of a merchant's syncs share it by default (J2)."""
from __future__ import annotations

from syncjobs.queue.models import JobQueueCategory

DEFAULT_CATEGORY_CODE = "SYNCS"


def default_category_for(merchant) -> JobQueueCategory:
    category, _ = JobQueueCategory.objects.get_or_create(
        merchant=merchant, code=DEFAULT_CATEGORY_CODE,
        defaults={"description": f"Syncs of {merchant.code}: never two at the same time"},
    )
    return category
