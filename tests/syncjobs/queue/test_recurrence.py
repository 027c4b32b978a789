"""Next runs of recurring entries in the shop's time zone, DST included (J3)."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from merchants.models import Merchant
from syncjobs.queue.models import JobQueueEntry
from syncjobs.queue.recurrence import next_run_after

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def entry(time_zone="Europe/Paris", created=dt.datetime(2025, 1, 1, tzinfo=UTC), **fields) -> JobQueueEntry:
    made = JobQueueEntry(merchant=Merchant(time_zone=time_zone), report_number=30104, **fields)
    made.created_at = created
    return made


def local(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


def runs(recurring: JobQueueEntry, start: dt.datetime, count: int) -> list[dt.datetime]:
    slots, after = [], start
    for _ in range(count):
        after = next_run_after(recurring, after)
        slots.append(after)
    return slots


def wall(slots, zone) -> list[str]:
    return [s.astimezone(zone).strftime("%m-%d %H:%M%z") for s in slots]


class TestDailyRunsKeepTheWallClock:
    def test_a_time_skipped_by_spring_forward_runs_at_the_first_time_that_exists(self):
        daily = entry(minutes_between_runs=1440, starting_time=dt.time(2, 30))

        slots = runs(daily, local(PARIS, 2025, 3, 28, 12, 0), 4)

        assert wall(slots, PARIS) == ["03-29 02:30+0100", "03-30 03:00+0200", "03-31 02:30+0200", "04-01 02:30+0200"]

    def test_an_ambiguous_time_at_fall_back_runs_once_at_its_first_occurrence(self):
        daily = entry(minutes_between_runs=1440, starting_time=dt.time(2, 30))

        slots = runs(daily, local(PARIS, 2025, 10, 25, 12, 0), 3)

        assert wall(slots, PARIS) == ["10-26 02:30+0200", "10-27 02:30+0100", "10-28 02:30+0100"]
        assert slots[1] - slots[0] == dt.timedelta(hours=25)

    def test_new_york_spring_forward(self):
        daily = entry("America/New_York", minutes_between_runs=1440, starting_time=dt.time(2, 15))

        slots = runs(daily, local(NEW_YORK, 2025, 3, 8, 12, 0), 2)

        assert wall(slots, NEW_YORK) == ["03-09 03:00-0400", "03-10 02:15-0400"]

    def test_every_second_day_from_the_day_the_entry_was_made(self):
        every_other = entry(minutes_between_runs=2 * 1440, starting_time=dt.time(6, 0),
                            created=local(PARIS, 2025, 5, 1, 9, 0))

        slots = runs(every_other, local(PARIS, 2025, 5, 1, 10, 0), 3)

        assert wall(slots, PARIS) == ["05-03 06:00+0200", "05-05 06:00+0200", "05-07 06:00+0200"]

    def test_only_the_ticked_weekdays(self):
        mondays_and_thursdays = entry(run_on_mondays=True, run_on_thursdays=True, starting_time=dt.time(9, 0))

        slots = runs(mondays_and_thursdays, local(PARIS, 2025, 6, 2, 10, 0), 3)  # a Monday, after 09:00

        assert wall(slots, PARIS) == ["06-05 09:00+0200", "06-09 09:00+0200", "06-12 09:00+0200"]


class TestIntervalsUnderADayCountElapsedTime:
    @pytest.mark.parametrize(("zone", "day"), [(PARIS, (2025, 3, 30)), (NEW_YORK, (2025, 3, 9))])
    def test_hourly_on_spring_forward_day_neither_skips_nor_doubles(self, zone, day):
        hourly = entry(zone.key, minutes_between_runs=60)

        slots = runs(hourly, local(zone, *day, 0, 0) - dt.timedelta(minutes=1), 24)

        assert all(b - a == dt.timedelta(hours=1) for a, b in zip(slots, slots[1:]))
        on_the_day = [s for s in slots if s.astimezone(zone).date() == dt.date(*day)]
        assert len(on_the_day) == 23          # a 23-hour day, then the next day's midnight
        assert slots[-1].astimezone(zone).time() == dt.time(0, 0)

    @pytest.mark.parametrize(("zone", "day"), [(PARIS, (2025, 10, 26)), (NEW_YORK, (2025, 11, 2))])
    def test_hourly_on_fall_back_day_runs_each_elapsed_hour_once(self, zone, day):
        hourly = entry(zone.key, minutes_between_runs=60)

        slots = runs(hourly, local(zone, *day, 0, 0) - dt.timedelta(minutes=1), 26)

        assert len(set(slots)) == 26
        assert all(b - a == dt.timedelta(hours=1) for a, b in zip(slots, slots[1:]))
        on_the_day = [s for s in slots if s.astimezone(zone).date() == dt.date(*day)]
        assert len(on_the_day) == 25

    def test_a_window_across_midnight(self):
        nightly = entry(minutes_between_runs=60, starting_time=dt.time(22, 0), ending_time=dt.time(1, 0))

        slots = runs(nightly, local(PARIS, 2025, 6, 2, 12, 0), 5)

        assert wall(slots, PARIS) == ["06-02 22:00+0200", "06-02 23:00+0200", "06-03 00:00+0200",
                                      "06-03 01:00+0200", "06-03 22:00+0200"]

    def test_a_window_within_the_day_starts_again_next_day(self):
        office_hours = entry(minutes_between_runs=90, starting_time=dt.time(9, 0), ending_time=dt.time(12, 0),
                             run_on_mondays=True, run_on_tuesdays=True)

        slots = runs(office_hours, local(PARIS, 2025, 6, 2, 9, 30), 4)   # a Monday

        assert wall(slots, PARIS) == ["06-02 10:30+0200", "06-02 12:00+0200", "06-03 09:00+0200",
                                      "06-03 10:30+0200"]

    def test_a_slot_is_strictly_after_the_given_moment(self):
        every_quarter = entry(minutes_between_runs=15)

        at_a_slot = local(PARIS, 2025, 6, 2, 10, 15)

        assert next_run_after(every_quarter, at_a_slot) == local(PARIS, 2025, 6, 2, 10, 30)
