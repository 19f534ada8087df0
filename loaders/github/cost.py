"""Upper-bound GraphQL cost and node count of a query, computed the way GitHub documents it.

Every connection (a field taking `first`/`last`) needs as many requests as the product of
its ancestors' page sizes; the sum divided by 100, rounded, minimum 1, is the cost in points.
Used before sending so the reserve is checked against a realistic number.

Node count: every connection's page size times its ancestors' (children under
`nodes(ids:)` multiplied by the number of ids, the pessimistic reading). GitHub rejects a
query over 500,000 nodes; the client checks before sending. Both rules:
https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)

MAX_PAGE = 100
#: "Individual calls cannot request more than 500,000 total nodes" (GitHub's node limit).
MAX_NODES = 500_000


def _page_size(node: FieldNode, variables: Mapping[str, Any]) -> int | None:
    """`first`/`last` of a field, resolving variables; missing variables count as 100."""
    for argument in node.arguments or ():
        if argument.name.value not in ("first", "last"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            resolved = variables.get(value.name.value)
            return int(resolved) if isinstance(resolved, int) else MAX_PAGE
        return MAX_PAGE
    return None


#: One field's share of a total, and the multiplier its children are counted under.
Step = Callable[[FieldNode, int], tuple[int, int]]


def _total(
    selection_set: SelectionSetNode | None,
    multiplier: int,
    fragments: Mapping[str, FragmentDefinitionNode],
    step: Step,
    seen_fragments: frozenset[str] = frozenset(),
) -> int:
    """Sum `step` over every field of a selection, fragments included (each spread once
    per path, so a recursive fragment cannot loop)."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            counted, inner = step(selection, multiplier)
            total += counted + _total(
                selection.selection_set, inner, fragments, step, seen_fragments
            )
        elif isinstance(selection, InlineFragmentNode):
            total += _total(selection.selection_set, multiplier, fragments, step, seen_fragments)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen_fragments:
                total += _total(
                    fragment.selection_set, multiplier, fragments, step, seen_fragments | {name}
                )
    return total


@lru_cache(maxsize=256)
def _parsed(query: str) -> tuple[OperationDefinitionNode | None, dict[str, FragmentDefinitionNode]]:
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return (operations[0] if operations else None), fragments


def count_requests(query: str, variables: Mapping[str, Any] | None = None) -> int:
    """Number of connection requests GitHub assumes for the (first) operation in `query`."""
    operation, fragments = _parsed(query)
    if operation is None:
        return 0
    values = variables or {}

    def step(field: FieldNode, multiplier: int) -> tuple[int, int]:
        size = _page_size(field, values)
        if size is None:
            return 0, multiplier
        return multiplier, multiplier * max(size, 1)  # one request per parent page

    return _total(operation.selection_set, 1, fragments, step)


def estimate_cost(query: str, variables: Mapping[str, Any] | None = None) -> int:
    """Points GitHub will charge at most; 1 for queries that do not parse (GitHub rejects
    those before charging)."""
    try:
        requests = count_requests(query, variables)
    except GraphQLError:
        return 1
    return max(1, math.floor(requests / 100 + 0.5))


def _ids_count(node: FieldNode, variables: Mapping[str, Any]) -> int | None:
    """How many ids a `nodes(ids: ...)` field asks for (None: not such a field)."""
    if node.name.value != "nodes":
        return None
    for argument in node.arguments or ():
        if argument.name.value != "ids":
            continue
        value = argument.value
        if isinstance(value, ListValueNode):
            return len(value.values)
        if isinstance(value, VariableNode):
            resolved = variables.get(value.name.value)
            return len(resolved) if isinstance(resolved, list) else MAX_PAGE
    return None


def count_nodes(
    query: str, variables: Mapping[str, Any] | None = None, *, ids_multiply: bool = True
) -> int:
    """Upper bound of the nodes the (first) operation may return, as GitHub counts them for
    its 500,000-node limit; 0 for a query that does not parse (GitHub rejects it anyway).
    `ids_multiply=False`: children of `nodes(ids:)` counted once (the emulator's reading)."""
    try:
        operation, fragments = _parsed(query)
    except GraphQLError:
        return 0
    if operation is None:
        return 0
    values = variables or {}

    def step(field: FieldNode, multiplier: int) -> tuple[int, int]:
        size = _page_size(field, values)
        if size is not None:
            return multiplier * max(size, 1), multiplier * max(size, 1)
        ids = _ids_count(field, values) if ids_multiply else None
        return 0, multiplier * max(ids or 1, 1)

    return _total(operation.selection_set, 1, fragments, step)
