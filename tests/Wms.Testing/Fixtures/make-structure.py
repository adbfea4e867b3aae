#!/usr/bin/env python3
# Rerun: python3 tests/Wms.Testing/Fixtures/make-structure.py /work/shared/reference/ewms-wms-v0-openapi.json > tests/Wms.Testing/Fixtures/ewms-wms-v0-structure.json
"""Reduce an OpenAPI document to the shape-only subset that V0Schema validates against."""
import json
import sys

# Schema keywords the C# validator understands; everything else (prose, examples) is dropped.
KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "pattern",
    "anyOf", "$ref", "minItems", "uniqueItems", "minProperties",
}
PARAMETER_KEYS = {"$ref", "name", "in", "required"}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def schema(node):
    # Walk keyword by keyword so that a property *named* "description" survives.
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in KEYWORDS:
            continue
        if key == "properties":
            out[key] = {name: schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = schema(value)
        elif key == "anyOf":
            out[key] = [schema(sub) for sub in value]
        else:
            out[key] = value
    return out


def parameter(node):
    out = {k: v for k, v in node.items() if k in PARAMETER_KEYS}
    if "schema" in node:
        out["schema"] = schema(node["schema"])
    return out


def json_body_schema(content):
    # A media type without a schema accepts any body: represent that as the empty schema.
    media = (content or {}).get("application/json")
    if media is None:
        return None
    return schema(media.get("schema", {}))


def operation(node):
    out = {}
    if node.get("parameters"):
        out["parameters"] = [parameter(p) for p in node["parameters"]]
    body = node.get("requestBody")
    if body is not None:
        out["requestBody"] = json_body_schema(body.get("content"))
    out["responses"] = {
        status: json_body_schema(resp.get("content")) if "content" in resp else {}
        for status, resp in node.get("responses", {}).items()
    }
    return out


def main(source):
    with open(source, encoding="utf-8") as handle:
        doc = json.load(handle)
    comps = doc.get("components", {})
    result = {
        "openapi": doc.get("openapi"),
        "components": {
            "parameters": {n: parameter(p) for n, p in comps.get("parameters", {}).items()},
            "schemas": {n: schema(s) for n, s in comps.get("schemas", {}).items()},
        },
        "paths": {},
    }
    for path, item in doc.get("paths", {}).items():
        entry = {}
        if item.get("parameters"):
            entry["parameters"] = [parameter(p) for p in item["parameters"]]
        for method, op in item.items():
            if method in METHODS:
                entry[method] = operation(op)
        result["paths"][path] = entry
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
