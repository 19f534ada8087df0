"""The one GitHub client: auth, budgets and reserve, retries, error classification.

from loaders.github import GitHubClient, GitHubSettings, BudgetExhausted
client = GitHubClient(GitHubSettings.from_env())
data = client.graphql(QUERY, {"owner": "dlt-hub", "name": "dlt"})
"""

from loaders.github.budget import Budget, ResourceBudget
from loaders.github.client import GitHubClient
from loaders.github.cost import estimate_cost
from loaders.github.errors import (
    BadCredentials,
    BudgetExhausted,
    Forbidden,
    GitHubError,
    GraphQLError,
    GraphQLErrors,
    GraphQLTimeout,
    NotFound,
    QueryTooLarge,
    RepositoryRenamed,
    SecondaryRateLimited,
    TransientError,
    UnexpectedStatus,
)
from loaders.github.graphql_calls import raise_if_unusable
from loaders.github.responses import GraphQLResult, RestResponse
from loaders.github.settings import GitHubSettings, derive_graphql_url
from loaders.github.stats import ClientStats

__all__ = [
    "BadCredentials",
    "Budget",
    "BudgetExhausted",
    "ClientStats",
    "Forbidden",
    "GitHubClient",
    "GitHubError",
    "GitHubSettings",
    "GraphQLError",
    "GraphQLErrors",
    "GraphQLResult",
    "GraphQLTimeout",
    "NotFound",
    "QueryTooLarge",
    "RepositoryRenamed",
    "ResourceBudget",
    "RestResponse",
    "SecondaryRateLimited",
    "TransientError",
    "UnexpectedStatus",
    "derive_graphql_url",
    "estimate_cost",
    "raise_if_unusable",
]
