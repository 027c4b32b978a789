"""The one piece of code that sends HTTP to Shopify: GraphQL for one merchant.

It paces calls by the cost bucket Shopify reports, retries what may pass next time (THROTTLED,
429, 5xx, timeouts, dropped connections, unreadable answers) with capped exponential backoff and
jitter, and raises plain, typed errors for the rest. Every call is logged with its cost, retries
and duration; the access token never is.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import requests
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from connectors.shopify.documents import Document
from connectors.shopify.errors import (
    ShopifyAuthError,
    ShopifyConnectionLost,
    ShopifyGaveUp,
    ShopifyIncompleteAnswer,
    ShopifyMalformedResponse,
    ShopifyNotFound,
    ShopifyQueryError,
    ShopifyQueryTooCostly,
    ShopifyRequestRejected,
    ShopifyServerError,
    ShopifyThrottled,
    ShopifyTimeout,
    ShopifyTransientError,
    ShopifyUnreachable,
    ShopifyUserErrors,
)
from connectors.shopify.pacing import CostPacer
from core.secrets import Secret

logger = logging.getLogger(__name__)
USER_AGENT = "syncsite (+https://github.com/syncsite)"


@dataclass(frozen=True)
class ClientSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 6
    max_throttled: int = 50
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    bulk_poll_min: float = 1.0
    bulk_poll_max: float = 10.0

    @classmethod
    def from_settings(cls) -> "ClientSettings":
        return cls(**getattr(settings, "SHOPIFY_CLIENT", {}))

    @classmethod
    def interactive(cls) -> "ClientSettings":
        """For a call someone waits for at a page: two tries, short timeouts."""
        return cls(connect_timeout=3, read_timeout=10, max_attempts=2)


@dataclass
class CallStats:
    """What the calls of one client cost: for the run log and the benchmarks."""

    calls: int = 0
    retries: int = 0
    throttled: int = 0
    requested_cost: float = 0.0
    actual_cost: float = 0.0
    seconds: float = 0.0


@dataclass
class GraphQLResult:
    data: dict
    cost: dict = field(default_factory=dict)


class ShopifyClient:
    def __init__(self, *, base_url: str, access_token: Secret | str, api_version: str,
                 shop_label: str = "", client_settings: ClientSettings | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.endpoint = f"{base_url.rstrip('/')}/admin/api/{api_version}/graphql.json"
        self._token = access_token if isinstance(access_token, Secret) else Secret(access_token)
        self.shop_label = shop_label
        self.settings = client_settings or ClientSettings.from_settings()
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Content-Type": "application/json",
                                     "Accept": "application/json"})
        self.pacer = CostPacer()
        self.stats = CallStats()
        self._sleep = sleep
        self._random = random.Random()

    @classmethod
    def for_merchant(cls, merchant, **kwargs) -> "ShopifyClient":
        return cls(base_url=merchant.effective_api_base_url, access_token=merchant.access_token,
                   api_version=merchant.api_version, shop_label=merchant.code, **kwargs)

    def __repr__(self) -> str:
        return f"ShopifyClient({self.shop_label or self.endpoint})"

    # Calls ------------------------------------------------------------------------------------------
    def execute(self, document: Document, variables: dict | None = None, *,
                check: Callable[[dict], str | None] | None = None, idempotent: bool = True) -> GraphQLResult:
        """Run one GraphQL operation; retries what is transient, raises a ShopifyError otherwise.

        `check` reads the answer's data and names what is missing from it (None: it is whole); an
        incomplete answer is retried like any transient failure. A write that is not `idempotent` (a
        create) is not sent again after an answer that may have been lost: ShopifyGaveUp at once, and
        the caller finds out whether it was done before trying again. THROTTLED is always retried:
        Shopify did nothing."""
        attempts = throttled = 0
        started = time.monotonic()
        while True:
            delay = self.pacer.delay_before(document.name)
            if delay > 0:
                self._sleep(delay)
            try:
                result = self._call_once(document, variables)
                problem = check(result.data) if check is not None else None
                if problem:
                    raise ShopifyIncompleteAnswer(document.name, problem)
            except ShopifyThrottled as exc:
                throttled += 1
                self.stats.throttled += 1
                if throttled >= self.settings.max_throttled:
                    raise ShopifyGaveUp(attempts + throttled, exc) from exc
                self._log(document, "throttled", attempts + throttled, started, exc.wait_seconds)
                self._sleep(exc.wait_seconds)
                continue
            except ShopifyTransientError as exc:
                attempts += 1
                if attempts >= self.settings.max_attempts or not idempotent:
                    self._log(document, "gave up", attempts + throttled, started, 0)
                    raise ShopifyGaveUp(attempts, exc) from exc
                wait = self._backoff(attempts)
                self._log(document, str(exc), attempts + throttled, started, wait)
                self._sleep(wait)
                continue
            self.stats.retries += attempts + throttled
            cost = result.cost
            logger.info(
                "shopify %s shop=%s requested=%s actual=%s available=%s retries=%d ms=%d",
                document.name, self.shop_label, cost.get("requestedQueryCost"), cost.get("actualQueryCost"),
                (cost.get("throttleStatus") or {}).get("currentlyAvailable"), attempts + throttled,
                (time.monotonic() - started) * 1000,
            )
            return result

    def _host(self) -> str:
        return self.endpoint.split("/admin/", 1)[0]

    def pause(self, seconds: float) -> None:
        """Wait between calls (bulk polling); tests give the client a faster sleep."""
        self._sleep(seconds)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.settings.backoff_cap, self.settings.backoff_base * 2 ** (attempt - 1))
        return ceiling * (0.5 + self._random.random() / 2)  # jitter: spread retries of many workers

    def _log(self, document: Document, what: str, attempt: int, started: float, wait: float) -> None:
        logger.warning("shopify %s shop=%s attempt=%d: %s; waiting %.2f s (after %d ms)", document.name,
                       self.shop_label, attempt, what, wait, (time.monotonic() - started) * 1000)

    @sensitive_variables("headers")
    def _call_once(self, document: Document, variables: dict | None) -> GraphQLResult:
        headers = {"X-Shopify-Access-Token": self._token.reveal()}
        body = {"query": document.text, "variables": variables or {}, "operationName": document.name}
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        sent = time.monotonic()
        try:
            response = self.session.post(self.endpoint, json=body, headers=headers, timeout=timeout)
        except requests.ConnectTimeout:
            raise ShopifyUnreachable(self._host()) from None
        except requests.Timeout:
            raise ShopifyTimeout(self.settings.read_timeout) from None
        except requests.ConnectionError as exc:
            if "NewConnectionError" in repr(exc) or "NameResolutionError" in repr(exc):
                raise ShopifyUnreachable(self._host()) from None
            raise ShopifyConnectionLost() from None
        finally:
            self.stats.calls += 1
            self.stats.seconds += time.monotonic() - sent
        return self._read(document, response)

    def _read(self, document: Document, response: requests.Response) -> GraphQLResult:
        status = response.status_code
        if status in (401, 403):
            raise ShopifyAuthError(status)
        if status == 404:
            raise ShopifyNotFound(self.endpoint)
        if status == 429:
            raise ShopifyThrottled(_retry_after(response) or self.pacer.throttle_delay(
                self.pacer.requested_cost(document.name)))
        if status >= 500:
            raise ShopifyServerError(status)
        try:
            payload = response.json()
        except ValueError:
            raise ShopifyMalformedResponse(status) from None
        if status >= 400 or not isinstance(payload, dict):
            raise ShopifyRequestRejected(status, str(payload)[:200])
        cost = (payload.get("extensions") or {}).get("cost") or {}
        self.pacer.record(document.name, cost)
        self.stats.requested_cost += cost.get("requestedQueryCost") or 0
        self.stats.actual_cost += cost.get("actualQueryCost") or 0
        errors = payload.get("errors") or []
        if errors:
            codes = {((e.get("extensions") or {}).get("code") or "") for e in errors}
            if "THROTTLED" in codes:
                raise ShopifyThrottled(self.pacer.throttle_delay(cost.get("requestedQueryCost")))
            messages = [e.get("message", "") for e in errors]
            if "MAX_COST_EXCEEDED" in codes:
                raise ShopifyQueryTooCostly(messages, operation=document.name)
            if "INTERNAL_SERVER_ERROR" in codes:
                raise ShopifyServerError(status)
            raise ShopifyQueryError(messages, operation=document.name)
        if not isinstance(payload.get("data"), dict):
            raise ShopifyMalformedResponse(status)
        return GraphQLResult(payload["data"], cost)

    # Reading connections ----------------------------------------------------------------------------
    def pages(self, document: Document, variables: dict, path: tuple[str, ...]) -> Iterator[list[dict]]:
        """The nodes of a connection, a page at a time, following `pageInfo` to the end.

        `path` leads from `data` to the connection; the document takes an `$after` variable.
        """
        after = variables.get("after")
        while True:
            data = self.execute(document, {**variables, "after": after}, check=lambda d: page_problem(d, path)).data
            connection = _dig(data, path)
            yield connection["nodes"] if "nodes" in connection else [edge["node"] for edge in connection["edges"]]
            info = connection["pageInfo"]
            if not info["hasNextPage"]:
                return
            after = info["endCursor"]

    def mutate(self, document: Document, variables: dict, payload_field: str) -> dict:
        """Run a mutation and raise ShopifyUserErrors if Shopify listed any."""
        payload = self.execute(document, variables).data.get(payload_field) or {}
        if payload.get("userErrors"):
            raise ShopifyUserErrors(document.name, payload["userErrors"])
        return payload


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def page_problem(data: Any, path: tuple[str, ...]) -> str | None:
    """What keeps a page of connection `path` from being read whole, or None."""
    connection = _dig(data, path)
    where = ".".join(path)
    if not isinstance(connection, dict):
        return f"{where} is missing"
    items = connection.get("nodes", connection.get("edges"))
    if not isinstance(items, list):
        return f"{where} has no list of nodes"
    if any(not isinstance(item, dict) or ("node" in item and not isinstance(item["node"], dict)) for item in items):
        return f"{where} lists a null node"
    info = connection.get("pageInfo")
    if not isinstance(info, dict) or not isinstance(info.get("hasNextPage"), bool) or (
            info["hasNextPage"] and not info.get("endCursor")):
        return f"{where} has no usable pageInfo"
    return None


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
