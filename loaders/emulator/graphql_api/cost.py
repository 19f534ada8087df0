"""Static checks and cost of a query, computed before execution as GitHub does.

Cost: every connection with `first`/`last` needs as many requests as the product of the
page sizes of the connections above it (1 at the root); requests summed, divided by 100,
rounded (half to even, which gives the documented 50 points for 5,050 requests), minimum 1.
`nodes(ids:)` is a plain list, not a connection, so it does not multiply.
Node count: the same products including the connection's own size (limit 500,000).

Pricing readings (`PRICINGS`, chosen with `EMULATOR_PRICING` or `Emulator.set_pricing`):
GitHub's page leaves two cases open, and real GitHub's `rateLimit { cost }` is the only
arbiter. `documented` (default) reads them cheaply; `count_per_parent` charges every
count-only connection (`labels { totalCount }`) one request per parent; `ids_multiply`
multiplies the children of `nodes(ids:)` by the number of ids; `pessimistic` does both.
https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)

MAX_PAGE = 100
MAX_NODES = 500_000
PRICINGS = ("documented", "count_per_parent", "ids_multiply", "pessimistic")


def check_pricing(name: str) -> str:
    if name not in PRICINGS:
        raise ValueError(f"unknown pricing {name!r}; expected one of {', '.join(PRICINGS)}")
    return name


@dataclass
class Analysis:
    requests: int = 0
    node_count: int = 0
    dry_run: bool = False
    errors: list[dict] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return max(1, round(self.requests / 100))


def _value(node: ValueNode, variables: Mapping[str, Any]) -> Any:
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, BooleanValueNode):
        return node.value
    return None


def _loc(node: FieldNode) -> list[dict]:
    if node.loc is None:
        return []
    src = node.loc.source.get_location(node.loc.start)
    return [{"line": src.line, "column": src.column}]


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        pricing: str = "documented",
    ) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.a = Analysis()
        self.count_per_parent = pricing in ("count_per_parent", "pessimistic")
        self.ids_multiply = pricing in ("ids_multiply", "pessimistic")

    def walk(
        self,
        sel: SelectionSetNode | None,
        parent: Any,
        mult: int,
        path: list[str],
        seen: frozenset[str],
    ) -> None:
        if sel is None:
            return
        for s in sel.selections:
            if isinstance(s, FieldNode):
                self.field(s, parent, mult, path, seen)
            elif isinstance(s, InlineFragmentNode):
                t = (
                    self.schema.type_map.get(s.type_condition.name.value)
                    if s.type_condition
                    else parent
                )
                self.walk(s.selection_set, t, mult, path, seen)
            elif isinstance(s, FragmentSpreadNode):
                name = s.name.value
                frag = self.fragments.get(name)
                if frag is not None and name not in seen:
                    t = self.schema.type_map.get(frag.type_condition.name.value)
                    self.walk(frag.selection_set, t, mult, path, seen | {name})

    def field(
        self, f: FieldNode, parent: Any, mult: int, path: list[str], seen: frozenset[str]
    ) -> None:
        name = f.name.value
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) or isinstance(
            parent, GraphQLUnionType
        ):
            return
        fdef = parent.fields.get(name)
        if fdef is None:
            return  # validation reports it
        here = [*path, f.alias.value if f.alias else name]
        args = {a.name.value: _value(a.value, self.variables) for a in f.arguments or ()}
        if name == "rateLimit" and args.get("dryRun") is True:
            self.a.dry_run = True
        rtype = get_named_type(fdef.type)
        if not rtype.name.endswith("Connection"):
            if name == "nodes" and self.ids_multiply:
                mult *= max(self._ids(f), 1)
            self.walk(f.selection_set, rtype, mult, here, seen)
            return
        first, last = args.get("first"), args.get("last")
        for arg, value in (("first", first), ("last", last)):
            if value is None:
                continue
            if value > MAX_PAGE:
                self.error(
                    "EXCESSIVE_PAGINATION",
                    [*here, arg],
                    f,
                    f"Requesting {value} records on the `{name}` connection exceeds "
                    f"the `{arg}` limit of {MAX_PAGE} records.",
                )
                return
            if value < 0:
                # GitHub accepts 0 (a count-only page, as clients ask `mentions(first: 0)
                # { totalCount }`) and answers a negative size with INVALID_PAGINATION.
                self.error(
                    "INVALID_PAGINATION",
                    [*here, arg],
                    f,
                    f"`{arg}` on the connection cannot be less than zero.",
                )
                return
        lists = {
            s.name.value
            for s in (f.selection_set.selections if f.selection_set else ())
            if isinstance(s, FieldNode)
        }
        if first is None and last is None:
            if lists & {"nodes", "edges"}:
                self.error(
                    "MISSING_PAGINATION_BOUNDARIES",
                    here,
                    f,
                    f"You must provide a `first` or `last` value to properly paginate "
                    f"the `{name}` connection.",
                )
            if self.count_per_parent:
                self.a.requests += mult
            return  # count-only connection: free as documented
        size = max(first or 0, last or 0)
        self.a.requests += mult
        self.a.node_count += mult * size
        self.walk(f.selection_set, rtype, mult * size, here, seen)

    def _ids(self, f: FieldNode) -> int:
        for a in f.arguments or ():
            if a.name.value == "ids":
                if isinstance(a.value, ListValueNode):
                    return len(a.value.values)
                value = _value(a.value, self.variables)
                return len(value) if isinstance(value, list) else 1
        return 1

    def error(self, type_: str, path: list[str], f: FieldNode, message: str) -> None:
        self.a.errors.append(
            {"type": type_, "path": path, "locations": _loc(f), "message": message}
        )


def analyse(
    schema: GraphQLSchema,
    op: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    pricing: str = "documented",
) -> Analysis:
    w = _Walker(schema, fragments, variables, pricing)
    w.walk(op.selection_set, schema.query_type, 1, ["query"], frozenset())
    if w.a.node_count > MAX_NODES:
        w.a.errors.append(
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "path": ["query"],
                "locations": [],
                "message": f"This query requests up to {w.a.node_count:,} possible nodes which "
                f"exceeds the maximum limit of {MAX_NODES:,}.",
            }
        )
    return w.a
