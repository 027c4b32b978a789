"""What can go wrong talking to Shopify, in words a merchant can act on.

Every error says whether trying again may help (`retryable`); the client retries those itself and
raises the others at once.
"""
from __future__ import annotations


class ShopifyError(Exception):
    """Base of the Shopify connector's errors."""

    retryable = False


class ShopifyAuthError(ShopifyError):
    def __init__(self, status: int) -> None:
        message = ("the access token was rejected (401)" if status == 401
                   else "the access token is not allowed to do this; check the app's access scopes (403)")
        super().__init__(message)
        self.status = status


class ShopifyNotFound(ShopifyError):
    def __init__(self, url: str) -> None:
        super().__init__(f"Shopify answered 404 for {url}; check the shop domain, API base URL and API version")


class ShopifyRequestRejected(ShopifyError):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"Shopify rejected the request ({status}): {detail}")
        self.status = status


class ShopifyQueryError(ShopifyError):
    """Shopify refused the query itself (validation, a bad argument, access denied to a field)."""

    def __init__(self, messages: list[str], *, operation: str = "") -> None:
        where = f" in {operation}" if operation else ""
        super().__init__(f"Shopify refused the query{where}: {'; '.join(messages)}")
        self.messages = messages


class ShopifyQueryTooCostly(ShopifyQueryError):
    pass


class ShopifyUserErrors(ShopifyError):
    """A mutation ran and Shopify listed userErrors (bad input, not a failure to talk)."""

    def __init__(self, operation: str, user_errors: list[dict]) -> None:
        text = "; ".join(e.get("message", "") for e in user_errors)
        super().__init__(f"Shopify did not accept {operation}: {text}")
        self.user_errors = user_errors


class ShopifyTransientError(ShopifyError):
    retryable = True


class ShopifyThrottled(ShopifyTransientError):
    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"Shopify's rate limit was reached; retrying in {wait_seconds:.1f} s")
        self.wait_seconds = wait_seconds


class ShopifyServerError(ShopifyTransientError):
    def __init__(self, status: int) -> None:
        super().__init__(f"Shopify had a server error ({status})")
        self.status = status


class ShopifyTimeout(ShopifyTransientError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"Shopify did not answer within {seconds:g} s")


class ShopifyConnectionLost(ShopifyTransientError):
    def __init__(self) -> None:
        super().__init__("the connection to Shopify was lost")


class ShopifyUnreachable(ShopifyTransientError):
    def __init__(self, endpoint: str) -> None:
        super().__init__(f"could not connect to {endpoint}; check the shop domain or API base URL")


class ShopifyMalformedResponse(ShopifyTransientError):
    def __init__(self, status: int) -> None:
        super().__init__(f"Shopify's answer could not be read (HTTP {status}, not valid JSON)")


class ShopifyIncompleteAnswer(ShopifyTransientError):
    """HTTP 200 and JSON, but without what the query asked for (a connection missing, a null node):
    an answer that cannot be fully read is a failure to retry, never "no more data"."""

    def __init__(self, document_name: str, problem: str) -> None:
        super().__init__(f"Shopify's answer to {document_name} was incomplete: {problem}")


class ShopifyGaveUp(ShopifyError):
    """Retries ran out; the last transient error says why."""

    def __init__(self, attempts: int, last: ShopifyError) -> None:
        super().__init__(f"{last} (gave up after {attempts} attempts)")
        self.last = last


class BulkOperationFailed(ShopifyError):
    def __init__(self, status: str, error_code: str | None) -> None:
        detail = f" ({error_code.lower().replace('_', ' ')})" if error_code else ""
        super().__init__(f"Shopify's bulk export ended {status.lower()}{detail}")
        self.status, self.error_code = status, error_code
