#!/usr/bin/python3
# Prints "METHOD PATH" for every operation of an OpenAPI document, sorted,
# so tests can compare the API contract with `smile api --list`.
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def main(path):
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    ops = sorted(
        f"{method.upper()} {route}"
        for route, item in spec.get("paths", {}).items()
        for method in item
        if method in METHODS
    )
    print("\n".join(ops))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: spec_operations.py OPENAPI.yaml")
    main(sys.argv[1])
