"""Settings: environment, derived GraphQL URL, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loaders.github import GitHubSettings, derive_graphql_url


@pytest.mark.parametrize(
    ("api_url", "graphql_url"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://ghe.corp.example/api/v3/", "https://ghe.corp.example/api/graphql"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/graphql"),
    ],
)
def test_graphql_url_is_derived(api_url, graphql_url):
    assert derive_graphql_url(api_url) == graphql_url
    assert GitHubSettings(api_url=api_url).graphql_url == graphql_url


def test_from_env_reads_tokens_reserve_and_urls():
    settings = GitHubSettings.from_env(
        {
            "GITHUB_API_URL": "http://127.0.0.1:9/",
            "GITHUB_TOKENS": "one, two ,,three",
            "GITHUB_TOKEN": "ignored",
            "WAREHOUSE_API_RESERVE": "250",
            "WAREHOUSE_BUDGET_SHARE": "0.6",
        },
        max_retries=1,
    )
    assert settings.api_url == "http://127.0.0.1:9"
    assert [t.get_secret_value() for t in settings.tokens] == ["one", "two", "three"]
    assert settings.reserve == 250 and settings.budget_share == 0.6
    assert settings.max_retries == 1
    assert settings.token_label(1) == "token #2 of GITHUB_TOKENS (3 configured)"


def test_from_env_falls_back_to_github_token_and_defaults():
    settings = GitHubSettings.from_env({"GITHUB_TOKEN": "solo"})
    assert [t.get_secret_value() for t in settings.tokens] == ["solo"]
    assert settings.api_url == "https://api.github.com" and settings.reserve == 1000
    empty = GitHubSettings.from_env({"GITHUB_GRAPHQL_URL": "http://127.0.0.1:1/gql"})
    assert empty.tokens == [] and empty.graphql_url == "http://127.0.0.1:1/gql"


@pytest.mark.parametrize(
    "bad",
    [{"api_url": "api.github.com"}, {"reserve": -1}, {"budget_share": 0}, {"unknown": 1}],
)
def test_invalid_settings_are_rejected(bad):
    with pytest.raises(ValidationError):
        GitHubSettings(**bad)


def test_token_labels_name_the_variables_to_set():
    assert "set GITHUB_TOKEN or GITHUB_TOKENS" in GitHubSettings().token_label(0)
    two = GitHubSettings(tokens="a,b")
    assert two.token_label(1) == "token #2 of GITHUB_TOKENS (2 configured)"
