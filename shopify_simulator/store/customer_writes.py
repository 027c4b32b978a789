"""customerCreate and customerUpdate as Shopify checks them: every field of the CustomerInput checked
first (nothing is written when anything is refused), then the changed fields a customer book keeps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from shopify_simulator.store.customer_book import CustomerBook
from shopify_simulator.store.customers import address_view, iso

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
NAME_MAX, NOTE_MAX = 255, 5000
NO_IDENTITY = "Customer must have a name, phone number or email address"


@dataclass(frozen=True)
class Refusal:
    field: list[str] | None      # None: the customer as a whole (Shopify's "base")
    message: str


def e164(profile, phone: str) -> str | None:
    """`phone` in E.164 (as Shopify keeps it), read in the shop's country when it has no +; None when
    it is no phone number."""
    digits = _PHONE_PUNCTUATION.sub("", phone.strip())
    if not digits.startswith("+"):
        calling_code = profile.phone_prefix.split()[0].lstrip("+")
        digits = "+" + calling_code + digits.removeprefix("0")
    number = digits[1:]
    return digits if number.isdigit() and 8 <= len(number) <= 15 else None


def customer_fields(book: CustomerBook, given: dict, *, number: int | None, now: datetime,
                    ) -> tuple[dict, list[Refusal]]:
    """The fields a CustomerInput sets on customer `number` (None: a new one), only those that
    differ from what it has, and what Shopify refuses in it."""
    profile = book.profile
    current = book.view(number) if number is not None else {}
    fields, refusals = {}, []

    for name, label in (("firstName", "First name"), ("lastName", "Last name")):
        if name in given:
            value = (given[name] or "").strip() or None
            if value and len(value) > NAME_MAX:
                refusals.append(Refusal([name], f"{label} is too long (maximum is {NAME_MAX} characters)"))
            fields[name] = value
    if "note" in given:
        if given["note"] and len(given["note"]) > NOTE_MAX:
            refusals.append(Refusal(["note"], f"Note is too long (maximum is {NOTE_MAX} characters)"))
        fields["note"] = given["note"]
    if "email" in given:
        email = (given["email"] or "").strip() or None
        if email and not _EMAIL.match(email):
            refusals.append(Refusal(["email"], "Email is invalid"))
        elif email and _taken(book, number, email=email):
            refusals.append(Refusal(["email"], "Email has already been taken"))
        fields["email"] = email
    if "phone" in given:
        phone = (given["phone"] or "").strip() or None
        normalized = e164(profile, phone) if phone else None
        if phone and normalized is None:
            refusals.append(Refusal(["phone"], "Phone is invalid"))
        elif normalized and _taken(book, number, phone=normalized):
            refusals.append(Refusal(["phone"], "Phone has already been taken"))
        fields["phone"] = normalized
    if given.get("tags") is not None:
        fields["tags"] = customer_tags(given["tags"])
    if given.get("taxExempt") is not None:
        fields["taxExempt"] = bool(given["taxExempt"])
    if given.get("taxExemptions") is not None:
        fields["taxExemptions"] = list(dict.fromkeys(given["taxExemptions"]))
    if given.get("locale"):
        fields["locale"] = given["locale"]
    refusals += _consent_refusals(given, fields, is_new=number is None)
    if not refusals:
        fields.update(_consents(given, now))
    if given.get("addresses") is not None:
        # The addresses given replace the customer's (2025-01's MailingAddressInput has no id to pick one by).
        owner = number if number is not None else book.next_number()
        first = fields.get("firstName", current.get("firstName"))
        last = fields.get("lastName", current.get("lastName"))
        fields["addresses"] = [address_view(profile, entry, first_name=first, last_name=last,
                                            gid=f"gid://shopify/MailingAddress/{owner * 100 + position + 1}"
                                                "?model_name=CustomerAddress")
                               for position, entry in enumerate(given["addresses"])]
    # Metafields are accepted and not kept (the simulator serves no customer metafields).

    after = {**current, **fields}
    is_contact_refused = any(r.field in (["email"], ["phone"]) for r in refusals)
    if not is_contact_refused and not any(after.get(name) for name in ("firstName", "lastName", "email", "phone")):
        refusals.append(Refusal(None, NO_IDENTITY))
    return {name: value for name, value in fields.items() if current.get(name) != value}, refusals


def customer_tags(given: list[str]) -> list[str]:
    """Tags as Shopify keeps them: each entry may hold several, comma-separated; trimmed, once each,
    sorted."""
    tags = {}
    for entry in given:
        for tag in entry.split(","):
            if tag.strip():
                tags.setdefault(tag.strip().lower(), tag.strip())
    return sorted(tags.values(), key=str.lower)


def _taken(book: CustomerBook, number: int | None, *, email: str | None = None, phone: str | None = None) -> bool:
    for other in book.numbers():
        if other == number:
            continue
        their_email, their_phone = book.contact(other)
        if email and their_email and their_email.lower() == email.lower():
            return True
        if phone and their_phone and e164(book.profile, their_phone) == phone:
            return True
    return False


def _consent_refusals(given: dict, fields: dict, *, is_new: bool) -> list[Refusal]:
    refusals = []
    for name, contact, mutation, required in (
            ("emailMarketingConsent", "email", "customerEmailMarketingConsentUpdate",
             "An email address is required to set the email marketing consent state."),
            ("smsMarketingConsent", "phone", "customerSmsMarketingConsentUpdate",
             "A phone number is required to set the SMS consent state.")):
        if given.get(name) is None:
            continue
        if not is_new:
            refusals.append(Refusal([name], f"To update {name}, please use the {mutation} Mutation instead"))
        elif not fields.get(contact):
            refusals.append(Refusal([name], required))
    return refusals


def _consents(given: dict, now: datetime) -> dict:
    """Consent given on creation; its date is now unless the input says when."""
    consents = {}
    for name in ("emailMarketingConsent", "smsMarketingConsent"):
        consent = given.get(name)
        if consent is None:
            continue
        stated = consent.get("consentUpdatedAt")
        consents[name] = {"marketingState": consent["marketingState"],
                          "marketingOptInLevel": consent.get("marketingOptInLevel") or "SINGLE_OPT_IN",
                          "consentUpdatedAt": _moment(stated) if stated else iso(now)}
        if name == "smsMarketingConsent":
            consents[name]["consentCollectedFrom"] = "OTHER"
    return consents


def _moment(value) -> str:
    if isinstance(value, datetime):
        return iso(value)
    try:
        return iso(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return str(value)
