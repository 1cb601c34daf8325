#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Drives smile-emulator through a Prism validating proxy, one request per
operation of the OpenAPI spec, and writes one JSON line per operation:

  {"operationId", "tag", "method", "path", "url", "status",
   "violations": [message, ...], "problem": prism error type or null,
   "note": why the request could not be built properly, or null}

Requests are built from the spec itself: the request example when it passes
the request schema (after putting in the ids created earlier), else a body
generated from the schema. Ids come from earlier answers, so operations run
in dependency order: creates, then lists, then per-id calls, then deletes.

An account is linked with the emulator's own /_emulator/link (not part of
the spec, so not through Prism) so that the data endpoints have items.

The request schema of POST /archives requires `files` while its properties,
examples and the docs say `rawFiles` (a known flaw of spec 1.14.0). Prism
started with --errors refuses such a request with 422 before the emulator
sees it, so that one operation goes through --lenient, a Prism without
--errors that forwards it and reports violations in the sl-violations header.
"""
import argparse
import base64
import copy
import datetime
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import warnings

import yaml

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jsonschema  # noqa: E402  (after the filter: RefResolver is deprecated)

METHODS = ("get", "post", "put", "delete")
TIMEOUT_S = 20
# Operations whose request must go through the lenient Prism (see above).
# Invites too: their linkedAt is null until the person links, as the docs
# say, which the schema does not allow (see emulator.bats).
LENIENT_OPS = {"create-archive", "create-invite", "list-invites", "get-invite"}
# Creates that others depend on go first (invites need a template).
CREATE_FIRST = ["/users", "/consentTemplates", "/inviteTemplates", "/webhooks"]
# Deletes of parents go last.
DELETE_LAST = ["/accounts/{id}"]
# Optional query parameters worth sending: the query is meaningless without.
USEFUL_QUERY = {"keyword", "businessName"}



# Smallest files the emulator recognises by their magic bytes.
SAMPLE_FILES = {
    "PDF": b"%PDF-1.4\n% smile conformance\n%%EOF\n",
    "PNG": b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,
    "JPG": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
    "JPEG": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
}


def sample_file(extension):
    return base64.b64encode(SAMPLE_FILES.get(str(extension or "PDF").upper(), SAMPLE_FILES["PDF"])).decode()


def parse_args():
    p = argparse.ArgumentParser(description="drive the emulator through Prism")
    p.add_argument("--spec", required=True)
    p.add_argument("--prism", required=True, help="URL of the Prism proxy started with --errors")
    p.add_argument("--lenient", help="URL of a Prism proxy without --errors")
    p.add_argument("--emulator", required=True, help="emulator base URL, without /v1")
    p.add_argument("--key", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--webhook-url", default="https://127.0.0.1:9/hook")
    return p.parse_args()


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.resolver = jsonschema.RefResolver.from_schema(self.doc)

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
            seen += 1
        return node

    def operations(self):
        for path, item in self.doc["paths"].items():
            shared = item.get("parameters", [])
            for method in METHODS:
                if method in item:
                    op = item[method]
                    params = [self.resolve(p) for p in shared + op.get("parameters", [])]
                    yield {
                        "path": path,
                        "method": method.upper(),
                        "op": op,
                        "params": params,
                        "operationId": op.get("operationId", f"{method} {path}"),
                        "tag": (op.get("tags") or ["untagged"])[0],
                    }

    def valid(self, schema, value):
        validator = jsonschema.Draft4Validator(schema, resolver=self.resolver)
        try:
            return not any(True for _ in validator.iter_errors(value))
        except jsonschema.exceptions.RefResolutionError:
            return False


# ---- values built from schemas -------------------------------------------

def sample_string(name, schema):
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    fmt = schema.get("format")
    if fmt == "date":
        return "2024-01-15"
    if fmt == "date-time":
        return "2024-01-15T08:00:00Z"
    if fmt == "email":
        return "jane.doe@example.com"
    example = schema.get("example")
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", 10**6)
    if isinstance(example, str) and lo <= len(example) <= hi:
        if "pattern" not in schema or re.search(schema["pattern"], example):
            return example
    text = name if lo <= len(name) <= hi else "x" * max(lo, 1)
    return text[:hi]


def sample_value(spec, schema, name="value", depth=0):
    schema = spec.resolve(schema)
    if depth > 8:
        return None
    for key in ("oneOf", "anyOf"):
        if key in schema:
            # Branches often overlap; take the first sample that matches
            # exactly one of them.
            samples = [sample_value(spec, b, name, depth + 1) for b in schema[key]]
            return next((v for v in samples if spec.valid(schema, v)), samples[0])
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            value = sample_value(spec, part, name, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        required = set(schema.get("required", []))
        return {k: sample_value(spec, v, k, depth + 1)
                for k, v in schema.get("properties", {}).items() if k in required}
    if kind == "array":
        count = max(schema.get("minItems", 1), 1)
        return [sample_value(spec, schema.get("items", {}), name, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        example = schema.get("example")
        if isinstance(example, (int, float)) and not isinstance(example, bool):
            return example
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return sample_string(name, schema)


def repair_example(value):
    """Fixes the spec's known example flaws (../shared/README.md): a number
    where consent.version must be a string, and nulls for optional strings.
    Examples still failing the schema after this are not used."""
    if isinstance(value, list):
        return [repair_example(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if v is None:
            continue
        if k == "version" and isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        out[k] = repair_example(v)
    return out


# ---- the run ----------------------------------------------------------------

class Driver:
    def __init__(self, args, spec):
        self.args = args
        self.spec = spec
        self.ids = {}  # collection path ("/archives") -> an id that exists
        token = base64.b64encode(f"{args.key}:{args.secret}".encode()).decode()
        self.auth = f"Basic {token}"

    # -- ids

    def remember(self, path, method, body):
        data = body.get("data") if isinstance(body, dict) else None
        found = None
        if isinstance(data, dict):
            if isinstance(data.get("id"), str):
                found = data["id"]
            elif isinstance(data.get("user"), dict):  # POST /users: {user, token}
                found = data["user"].get("id")
            elif isinstance(data.get("items"), list) and data["items"]:
                first = data["items"][0]
                if isinstance(first, dict) and isinstance(first.get("id"), str):
                    found = first["id"]
        if not found:
            return
        key = path if "{" not in path else None
        if key and key not in self.ids:
            self.ids[key] = found
        # POST /beta/signals/createSignal2 creates a /beta/signals item.
        if method == "POST" and key and key.count("/") > 1 and "/-/" not in key:
            self.ids.setdefault(key.rsplit("/", 1)[0], found)

    def id_for(self, collection):
        return self.ids.get(collection)

    def fill_ids(self, value, op_path):
        """Puts ids that exist into a body, keyed by member name."""
        if isinstance(value, list):
            return [self.fill_ids(v, op_path) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for k, v in value.items():
            known = {
                "userId": self.id_for("/users"),
                "accountId": self.id_for("/accounts"),
                "archiveId": self.id_for("/archives"),
                "consentTemplateId": self.id_for("/consentTemplates"),
            }
            if k == "templateId" and op_path == "/invites":
                known["templateId"] = self.id_for("/inviteTemplates")
            if k in known and known[k] and isinstance(v, str):
                out[k] = known[k]
            else:
                out[k] = self.fill_ids(v, op_path)
        return out

    # -- building a request

    def build_url(self, base, entry):
        path, notes = entry["path"], []
        for param in entry["params"]:
            if param.get("in") != "path":
                continue
            collection = path.split("/{" + param["name"] + "}")[0]
            value = self.id_for(collection)
            if not value:
                notes.append(f"no {collection} id known; sent a made-up one")
                value = "missing-id"
            path = path.replace("{" + param["name"] + "}", urllib.parse.quote(value, safe=""))
        query = {}
        for param in entry["params"]:
            if param.get("in") != "query":
                continue
            name = param["name"]
            if not param.get("required") and name not in USEFUL_QUERY:
                continue
            if name == "userId":
                query[name] = self.id_for("/users") or "missing-user"
            elif name == "archiveId":
                query[name] = self.id_for("/archives") or "missing-archive"
            else:
                query[name] = sample_value(self.spec, param.get("schema", {}), name)
        url = base.rstrip("/") + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        return url, notes

    def build_body(self, entry):
        value, note = self.body_from_spec(entry)
        # The spec's examples carry placeholder file contents; the emulator
        # (rightly) refuses bytes that are not base64 of the declared type.
        if isinstance(value, dict):
            if "fileContent" in value:
                value["fileContent"] = sample_file(value.get("fileExtensionType"))
            for f in value.get("rawFiles") or []:
                if isinstance(f, dict):
                    f["fileContent"] = sample_file(f.get("fileExtensionType"))
        # Never let the emulator post to a host outside this machine.
        if entry["path"] == "/webhooks" and isinstance(value, dict):
            value["url"] = self.args.webhook_url
        return value, note

    def body_from_spec(self, entry):
        body = entry["op"].get("requestBody")
        if not body:
            return None, None
        media = self.spec.resolve(body).get("content", {}).get("application/json")
        if not media:
            return None, "request body is not JSON"
        schema = media.get("schema", {})
        examples = [self.spec.resolve(e).get("value") for e in (media.get("examples") or {}).values()]
        if "example" in media:
            examples.append(media["example"])
        for example in examples:
            value = self.fill_ids(repair_example(copy.deepcopy(example)), entry["path"])
            if self.spec.valid(schema, value):
                return value, None
        value = self.fill_ids(sample_value(self.spec, schema), entry["path"])
        if entry["operationId"] in LENIENT_OPS:
            return self.archive_body(value), None
        return value, None if self.spec.valid(schema, value) else "generated body fails the schema"

    def archive_body(self, value):  # noqa: E301
        value = value or {}
        value["userId"] = self.id_for("/users")
        value["rawFiles"] = [{
            "fileSubtype": "PAYSLIP",
            "fileName": "payslip.pdf",
            "fileExtensionType": "PDF",
            "fileContent": base64.b64encode(b"%PDF-1.4\n% smile\n").decode(),
        }]
        value.pop("files", None)
        return value

    # -- sending

    def send(self, method, url, body):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", self.auth)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()
        except (urllib.error.URLError, OSError) as err:
            return 0, {}, str(err).encode()

    def run_one(self, entry):
        lenient = entry["operationId"] in LENIENT_OPS and self.args.lenient
        base = self.args.lenient if lenient else self.args.prism
        url, notes = self.build_url(base, entry)
        body, note = self.build_body(entry)
        if note:
            notes.append(note)
        status, headers, raw = self.send(entry["method"], url, body)
        violations, problem, parsed = [], None, None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            pass
        header = {k.lower(): v for k, v in headers.items()}.get("sl-violations")
        if header:
            try:
                violations += [v.get("message", str(v)) for v in json.loads(header)]
            except ValueError:
                violations.append(header)
        if isinstance(parsed, dict) and str(parsed.get("type", "")).startswith(
                "https://stoplight.io/prism/errors"):
            problem = parsed["type"].rsplit("#", 1)[-1]
            for v in parsed.get("validation", []):
                if v.get("message") not in violations:
                    violations.append(v.get("message"))
        if 200 <= status < 300 and not problem:
            self.remember(entry["path"], entry["method"], parsed)
        return {
            "operationId": entry["operationId"],
            "tag": entry["tag"],
            "method": entry["method"],
            "path": entry["path"],
            "url": url.replace(base.rstrip("/"), ""),
            "via": "lenient" if lenient else "strict",
            "status": status,
            "violations": violations,
            "problem": problem,
            "note": "; ".join(notes) or None,
            "answer": raw[:300].decode("utf-8", "replace") if status >= 300 or status == 0 else None,
        }

    def link_account(self):
        """Connects an account with the emulator's control route, directly."""
        provider = None
        status, _, raw = self.send("GET", self.args.prism.rstrip("/") + "/providers", None)
        try:
            items = json.loads(raw)["data"]["items"]
            provider = items[0]["id"] if items else None
        except (ValueError, KeyError, TypeError, IndexError):
            pass
        body = {"userId": self.id_for("/users"), "providerId": provider}
        url = self.args.emulator.rstrip("/") + "/_emulator/link"
        status, _, raw = self.send("POST", url, body)
        try:
            data = json.loads(raw).get("data") or {}
        except (ValueError, AttributeError):
            data = {}
        account = data.get("accountId") or (data.get("account") or {}).get("id") \
            or (data.get("id") if str(data.get("id", "")).startswith("a-") else None)
        if account:
            self.ids["/accounts"] = account
        return {"operationId": "_emulator-link", "tag": "_emulator", "method": "POST",
                "path": "/_emulator/link", "url": url, "via": "direct", "status": status,
                "violations": [], "problem": None, "note": None,
                "answer": raw[:300].decode("utf-8", "replace")}

    def ordered(self, entries):
        def rank(e):
            has_param = "{" in e["path"]
            if e["method"] == "DELETE":
                return (4, e["path"] in DELETE_LAST, 0)
            if e["method"] in ("POST", "PUT") and not has_param:
                first = CREATE_FIRST.index(e["path"]) if e["path"] in CREATE_FIRST else 99
                return (1, first, 0)
            if not has_param:
                return (2, 0, 0)
            return (3, 0, 0)
        indexed = list(enumerate(entries))
        indexed.sort(key=lambda pair: (rank(pair[1]), pair[0]))
        return [e for _, e in indexed]

    def run(self, out):
        linked = False
        for entry in self.ordered(list(self.spec.operations())):
            if not linked and entry["path"] != "/users":
                out.write(json.dumps(self.link_account()) + "\n")
                linked = True
            out.write(json.dumps(self.run_one(entry)) + "\n")
            out.flush()


def main():
    args = parse_args()
    spec = Spec(args.spec)
    with open(args.out, "w", encoding="utf-8") as out:
        Driver(args, spec).run(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
