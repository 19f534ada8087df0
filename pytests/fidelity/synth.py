"""Synthesise GraphQL answers for a query, shaped by GitHub's real schema.

Nobody publishes recorded GraphQL answers for the loaders' exact queries, but the real
schema says precisely what GitHub *may* send for each field: which ones can be null, which
abstract types can appear, which enum values exist. Two variants matter:

* ``sparse``: every nullable field GitHub could null is null (ghost users ``author: null``,
  ``body: null``, ``milestone: null``, ``mergedBy: null``, a deleted ``headRepository``,
  null items inside ``nodes`` lists) while lists still carry one real item so children
  are exercised;
* ``full``: every field is filled, with a value naming where it came from
  (``"Issue.title"``), plus fields GitHub might add later (unknown keys) in every object.

``actor`` picks the concrete type for ``Actor``-like abstract fields (``"User"``,
``"Bot"``) so bot detection can be tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    is_abstract_type,
)

Mode = Literal["sparse", "full"]

UNKNOWN_FIELD = "fieldFromTheFuture"

_SCALARS: dict[str, Any] = {
    "Int": 7,
    "Float": 1.5,
    "Boolean": True,
    "DateTime": "2024-01-02T03:04:05Z",
    "GitTimestamp": "2024-01-02T03:04:05Z",
    "Date": "2024-01-02",
    "URI": "https://github.com/example/example",
    "HTML": "<p>html</p>",
    "BigInt": "9007199254740993",  # beyond 2**53: the reason GitHub sends it as a string
    "GitObjectID": "0123456789abcdef0123456789abcdef01234567",
    "GitSSHRemote": "git@github.com:example/example.git",
    "X509Certificate": "-----BEGIN CERTIFICATE-----",
    "Base64String": "aGk=",
}


def merge_fields(pairs: Iterable[tuple[str, FieldNode]]) -> dict[str, FieldNode]:
    """Response key -> one FieldNode, merging sub-selections GraphQL merges too.

    `defaultBranchRef { name }` and `defaultBranchRef { target { … } }` in one selection
    answer as a single `defaultBranchRef` object holding both.
    """
    merged: dict[str, FieldNode] = {}
    for key, node in pairs:
        seen = merged.get(key)
        if seen is None or seen.selection_set is None or node.selection_set is None:
            merged.setdefault(key, node)
            continue
        selections = (*seen.selection_set.selections, *node.selection_set.selections)
        merged[key] = FieldNode(
            alias=seen.alias,
            name=seen.name,
            arguments=seen.arguments,
            directives=seen.directives,
            selection_set=SelectionSetNode(selections=selections),
        )
    return merged


class Synthesiser:
    def __init__(
        self,
        schema: GraphQLSchema,
        mode: Mode,
        actor: str = "User",
        keep: frozenset[str] = frozenset(),
    ) -> None:
        self.schema = schema
        self.mode = mode
        self.actor = actor
        # Nullable fields still filled in sparse mode (e.g. `databaseId`, which GitHub
        # declares nullable but sends for every object the loaders key on).
        self.keep = keep
        self._fragments: dict[str, FragmentDefinitionNode] = {}
        self._counter = 0

    def data(self, document: DocumentNode) -> dict[str, Any]:
        """The ``data`` member of GitHub's answer to the (single) operation in ``document``."""
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(ops) != 1:
            raise ValueError(f"expected one operation, got {len(ops)}")
        return self._object(self.schema.query_type, ops[0].selection_set)

    # -- selection walking -------------------------------------------------------------

    def _fields(self, concrete: GraphQLObjectType, selection_set: SelectionSetNode):
        """(response key, FieldNode) pairs that apply to ``concrete``, fragments expanded."""
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                yield (sel.alias or sel.name).value, sel
                continue
            if isinstance(sel, InlineFragmentNode):
                cond, sub = sel.type_condition, sel.selection_set
            elif isinstance(sel, FragmentSpreadNode):
                frag = self._fragments[sel.name.value]
                cond, sub = frag.type_condition, frag.selection_set
            else:  # pragma: no cover - graphql has no other selection kinds
                continue
            if cond is None or self._applies(cond.name.value, concrete):
                yield from self._fields(concrete, sub)

    def _applies(self, condition: str, concrete: GraphQLObjectType) -> bool:
        target = self.schema.type_map[condition]
        if target is concrete:
            return True
        return is_abstract_type(target) and self.schema.is_sub_type(target, concrete)

    def _object(self, concrete: GraphQLObjectType, selection_set: SelectionSetNode) -> dict:
        out: dict[str, Any] = {}
        for key, node in merge_fields(self._fields(concrete, selection_set)).items():
            name = node.name.value
            if name == "__typename":
                out[key] = concrete.name
                continue
            field = concrete.fields[name]
            top = True if name not in self.keep else "keep"
            out[key] = self._value(field.type, node, f"{concrete.name}.{name}", top=top)
        if self.mode == "full":
            out[UNKNOWN_FIELD] = {"addedBy": "GitHub, later"}
        return out

    def _value(self, type_: Any, node: FieldNode, origin: str, *, top: bool | str = False) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self._filled(type_.of_type, node, origin)
        if top == "keep":
            return self._filled(type_, node, origin)
        if self.mode == "sparse" and not (top and self._leads_to_list(type_, node)):
            # Everything GitHub may null is null, except the containers that lead to the
            # lists the loaders page (repository, defaultBranchRef.target, node(id:)):
            # without them there would be no items to map.
            return None
        return self._filled(type_, node, origin)

    def _leads_to_list(self, type_: Any, node: FieldNode) -> bool:
        while isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            return True
        if node.selection_set is None or isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return False
        candidates = self.schema.get_possible_types(type_) if is_abstract_type(type_) else [type_]
        for concrete in candidates:
            for _, sub in self._fields(concrete, node.selection_set):
                field = concrete.fields.get(sub.name.value)
                if field is not None and self._leads_to_list(field.type, sub):
                    return True
        return False

    def _filled(self, type_: Any, node: FieldNode, origin: str) -> Any:
        if isinstance(type_, GraphQLList):
            item = self._value(type_.of_type, node, origin)
            if self.mode == "sparse" and not isinstance(type_.of_type, GraphQLNonNull):
                # GitHub nulls inaccessible nodes inside lists; keep one real item too.
                return [None, self._filled(type_.of_type, node, origin)]
            return [item]
        if isinstance(type_, GraphQLScalarType):
            return self._scalar(type_.name, origin)
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        concrete = self._concrete(type_, node)
        return self._object(concrete, node.selection_set)

    def _scalar(self, name: str, origin: str) -> Any:
        if origin.startswith("PageInfo.has"):
            return False  # one page: a loader following the cursor stops here
        if name in ("String", "ID"):
            return origin  # "Issue.title": tells which field a row column came from
        if name == "Int":
            self._counter += 1
            return 1000 + self._counter  # distinct ids, so rows do not collide on keys
        return _SCALARS.get(name, origin)

    def _concrete(self, type_: Any, node: FieldNode) -> GraphQLObjectType:
        if isinstance(type_, GraphQLObjectType):
            return type_
        possible = {t.name: t for t in self.schema.get_possible_types(type_)}
        wanted = [
            s.type_condition.name.value
            for s in (node.selection_set.selections if node.selection_set else [])
            if isinstance(s, InlineFragmentNode) and s.type_condition
        ]
        # `author { ... on User {…} ... on Bot {…} }`: the chosen actor. `nodes(ids:)
        # { ... on Issue {…} }`: the type the query asks about. Otherwise the chosen actor
        # if it fits (`actor { login }`), else any possible type.
        if self.actor in possible and (self.actor in wanted or not wanted):
            return possible[self.actor]
        for name in wanted:
            if name in possible:
                return possible[name]
        return possible[sorted(possible)[0]]


def synthesise(
    schema: GraphQLSchema,
    document: DocumentNode,
    mode: Mode,
    actor: str = "User",
    keep: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    return Synthesiser(schema, mode, actor, keep).data(document)
