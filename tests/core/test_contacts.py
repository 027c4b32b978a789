"""Emails and phones in the one form customers are matched by: exact after normalisation, never a
token or digits that merely appear in another address or number."""
import pytest

from core.contacts import e164_phone, normalized_email


@pytest.mark.parametrize("given, expected", [
    ("Jo.Smith@Example.COM", "jo.smith@example.com"),
    ("  jo@example.com\n", "jo@example.com"),
    ("JO+orders@example.co.uk", "jo+orders@example.co.uk"),
    ("", ""),
    (None, ""),
    ("not an address", ""),
    ("@example.com", ""),
    ("jo@", ""),
    ("jo smith@example.com", ""),
])
def test_an_email_is_lower_cased_and_stripped_or_nothing(given, expected):
    assert normalized_email(given) == expected


def test_emails_that_share_a_token_stay_different():
    """Shopify's search finds jo@example.com.au for email:jo@example.com; the normal forms differ."""
    assert normalized_email("jo@example.com") != normalized_email("jo@example.com.au")


@pytest.mark.parametrize("given, country, expected", [
    ("+33 6 12 34 56 78", "FR", "+33612345678"),
    ("+33 6 12 34 56 78", "US", "+33612345678"),          # a + number ignores the shop's country
    ("06 12 34 56 78", "FR", "+33612345678"),             # national: the trunk 0 dropped
    ("06.12.34.56.78", "FR", "+33612345678"),
    ("0033 6 12 34 56 78", "FR", "+33612345678"),         # the international prefix
    ("+44 (0)20 7946 0000", "GB", "+442079460000"),       # the national 0 in brackets
    ("020 7946 0000", "GB", "+442079460000"),
    ("(212) 555-0100", "US", "+12125550100"),
    ("1-212-555-0100", "US", "+12125550100"),             # North America's trunk 1
    ("011 33 6 12 34 56 78", "US", "+33612345678"),       # dialled from North America
    ("212-555-0100 ext. 12", "US", "+12125550100"),       # an extension is no part of the number
    ("0412 345 678", "AU", "+61412345678"),
    ("0011 44 20 7946 0000", "AU", "+442079460000"),
    ("06 1234 5678", "IT", "+390612345678"),              # Italy keeps the leading 0
    ("8 916 123-45-67", "RU", "+79161234567"),
    ("+336123456", "FR", "+336123456"),
    ("06 12 34 56 78", "fr", "+33612345678"),
])
def test_a_phone_becomes_e164_read_in_the_shops_country_without_a_plus(given, country, expected):
    assert e164_phone(given, country) == expected


@pytest.mark.parametrize("given, country", [
    ("", "FR"),
    (None, "FR"),
    ("06 12 34 56 78", ""),          # national, and no country to read it in
    ("06 12 34 56 78", "ZZ"),
    ("1-800-FLOWERS", "US"),         # letters
    ("+33 6 12", "FR"),              # too short
    ("+33 6 12 34 56 78 90 12 34", "FR"),   # longer than E.164 allows
    ("+0 612345678", "FR"),          # no country code starts with 0
])
def test_what_is_no_phone_number_normalises_to_nothing(given, country):
    assert e164_phone(given, country) == ""


def test_a_number_that_contains_another_is_not_the_same_number():
    """Shopify's phone search matches on digits it contains; the normal forms stay apart."""
    assert e164_phone("+33 6 12 34 56 78", "FR") != e164_phone("+33 6 12 34 56 789", "FR")
