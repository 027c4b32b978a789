"""Countries as the books and Shopify name them: ISO 3166-1 alpha-2 codes ("FR"), typed in forms.

No package the product installs lists them (the phone numbers' calling codes in core.contacts also
hold codes that are no country, such as AC and TA, and lack the uninhabited ones), so the list is
here: the 249 officially assigned codes, and XK, which Shopify, the EU and banks use for Kosovo.
"""
from __future__ import annotations

from django import forms

COUNTRY_CODES: frozenset[str] = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
VG VI VN VU WF WS YE YT ZA ZM ZW
XK
""".split())


def is_country_code(code: str) -> bool:
    return code in COUNTRY_CODES


class CountryCodeField(forms.CharField):
    """A country typed as its two-letter code, upper-cased ("fr" is FR). Anything else, a name or a
    three-letter code, is a form error saying what to type: the input has no length limit, so the
    browser never cuts "France" to "FR" or "ZZZ" to "ZZ" unseen."""

    def __init__(self, **kwargs) -> None:
        kwargs.pop("max_length", None)
        kwargs.setdefault("help_text", "The two-letter ISO 3166 code, e.g. FR for France, GB for the United Kingdom.")
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(
                "“%(value)s” is not a country code: type the two-letter ISO 3166 code, e.g. FR for France.",
                code="country_code", params={"value": value.strip()})
        return code
