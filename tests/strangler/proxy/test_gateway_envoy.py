"""Gateway API HTTPRoute and Envoy RouteConfiguration: structure checked against schemas written from
the published fields (no PyPI validator ships the Gateway API CRDs or Envoy's protos as JSON Schema)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import yaml

from strangler.plan import make_plan
from strangler.proxy import envoy, gateway
from strangler.proxy.phases import ProxyOptions
from tests import plan_support

# From gateway.networking.k8s.io/v1 HTTPRoute (standard channel CRD): the fields we emit, with limits.
_PATH_VALUE = {"type": "string", "minLength": 1, "maxLength": 1024}
# CRD validation rules: Exact and PathPrefix values are absolute paths without "//", "/./", "/../", "#"
_ABSOLUTE = {
    "if": {"properties": {"type": {"enum": ["Exact", "PathPrefix"]}}},
    "then": {"properties": {"value": {"pattern": "^/", "not": {"pattern": "(//|/\\./|/\\.\\./|#|%2[fF])"}}}},
}
HTTPROUTE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "gateway.networking.k8s.io/v1"},
        "kind": {"const": "HTTPRoute"},
        "metadata": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 253}
            },
        },
        "spec": {
            "type": "object",
            "required": ["parentRefs", "rules"],
            "additionalProperties": False,
            "properties": {
                "parentRefs": {
                    "type": "array",
                    "maxItems": 32,
                    "items": {"type": "object", "required": ["name"]},
                },
                "rules": {
                    "type": "array",
                    "maxItems": 16,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "matches": {
                                "type": "array",
                                "maxItems": 64,
                                "items": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "properties": {
                                        "path": {
                                            "type": "object",
                                            "required": ["type", "value"],
                                            **_ABSOLUTE,
                                            "properties": {
                                                "type": {
                                                    "enum": ["Exact", "PathPrefix", "RegularExpression"]
                                                },
                                                "value": _PATH_VALUE,
                                            },
                                        }
                                    },
                                },
                            },
                            "backendRefs": {
                                "type": "array",
                                "maxItems": 16,
                                "items": {
                                    "type": "object",
                                    "required": ["name", "port"],
                                    "properties": {
                                        "name": {"type": "string", "minLength": 1, "maxLength": 253},
                                        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                                        "weight": {"type": "integer", "minimum": 0, "maximum": 1000000},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

ENVOY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "virtual_hosts"],
    "properties": {
        "virtual_hosts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "domains", "routes"],
                "properties": {
                    "routes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["match"],
                            # Envoy's action is a oneof: forward, or answer directly
                            "oneOf": [{"required": ["route"]}, {"required": ["direct_response"]}],
                            "properties": {
                                "match": {
                                    "type": "object",
                                    "minProperties": 1,
                                    "maxProperties": 1,
                                    "properties": {
                                        "path": {"type": "string", "pattern": "^/"},
                                        "prefix": {"type": "string", "pattern": "^/"},
                                        "safe_regex": {"type": "object", "required": ["regex"]},
                                    },
                                    "additionalProperties": False,
                                },
                                "direct_response": {
                                    "type": "object",
                                    "required": ["status"],
                                    "properties": {"status": {"type": "integer"}},
                                },
                                "route": {
                                    "type": "object",
                                    "oneOf": [
                                        {"required": ["cluster"]},
                                        {"required": ["weighted_clusters"]},
                                    ],
                                },
                            },
                        },
                    }
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def plan() -> Any:
    return make_plan(plan_support.codebase(), plan_support.decomposition())


def test_every_httproute_validates(plan: Any) -> None:
    files = gateway.render(plan, ProxyOptions())
    assert "gateway/phase-0.yaml" in files and "gateway/phase-2.canary-10.yaml" in files
    for text in files.values():
        for doc in yaml.safe_load_all(text):
            jsonschema.validate(doc, HTTPROUTE_SCHEMA)


def test_canary_backend_weights(plan: Any) -> None:
    docs = list(yaml.safe_load_all(gateway.render(plan, ProxyOptions())["gateway/phase-2.canary-10.yaml"]))
    catalog = next(d for d in docs if d["metadata"]["name"] == "strangler-svc-catalog")
    refs = catalog["spec"]["rules"][0]["backendRefs"]
    assert {(r["name"], r["weight"]) for r in refs} == {("svc-catalog", 10), ("monolith", 90)}
    monolith = next(d for d in docs if d["metadata"]["name"] == "strangler-monolith")
    assert {"type": "PathPrefix", "value": "/"} in [
        m["path"] for r in monolith["spec"]["rules"] for m in r["matches"]
    ]


def test_gateway_splits_above_api_limits() -> None:
    from strangler.proxy.matches import Match, RouteTable
    from strangler.proxy.phases import Phase

    matches = tuple(Match("exact", f"/r{i}", "svc", ()) for i in range(64 * 16 + 1))
    phase = Phase(1, ("svc",), RouteTable(matches, (), ()))
    docs = gateway.documents(None, phase, ProxyOptions())
    names = [d["metadata"]["name"] for d in docs]
    assert names == [
        "strangler-internal-denied",
        "strangler-monolith",
        "strangler-svc-svc--1",
        "strangler-svc-svc--2",
    ]
    for doc in docs:
        jsonschema.validate(doc, HTTPROUTE_SCHEMA)


def test_envoy_route_configs_validate_and_end_with_the_monolith(plan: Any) -> None:
    files = envoy.render(plan, ProxyOptions())
    for text in files.values():
        doc = yaml.safe_load(text)
        jsonschema.validate(doc, ENVOY_SCHEMA)
        routes = doc["virtual_hosts"][0]["routes"]
        assert routes[-1] == {
            "name": "strangler-monolith-default",
            "match": {"prefix": "/"},
            "route": {"cluster": "strangler_monolith"},
        }
        # first: the internal API is answered by Envoy itself, never forwarded
        assert routes[0] == {
            "name": "strangler-internal-denied",
            "match": {"prefix": "/_strangler/"},
            "direct_response": {"status": 404},
        }
    phase4 = yaml.safe_load(files["envoy/phase-4.yaml"])["virtual_hosts"][0]["routes"]
    kinds = [next(iter(r["match"])) for r in phase4[1:-1]]
    # first match wins in Envoy: exact paths, then prefixes, then regexes
    assert kinds == sorted(kinds, key=["path", "prefix", "safe_regex"].index)
    canary = yaml.safe_load(files["envoy/phase-2.canary-50.yaml"])["virtual_hosts"][0]["routes"][1]
    assert canary["route"]["weighted_clusters"]["clusters"] == [
        {"name": "strangler_svc_catalog", "weight": 50},
        {"name": "strangler_monolith", "weight": 50},
    ]


def test_every_gateway_phase_refuses_the_internal_api(plan: Any) -> None:
    """A rule without backendRefs: the Gateway forwards nothing under /_strangler (it answers 5xx);
    Exact matches as well as the PathPrefix, so no Exact match elsewhere can win over it."""
    for name, text in gateway.render(plan, ProxyOptions()).items():
        docs = list(yaml.safe_load_all(text))
        denied = [d for d in docs if d["metadata"]["name"] == "strangler-internal-denied"]
        assert len(denied) == 1, name
        (rule,) = denied[0]["spec"]["rules"]
        assert rule == {
            "matches": [
                {"path": {"type": "PathPrefix", "value": "/_strangler"}},
                {"path": {"type": "Exact", "value": "/_strangler"}},
                {"path": {"type": "Exact", "value": "/_strangler/"}},
            ]
        }
