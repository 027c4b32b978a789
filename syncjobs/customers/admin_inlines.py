"""The default customer per country, a table on the shop card."""
from django.contrib import admin

from syncjobs.customers.models import CountryDefaultCustomer


class CountryDefaultCustomerInline(admin.TabularInline):
    model = CountryDefaultCustomer
    fields = ("country", "customer_no")
    extra = 0
    verbose_name_plural = "Default customer per country (before any other mapping)"
