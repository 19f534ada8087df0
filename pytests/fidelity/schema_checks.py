"""Comparisons of GraphQL schemas and documents against GitHub's real schema.

Pure functions returning human-readable findings (empty list = all good), so tests
can print every mismatch at once instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    IntValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)
from graphql.pyutils import Undefined
from graphql.type import GraphQLType, introspection_types, specified_scalar_types

# Deprecated names the contract uses on purpose. GitHub deprecated `databaseId` on pull
# requests, reviews and review comments in favour of `fullDatabaseId` (a BigInt, sent as
# a string) but still serves it, and the raw schema keys on integer ids. Any other
# deprecated name fails the tests, and so does an entry here that GitHub no longer marks
# deprecated, so the list cannot silently rot.
ACCEPTED_DEPRECATIONS = frozenset(
    {
        "PullRequest.databaseId",
        "PullRequestReview.databaseId",
        "PullRequestReviewComment.databaseId",
    }
)


@dataclass(frozen=True, order=True)
class Deprecation:
    where: str  # "PullRequest.databaseId", "arg Repository.issues(foo)", "enum X.Y"
    reason: str


def deprecated_usages(schema: GraphQLSchema, document: DocumentNode) -> set[Deprecation]:
    """Deprecated fields, arguments and enum values that ``document`` uses."""
    info = TypeInfo(schema)
    found: set[Deprecation] = set()

    class Collect(Visitor):
        def enter_field(self, node, *_):
            field, parent = info.get_field_def(), info.get_parent_type()
            if field is not None and field.deprecation_reason:
                found.add(Deprecation(f"{parent.name}.{node.name.value}", field.deprecation_reason))

        def enter_argument(self, node, *_):
            arg = info.get_argument()
            if arg is not None and arg.deprecation_reason:
                found.add(Deprecation(f"argument {node.name.value}", arg.deprecation_reason))

        def enter_enum_value(self, node, *_):
            value = info.get_enum_value()
            if value is not None and value.deprecation_reason:
                found.add(Deprecation(f"enum value {node.value}", value.deprecation_reason))

    visit(document, TypeInfoVisitor(info, Collect()))
    return found


def page_size_problems(document: DocumentNode) -> list[str]:
    """Literal ``first``/``last`` outside GitHub's 1..100 (variables are checked at runtime)."""
    problems: list[str] = []

    class Check(Visitor):
        def enter_argument(self, node, *_):
            if node.name.value in ("first", "last") and isinstance(node.value, IntValueNode):
                value = int(node.value.value)
                if not 1 <= value <= 100:
                    problems.append(f"{node.name.value}: {value} (GitHub allows 1..100)")

    visit(document, Check())
    return problems


def output_compatible(sub: GraphQLType, real: GraphQLType) -> bool:
    """May a client written against ``sub`` read a value of type ``real``?

    Same named type and list nesting; and wherever GitHub may return null, the subset
    must say so too (otherwise loaders built on the emulator assume non-null and crash on
    real payloads). The subset may be *more* permissive (nullable where GitHub is not).
    """
    if isinstance(real, GraphQLNonNull):
        return output_compatible(
            sub.of_type if isinstance(sub, GraphQLNonNull) else sub, real.of_type
        )
    if isinstance(sub, GraphQLNonNull):
        return False  # subset promises non-null where GitHub may send null
    if isinstance(real, GraphQLList) or isinstance(sub, GraphQLList):
        both = isinstance(real, GraphQLList) and isinstance(sub, GraphQLList)
        return both and output_compatible(sub.of_type, real.of_type)
    return sub.name == real.name


def input_compatible(sub: GraphQLType, real: GraphQLType) -> bool:
    """Is every value a client may send under ``sub`` accepted by GitHub's ``real`` type?

    Where GitHub requires a value (non-null), the subset must require it too.
    """
    if isinstance(sub, GraphQLNonNull):
        return input_compatible(
            sub.of_type, real.of_type if isinstance(real, GraphQLNonNull) else real
        )
    if isinstance(real, GraphQLNonNull):
        return False  # GitHub requires it; a client following the subset may omit it
    if isinstance(real, GraphQLList) or isinstance(sub, GraphQLList):
        both = isinstance(real, GraphQLList) and isinstance(sub, GraphQLList)
        return both and input_compatible(sub.of_type, real.of_type)
    return sub.name == real.name


_BUILTIN = set(specified_scalar_types) | set(introspection_types)


def subset_mismatches(sub: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    """Everything ``sub`` defines that GitHub's schema does not define the same way."""
    problems: list[str] = []
    for name, t in sorted(sub.type_map.items()):
        if name in _BUILTIN:
            continue
        r = real.type_map.get(name)
        if r is None:
            problems.append(f"type {name}: not in GitHub's schema")
            continue
        if type(r) is not type(t):
            problems.append(f"type {name}: {type(t).__name__} here, {type(r).__name__} on GitHub")
            continue
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            problems += _field_mismatches(name, t, r)
            real_ifaces = {i.name for i in r.interfaces}
            problems += [
                f"type {name}: implements {i.name}, GitHub's does not"
                for i in t.interfaces
                if i.name not in real_ifaces
            ]
        elif isinstance(t, GraphQLInputObjectType):
            for fname, f in t.fields.items():
                rf = r.fields.get(fname)
                if rf is None:
                    problems.append(f"input {name}.{fname}: not in GitHub's schema")
                elif not input_compatible(f.type, rf.type):
                    problems.append(f"input {name}.{fname}: {f.type} here, {rf.type} on GitHub")
            problems += [
                f"input {name}.{fname}: required by GitHub ({rf.type}) but missing here"
                for fname, rf in r.fields.items()
                if isinstance(rf.type, GraphQLNonNull)
                and rf.default_value is Undefined
                and fname not in t.fields
            ]
        elif isinstance(t, GraphQLEnumType):
            problems += [
                f"enum {name}.{v}: not in GitHub's schema" for v in t.values if v not in r.values
            ]
        elif isinstance(t, GraphQLUnionType):
            real_members = {m.name for m in r.types}
            problems += [
                f"union {name}: member {m.name} not in GitHub's union"
                for m in t.types
                if m.name not in real_members
            ]
        elif isinstance(t, GraphQLScalarType):
            pass  # existence (checked above) is all a custom scalar declares
    for op in ("query", "mutation", "subscription"):
        root = getattr(sub, f"{op}_type")
        real_root = getattr(real, f"{op}_type")
        if root is not None and (real_root is None or root.name != real_root.name):
            problems.append(f"schema {op} root: {root.name} here, {real_root} on GitHub")
    return problems


def _field_mismatches(name: str, t, r) -> list[str]:
    problems: list[str] = []
    for fname, f in t.fields.items():
        rf = r.fields.get(fname)
        where = f"{name}.{fname}"
        if rf is None:
            problems.append(f"field {where}: not in GitHub's schema")
            continue
        if not output_compatible(f.type, rf.type):
            problems.append(f"field {where}: {f.type} here, {rf.type} on GitHub")
        for aname, a in f.args.items():
            ra = rf.args.get(aname)
            if ra is None:
                problems.append(f"argument {where}({aname}): not in GitHub's schema")
            elif not input_compatible(a.type, ra.type):
                problems.append(f"argument {where}({aname}): {a.type} here, {ra.type} on GitHub")
        problems += [
            f"argument {where}({aname}): required by GitHub ({ra.type}) but missing here"
            for aname, ra in rf.args.items()
            if isinstance(ra.type, GraphQLNonNull)
            and ra.default_value is Undefined
            and aname not in f.args
        ]
    return problems
