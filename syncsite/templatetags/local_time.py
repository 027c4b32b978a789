"""{{ run.started_at|in_zone:run.merchant.time_zone }}: a time in its shop's zone, in lists across shops."""
from django import template

from core import local_time

register = template.Library()


@register.filter
def in_zone(moment, zone_name):
    return local_time.in_zone(moment, zone_name)
