"""Session fixtures for the fidelity kit: real GitHub reference data, fetched once.

Each fixture turns :class:`FixtureUnavailable` (registry unreachable, npm missing)
into a skip carrying the reason, so an offline laptop skips instead of failing.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLSchema

from . import recorded
from .openapi import RestDescription, github_rest_description
from .recorded import Recorded, obtain_or_skip


@pytest.fixture(scope="session")
def real_schema() -> GraphQLSchema:
    return obtain_or_skip(recorded.real_schema, "@octokit/graphql-schema")


@pytest.fixture(scope="session")
def octokit_recordings() -> list[Recorded]:
    return obtain_or_skip(recorded.octokit_recordings, "@octokit/fixtures")


@pytest.fixture(scope="session")
def gidgethub_recordings() -> list[Recorded]:
    return obtain_or_skip(recorded.gidgethub_recordings, "gidgethub sdist")


@pytest.fixture(scope="session")
def gidgethub_graphql_samples() -> dict[str, Any]:
    return obtain_or_skip(recorded.gidgethub_graphql_samples, "gidgethub sdist")


@pytest.fixture(scope="session")
def all_recordings(
    octokit_recordings: list[Recorded], gidgethub_recordings: list[Recorded]
) -> list[Recorded]:
    return [*octokit_recordings, *gidgethub_recordings]


@pytest.fixture(scope="session")
def rest_description() -> RestDescription:
    return obtain_or_skip(github_rest_description, "@octokit/openapi")
