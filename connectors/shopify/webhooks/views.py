"""POST /webhooks/shopify/: one URL for every shop and topic; the shop is found by its domain."""
from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from connectors.shopify.webhooks.receiving import WebhookRejected, receive

logger = logging.getLogger(__name__)


@csrf_exempt  # Shopify signs the body instead
@require_POST
def shopify_webhook(request: HttpRequest) -> HttpResponse:
    try:
        # The raw stream, not request.body: the size is checked before anything is read.
        receipt = receive(meta=request.META, read_body=request.read)
    except WebhookRejected as exc:
        logger.warning("webhook refused (%s): %s", exc.status, exc)
        return HttpResponse(_answer(exc.status), status=exc.status, content_type="text/plain")
    return HttpResponse("duplicate\n" if receipt.duplicate else "ok\n", content_type="text/plain")


def _answer(status: int) -> str:
    # Terse on purpose: a caller without the key learns nothing about which shops exist.
    return {401: "the webhook could not be verified\n", 411: "length required\n",
            413: "the body is too large\n"}.get(status, "bad request\n")
