#!/usr/bin/python3
# Prints "METHOD PATH NAME..." for every operation of an OpenAPI document:
# the query parameters it declares (its own and its path's), so a test can
# tell a query parameter the spec does not know, which Prism lets through.
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def main(path):
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    for route, item in sorted(spec.get("paths", {}).items()):
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method not in METHODS:
                continue
            params = (resolve(spec, p) for p in shared + op.get("parameters", []))
            names = sorted({p["name"] for p in params if p.get("in") == "query"})
            print(" ".join([method.upper(), route] + names))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: spec_query_params.py OPENAPI.yaml")
    main(sys.argv[1])
