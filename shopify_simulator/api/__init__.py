"""The generic layer of the simulator's Admin GraphQL API: the endpoint, costs, connections and cursors,
search syntax, node lookup by GID, bulk export and the registry each resource fills. It names no
resource; `shopify_simulator.resources` holds one module per resource."""
