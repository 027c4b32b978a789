"""What the company sync checks and shows on the shop card: the default company and the catalogs'
price list it names exist in the books; its B2B panel says how the shop's company locations map."""
from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCompanyLocation
from core.sentences import counted
from core.shop_card import ShopCardPanel, ShopCardRule, register_panel, register_rule
from merchants.models import CompanyMapping, CustomerImport
from syncjobs.companies.models import CompanyLink
from syncjobs.companies.selectors import company_link_counts

CHECKED = frozenset({"default_company_no", "catalog_price_list_code", "company_mapping", "company_import"})


def unknown_b2b_records(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    """{field: problem} for a default company or catalog price list the ledger does not hold."""
    if merchant.pk is None:
        return {}
    wanted = {name: (cleaned.get(name) or "").strip() for name in CHECKED & changed
              if name in ("default_company_no", "catalog_price_list_code")}
    target = target_for(merchant)
    problems = {}
    number = wanted.get("default_company_no")
    if number and number not in target.get_customers(merchant, [number]):
        problems["default_company_no"] = f"the ledger has no customer {number} to be the default company"
    if cleaned.get("company_mapping") == CompanyMapping.DEFAULT_COMPANY and \
            cleaned.get("company_import", CustomerImport.NONE) != CustomerImport.NONE and \
            not (cleaned.get("default_company_no") or "").strip():
        problems["default_company_no"] = ("company mapping 'always the default company' needs a default company: "
                                          "name the ledger customer every company location goes to")
    code = wanted.get("catalog_price_list_code")
    if code and code not in target.get_price_lists(merchant, [code]):
        problems["catalog_price_list_code"] = f"the ledger has no price list {code}"
    return problems


def companies_summary(merchant) -> str:
    """"12 company locations: 10 mapped, 2 unmapped (Company links)", and how many imported locations
    are not linked yet. Two queries."""
    link = f"{reverse('admin:company_sync_companylink_changelist')}?merchant={merchant.pk}"
    mapped, unmapped = company_link_counts(merchant)
    waiting = ShopifyCompanyLocation.objects.filter(merchant=merchant).exclude(Exists(CompanyLink.objects.filter(
        merchant=merchant, company_location_gid=OuterRef("shopify_gid")))).count()
    if not mapped and not unmapped and not waiting:
        why = "company import is none" if merchant.company_import == CustomerImport.NONE else \
            "Sync companies imports them"
        return format_html('no company location imported: {} (<a href="{}">Company links</a>)', why, link)
    parts = [f"{mapped} mapped", f"{unmapped} unmapped"]
    if waiting:
        parts.append(f"{waiting} not linked" + (" (no order yet)" if merchant.company_import ==
                                                 CustomerImport.WITH_ORDER_IMPORT else ""))
    return format_html('{}: {} (<a href="{}">Company links</a>)',
                       counted(mapped + unmapped + waiting, "company location"), ", ".join(parts), link)


def register() -> None:
    register_rule(ShopCardRule("b2b_records_exist", CHECKED, check=unknown_b2b_records))
    register_panel(ShopCardPanel("companies", companies_summary))
