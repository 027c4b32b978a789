"""The generated store of the Shopify simulator, deterministic from a seed (pure Python, no Django).

profiles.py       the four demo shops: currency, zone, taxes, fees, locations, catalog
random_source.py  splitmix64 draws keyed by (seed, shop, stream, order number)
timeline.py       creation times and event plans, without money (cheap, for a million orders)
records.py        what an order holds, each part with its time
money.py          exact Decimal money in shop and presentment currency
orders.py         OrderGenerator and GeneratedOrder; order_view.py renders view(now)
payouts.py        Shopify Payments payouts and balance transactions, one payout per local day
"""
