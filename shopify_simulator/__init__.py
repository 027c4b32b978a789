"""A Shopify-compatible Admin GraphQL server for the demo and the tests (S4)."""
