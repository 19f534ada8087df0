"""Reach the emulator (another engineer's `loaders/emulator/`) or skip while it is absent."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from graphql import GraphQLSchema, build_schema


def import_or_skip(module: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            pytest.skip(f"{what} not written yet ({exc.name} is absent)")
        raise


def emulator_schema() -> GraphQLSchema:
    """The emulator's GraphQL subset (`build_github_schema()`, or its `SDL`)."""
    module = import_or_skip("loaders.emulator.schema", "emulator schema")
    if hasattr(module, "build_github_schema"):
        return module.build_github_schema()
    if hasattr(module, "SDL"):
        return build_schema(module.SDL)
    pytest.skip("loaders.emulator.schema exposes neither build_github_schema() nor SDL")
