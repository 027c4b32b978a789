"""Posting credit memos and return orders in the built-in ledger (issue 26: refunds become credit
memos): the mirror image of an invoice, the customer credited, restocked goods back in stock, an
exchange's goods out; a credit memo that cannot post writes nothing; nothing posts twice."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from connectors.ledger.models import (
    AccountMapping,
    CustomerLedgerEntry,
    ItemLedgerEntry,
    JournalEntry,
    JournalLine,
    NumberSeries,
    PostedSalesCreditMemo,
    PostedSalesCreditMemoLine,
    SalesDocument,
    SalesLine,
)
from connectors.ledger.records import DocumentRef, DocumentType, LineType, PostingResult, SalesLineData, TaxShare
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import VAT, documents_shop, gid, vat_order
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db

TABLES = (SalesDocument, SalesLine, PostedSalesCreditMemo, PostedSalesCreditMemoLine, JournalEntry, JournalLine,
          CustomerLedgerEntry, ItemLedgerEntry)

RESTOCKED = SalesLineData(LineType.ITEM, "I00001", "Teapot", D("1"), D("60.00"), taxes=(TaxShare(VAT, D("0.2"),
                                                                                                D("10.00")),))
SHIPPING_REFUNDED = SalesLineData(LineType.ACCOUNT, "", "Shipping refunded", D("1"), D("6.00"),
                                  taxes=(TaxShare(VAT, D("0.2"), D("1.00")),), money_kind="refunds")
NOT_RESTOCKED = SalesLineData(LineType.ACCOUNT, "", "Teapot (not restocked)", D("1"), D("60.00"),
                              taxes=(TaxShare(VAT, D("0.2"), D("10.00")),), money_kind="non_restock")
EXCHANGED = SalesLineData(LineType.ITEM, "I00001", "Teapot, blue (exchange)", D("-1"), D("72.00"), variant_code="BLUE",
                          taxes=(TaxShare(VAT, D("0.2"), D("-12.00")),))


def credit_memo(*lines, **changes):
    """A refund of order #1001 as a credit memo: 1 teapot back on the shelf and shipping refunded,
    66.00 incl. VAT 11.00, unless other lines are given."""
    return vat_order(**{"type": DocumentType.CREDIT_MEMO, "lines": lines or (RESTOCKED, SHIPPING_REFUNDED),
                        **changes})


def make(merchant, *drafts):
    outcomes = target_for(merchant).create_sales_documents(merchant, list(drafts))
    assert [o.error for o in outcomes] == [""] * len(drafts)
    return [o.document.number for o in outcomes]


def post(merchant, type, *numbers, **options):
    return target_for(merchant).post_sales_documents(merchant, type, list(numbers), **options)


def journal(merchant) -> list[tuple[str, str, str]]:
    return [(line.account.code, f"{line.debit}", f"{line.credit}") for line in
            JournalLine.objects.filter(journal__merchant=merchant).select_related("account").order_by("pk")]


def stock_moves(merchant) -> list[tuple]:
    return list(ItemLedgerEntry.objects.filter(merchant=merchant).order_by("pk").values_list(
        "item__number", "variant_code", "quantity", "location__code", "entry_type", "document_no"))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_a_credit_memo_credits_the_customer_debits_refunds_and_tax_and_restocks_its_goods():
    # given the refund of 1 teapot (60.00 incl. VAT 10.00) and shipping (6.00 incl. VAT 1.00)
    merchant = documents_shop()
    make(merchant, credit_memo())
    # when
    results = post(merchant, DocumentType.CREDIT_MEMO, "SCM00001", posting_date=date(2025, 3, 20))
    # then Cr receivables 66.00; Dr refunds 50.00 + 5.00 (one account, summed); Dr VAT 10.00 + 1.00
    [result] = results
    assert result == PostingResult("credit_memo", "SCM00001", credit_memo_no="PSCM00001",
                                   journal_no=str(JournalEntry.objects.get().pk))
    assert journal(merchant) == [("1100", "0.00", "66.00"), ("4020", "55.00", "0.00"), ("2400", "11.00", "0.00")]
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.description, entry.source_reference, entry.posting_date) == (
        "sales_credit_memo", "Sales credit memo PSCM00001 (order #1001)", "credit_memo:PSCM00001", date(2025, 3, 20))
    assert stock_moves(merchant) == [("I00001", "", D("1"), "MAIN", "sale", "PSCM00001")]
    assert list(CustomerLedgerEntry.objects.values_list("customer__number", "document_type", "document_no", "amount",
                                                        "remaining_amount", "open", "shopify_order_no")) == [
        ("C00001", "credit_memo", "PSCM00001", D("-66.00"), D("-66.00"), True, "#1001")]
    memo = PostedSalesCreditMemo.objects.get()
    assert (memo.number, memo.source_type, memo.source_no, memo.shopify_order_no, memo.shopify_order_id,
            memo.amount, memo.amount_including_tax, memo.journal, memo.location.code) == (
        "PSCM00001", "credit_memo", "SCM00001", "#1001", gid(1001), D("55.00"), D("66.00"), entry, "MAIN")
    assert list(memo.lines.values_list("line_no", "number", "quantity", "amount_including_tax")) == [
        (10000, "I00001", D("1"), D("60.00")), (20000, "4020", D("1"), D("6.00"))]
    assert not SalesDocument.objects.exists() and not SalesLine.objects.exists()


def test_a_return_order_posts_as_a_credit_memo_does():
    merchant = documents_shop()
    make(merchant, credit_memo(type=DocumentType.RETURN_ORDER))

    [result] = post(merchant, DocumentType.RETURN_ORDER, "SRO00001")

    assert (result.credit_memo_no, result.error) == ("PSCM00001", "")
    assert PostedSalesCreditMemo.objects.values_list("source_type", "source_no").get() == ("return_order", "SRO00001")
    assert journal(merchant) == [("1100", "0.00", "66.00"), ("4020", "55.00", "0.00"), ("2400", "11.00", "0.00")]
    assert stock_moves(merchant) == [("I00001", "", D("1"), "MAIN", "sale", "PSCM00001")]


def test_goods_not_restocked_go_to_their_account_and_move_no_stock_nor_do_services():
    # given a teapot refunded but not restocked (60.00 incl. VAT 10.00) and gift wrapping (a service) refunded
    merchant = documents_shop()
    wrapping = SalesLineData(LineType.ITEM, "S00001", "Gift wrapping", D("1"), D("2.00"))
    make(merchant, credit_memo(NOT_RESTOCKED, wrapping))
    # when
    post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")
    # then the teapot's 50.00 to the non-restock account, the wrapping's 2.00 to refunds
    assert SalesLine.objects.count() == 0
    assert journal(merchant) == [("1100", "0.00", "62.00"), ("4050", "50.00", "0.00"), ("2400", "10.00", "0.00"),
                                 ("4020", "2.00", "0.00")]
    assert stock_moves(merchant) == []
    assert PostedSalesCreditMemo.objects.get().lines.first().number == "4050"


def test_an_exchange_takes_its_goods_out_of_stock_and_credits_sales():
    # given a teapot back (60.00 incl. VAT 10.00) and a blue one taken instead (72.00 incl. VAT 12.00):
    # the customer owes 12.00 more
    merchant = documents_shop()
    make(merchant, credit_memo(RESTOCKED, EXCHANGED))
    # when
    post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")
    # then Dr receivables 12.00, Dr refunds 50.00, Cr VAT 12.00 − 10.00, Cr sales 60.00
    assert journal(merchant) == [("1100", "12.00", "0.00"), ("4020", "50.00", "0.00"), ("2400", "0.00", "2.00"),
                                 ("4000", "0.00", "60.00")]
    assert stock_moves(merchant) == [("I00001", "", D("1"), "MAIN", "sale", "PSCM00001"),
                                     ("I00001", "BLUE", D("-1"), "MAIN", "sale", "PSCM00001")]
    assert CustomerLedgerEntry.objects.values_list("amount", flat=True).get() == D("12.00")


def test_returned_goods_go_to_sales_when_refunds_has_no_mapping_and_need_one_of_them():
    # given a shop that maps no refunds, and one that maps neither refunds nor sales
    merchant = documents_shop(without=(("refunds", ""),))
    bare = documents_shop(without=(("refunds", ""), ("sales", "")))
    make(merchant, credit_memo(RESTOCKED))
    # when
    post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")
    [refused] = target_for(bare).create_sales_documents(bare, [credit_memo(RESTOCKED)])
    # then
    assert journal(merchant) == [("1100", "0.00", "60.00"), ("4000", "50.00", "0.00"), ("2400", "10.00", "0.00")]
    assert refused.error == ("no account is mapped for refunds; map it under Account mappings, or press Set up "
                             "accounts on the shop card")


def test_posting_a_credit_memo_twice_posts_it_once():
    merchant = documents_shop()
    make(merchant, credit_memo())

    first = post(merchant, DocumentType.CREDIT_MEMO, "SCM00001", "SCM00001")
    after_first = counts()
    again = post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")

    assert [r.credit_memo_no for r in first] == ["PSCM00001"]
    assert again == []
    assert counts() == after_first
    assert (after_first["PostedSalesCreditMemo"], after_first["JournalEntry"], after_first["ItemLedgerEntry"],
            after_first["CustomerLedgerEntry"]) == (1, 1, 1, 1)


def test_a_mapping_removed_since_the_credit_memo_was_made_stops_its_posting_and_writes_nothing():
    merchant = documents_shop()
    make(merchant, credit_memo())
    AccountMapping.objects.filter(merchant=merchant, kind__in=["refunds", "sales"]).delete()
    before = counts(), dict(NumberSeries.objects.values_list("code", "last_number"))

    [result] = post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")
    ship_only = post(merchant, DocumentType.CREDIT_MEMO, "SCM00001", invoice=False)

    assert result.error == ("sales credit memo SCM00001: no account is mapped for refunds; map it under Account "
                            "mappings, or press Set up accounts on the shop card")
    assert [r.error for r in ship_only] == [
        "sales credit memo SCM00001: it posts with Invoice, its goods going back into stock at the same time"]
    assert (counts(), dict(NumberSeries.objects.values_list("code", "last_number"))) == before


def test_the_documents_of_an_order_include_its_posted_credit_memos_and_their_pages_open(superuser, login):
    # given order #1001 posted, then a refund of it posted as a credit memo
    merchant = documents_shop()
    make(merchant, vat_order(), credit_memo())
    ledger = target_for(merchant)
    post(merchant, DocumentType.ORDER, "SO00001")
    post(merchant, DocumentType.CREDIT_MEMO, "SCM00001")
    memo = PostedSalesCreditMemo.objects.get()
    # when
    refs = ledger.documents_of_shopify_orders(merchant, [gid(1001)])
    opened = login(merchant_user(merchant)).get(ledger.document_url("posted_credit_memo", "PSCM00001"))
    client = login(superuser)
    page = client.get(reverse("admin:ledger_postedsalescreditmemo_change", args=[memo.pk])).content.decode()
    journal_page = client.get(reverse("admin:ledger_journalentry_change", args=[memo.journal_id])).content.decode()
    # then
    assert refs[gid(1001)][-2:] == [DocumentRef("posted_invoice", "PSI00001", gid(1001), source_no="SO00001"),
                                    DocumentRef("posted_credit_memo", "PSCM00001", gid(1001), source_no="SCM00001")]
    assert opened.url == reverse("admin:ledger_postedsalescreditmemo_change", args=[memo.pk])
    assert "#1001" in page and 'name="_save"' not in page
    assert reverse("admin:ledger_journalentry_change", args=[memo.journal_id]) in page
    assert "posted sales credit memo PSCM00001" in journal_page
