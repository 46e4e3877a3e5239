"""The OpenAPI schema is valid, and every operation answers as it says, whatever the parameters
(hypothesis draws values from each parameter's schema, and junk): never a 5xx, and every 200 and
every error conforms to the documented schema."""

import json
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3_in_json_and_yaml(client):
    import yaml

    spec = _schema(client)
    validate(spec)
    assert spec["openapi"].startswith("3.")
    yaml_spec = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert yaml_spec["paths"].keys() == spec["paths"].keys()


def test_every_field_and_parameter_is_described(client):
    spec = _schema(client)
    for name, component in spec["components"]["schemas"].items():
        for field, definition in component.get("properties", {}).items():
            described = definition.get("description") or any(
                part.get("description") for part in definition.get("allOf", [])
            )
            assert described, f"{name}.{field} has no description"
    for path, methods in spec["paths"].items():
        for parameter in methods["get"].get("parameters", []):
            assert parameter.get("description"), f"{path} {parameter['name']}"


def _value(parameter: dict):
    schema = parameter.get("schema", {})
    junk = st.one_of(st.text(max_size=12), st.just(""), st.just("-1"), st.just("9" * 30), st.just("\x00"))
    if schema.get("enum"):
        good = st.sampled_from(schema["enum"])
    elif schema.get("type") == "integer":
        good = st.integers(min_value=-5, max_value=3000).map(str)
    elif schema.get("type") == "number":
        good = st.floats(allow_nan=False, allow_infinity=False, width=32).map(str)
    elif schema.get("format") in ("date-time", "date"):
        good = st.datetimes().map(lambda d: d.isoformat() if schema["format"] == "date-time" else d.date().isoformat())
    else:
        good = st.text(max_size=20)
    return st.one_of(good, junk)


def _check(spec, client, path_template, operation, data):
    path = path_template
    query = {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path":
            path = path.replace("{" + name + "}", str(data["path"][name]))
        elif parameter["in"] == "query" and name in data["query"]:
            query[name] = data["query"][name]
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.content[:300])
    status = str(response.status_code)
    if status == "304":
        return
    documented = operation["responses"].get(status)
    assert documented, f"{path} answered undocumented {status}"
    content = documented.get("content", {}).get("application/json")
    if content:
        schema = {**content["schema"], "components": spec["components"]}
        OAS31Validator(schema).validate(response.json())


@pytest.fixture
def fuzz_world(world):
    OrganisationFactory.create_batch(3)
    return world


def test_every_operation_conforms_to_the_schema_and_never_fails(client, fuzz_world, settings):
    settings.RATELIMIT_ENABLE = False
    spec = _schema(client)
    real = {
        "slug": [fuzz_world.meeting.slug, fuzz_world.scouts.slug, fuzz_world.agreement.slug, "nope"],
        "agreement_slug": [fuzz_world.agreement.slug, "nope"],
        "id": [str(fuzz_world.sundsvall.pk), str(fuzz_world.sport.pk), "1", "999999"],
    }
    for path_template, methods in spec["paths"].items():
        operation = methods["get"]
        query_parameters = {p["name"]: _value(p) for p in operation.get("parameters", []) if p["in"] == "query"}
        path_parameters = {
            p["name"]: st.sampled_from(real.get(p["name"], ["x"]))
            for p in operation.get("parameters", [])
            if p["in"] == "path"
        }
        strategy = st.fixed_dictionaries(
            {
                "path": st.fixed_dictionaries(path_parameters),
                "query": st.fixed_dictionaries({}, optional=query_parameters),
            }
        )

        def make(path_template, operation, strategy):
            @hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(data=strategy)
            def run(data):
                _check(spec, client, path_template, operation, data)

            return run

        make(path_template, operation, strategy)()


def test_operation_ids_are_unique_and_readable(client):
    spec = _schema(client)
    ids = [methods["get"]["operationId"] for methods in spec["paths"].values()]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z_]+", i) for i in ids)
