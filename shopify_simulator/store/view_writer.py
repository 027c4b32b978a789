"""What every part of an order's view is written with: Shopify's time format, the order as a lazy
reference (for what points back up the tree), and the writer that keeps the view's currencies and
moment (money bags, tax lines, discount applications)."""
from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING

from shopify_simulator.store.lazy import Reference
from shopify_simulator.store.money import Money, money_bag, money_v2
from shopify_simulator.store.profiles import TaxRate

if TYPE_CHECKING:
    from shopify_simulator.store.orders import GeneratedOrder
    from shopify_simulator.store.records import DiscountApplication


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def order_reference(order: "GeneratedOrder") -> Reference:
    """The order as the shop shows it when asked (with any change made through the API since)."""
    return Reference(order.gid, lambda info: info.context.shop.orders.view(order.number, info.context.now))


class ViewWriter:
    """Builds the dicts of one view; keeps the currencies and the moment."""

    def __init__(self, order: "GeneratedOrder", now_s: int) -> None:
        self.order = order
        self.profile = order.profile
        self.now_s = now_s
        self.shop_currency = order.profile.currency
        self.presentment_currency = order.presentment_currency
        self.order_reference = order_reference(order)   # shared by the refunds and the fulfillments

    def bag(self, amount: Money) -> dict:
        return money_bag(amount, self.shop_currency, self.presentment_currency)

    def money(self, amount: Decimal) -> dict:
        return money_v2(amount, self.shop_currency)

    def tax_line(self, rate: TaxRate, amount: Money) -> dict:
        return {"title": rate.title, "rate": float(rate.rate), "ratePercentage": float(rate.rate * 100),
                "priceSet": self.bag(amount), "channelLiable": False, "source": "Shopify"}

    def application(self, application: "DiscountApplication") -> dict:
        if application.value_type == "percentage":
            value = {"__typename": "PricingPercentageValue", "percentage": float(application.value)}
        else:
            value = {"__typename": "MoneyV2", **self.money(application.value)}
        view = {
            "index": application.index, "allocationMethod": application.allocation_method,
            "targetSelection": application.target_selection, "targetType": application.target_type,
            "value": value,
        }
        if application.kind == "code":
            return {"__typename": "DiscountCodeApplication", "code": application.label, **view}
        if application.kind == "manual":
            return {"__typename": "ManualDiscountApplication", "title": application.label, "description": None,
                    **view}
        return {"__typename": "AutomaticDiscountApplication", "title": application.label, **view}
