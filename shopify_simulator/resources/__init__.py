"""One module per Shopify resource the simulator serves; importing this package registers them all
with the generic layer (shopify_simulator.api.registry). A new resource is a new module here."""
from __future__ import annotations

import importlib
import pkgutil

import shopify_simulator.api.nodes  # noqa: F401  (node and nodes, answered for every resource)


def resource_modules() -> list[str]:
    return sorted(f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__) if not info.ispkg)


for _module in resource_modules():
    importlib.import_module(_module)
