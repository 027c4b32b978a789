"""Each resource of the simulator is a module that registers what it answers with the generic layer."""
from shopify_simulator.api.registry import BULK_SOURCES, MUTATIONS, NODE_TYPES, QUERY_FIELDS
from shopify_simulator.resources import resource_modules
from shopify_simulator.schema import admin_schema


def test_every_resource_module_answers_something():
    registered = {function.__module__ for table in (QUERY_FIELDS, MUTATIONS, NODE_TYPES, BULK_SOURCES)
                  for function in table.values()}
    assert set(resource_modules()) <= registered


def test_what_is_registered_exists_in_shopifys_schema():
    schema = admin_schema()
    assert set(QUERY_FIELDS) <= set(schema.query_type.fields)
    assert set(MUTATIONS) <= set(schema.mutation_type.fields)
    assert set(BULK_SOURCES) <= set(QUERY_FIELDS)
    assert all(schema.get_type(name) is not None for name in NODE_TYPES)
