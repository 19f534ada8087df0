"""Prepare (parse, validate, analyse cost) and execute GraphQL requests."""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    execute,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from ..schema import build_github_schema
from ..world.ids import USER_ID_BASE, parse_node_id
from ..world.world import World
from .cost import analyse, check_pricing
from .executor import FastExecution
from .resolvers import WRAPPERS, CommitNode, Ctx, ForkNode, OrgNode, RepositoryNode, actor


class NotFound(Exception):
    """A GitHub `NOT_FOUND` error (the field resolves to null)."""


@dataclass
class Prepared:
    document: DocumentNode | None
    variables: dict
    operation_name: str | None
    cost: int = 1
    node_count: int = 0
    dry_run: bool = False
    errors: list[dict] = field(default_factory=list)
    operation: OperationDefinitionNode | None = None
    coerced: Any = None  # graphql-core VariableValues
    introspection: bool = False


class Root:
    """Resolvers of `Query`."""

    def __init__(self, ctx: Ctx, dry_run: bool) -> None:
        self.c, self.dry_run = ctx, dry_run

    def repository(self, info: Any, owner: str, name: str, followRenames: bool = True) -> Any:
        if self.dry_run:
            return None
        status, repo = self.c.world.resolve(f"{owner}/{name}")
        if repo is None or (status == "renamed" and not followRenames):
            raise NotFound(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        return RepositoryNode(repo, self.c)

    def node(self, info: Any, id: str) -> Any:
        if self.dry_run:
            return None
        found = self._lookup(id)
        if found is None:
            raise NotFound(f"Could not resolve to a node with the global id of '{id}'")
        return found

    def nodes(self, info: Any, ids: list[str]) -> list:
        if self.dry_run:
            return []
        out = []
        for i in ids:
            found = self._lookup(i)
            if found is None:
                raise NotFound(f"Could not resolve to a node with the global id of '{i}'")
            out.append(found)
        return out

    def rateLimit(self, info: Any, dryRun: bool = False) -> dict:
        return self.c.rate

    def _lookup(self, nid: str) -> Any:
        parsed = parse_node_id(nid)
        if parsed is None:
            return None
        type_name, key = parsed
        w, t = self.c.world, self.c.t
        if type_name == "Commit":
            idx, _, sha = key.partition(":")
            if not idx.isdigit() or int(idx) >= len(w.repos):
                return None
            c = w.data(w.repos[int(idx)]).commit_by_sha.get(sha)
            return CommitNode(c, self.c) if c is not None and c.committed_at <= t else None
        if not key.isdigit():
            return None
        num = int(key)
        if type_name in ("User", "Bot", "Organization"):
            i = num - USER_ID_BASE
            if 0 <= i < len(w.users):
                return actor(w.users[i], self.c)
            org = next((o for o in w.orgs.values() if o.id == num), None)
            return OrgNode(org, self.c) if org else None
        if type_name == "Repository":
            repo = w.repo_by_id(num)
            if repo is not None:
                return RepositoryNode(repo, self.c)
        repo = w.repo_of_item(num)
        if repo is None:
            return None
        obj = w.data(repo).by_id.get(num)
        if obj is None or _created(obj) > t:
            return None
        wrapper = WRAPPERS.get(type(obj))
        node = wrapper(obj, self.c) if wrapper else None
        if node is None or (type_name != node.TYPENAME and not isinstance(node, ForkNode)):
            return None
        return node


def _created(obj: Any) -> int:
    """When an object became visible (categories exist from the start)."""
    for attr in ("submitted_at", "created_at"):
        value = getattr(obj, attr, None)
        if value is not None:
            return value
    return 0


class GraphQLApi:
    def __init__(self, world: World) -> None:
        self.world = world
        self.schema = build_github_schema()
        self.pricing = check_pricing(os.environ.get("EMULATOR_PRICING") or "documented")
        self._docs: OrderedDict[str, tuple[DocumentNode | None, list[dict]]] = OrderedDict()

    def _document(self, query: str) -> tuple[DocumentNode | None, list[dict]]:
        hit = self._docs.get(query)
        if hit is not None:
            return hit
        try:
            doc = parse(query)
        except GraphQLError as exc:
            hit = (None, [_format(exc)])
        else:
            errors = validate(self.schema, doc)
            hit = (doc, [_format(e) for e in errors])
        self._docs[query] = hit
        if len(self._docs) > 512:
            self._docs.popitem(last=False)
        return hit

    def prepare(self, query: str, variables: dict, operation_name: str | None) -> Prepared:
        doc, errors = self._document(query)
        p = Prepared(doc, variables, operation_name, errors=list(errors))
        if doc is None or errors:
            return p
        ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name:
            ops = [o for o in ops if o.name and o.name.value == operation_name]
        if len(ops) != 1:
            p.errors.append(
                {
                    "message": "Must provide operation name if query contains multiple operations."
                    if not operation_name
                    else f"Unknown operation named '{operation_name}'."
                }
            )
            return p
        if ops[0].operation.value != "query":
            p.errors.append({"message": f"Schema is not configured for {ops[0].operation.value}s."})
            return p
        frags = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
        coerced = get_variable_values(self.schema, ops[0].variable_definitions or (), variables)
        if isinstance(coerced, list):
            p.errors.extend(_format(e) for e in coerced)
            return p
        p.operation, p.coerced = ops[0], coerced
        p.introspection = "__schema" in query or "__type(" in query
        a = analyse(self.schema, ops[0], frags, coerced.coerced, self.pricing)  # defaults applied
        p.cost, p.node_count, p.dry_run = a.cost, a.node_count, a.dry_run
        p.errors.extend(a.errors)
        return p

    def execute(self, p: Prepared, rate: dict, reference: bool = False) -> dict:
        """Run a prepared query. `reference=True` (and introspection) uses graphql-core's
        own executor; otherwise the lean one (same answers, several times faster)."""
        ctx = Ctx(self.world, self.world.now, rate)
        assert p.document is not None and p.operation is not None
        root = Root(ctx, p.dry_run)
        if not (reference or p.introspection):
            return FastExecution(self.schema, p.document, p.operation, p.coerced, _format).run(root)
        result = execute(
            self.schema,
            p.document,
            root_value=root,
            variable_values=p.variables,
            operation_name=p.operation_name,
        )
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = [_format(e) for e in result.errors]
        return out


def _format(e: GraphQLError) -> dict:
    d: dict = {}
    if isinstance(e.original_error, NotFound):
        d["type"] = "NOT_FOUND"
    if e.path:
        d["path"] = list(e.path)
    if e.locations:
        d["locations"] = [{"line": loc.line, "column": loc.column} for loc in e.locations]
    d["message"] = e.message
    return d
