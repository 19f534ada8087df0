"""Collect every GraphQL text the loaders can send, from ``loaders.sources.queries``.

Conventions read from the loaders' module (see docs/github_api_subset.md):

* module-level ``str`` constants starting with ``query``, ``mutation``, ``fragment`` or
  ``{`` are GraphQL texts; fragment constants are appended to the operations that
  spread them (transitively), as the loaders do when sending;
* builder functions are listed in ``__all_queries__`` (or ``ALL_QUERIES``): each entry is
  a string, a zero-argument callable, or ``(callable, args)`` / ``(callable, args,
  kwargs)``; a callable may return one text or an iterable of texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

_GRAPHQL_START = re.compile(r"^\s*(#[^\n]*\n\s*)*(query\b|mutation\b|fragment\b|\{)")
_FRAGMENT_DEF = re.compile(r"\bfragment\s+(\w+)\s+on\b")
_SPREAD = re.compile(r"\.\.\.\s*(\w+)")
_BUILDER_LISTS = ("__all_queries__", "ALL_QUERIES")


@dataclass(frozen=True)
class QueryText:
    name: str  # where it came from, e.g. "ISSUES_QUERY" or "build_nodes_query(...)[0]"
    text: str
    is_fragment_only: bool


def is_graphql_text(value: object) -> bool:
    return isinstance(value, str) and bool(_GRAPHQL_START.match(value))


def _is_fragment_only(text: str) -> bool:
    # No operation: every top-level definition is a fragment.
    stripped = re.sub(r"#[^\n]*", "", text)
    return stripped.lstrip().startswith("fragment") and not re.search(
        r"(^|\})\s*(query|mutation|\{)", stripped
    )


def fragment_library(texts: Iterable[str]) -> dict[str, str]:
    """{fragment name: the text that defines it} over fragment-only texts."""
    library: dict[str, str] = {}
    for text in texts:
        if _is_fragment_only(text):
            for name in _FRAGMENT_DEF.findall(text):
                library.setdefault(name, text)
    return library


def complete(text: str, library: dict[str, str]) -> str:
    """``text`` plus the fragment texts it spreads but does not define, transitively."""
    parts = [text]
    while True:
        joined = "\n".join(parts)
        defined = set(_FRAGMENT_DEF.findall(joined))
        missing = {n for n in _SPREAD.findall(joined) if n not in defined and n in library}
        if not missing:
            return joined
        for name in sorted(missing):
            if library[name] not in parts:
                parts.append(library[name])


def _call(entry: Any) -> tuple[str, Any]:
    if isinstance(entry, str):
        return "literal", entry
    if callable(entry):
        return f"{entry.__name__}()", entry()
    if isinstance(entry, tuple) and entry and callable(entry[0]):
        func: Callable[..., Any] = entry[0]
        args = entry[1] if len(entry) > 1 else ()
        kwargs = entry[2] if len(entry) > 2 else {}
        return f"{func.__name__}(...)", func(*args, **kwargs)
    raise TypeError(f"__all_queries__ entry {entry!r} is not a str, callable or (callable, args)")


def discover(module: ModuleType) -> list[QueryText]:
    """Every GraphQL text ``module`` defines or builds, with fragments completed."""
    raw: list[tuple[str, str]] = [
        (name, value)
        for name, value in vars(module).items()
        if not name.startswith("_") and is_graphql_text(value)
    ]
    for list_name in _BUILDER_LISTS:
        for i, entry in enumerate(getattr(module, list_name, ()) or ()):
            label, produced = _call(entry)
            texts = [produced] if isinstance(produced, str) else list(produced)
            raw += [(f"{list_name}[{i}] {label}#{j}", t) for j, t in enumerate(texts)]
    library = fragment_library(text for _, text in raw)
    return [
        QueryText(name=name, text=complete(text, library), is_fragment_only=_is_fragment_only(text))
        for name, text in raw
    ]
