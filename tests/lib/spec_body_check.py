#!/usr/bin/python3
# usage: spec_body_check.py OPENAPI.yaml METHOD PATH < DRY-RUN-OUTPUT
# Reads smile's --dry-run output (a curl command line), takes the JSON of its
# --data-binary argument and prints, one a line, every property of it that
# the operation's request body schema does not declare (as a dotted path).
# Prism accepts such properties when the schema does not forbid them, so a
# misspelt field name in a command table would pass it unseen.
import json
import shlex
import sys

import yaml


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def properties(spec, schema):
    """The declared properties of a schema, through allOf/oneOf/anyOf."""
    schema = resolve(spec, schema) or {}
    props = dict(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            props.update(properties(spec, sub))
    return props


def item_schema(spec, schema):
    schema = resolve(spec, schema) or {}
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found = item_schema(spec, sub)
            if found:
                return found
    return schema.get("items")


def unknown(spec, schema, value, where):
    if isinstance(value, dict):
        props = properties(spec, schema)
        extra = resolve(spec, schema or {}).get("additionalProperties")
        if not props and extra not in (None, False):
            return  # a free-form map such as metadata
        for key, sub in value.items():
            path = f"{where}.{key}" if where else key
            if key not in props:
                if not props and extra is None:
                    continue  # an object the spec leaves open
                yield path
            else:
                yield from unknown(spec, props[key], sub, path)
    elif isinstance(value, list):
        items = item_schema(spec, schema)
        for i, sub in enumerate(value):
            yield from unknown(spec, items, sub, f"{where}[{i}]")


def main(spec_path, method, route):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    words = shlex.split(sys.stdin.read())
    if "--data-binary" not in words:
        return
    body = json.loads(words[words.index("--data-binary") + 1])
    op = spec["paths"][route][method.lower()]
    content = resolve(spec, op.get("requestBody", {})).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        print("(the spec declares no JSON body for this operation)")
        return
    for path in unknown(spec, schema, body, ""):
        print(path)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: spec_body_check.py OPENAPI.yaml METHOD PATH < DRY-RUN-OUTPUT")
    main(*sys.argv[1:])
