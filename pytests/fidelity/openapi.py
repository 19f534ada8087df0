"""GitHub's REST description (``@octokit/openapi``, MIT) and a small shape checker.

Recordings cover only some endpoints of the subset (no stargazers, events, commits,
rate_limit …) and some date from 2017, before keys like ``draft`` existed. GitHub's own
OpenAPI description fills both gaps: it documents every key, its JSON type and whether
it may be null. The checker below reads just the parts of OpenAPI 3.0 GitHub uses
(``$ref``, ``allOf``/``anyOf``/``oneOf``, ``nullable``, ``enum``, ``required``,
``properties``/``additionalProperties``/``items``, ``format: date-time``).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .recorded import npm_package, package_version

OPENAPI = ("@octokit/openapi", (23, 0, 2), (24, 0, 0))

_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Arrays are homogeneous; checking a few items finds the same problems much faster.
_ITEMS_CHECKED = 10


def openapi_dir() -> Path:
    # Only the api.github.com description (13 MB) of a 29 MB tarball is extracted.
    return npm_package(
        OPENAPI,
        keep=[r"^package/generated/api\.github\.com\.json$", r"^package/package\.json$"],
    )


@functools.lru_cache(maxsize=1)
def github_rest_description() -> RestDescription:
    root = openapi_dir()
    doc = json.loads((root / "generated" / "api.github.com.json").read_text())
    return RestDescription(doc, package_version(root))


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # "$[0].user.login"
    kind: str  # "type", "null", "undocumented", "missing", "enum", "format"
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.detail}"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _type_ok(expected: str, value: Any) -> bool:
    actual = json_type(value)
    return actual == expected or (expected == "number" and actual == "integer")


class RestDescription:
    def __init__(self, doc: dict[str, Any], version: str) -> None:
        self.doc = doc
        self.version = version

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def response(self, path: str, status: int = 200, method: str = "get") -> dict[str, Any]:
        try:
            op = self.doc["paths"][path][method]
        except KeyError as exc:
            raise KeyError(f"{method.upper()} {path} is not in GitHub's REST description") from exc
        return self.resolve(op["responses"][str(status)])

    def response_schema(self, path: str, status: int = 200, method: str = "get") -> Any:
        content = self.response(path, status, method).get("content", {})
        return self.resolve(content["application/json"]["schema"])

    def examples(self, path: str, status: int = 200, method: str = "get") -> dict[str, Any]:
        content = self.response(path, status, method).get("content", {})
        media = content.get("application/json", {})
        out = {
            name: self.resolve(ex).get("value") for name, ex in media.get("examples", {}).items()
        }
        if "example" in media:
            out["example"] = media["example"]
        return out

    def response_headers(self, path: str, status: int = 200, method: str = "get") -> set[str]:
        return {h.lower() for h in self.response(path, status, method).get("headers", {})}

    # -- checking -------------------------------------------------------------------

    def check(self, schema: Any, value: Any, path: str = "$") -> list[Problem]:
        """Problems of ``value`` against ``schema``; [] when it conforms."""
        schema = self._flatten(self.resolve(schema))
        if value is None:
            if self._nullable(schema):
                return []
            shown = schema.get("type") or "a value"
            return [Problem(path, "null", f"null where GitHub documents {shown}, not nullable")]
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            results = [self.check(b, value, path) for b in branches]
            if any(not r for r in results):
                return []
            return min(results, key=len)  # the closest branch explains the mismatch best
        expected = schema.get("type")
        if expected and not _type_ok(expected, value):
            return [Problem(path, "type", f"{json_type(value)} where GitHub documents {expected}")]
        if "enum" in schema and value not in schema["enum"]:
            return [Problem(path, "enum", f"{value!r} not in {schema['enum']}")]
        is_text = isinstance(value, str)
        if schema.get("format") == "date-time" and is_text and not _DATE_TIME.match(value):
            return [Problem(path, "format", f"{value!r} is not an ISO 8601 date-time")]
        if isinstance(value, dict):
            return self._check_object(schema, value, path)
        if isinstance(value, list) and "items" in schema:
            problems: list[Problem] = []
            for i, item in enumerate(value[:_ITEMS_CHECKED]):
                problems += self.check(schema["items"], item, f"{path}[{i}]")
            return problems
        return []

    def _check_object(
        self, schema: dict[str, Any], value: dict[str, Any], path: str
    ) -> list[Problem]:
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        problems = [
            Problem(f"{path}.{key}", "missing", "required by GitHub's description")
            for key in schema.get("required", ())
            if key not in value
        ]
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in props:
                problems += self.check(props[key], item, where)
            elif isinstance(extra, dict):
                problems += self.check(extra, item, where)
            elif extra is not True and props:
                problems.append(Problem(where, "undocumented", "key not in GitHub's description"))
        return problems

    def documents(self, schema: Any, dotted: str) -> bool:
        """Does the description define key path ``dotted`` (``[]`` = list items)?"""
        schema = self._flatten(self.resolve(schema))
        if not dotted:
            return True
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            return any(self.documents(b, dotted) for b in branches)
        head, _, rest = dotted.partition(".")
        if head == "[]":
            return "items" in schema and self.documents(schema["items"], rest)
        props = schema.get("properties", {})
        if head in props:
            return self.documents(props[head], rest)
        extra = schema.get("additionalProperties")
        return isinstance(extra, dict) and self.documents(extra, rest)

    def _nullable(self, schema: dict[str, Any]) -> bool:
        # `nullable: true` may sit beside anyOf (a commit's `author`: user, empty or null).
        if schema.get("nullable") or schema.get("type") == "null":
            return True
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            return any(self._nullable(self._flatten(self.resolve(b))) for b in branches)
        untyped = not schema.get("type") and "properties" not in schema
        return bool(schema.get("nullable")) or None in schema.get("enum", ()) or untyped

    def _flatten(self, schema: Any) -> dict[str, Any]:
        """Merge ``allOf`` branches into one schema (GitHub uses it for extensions)."""
        if not isinstance(schema, dict) or "allOf" not in schema:
            return schema if isinstance(schema, dict) else {}
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        props: dict[str, Any] = dict(merged.get("properties", {}))
        required: list[str] = list(merged.get("required", []))
        for part in schema["allOf"]:
            part = self._flatten(self.resolve(part))
            props.update(part.get("properties", {}))
            required += part.get("required", [])
            for key, val in part.items():
                if key not in ("properties", "required"):
                    merged.setdefault(key, val)
        merged["properties"], merged["required"] = props, required
        return merged
