"""GitHub App authentication against the emulator: JWT -> installation tokens per owner,
renewal before expiry and after a 401 mid-run, budgets per installation, secrets kept out
of logs and errors; plus the settings that read the key from a file or a variable."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from loaders.emulator.testing import run_emulator
from loaders.github import GitHubClient, GitHubSettings
from loaders.github.app_auth import AppAuthError
from pytests.app_keys import pem_pair

APP_ID = 4242
REPO_QUERY = """
query Repo {
  repository(owner: "acme", name: "api-server") { nameWithOwner }
}
"""


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return pem_pair()


@pytest.fixture
def gh(keys: tuple[str, str]) -> Iterator[Any]:
    with run_emulator("small", seed=1) as handle:
        handle.configure_app(APP_ID, keys[1])
        yield handle


def _app_settings(gh: Any, private_key: str, **extra: Any) -> GitHubSettings:
    return GitHubSettings(
        api_url=gh.base_url,
        app_id=APP_ID,
        app_private_key=SecretStr(private_key),
        reserve=0,
        backoff_base_seconds=0,
        **extra,
    )


def _secret_fragments(client: GitHubClient, private_key: str) -> list[str]:
    app = client._transport.app
    assert app is not None
    body = "".join(private_key.splitlines()[1:-1])
    return [body[:40], body[-40:], *(s for s in app.secrets() if not s.startswith("-----"))]


def test_app_tokens_per_installation_renewed_early_and_after_a_401(gh, keys, caplog):
    caplog.set_level(logging.DEBUG)
    client = GitHubClient(_app_settings(gh, keys[0]), clock=lambda: gh.now)
    with client:
        assert client.can_spend("graphql")  # `warehouse plan`: every installation's budget
        assert client.budget.token_count == len(gh.world.orgs)
        assert client.budget.unknown_tokens("graphql") == []
        repo = client.rest("/repos/acme/api-server")
        assert repo.json["full_name"] == "acme/api-server"
        app = client._transport.app
        assert app is not None
        # Every owner of the world is an installation: each has its own budget slot.
        owners = {i.account for i in app.installations}
        assert owners == {o.lower() for o in gh.world.orgs}
        acme = next(k for k, i in enumerate(app.installations) if i.account == "acme")
        assert app.installations[acme].token is not None  # REST went to the owner's one
        client.rest("/repos/nebula/orbit")
        assert client.graphql(REPO_QUERY)["repository"]["nameWithOwner"] == "acme/api-server"
        budgets = {(row["token"], row["resource"]) for row in client.budget.snapshot()}
        assert (acme + 1, "core") in budgets
        assert client.settings.token_label(acme).startswith("installation #")
        issued = gh.stats()["app_tokens_issued"]

        gh.revoke_app_tokens()  # every token dies mid-run: the next request gets a 401
        assert client.rest("/repos/acme/api-server").status == 200
        assert app.renewed_after_401 == 1
        assert gh.stats()["app_tokens_rejected"] == 1
        assert gh.stats()["app_tokens_issued"] == issued + 1

        # Due for renewal (inside the refresh margin): renewed before GitHub refuses it.
        app.installations[acme].expires = app._monotonic() + 1
        client.rest("/repos/acme/api-server")
        assert gh.stats()["app_tokens_issued"] == issued + 2
        assert gh.stats()["app_tokens_rejected"] == 1
        # The installation's tokens share one budget on the server, as on GitHub.
        assert client.budget.entry(acme, "core").remaining == 5000 - 3
        fragments = _secret_fragments(client, keys[0])
    assert len(fragments) >= 4
    for text in (caplog.text, repr(client), repr(client.settings), str(client.settings)):
        assert not [f for f in fragments if f in text]


def test_wrong_key_and_foreign_owner(gh, keys):
    other_private, _ = pem_pair()
    client = GitHubClient(_app_settings(gh, other_private))
    with client, pytest.raises(AppAuthError) as caught:
        client.rest("/repos/acme/api-server")
    message = str(caught.value)
    assert "GITHUB_APP_ID" in message and "401" in message
    assert not [f for f in _secret_fragments(client, other_private) if f in message]

    gh.configure_app(APP_ID, keys[1], accounts=["acme"])  # installed on one owner only
    with GitHubClient(_app_settings(gh, keys[0])) as client:
        # Another owner's public repository is read with the app's one installation.
        assert client.rest("/repos/nebula/orbit").json["full_name"] == "nebula/orbit"
        assert [i.account for i in client._transport.app.installations] == ["acme"]


def test_settings_read_the_key_from_a_file_or_a_variable(tmp_path: Path, keys):
    key_file = tmp_path / "app.pem"
    key_file.write_text(keys[0])
    from_file = GitHubSettings.from_env(
        {"GITHUB_APP_ID": "7", "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file)}
    )
    assert from_file.uses_app and from_file.app_id == 7
    escaped = keys[0].replace("\n", "\\n")  # how CI secrets often arrive
    from_var = GitHubSettings.from_env({"GITHUB_APP_ID": "7", "GITHUB_APP_PRIVATE_KEY": escaped})
    assert from_var.app_private_key.get_secret_value() == keys[0]
    assert keys[0][40:80] not in repr(from_var)

    with pytest.raises(ValueError, match=r"GITHUB_APP_PRIVATE_KEY_PATH=.*cannot be read"):
        GitHubSettings.from_env({"GITHUB_APP_ID": "7", "GITHUB_APP_PRIVATE_KEY_PATH": "/nope"})
    with pytest.raises(ValueError, match="both GITHUB_APP_ID and its private key"):
        GitHubSettings.from_env({"GITHUB_APP_ID": "7"})
    with pytest.raises(ValueError, match="GITHUB_APP_ID must be the app's numeric id"):
        GitHubSettings.from_env({"GITHUB_APP_ID": "my-app", "GITHUB_APP_PRIVATE_KEY": keys[0]})
    with pytest.raises(ValueError, match="not a PEM key") as caught:
        GitHubSettings(app_id=7, app_private_key="not-a-pem-but-a-secret-value-7f3a")
    assert "not-a-pem-but-a-secret-value-7f3a" not in str(caught.value)


def test_preflight_accepts_an_app_and_names_the_variables_when_it_fails(gh, keys, tmp_path):
    from loaders.github.preflight import GitHubSettingsProblem, check_github

    key_file = tmp_path / "app.pem"
    key_file.write_text(keys[0])
    env = {
        "GITHUB_API_URL": gh.base_url,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file),
    }
    assert check_github(env).uses_app
    key_file.write_text(pem_pair()[0])  # a key of another app
    with pytest.raises(GitHubSettingsProblem, match="GITHUB_APP_ID") as caught:
        check_github(env)
    assert "PRIVATE KEY" not in str(caught.value)
