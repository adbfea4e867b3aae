#!/usr/bin/env python3
# Rerun, one document at a time:
#   python3 tests/Wms.Testing/Fixtures/make-structure.py /work/shared/reference/ewms-wms-v0-openapi.json > tests/Wms.Testing/Fixtures/ewms-wms-v0-structure.json
#   python3 tests/Wms.Testing/Fixtures/make-structure.py /work/shared/reference/ewms-wms-v1-openapi.json > tests/Wms.Testing/Fixtures/ewms-wms-v1-structure.json
"""Reduce a WMS OpenAPI document to the shape-only subset that V0Schema and V1Schema validate against.

The /v0 document is reduced as it is. The /v1 document is also tightened where it is looser than what the
upstream WMS actually serves, or than what TMS v1.2.4 needs to read; tighten_v1 lists each change and why.
"""
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


def resolve(doc, pointer):
    expect(pointer.startswith("#/"), f"a local reference, not {pointer}")
    node = doc
    for token in pointer[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def response(doc, node):
    # /v1 shares its error answers through components/responses; inlining them lets each status stand alone.
    if "$ref" in node:
        node = resolve(doc, node["$ref"])
    return json_body_schema(node.get("content")) if "content" in node else {}


def operation(doc, node):
    out = {}
    if node.get("parameters"):
        out["parameters"] = [parameter(p) for p in node["parameters"]]
    body = node.get("requestBody")
    if body is not None:
        out["requestBody"] = json_body_schema(body.get("content"))
    out["responses"] = {status: response(doc, resp) for status, resp in node.get("responses", {}).items()}
    return out


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def expect(condition, what):
    # The tightenings rewrite named places of the upstream document; a newer document must be looked at again.
    if not condition:
        raise SystemExit(f"the source document no longer looks as expected: {what}")


EMPTY_OBJECT = {"type": "object", "additionalProperties": False}
STRING = {"type": "string"}


def tighten_v1(structure):
    """Make the /v1 structure as strict as the upstream service and TMS v1.2.4 really are.

    1. Whole objects. The upstream object schemas require nothing, because finds may project fields away. Every
       answer that is not a find returns the stored document whole, so those answers point at Whole* variants
       that require every property: a /v1 object missing e.g. priority or condor_requirements is caught.
    2. pending-starter. Upstream allows any object (its first branch requires nothing and forbids nothing). It is
       now exactly {taskforce, task_directive, mqprofiles} or {}: whole objects, the taskforce in phase
       pending-starter with an integer n_workers (the TMS submits that many jobs).
    3. mqprofiles. Upstream items are bare objects and the list needs at least one. Each item is now the MQS's
       MQProfileObject with the four keys the TMS reads (mqid, auth_token, broker_type, broker_address) required
       and non-null: the MQS allows null before activation, and the TMS would write the text "None" into the
       pilot's environment. A task without queues has no profiles, which upstream also answers, so [] is allowed.
    4. pending-stopper. A non-empty answer is a whole taskforce in phase pending-stopper with an integer
       cluster_id: the TMS passes it to condor_rm.
    """
    schemas = structure["components"]["schemas"]
    paths = structure["paths"]
    tf_uuid = "{taskforce_uuid}"

    # Upstream's log entries require all six keys, but a find may project one key of them (phase_change_log.context),
    # as MongoDB does; so entries, like the objects, require nothing where a find may answer them.
    log_items = schemas["TaskforceObject"]["properties"]["phase_change_log"]["items"]
    expect(len(log_items.get("required", [])) == 6, "log entries require their six keys")
    log_items["required"] = []

    for name in ("WorkflowObject", "TaskDirectiveObject", "TaskforceObject"):
        expect(schemas[name].get("required") == [], f"{name} requires nothing")
        schemas["Whole" + name] = {**ref(name), "required": list(schemas[name]["properties"])}

    schemas["MQProfileObject"] = {
        "type": "object",
        "properties": {
            "mqid": STRING,
            "workflow_id": STRING,
            "timestamp": {"type": "number"},
            "alias": STRING,
            "is_public": {"type": "boolean"},
            "is_activated": {"type": "boolean"},
            "auth_token": STRING,
            "broker_type": STRING,
            "broker_address": STRING,
        },
        "required": ["mqid", "auth_token", "broker_type", "broker_address"],
        "additionalProperties": False,
    }

    def ok(path, method="get"):
        return paths[path][method]["responses"]["200"]

    def make_whole(node, name):
        expect(node == ref(name), f"a {name} answer at {node}")
        node["$ref"] = ref("Whole" + name)["$ref"]

    created = ok("/v1/workflows", "post")["properties"]
    make_whole(created["workflow"], "WorkflowObject")
    make_whole(created["task_directives"]["items"], "TaskDirectiveObject")
    make_whole(created["taskforces"]["items"], "TaskforceObject")
    make_whole(ok("/v1/workflows/{workflow_id}"), "WorkflowObject")
    make_whole(ok("/v1/task-directives/{task_id}"), "TaskDirectiveObject")
    make_whole(ok("/v1/task-directives/{task_id}/actions/add-workers", "post"), "TaskforceObject")
    make_whole(ok(f"/v1/taskforces/{tf_uuid}"), "TaskforceObject")

    starter = paths["/v1/tms/pending-starter/taskforces"]["get"]["responses"]
    expect(len(starter["200"].get("anyOf", [])) == 2, "pending-starter answers one of two shapes")
    starter["200"] = {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "taskforce": {
                        **ref("WholeTaskforceObject"),
                        "properties": {"n_workers": {"type": "integer"}, "phase": {"enum": ["pending-starter"]}},
                    },
                    "task_directive": ref("WholeTaskDirectiveObject"),
                    "mqprofiles": {"type": "array", "items": ref("MQProfileObject"), "minItems": 0},
                },
                "required": ["taskforce", "task_directive", "mqprofiles"],
                "additionalProperties": False,
            },
            EMPTY_OBJECT,
        ]
    }

    stopper = paths["/v1/tms/pending-stopper/taskforces"]["get"]["responses"]
    expect(stopper["200"] == {"anyOf": [ref("TaskforceObject"), EMPTY_OBJECT]}, "pending-stopper's two shapes")
    stopper["200"] = {
        "anyOf": [
            {
                **ref("WholeTaskforceObject"),
                "properties": {"cluster_id": {"type": "integer"}, "phase": {"enum": ["pending-stopper"]}},
            },
            EMPTY_OBJECT,
        ]
    }


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
                entry[method] = operation(doc, op)
        result["paths"][path] = entry
    if any(path.startswith("/v1/") for path in result["paths"]):
        tighten_v1(result)
    # V0Schema.Paths and V1Schema.Paths are read from here: every upstream path must stay.
    expect(list(result["paths"]) == list(doc.get("paths", {})), "every path is kept")
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
