"""Shopify's states as a bookkeeper reads them: the enum values Shopify sends (schema 2025-01), with
labels. A value Shopify adds later is still stored and shown as it came."""
from django.db import models


class FinancialStatus(models.TextChoices):   # OrderDisplayFinancialStatus
    AUTHORIZED = "AUTHORIZED", "Authorized"
    EXPIRED = "EXPIRED", "Expired"
    PAID = "PAID", "Paid"
    PARTIALLY_PAID = "PARTIALLY_PAID", "Partially paid"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", "Partially refunded"
    PENDING = "PENDING", "Pending"
    REFUNDED = "REFUNDED", "Refunded"
    VOIDED = "VOIDED", "Voided"


class FulfillmentStatus(models.TextChoices):   # OrderDisplayFulfillmentStatus
    FULFILLED = "FULFILLED", "Fulfilled"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    ON_HOLD = "ON_HOLD", "On hold"
    OPEN = "OPEN", "Open"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED", "Partially fulfilled"
    PENDING_FULFILLMENT = "PENDING_FULFILLMENT", "Pending fulfillment"
    REQUEST_DECLINED = "REQUEST_DECLINED", "Request declined"
    RESTOCKED = "RESTOCKED", "Restocked"
    SCHEDULED = "SCHEDULED", "Scheduled"
    UNFULFILLED = "UNFULFILLED", "Unfulfilled"


class TransactionKind(models.TextChoices):   # OrderTransactionKind
    AUTHORIZATION = "AUTHORIZATION", "Authorization"
    CAPTURE = "CAPTURE", "Capture"
    CHANGE = "CHANGE", "Change"
    EMV_AUTHORIZATION = "EMV_AUTHORIZATION", "EMV authorization"
    REFUND = "REFUND", "Refund"
    SALE = "SALE", "Sale"
    SUGGESTED_REFUND = "SUGGESTED_REFUND", "Suggested refund"
    VOID = "VOID", "Void"


class TransactionStatus(models.TextChoices):   # OrderTransactionStatus
    AWAITING_RESPONSE = "AWAITING_RESPONSE", "Awaiting response"
    ERROR = "ERROR", "Error"
    FAILURE = "FAILURE", "Failure"
    PENDING = "PENDING", "Pending"
    SUCCESS = "SUCCESS", "Success"
    UNKNOWN = "UNKNOWN", "Unknown"


class PayoutStatus(models.TextChoices):   # ShopifyPaymentsPayoutStatus
    CANCELED = "CANCELED", "Canceled"
    FAILED = "FAILED", "Failed"
    IN_TRANSIT = "IN_TRANSIT", "In transit"
    PAID = "PAID", "Paid"
    SCHEDULED = "SCHEDULED", "Scheduled"
