"""Upper-bound GraphQL cost of a query, computed the way GitHub documents it.

Every connection (a field taking `first`/`last`) needs as many requests as the product of
its ancestors' page sizes; the sum divided by 100, rounded, minimum 1, is the cost in points.
Used before sending so the reserve is checked against a realistic number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)

MAX_PAGE = 100


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


def _count(
    selection_set: SelectionSetNode | None,
    multiplier: int,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    seen_fragments: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            size = _page_size(selection, variables)
            if size is None:
                total += _count(
                    selection.selection_set, multiplier, fragments, variables, seen_fragments
                )
            else:
                total += multiplier
                total += _count(
                    selection.selection_set,
                    multiplier * max(size, 1),
                    fragments,
                    variables,
                    seen_fragments,
                )
        elif isinstance(selection, InlineFragmentNode):
            total += _count(
                selection.selection_set, multiplier, fragments, variables, seen_fragments
            )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen_fragments:
                total += _count(
                    fragment.selection_set,
                    multiplier,
                    fragments,
                    variables,
                    seen_fragments | {name},
                )
    return total


def count_requests(query: str, variables: Mapping[str, Any] | None = None) -> int:
    """Number of connection requests GitHub assumes for the (first) operation in `query`."""
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        return 0
    return _count(operations[0].selection_set, 1, fragments, variables or {}, frozenset())


def estimate_cost(query: str, variables: Mapping[str, Any] | None = None) -> int:
    """Points GitHub will charge at most; 1 for queries that do not parse (GitHub rejects
    those before charging)."""
    try:
        requests = count_requests(query, variables)
    except GraphQLError:
        return 1
    return max(1, math.floor(requests / 100 + 0.5))
