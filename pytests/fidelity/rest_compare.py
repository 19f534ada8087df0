"""Compare a REST answer (the emulator's) with real recordings and GitHub's description.

Rules, per endpoint:
* every key the loaders read is present;
* every key returned exists on GitHub: in a recording of the same endpoint, or (for keys
  newer than the recording, or endpoints nobody recorded) in GitHub's description;
* every value has a JSON type GitHub uses for that key; null only where a recording
  had null or the description says nullable;
* the rate-limit/caching headers real answers carry are there, with JSON content-type.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from .endpoints import Endpoint, key_present
from .openapi import Problem, RestDescription, json_type


def key_types(
    value: Any, path: str = "", acc: dict[str, set[str]] | None = None
) -> dict[str, set[str]]:
    """{dotted key path: JSON types seen}; list items are ``[]``, the root is ``""``."""
    acc = defaultdict(set) if acc is None else acc
    acc[path].add(json_type(value))
    if isinstance(value, dict):
        for key, item in value.items():
            key_types(item, f"{path}.{key}" if path else key, acc)
    elif isinstance(value, list):
        for item in value:
            key_types(item, f"{path}.[]" if path else "[]", acc)
    return acc


def _parent(path: str) -> str:
    return path.rpartition(".")[0]


def normalise(problem_path: str) -> str:
    """``$[0].user.login`` (checker) -> ``[].user.login`` (key_types)."""
    path = re.sub(r"\[\d+\]", ".[]", problem_path.removeprefix("$")).lstrip(".")
    return path


def against_recordings(answer: Any, recorded_bodies: Iterable[Any]) -> list[Problem]:
    """Keys and types of ``answer`` that no recording of the same endpoint shows."""
    real: dict[str, set[str]] = defaultdict(set)
    for body in recorded_bodies:
        key_types(body, "", real)
    if not real:
        return []
    problems: list[Problem] = []
    for path, types in sorted(key_types(answer).items()):
        if path not in real:
            # Only a verdict when GitHub showed the parent object and it lacked this key;
            # under an always-null parent (e.g. `milestone`) the recording can't tell.
            if "object" in real.get(_parent(path), ()):
                problems.append(Problem(path, "undocumented", "no recording has this key"))
            continue
        seen = real[path]
        for t in sorted(types - seen):
            if t == "integer" and "number" in seen:
                continue
            if seen == {"null"}:
                continue  # GitHub only ever sent null here: the type is not observed
            kind = "null" if t == "null" else "type"
            problems.append(Problem(path, kind, f"{t} here, recordings have {sorted(seen)}"))
    return problems


def compare_answer(
    endpoint: Endpoint,
    answer: Any,
    description: RestDescription,
    recordings: Iterable[Any] = (),
) -> list[Problem]:
    """Every way ``answer`` differs from what GitHub sends for ``endpoint``."""
    schema = description.response_schema(endpoint.template)
    documented = [p for p in description.check(schema, answer) if p.kind != "missing"]
    flagged = {(normalise(p.path), p.kind) for p in documented}
    problems = [Problem(normalise(p.path), p.kind, p.detail) for p in documented]
    for p in against_recordings(answer, recordings):
        if (p.path, p.kind) in flagged:
            continue  # the description check already reported this path
        if p.kind == "undocumented" and description.documents(schema, p.path):
            continue  # newer than the recording (e.g. `draft` vs a 2017 sample)
        if p.kind in ("null", "type") and description.documents(schema, p.path):
            continue  # the description accepted this value at this documented path
        problems.append(p)
    problems += [
        Problem(key, "missing", "the loaders read this key")
        for key in endpoint.used_keys
        if not key_present(answer, key)
    ]
    return sorted(set(problems))


def header_problems(
    headers: Mapping[str, str], expected: Iterable[str], *, paged: bool
) -> list[Problem]:
    names = {k.lower() for k in headers}
    problems = [
        Problem(f"header {h}", "missing", "real answers carry it")
        for h in expected
        if h not in names and (h != "link" or paged)
    ]
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if not content_type.startswith("application/json"):
        problems.append(Problem("header content-type", "type", f"{content_type!r}, not JSON"))
    return problems
