"""What every app of syncsite uses, importing none of them: tenancy scoping and the merchant-scoped
admin base, encryption and secret fields, paginators, and the registries that higher layers fill
at start-up (role-center tiles, shop-card actions, webhook-topic handlers)."""
