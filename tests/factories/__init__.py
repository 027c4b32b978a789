"""factory_boy factories, one module per app, and the row makers the admin-registry tests use."""
