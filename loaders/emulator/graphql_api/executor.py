"""A lean executor for validated queries against this schema.

graphql-core parses, validates and coerces variables and arguments; this module only walks
the selection sets. It exists for speed: graphql-core's general executor spends ~9 µs per
field (async checks, info objects, middleware), i.e. ~25 ms for a 100-issue page, while
the emulator must answer such a page in a few milliseconds. Semantics kept: aliases,
field merging, fragments (inline and named) with type conditions, @skip/@include, abstract
types, lists, errors with path/locations and null propagation through non-null fields.
`pytests/emulator/test_executor.py` checks it against graphql-core's `execute` on the same
queries. Introspection (`__schema`, `__type`) is left to graphql-core (see api.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values, get_directive_values


class _Spec:
    """A field's output type, unwrapped once per query instead of on every value."""

    __slots__ = ("inner", "item", "leaf", "non_null", "object_type")

    def __init__(self, t: Any) -> None:
        self.non_null = isinstance(t, GraphQLNonNull)
        self.inner = _spec(t.of_type) if self.non_null else None
        self.item = _spec(t.of_type) if isinstance(t, GraphQLList) else None
        # `leaf`: a present (non-null) value is returned as is; nulls take the slow path.
        self.leaf = is_leaf_type(t) or (self.inner is not None and self.inner.leaf)
        self.object_type = t if isinstance(t, GraphQLObjectType) else None


_SPECS: dict[int, _Spec] = {}


def _spec(t: Any) -> _Spec:
    s = _SPECS.get(id(t))
    if s is None:
        s = _SPECS[id(t)] = _Spec(t)
    return s


class _FieldPlan:
    __slots__ = ("child_plans", "child_sets", "key", "name", "nodes", "parent", "spec")

    def __init__(
        self, key: str, name: str, nodes: list[FieldNode], spec: _Spec | None, parent: str
    ) -> None:
        self.key, self.name, self.nodes, self.spec, self.parent = key, name, nodes, spec, parent
        self.child_sets = tuple(n.selection_set for n in nodes if n.selection_set is not None)
        self.child_plans: dict[str, list[_FieldPlan]] = {}  # by concrete child type


def _path_list(path: tuple) -> list:
    out: list = []
    while path:
        path, key = path
        out.append(key)
    return out[::-1]


class _Null(Exception):
    """A null reached a non-null position; the nearest nullable parent becomes null."""


_FAILED = object()  # the resolver raised (its error is already recorded)


class FastExecution:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Any,
        format_error: Callable[[GraphQLError], dict],
    ) -> None:
        self.schema = schema
        self.variables = variables  # graphql-core VariableValues (coerced)
        self.format_error = format_error
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.operation = operation
        self.errors: list[dict] = []
        self._fields_cache: dict[tuple, list] = {}
        self._args_cache: dict[int, dict] = {}
        self._plans: dict[tuple, list[_FieldPlan]] = {}

    def run(self, root: Any) -> dict:
        query = self.schema.query_type
        assert query is not None
        try:
            data = self.object(root, query, self.plan(query, (self.operation.selection_set,)), ())
        except _Null:
            data = None
        out: dict = {"data": data}
        if self.errors:
            out["errors"] = self.errors
        return out

    # -- selection sets --------------------------------------------------------------
    def _included(self, node: Any) -> bool:
        if not node.directives:
            return True
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        inc = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (inc and inc.get("if") is False)

    def _applies(self, type_name: str | None, obj_type: GraphQLObjectType) -> bool:
        if type_name is None or type_name == obj_type.name:
            return True
        cond = self.schema.type_map.get(type_name)
        return (
            cond is not None and is_abstract_type(cond) and self.schema.is_sub_type(cond, obj_type)
        )  # type: ignore[arg-type]

    def fields(
        self, obj_type: GraphQLObjectType, sets: tuple[SelectionSetNode, ...]
    ) -> list[tuple[str, list[FieldNode]]]:
        key = (obj_type.name, *map(id, sets))
        hit = self._fields_cache.get(key)
        if hit is not None:
            return hit
        grouped: dict[str, list[FieldNode]] = {}
        seen: set[str] = set()

        def collect(sel: SelectionSetNode) -> None:
            for s in sel.selections:
                if not self._included(s):
                    continue
                if isinstance(s, FieldNode):
                    grouped.setdefault(s.alias.value if s.alias else s.name.value, []).append(s)
                elif isinstance(s, InlineFragmentNode):
                    cond = s.type_condition.name.value if s.type_condition else None
                    if self._applies(cond, obj_type):
                        collect(s.selection_set)
                elif isinstance(s, FragmentSpreadNode):
                    name = s.name.value
                    frag = self.fragments.get(name)
                    if frag is None or name in seen:
                        continue
                    seen.add(name)
                    if self._applies(frag.type_condition.name.value, obj_type):
                        collect(frag.selection_set)

        for sel in sets:
            collect(sel)
        out = list(grouped.items())
        self._fields_cache[key] = out
        return out

    def plan(
        self, obj_type: GraphQLObjectType, sets: tuple[SelectionSetNode, ...]
    ) -> list[_FieldPlan]:
        key = (obj_type.name, *map(id, sets))
        hit = self._plans.get(key)
        if hit is None:
            hit = []
            for resp_key, nodes in self.fields(obj_type, sets):
                name = nodes[0].name.value
                spec = None if name == "__typename" else _spec(obj_type.fields[name].type)
                hit.append(_FieldPlan(resp_key, name, nodes, spec, obj_type.name))
            self._plans[key] = hit
        return hit

    def object(
        self, obj: Any, obj_type: GraphQLObjectType, plan: list[_FieldPlan], path: tuple
    ) -> dict:
        result: dict = {}
        is_dict = isinstance(obj, dict)
        for fp in plan:
            spec = fp.spec
            if spec is None:  # __typename
                result[fp.key] = fp.parent
                continue
            try:
                value = obj.get(fp.name) if is_dict else getattr(obj, fp.name, None)
                if callable(value):
                    args = self._args_cache.get(id(fp.nodes[0]))
                    if args is None:
                        fdef = obj_type.fields[fp.name]
                        args = get_argument_values(fdef, fp.nodes[0], self.variables)
                        self._args_cache[id(fp.nodes[0])] = args
                    value = value(None, **args)
            except Exception as exc:
                self.fail(exc, fp.nodes, (path, fp.key))
                value = _FAILED
            if spec.leaf and value is not None and value is not _FAILED:
                result[fp.key] = value  # the common case, kept cheap
            else:
                result[fp.key] = self.complete(spec, value, fp, (path, fp.key))
        return result

    # -- values ----------------------------------------------------------------------
    def complete(self, spec: _Spec, value: Any, fp: _FieldPlan, path: tuple) -> Any:
        if spec.non_null:
            out = None
            if value is not None and value is not _FAILED and spec.inner is not None:
                out = self.complete(spec.inner, value, fp, path)
            if out is None:
                if value is None:
                    self.errors.append(
                        {
                            "path": _path_list(path),
                            "locations": _locs(fp.nodes),
                            "message": f"Cannot return null for non-nullable "
                            f"field {fp.parent}.{fp.name}.",
                        }
                    )
                raise _Null
            return out
        if value is None or value is _FAILED:
            return None
        if spec.leaf:
            return value
        if spec.item is not None:
            item = spec.item
            try:
                return [
                    v if item.leaf and v is not None else self.complete(item, v, fp, (path, i))
                    for i, v in enumerate(value)
                ]
            except _Null:
                return None
        t = spec.object_type
        if t is None:  # abstract: objects carry their GraphQL type name
            name = value.get("__typename") if isinstance(value, dict) else value.TYPENAME
            t = self.schema.type_map[name]
        plan = fp.child_plans.get(t.name)
        if plan is None:
            plan = fp.child_plans[t.name] = self.plan(t, fp.child_sets)
        try:
            return self.object(value, t, plan, path)
        except _Null:
            return None

    def fail(self, exc: Exception, nodes: list[FieldNode], path: tuple) -> None:
        err = (
            exc
            if isinstance(exc, GraphQLError)
            else GraphQLError(str(exc), nodes, original_error=exc)
        )
        formatted = self.format_error(err)
        formatted["path"] = _path_list(path)
        formatted.setdefault("locations", _locs(nodes))
        self.errors.append(formatted)


def _locs(nodes: list[FieldNode]) -> list[dict]:
    out = []
    for n in nodes[:1]:
        if n.loc is not None:
            loc = n.loc.source.get_location(n.loc.start)
            out.append({"line": loc.line, "column": loc.column})
    return out
