"""Rewrites of a GraphQL text the client makes before or while sending it.

- `with_rate_limit`: every query asks for `rateLimit { cost … }`, so GitHub states what it
  charged (its pricing cannot be seen offline; our estimate is a reading of its docs).
- `only_fields`: the query cut down to some top-level fields, to ask again for the aliases
  that failed when GitHub answered `data` and `errors` together.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

#: The alias of the block the client adds; stripped from `data` before callers see it.
RATE_LIMIT_ALIAS = "warehouseRateLimit"
_SELECTION = f"{RATE_LIMIT_ALIAS}: rateLimit {{ cost limit remaining resetAt }}"


def _operation(document: DocumentNode) -> OperationDefinitionNode | None:
    return next((d for d in document.definitions if isinstance(d, OperationDefinitionNode)), None)


@lru_cache(maxsize=256)
def with_rate_limit(query: str) -> tuple[str, bool]:
    """(query with a `rateLimit` block added to its operation, whether one was added).
    Queries that already select `rateLimit`, or do not parse, are sent as they are."""
    try:
        operation = _operation(parse(query))
    except GraphQLError:
        return query, False
    if operation is None or operation.selection_set.loc is None:
        return query, False
    if any(
        isinstance(s, FieldNode) and s.name.value == "rateLimit"
        for s in operation.selection_set.selections
    ):
        return query, False
    end = operation.selection_set.loc.end - 1  # the closing brace
    return f"{query[:end]}  {_SELECTION}\n{query[end:]}", True


class _Uses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.fragments: set[str] = set()

    def enter_variable(self, node: VariableNode, *_args: object) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: object) -> None:
        self.fragments.add(node.name.value)


def only_fields(query: str, keys: set[str]) -> str | None:
    """The query reduced to the top-level fields whose response keys are in `keys` (and its
    `rateLimit`), without the variables and fragments it no longer uses; None when nothing
    of `keys` is a plain top-level field."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operation = _operation(document)
    if operation is None:
        return None
    kept = [
        s
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode)
        and ((s.alias or s.name).value in keys or s.name.value == "rateLimit")
    ]
    if not any(s.name.value != "rateLimit" for s in kept):
        return None
    selection = SelectionSetNode(selections=tuple(kept))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    uses = _Uses()
    visit(selection, uses)
    pending = set(uses.fragments)
    while pending:  # fragments spreading fragments
        name = pending.pop()
        if name in fragments:
            before = set(uses.fragments)
            visit(fragments[name], uses)
            pending |= uses.fragments - before
    cut = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        directives=operation.directives,
        selection_set=selection,
        variable_definitions=tuple(
            v
            for v in operation.variable_definitions or ()
            if v.variable.name.value in uses.variables
        ),
    )
    definitions = [cut, *(fragments[n] for n in sorted(uses.fragments) if n in fragments)]
    return print_ast(DocumentNode(definitions=tuple(definitions)))
