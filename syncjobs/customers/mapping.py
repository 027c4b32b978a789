"""Which ledger customer a Shopify customer is, after Business Central's rules, in batches:

1. the default customer of the customer's country (the shop card's table), if there is one;
2. with customer import "none" or mapping "always the default customer": the shop's default customer;
3. by email or phone, or by bill-to name and address: the one ledger customer with exactly the same
   (lower-cased email, E.164 phone; name and address ignoring case). Several: not mapped, and why;
4. not found: created from the Shopify customer when auto-create is on (and import is not "none"),
   else the shop's default customer, else not mapped, and why.

Only exact equality counts: Shopify's own search tokenises emails and phones, which is how Business
Central mapped customers to the wrong customer (microsoft/BCApps#6459).
"""
from __future__ import annotations

from dataclasses import dataclass

from connectors.ledger.records import BillTo, CustomerData
from core.contacts import e164_phone, normalized_email
from merchants.models import CustomerImport, CustomerMapping
from syncjobs.customers.models import CountryDefaultCustomer, Direction, MappedBy


@dataclass(frozen=True)
class ShopifyParty:
    """What mapping reads of a Shopify customer (connectors.shopify's ShopifyCustomer, or an order's
    buyer)."""
    gid: str
    name: str
    email: str           # lower-cased
    phone: str           # E.164
    address: str = ""
    address_2: str = ""
    city: str = ""
    post_code: str = ""
    county: str = ""
    country: str = ""
    tax_exempt: bool = False

    def as_customer(self, *, tax_liable: bool) -> CustomerData:
        return CustomerData(name=self.name[:100] or self.email or self.phone or self.gid, email=self.email,
                            phone=self.phone, address=self.address[:100], address_2=self.address_2[:100],
                            city=self.city[:50], post_code=self.post_code[:20], county=self.county[:50],
                            country=self.country, tax_liable=tax_liable and not self.tax_exempt)


@dataclass(frozen=True)
class Mapping:
    """The ledger customer a Shopify customer maps to ("" when it does not), how, or why not."""
    customer_no: str
    mapped_by: str = ""
    direction: str = Direction.NONE
    reason: str = ""


def map_parties(merchant, parties: list[ShopifyParty], *, target) -> dict[str, Mapping]:
    """The mapping of each party, by GID; creates the customers auto-create allows, in one batch."""
    countries = dict(CountryDefaultCustomer.objects.filter(merchant=merchant).values_list("country", "customer_no"))
    default = merchant.default_customer_no
    result: dict[str, Mapping] = {}
    to_match = []
    for party in parties:
        if party.country and party.country in countries:
            result[party.gid] = Mapping(countries[party.country], MappedBy.COUNTRY_DEFAULT)
        elif merchant.customer_import == CustomerImport.NONE or \
                merchant.customer_mapping == CustomerMapping.DEFAULT_CUSTOMER:
            result[party.gid] = _default(default, "the shop card maps every customer to the default customer")
        else:
            to_match.append(party)
    found = _matched(merchant, to_match, target=target)
    result.update({gid: mapping for gid, mapping in found.items() if mapping.customer_no or mapping.reason})
    unknown = [p for p in to_match if p.gid not in result]
    if unknown and merchant.auto_create_unknown_customers and merchant.customer_import != CustomerImport.NONE:
        tax_liable = _template_tax_liable(merchant, target)
        created = target.create_customers(merchant, [p.as_customer(tax_liable=tax_liable) for p in unknown])
        result.update({p.gid: Mapping(c.number, MappedBy.CREATED, Direction.FROM_SHOPIFY)
                       for p, c in zip(unknown, created)})
    else:
        same = "bill-to name and address" if merchant.customer_mapping == CustomerMapping.BY_BILL_TO \
            else "email or phone"
        why = (f"no ledger customer has the same {same}; auto-create unknown customers is off and no default "
               "customer is set on the shop card")
        result.update({p.gid: _default(default, why) for p in unknown})
    return result


def _default(default: str, why: str) -> Mapping:
    return Mapping(default, MappedBy.DEFAULT_CUSTOMER) if default else Mapping("", reason=why)


def _matched(merchant, parties: list[ShopifyParty], *, target) -> dict[str, Mapping]:
    """Parties that match one ledger customer exactly (or several: a reason), by the card's mapping."""
    if not parties:
        return {}
    result = {}
    if merchant.customer_mapping == CustomerMapping.BY_BILL_TO:
        bill_tos = {p.gid: BillTo(p.name, p.address, p.post_code, p.city, p.country) for p in parties}
        candidates = target.find_customers_billed_to(merchant, list(bill_tos.values()))
        for party in parties:
            same = [c.number for c in candidates if BillTo.of(c).key() == bill_tos[party.gid].key()]
            result[party.gid] = _one(same, MappedBy.BILL_TO, "bill-to name and address")
        return result
    candidates = target.find_customers(merchant, emails=[p.email for p in parties],
                                       phones=[p.phone for p in parties])
    by_email, by_phone = {}, {}
    for customer in candidates:
        by_email.setdefault(normalized_email(customer.email), []).append(customer.number)
        by_phone.setdefault(e164_phone(customer.phone, customer.country), []).append(customer.number)
    for party in parties:
        if party.email and party.email in by_email:
            result[party.gid] = _one(by_email[party.email], MappedBy.EMAIL, "email")
        elif party.phone and party.phone in by_phone:
            result[party.gid] = _one(by_phone[party.phone], MappedBy.PHONE, "phone")
    return result


def _one(numbers: list[str], how: str, what: str) -> Mapping:
    if not numbers:
        return Mapping("")
    if len(numbers) > 1:
        return Mapping("", reason=f"ledger customers {', '.join(numbers[:5])} have the same {what}; map it by hand")
    return Mapping(numbers[0], how)


def _template_tax_liable(merchant, target) -> bool:
    if not merchant.customer_template_no:
        return True
    template = target.get_customers(merchant, [merchant.customer_template_no]).get(merchant.customer_template_no)
    return template.tax_liable if template else True
