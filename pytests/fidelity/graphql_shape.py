"""Check a GraphQL answer against the query and GitHub's real schema.

For every selected field: the response key is there (alias-aware) and nothing else is;
non-null fields are not null; scalars have the JSON type GitHub serialises them as
(``BigInt`` and ``ID`` as strings, ``Int`` as integers, ``DateTime`` ISO 8601); enum
values exist; ``__typename`` names a type that can appear there.
"""

from __future__ import annotations

import re
from typing import Any

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

from .openapi import json_type
from .synth import merge_fields

_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

# How GitHub serialises its scalars in JSON.
_SCALAR_JSON = {
    "Int": "integer",
    "Float": "number",
    "Boolean": "boolean",
    "String": "string",
    "ID": "string",
    "BigInt": "string",
    "DateTime": "string",
    "GitTimestamp": "string",
    "URI": "string",
    "HTML": "string",
    "GitObjectID": "string",
    "Date": "string",
}


class ShapeChecker:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(ops) != 1:
            raise ValueError(f"expected one operation, got {len(ops)}")
        self.operation = ops[0]
        self.problems: list[str] = []

    def check(self, data: Any) -> list[str]:
        self.problems = []
        self._object(self.schema.query_type, self.operation.selection_set, data, "data")
        return self.problems

    def _fields(self, concrete: GraphQLObjectType, selection_set: SelectionSetNode):
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                yield (sel.alias or sel.name).value, sel
            elif isinstance(sel, InlineFragmentNode | FragmentSpreadNode):
                if isinstance(sel, FragmentSpreadNode):
                    frag = self.fragments[sel.name.value]
                    cond, sub = frag.type_condition, frag.selection_set
                else:
                    cond, sub = sel.type_condition, sel.selection_set
                if cond is None or self._applies(cond.name.value, concrete):
                    yield from self._fields(concrete, sub)

    def _applies(self, condition: str, concrete: GraphQLObjectType) -> bool:
        target = self.schema.type_map[condition]
        return target is concrete or (
            is_abstract_type(target) and self.schema.is_sub_type(target, concrete)
        )

    def _object(
        self, concrete: GraphQLObjectType, selection: SelectionSetNode, value: Any, path: str
    ) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{path}: {json_type(value)} where {concrete.name} is an object")
            return
        expected = merge_fields(self._fields(concrete, selection))
        for key in sorted(set(value) - set(expected)):
            self.problems.append(f"{path}.{key}: not selected (on {concrete.name})")
        for key, node in expected.items():
            where = f"{path}.{key}"
            if key not in value:
                self.problems.append(f"{where}: selected but missing")
                continue
            name = node.name.value
            if name == "__typename":
                if value[key] != concrete.name:
                    self.problems.append(f"{where}: {value[key]!r}, expected {concrete.name}")
                continue
            field = concrete.fields[name]
            self._value(field.type, node, value[key], where, f"{concrete.name}.{name}")

    def _value(self, type_: Any, node: FieldNode, value: Any, path: str, origin: str) -> None:
        if isinstance(type_, GraphQLNonNull):
            if value is None:
                self.problems.append(f"{path}: null, but GitHub's {origin} is {type_} (non-null)")
                return
            type_ = type_.of_type
        if value is None:
            return
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                self.problems.append(f"{path}: {json_type(value)} where {origin} is a list")
                return
            for i, item in enumerate(value[:20]):
                self._value(type_.of_type, node, item, f"{path}[{i}]", origin)
            return
        if isinstance(type_, GraphQLScalarType):
            self._scalar(type_.name, value, path, origin)
        elif isinstance(type_, GraphQLEnumType):
            if value not in type_.values:
                self.problems.append(f"{path}: {value!r} is not a {type_.name} value on GitHub")
        else:
            concrete = self._concrete(type_, node, value, path)
            if concrete is not None:
                self._object(concrete, node.selection_set, value, path)

    def _scalar(self, name: str, value: Any, path: str, origin: str) -> None:
        want = _SCALAR_JSON.get(name)
        got = json_type(value)
        if want and not (got == want or (want == "number" and got == "integer")):
            self.problems.append(f"{path}: {got} where GitHub sends {name} ({origin}) as {want}")
        elif name in ("DateTime", "GitTimestamp") and not _ISO.match(value):
            self.problems.append(f"{path}: {value!r} is not ISO 8601 ({origin})")

    def _concrete(
        self, type_: Any, node: FieldNode, value: Any, path: str
    ) -> GraphQLObjectType | None:
        if isinstance(type_, GraphQLObjectType):
            return type_
        possible = {t.name: t for t in self.schema.get_possible_types(type_)}
        if isinstance(value, dict) and "__typename" in value:
            found = possible.get(value["__typename"])
            if found is None:
                self.problems.append(
                    f"{path}.__typename: {value['__typename']!r} cannot appear as {type_.name}"
                )
            return found
        # No __typename selected: any possible type whose selection gives exactly these
        # keys explains the answer (e.g. `node(id:) { ... on Issue { … } }`).
        keys = set(value) if isinstance(value, dict) else set()
        for concrete in possible.values():
            if {k for k, _ in self._fields(concrete, node.selection_set)} == keys:
                return concrete
        self.problems.append(f"{path}: keys {sorted(keys)} fit no {type_.name} type")
        return None


def response_problems(schema: GraphQLSchema, document: DocumentNode, data: Any) -> list[str]:
    return ShapeChecker(schema, document).check(data)
