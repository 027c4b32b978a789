"""Email addresses and phone numbers in one comparable form, so two records match only when they
name the same mailbox or line: an email lower-cased and trimmed, a phone in E.164 (+33612345678).

Matching on anything looser is how Business Central's connector came to map customers to the wrong
customer (Shopify's search tokenises emails and phones: "ann@shop.com" also finds "ann@shop.co").
"""
from __future__ import annotations

import re

# Country calling codes, and whether a national number starts with a trunk 0 to drop.
CALLING_CODES = {
    "US": "1", "CA": "1", "GB": "44", "IE": "353", "FR": "33", "BE": "32", "NL": "31", "LU": "352", "DE": "49",
    "AT": "43", "CH": "41", "IT": "39", "ES": "34", "PT": "351", "DK": "45", "SE": "46", "NO": "47", "FI": "358",
    "PL": "48", "CZ": "420", "AU": "61", "NZ": "64", "JP": "81", "SG": "65", "HK": "852", "IN": "91",
    "ZA": "27", "BR": "55", "MX": "52",
}
_KEEPS_LEADING_ZERO = {"IT"}   # Italian landlines keep their 0 after +39
_MIN_DIGITS, _MAX_DIGITS = 8, 15


def normalized_email(text: str | None) -> str:
    """The address lower-cased and trimmed; "" for anything that is not an address."""
    value = (text or "").strip().lower()
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else ""


def e164_phone(text: str | None, country: str | None = None) -> str:
    """The number in E.164, reading a number without a country code as one of `country` (ISO code);
    "" when it cannot be a phone number."""
    raw = (text or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        full = digits
    elif raw.startswith("00"):
        full = digits[2:]
    else:
        code = CALLING_CODES.get((country or "").upper())
        if code is None:
            return ""
        if code == "1" and len(digits) == 11 and digits.startswith("1"):
            full = digits
        else:
            national = digits if (country or "").upper() in _KEEPS_LEADING_ZERO else digits.lstrip("0")
            full = code + national
    return f"+{full}" if _MIN_DIGITS <= len(full) <= _MAX_DIGITS else ""
