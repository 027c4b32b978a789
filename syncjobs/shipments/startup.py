"""What the shipments domain tells the registries below it once every app is loaded."""
from __future__ import annotations

import syncjobs.shipments.listeners  # noqa: F401  (rows for posted shipments; cancelled fulfillments)
from syncjobs.shipments import tiles


def register() -> None:
    tiles.register()
