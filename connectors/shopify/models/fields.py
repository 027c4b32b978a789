"""Field settings the Shopify models share."""
MONEY = {"max_digits": 18, "decimal_places": 4, "default": 0}
# Amounts without tax (a discount's tax share is discount ÷ (1 + rate)) and shares of a refund's tax,
# kept unrounded: the daily journal rounds once per day and line, so its rounding line is only the
# residue of that (D2).
SPLIT = {"max_digits": 28, "decimal_places": 10, "default": 0}
RATE = {"max_digits": 9, "decimal_places": 6, "default": 0}
# An order's bill-to and ship-to addresses, as Shopify has them on the order (blank where it has none:
# no ship-to for gift cards or digital goods only). db_default: PostgreSQL adds the columns without
# rewriting the table.
ADDRESS = {"blank": True, "default": "", "db_default": ""}
