import factory
from django.utils import timezone

from syncjobs.queue.models import (
    EntryStatus,
    JobQueueCategory,
    JobQueueEntry,
    RunStatus,
    SkippedRecord,
    SyncRun,
    SyncRunError,
)
from tests.factories.merchants import MerchantFactory


class JobQueueCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobQueueCategory

    merchant = factory.SubFactory(MerchantFactory)
    code = factory.Sequence(lambda n: f"CAT{n}")


class JobQueueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobQueueEntry

    merchant = factory.SubFactory(MerchantFactory)
    report_number = 30104
    category = factory.SubFactory(JobQueueCategoryFactory, merchant=factory.SelfAttribute("..merchant"))
    status = EntryStatus.READY
    earliest_start_at = factory.LazyFunction(timezone.now)


class SyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRun

    merchant = factory.SubFactory(MerchantFactory)
    report_number = 30104
    started_at = factory.LazyFunction(timezone.now)
    status = RunStatus.SUCCESS


class SyncRunErrorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRunError

    run = factory.SubFactory(SyncRunFactory)
    object = "order"
    shopify_id = "gid://shopify/Order/1"
    reason = "no sales account is mapped"


class SkippedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkippedRecord

    run = factory.SubFactory(SyncRunFactory)
    merchant = factory.SelfAttribute("run.merchant")
    report_number = factory.SelfAttribute("run.report_number")
    record = factory.Sequence(lambda n: f"order #{1001 + n}")
    reason = "a test order"
    skipped_at = factory.LazyFunction(timezone.now)
