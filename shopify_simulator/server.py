"""The simulator's HTTP server: Shopify's GraphQL endpoint, bulk result files and a control API.

    POST /admin/api/{version}/graphql.json    the shop is found by X-Shopify-Access-Token
    GET  /_simulator/bulk/{token}.jsonl       a bulk result (no token needed, like a signed URL)
    GET  /_simulator/shops                    shops with their domains and credentials
    ...  /_simulator/uploads/, /_simulator/files/   staged uploads and served images (file_store.py)
    ...  /_simulator/...                      control: faults, orders, clock, webhooks (control.py)
"""
from __future__ import annotations

import json
import logging
import re
import socket
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from datetime import time as dtime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import shopify_simulator.resources  # noqa: F401  (registers every resource with the API)
from shopify_simulator import (
    catalog_payloads,  # noqa: F401  (registers the catalog's webhook payloads)
    payloads,
)
from shopify_simulator.api.endpoint import Answer, answer_graphql, throttled
from shopify_simulator.bucket import PLANS
from shopify_simulator.clock import SimulatorClock
from shopify_simulator.control import handle_control
from shopify_simulator.faults import ANSWER_FAULTS
from shopify_simulator.file_store import MAX_FILE, FileStore
from shopify_simulator.schema import SCHEMA_VERSION
from shopify_simulator.shop import SimulatedShop
from shopify_simulator.store.catalog_generation import CatalogSize
from shopify_simulator.store.profiles import SHOP_PROFILES
from shopify_simulator.webhooks import WebhookSender

logger = logging.getLogger(__name__)
_GRAPHQL_PATH = re.compile(r"^/admin/api/(?P<version>[\w-]+)/graphql\.json$")
_BULK_PATH = re.compile(r"^/_simulator/bulk/(?P<token>[0-9a-f]{32})\.jsonl$")
MAX_BODY = 2 * 1024 * 1024
UNAUTHORIZED_BODY = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


def default_anchor() -> datetime:
    """Today, 00:00 UTC: the demo has a real, complete yesterday."""
    return datetime.combine(date.today(), dtime.min, tzinfo=timezone.utc)


class Simulator:
    """Every simulated shop, and the server answering for them."""

    def __init__(self, *, seed: int = 42, orders: int = 500, plan: str = "basic", anchor: datetime | None = None,
                 host: str = "127.0.0.1", port: int = 0, shops: int | None = None,
                 catalog: CatalogSize = CatalogSize(), locations: int = 0, customers: int = 0,
                 b2b_catalogs: int = 0) -> None:
        self.seed = seed
        self.clock = SimulatorClock(anchor or default_anchor())
        profiles = SHOP_PROFILES[: shops or len(SHOP_PROFILES)]
        self.shops = [SimulatedShop(profile=p, seed=seed, clock=self.clock, total_orders=orders,
                                    plan=PLANS[plan], catalog_size=catalog, location_count=locations,
                                    customer_count=customers, b2b_catalogs=b2b_catalogs)
                      for p in profiles]
        self.by_token = {shop.access_token: shop for shop in self.shops}
        self.by_domain = {shop.domain: shop for shop in self.shops}
        self.webhooks = WebhookSender(seed=seed)
        for shop in self.shops:
            shop.on_event = self.emit
        self._bulk_tmp = tempfile.TemporaryDirectory(prefix="shopify-simulator-bulk-")
        self.bulk_dir = Path(self._bulk_tmp.name)
        self.bulk_start_delay = 0.2
        self.httpd = _Server((host, port), _Handler)
        self.httpd.simulator = self
        for shop in self.shops:
            shop.base_url = self.base_url
        self.files = FileStore(self)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def graphql_url(self, version: str = SCHEMA_VERSION) -> str:
        return f"{self.base_url}/admin/api/{version}/graphql.json"

    # Life cycle
    def start(self) -> "Simulator":
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True, name="shopify-simulator")
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.webhooks.stop()
        self._bulk_tmp.cleanup()

    # Events
    def emit(self, shop: SimulatedShop, topic: str, subject) -> int:
        """Send a webhook for an event; `subject` is what the topic's payload is built from
        (payloads.payload_for): an order number, a bulk operation, a product, or None."""
        return self.webhooks.send(shop, topic, payloads.payload(shop, topic, subject), self.clock.now())

    def describe(self) -> list[dict]:
        return [
            {"domain": s.domain, "name": s.profile.name, "access_token": s.access_token,
             "api_secret_key": s.api_secret_key, "currency": s.profile.currency, "time_zone": s.profile.time_zone,
             "plan": s.plan.name, "orders": s.total_orders, "installed": s.settings.is_installed}
            for s in self.shops
        ]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    simulator: Simulator


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "ShopifySimulator/1"
    # Headers and body are two writes; with Nagle on, keep-alive clients wait 40 ms for each answer.
    disable_nagle_algorithm = True

    def log_message(self, format, *args) -> None:  # noqa: A002  (BaseHTTPRequestHandler's name)
        logger.debug("%s %s", self.address_string(), format % args)

    @property
    def simulator(self) -> Simulator:
        return self.server.simulator

    # Routing
    def do_GET(self) -> None:
        if self._read_body() is None:  # a body on a GET is read and ignored, keeping the connection sane
            return
        bulk = _BULK_PATH.match(self.path)
        if bulk:
            return self._send_file(self.simulator.bulk_dir / f"{bulk['token']}.jsonl")
        if self.path.startswith("/_simulator/files/"):
            served = self.simulator.files.served(self.path)
            if served is None:
                return self._send_json(404, {"errors": "Not Found"})
            return self._send_raw(200, *served)
        if self.path.startswith("/_simulator/"):
            return self._control("GET", b"")
        self._send_json(404, {"errors": "Not Found"})

    def do_PUT(self) -> None:
        body = self._read_body(limit=MAX_FILE)
        if body is None:
            return
        self._send_json(*self.simulator.files.receive(self.path, body, self.headers.get("Content-Type", "")))

    def do_DELETE(self) -> None:
        if self.path.startswith("/_simulator/"):
            return self._control("DELETE", self._read_body() or b"")
        self._send_json(404, {"errors": "Not Found"})

    def do_POST(self) -> None:
        uploading = self.path.startswith("/_simulator/uploads/")
        body = self._read_body(limit=MAX_FILE if uploading else MAX_BODY)
        if body is None:
            return
        if uploading:
            return self._send_json(*self.simulator.files.receive(self.path, body,
                                                                 self.headers.get("Content-Type", "")))
        if self.path.startswith("/_simulator/"):
            return self._control("POST", body)
        match = _GRAPHQL_PATH.match(self.path.split("?", 1)[0])
        if not match:
            return self._send_json(404, {"errors": "Not Found"})
        shop = self.simulator.by_token.get(self.headers.get("X-Shopify-Access-Token", ""))
        if shop is None or not shop.settings.is_installed:
            return self._send_json(401, UNAUTHORIZED_BODY)
        shop.faults.note_request()
        fault = shop.faults.draw()
        if fault and self._suffer(shop, *fault):
            return
        try:
            answer = answer_graphql(self.simulator, shop, body)
        except Exception:  # noqa: BLE001  (a simulator bug must still look like Shopify, not a traceback)
            logger.exception("simulator failed to answer")
            answer = Answer(200, {"errors": [{"message": "Internal error. Looks like something went wrong on our "
                                                         "end.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]})
        data = answer.payload.get("data")
        if isinstance(data, dict) and isinstance(data.get("nodes"), list) and shop.faults.draw(ANSWER_FAULTS):
            data["nodes"] = [None] * len(data["nodes"])
        self._send_json(answer.status, answer.payload, answer.headers)

    # Faults
    def _suffer(self, shop: SimulatedShop, kind: str, rule) -> bool:
        """Apply an injected fault; True when the request is answered (or dropped) by it."""
        if kind == "unauthorized":
            self._send_json(401, UNAUTHORIZED_BODY)
        elif kind == "throttle":
            answer = throttled(shop, 50)
            self._send_json(answer.status, answer.payload, answer.headers)
        elif kind == "server_error":
            self._send_json(rule.status, {"errors": "Internal Server Error"})
        elif kind == "slow":
            time.sleep(rule.seconds)
            return False
        elif kind == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif kind == "malformed":
            self._send_raw(200, b'{"data": {"orders": {"nodes": [{"id": "gid://shopify/Or', "application/json")
        elif kind == "empty":
            self._send_json(200, {"data": {}})
        return True

    # I/O
    def _read_body(self, limit: int = MAX_BODY) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            self._send_json(413, {"errors": "Request body too large"})
            return None
        return self.rfile.read(length) if length else b""

    def _control(self, method: str, body: bytes) -> None:
        status, payload = handle_control(self.simulator, method, self.path, body)
        self._send_json(status, payload)

    def _send_json(self, status: int, payload, headers: dict | None = None) -> None:
        self._send_raw(status, json.dumps(payload, separators=(",", ":")).encode(), "application/json", headers)

    def _send_raw(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Shopify-API-Version", SCHEMA_VERSION)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_file(self, path: Path) -> None:
        if not path.exists():
            return self._send_json(404, {"errors": "Not Found"})
        size = path.stat().st_size
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/jsonl")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            with path.open("rb") as handle:
                while chunk := handle.read(64 * 1024):
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
