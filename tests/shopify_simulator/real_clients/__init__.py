"""Shopify's own client libraries talk to the simulator as they talk to Shopify: every resource's
read and write documents go through gql 4 (requests transport, the schema validating each request
locally) and ShopifyAPI 12 (`shopify.GraphQL` on an activated session). Each answer keeps the shape
its document asks for in the 2025-01 schema, says what a merchant would expect, and carries the cost
extension clients pace on. A resource's documents are one entry (a `Resource` of `clients.py`) in its
test module, which runs them. Writes make their own records first (`given`, through the same
client), named after the client and the write, so no run reads another's."""
