"""Configuration of the GitHub client: where to talk, with which tokens, how patiently."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

DEFAULT_API_URL = "https://api.github.com"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def derive_graphql_url(api_url: str) -> str:
    """GraphQL endpoint for a REST base URL.

    github.com serves GraphQL at `api.github.com/graphql`; GitHub Enterprise Server serves
    REST at `/api/v3` and GraphQL at `/api/graphql`; anything else (the emulator, proxies)
    at `{api_url}/graphql`.
    """
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):
        return base[: -len("/v3")] + "/graphql"
    return base + "/graphql"


class GitHubSettings(BaseModel):
    """Everything the client needs; tokens are `SecretStr` so reprs never show them."""

    # hide_input_in_errors: a validation error must never echo a token or a private key.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    api_url: str = DEFAULT_API_URL
    #: Derived from `api_url` when not given (see `derive_graphql_url`).
    graphql_url: str | None = None
    #: Empty means anonymous requests (60 REST calls an hour on github.com; fine for the emulator).
    tokens: list[SecretStr] = Field(default_factory=list)
    #: Points per token and resource that are never spent, left for humans and other jobs.
    reserve: int = Field(default=1000, ge=0)
    #: Cap on the share of each token's hourly limit this client may spend (None: no cap).
    budget_share: float | None = Field(default=None, gt=0, le=1)
    max_retries: int = Field(default=5, ge=0)
    backoff_base_seconds: float = Field(default=1.0, ge=0)
    backoff_max_seconds: float = Field(default=60.0, ge=0)
    #: Longest single wait (retry-after, budget reset) the client sits through before giving up.
    max_wait_seconds: float = Field(default=120.0, ge=0)
    #: Wait after a secondary-limit answer that came without `retry-after` (GitHub: >= 1 min).
    secondary_limit_wait_seconds: float = Field(default=60.0, ge=0)
    #: GraphQL 502/504 and read timeouts mean "query too heavy": retry it only this often,
    #: then raise `GraphQLTimeout` so the caller can halve its page size.
    graphql_timeout_retries: int = Field(default=2, ge=0)
    timeout_seconds: float = Field(default=30.0, gt=0)
    user_agent: str = "workspace-warehouse"
    #: Secondary limits every client of the process shares (loaders/github/throttle.py);
    #: GitHub's documented maxima unless WAREHOUSE_MAX_CONCURRENT_REQUESTS,
    #: WAREHOUSE_REST_POINTS_PER_MINUTE or WAREHOUSE_GRAPHQL_POINTS_PER_MINUTE say otherwise
    #: (e.g. a GitHub Enterprise Server with other limits, or an emulator with none).
    max_concurrent_requests: int = Field(
        default_factory=lambda: _env_int("WAREHOUSE_MAX_CONCURRENT_REQUESTS", 100), ge=1
    )
    rest_points_per_minute: int = Field(
        default_factory=lambda: _env_int("WAREHOUSE_REST_POINTS_PER_MINUTE", 900), ge=1
    )
    graphql_points_per_minute: int = Field(
        default_factory=lambda: _env_int("WAREHOUSE_GRAPHQL_POINTS_PER_MINUTE", 2000), ge=1
    )
    #: GitHub App authentication (instead of `tokens`): the app's id and its private key (PEM).
    #: The client mints installation tokens per installation; see docs/github_app.md.
    app_id: int | None = Field(default=None, gt=0)
    app_private_key: SecretStr | None = None
    #: Renew an installation token this long before it expires (GitHub: tokens last 1 hour).
    app_token_refresh_seconds: float = Field(default=300.0, ge=0)

    @field_validator("api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("api_url must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _fill_graphql_url(self) -> GitHubSettings:
        if self.graphql_url is None:
            object.__setattr__(self, "graphql_url", derive_graphql_url(self.api_url))
        if (self.app_id is None) != (self.app_private_key is None):
            raise ValueError(
                "a GitHub App needs both GITHUB_APP_ID and its private key "
                "(GITHUB_APP_PRIVATE_KEY_PATH or GITHUB_APP_PRIVATE_KEY)"
            )
        if self.app_private_key is not None and (
            "PRIVATE KEY-----" not in self.app_private_key.get_secret_value()
        ):
            raise ValueError(
                "the GitHub App private key is not a PEM key (it must contain "
                "'-----BEGIN RSA PRIVATE KEY-----'): download it from the app's settings page"
            )
        return self

    @property
    def uses_app(self) -> bool:
        """True when requests authenticate as a GitHub App installation, not with tokens."""
        return self.app_id is not None

    @property
    def endpoint_graphql(self) -> str:
        """`graphql_url`, typed as always set (the validator fills it in)."""
        assert self.graphql_url is not None
        return self.graphql_url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> GitHubSettings:
        """Read `GITHUB_API_URL`, `GITHUB_GRAPHQL_URL`, `GITHUB_TOKENS` (comma-separated) or
        `GITHUB_TOKEN`, `WAREHOUSE_API_RESERVE`, `WAREHOUSE_BUDGET_SHARE`; keyword overrides win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if env.get("GITHUB_API_URL"):
            values["api_url"] = env["GITHUB_API_URL"]
        if env.get("GITHUB_GRAPHQL_URL"):
            values["graphql_url"] = env["GITHUB_GRAPHQL_URL"]
        tokens = env.get("GITHUB_TOKENS") or env.get("GITHUB_TOKEN")
        if tokens:
            values["tokens"] = tokens
        if env.get("WAREHOUSE_API_RESERVE"):
            values["reserve"] = int(env["WAREHOUSE_API_RESERVE"])
        if env.get("WAREHOUSE_BUDGET_SHARE"):
            values["budget_share"] = float(env["WAREHOUSE_BUDGET_SHARE"])
        values.update(_app_from_env(env))
        values.update(overrides)
        return cls(**values)

    def token_label(self, index: int) -> str:
        """How a token is named in messages: by position, never by value."""
        if self.uses_app:
            return f"installation #{index + 1} of GitHub App {self.app_id}"
        if not self.tokens:
            return "anonymous access (no token configured: set GITHUB_TOKEN or GITHUB_TOKENS)"
        return f"token #{index + 1} of GITHUB_TOKENS ({len(self.tokens)} configured)"


def _app_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """`GITHUB_APP_ID` and the key from `GITHUB_APP_PRIVATE_KEY_PATH` (a PEM file) or
    `GITHUB_APP_PRIVATE_KEY` (the PEM itself, e.g. a CI secret). Errors name the variable,
    never the key."""
    values: dict[str, Any] = {}
    if env.get("GITHUB_APP_ID"):
        try:
            values["app_id"] = int(env["GITHUB_APP_ID"])
        except ValueError:
            raise ValueError(
                "GITHUB_APP_ID must be the app's numeric id (its settings page, 'App ID')"
            ) from None
    path = env.get("GITHUB_APP_PRIVATE_KEY_PATH")
    if path:
        try:
            values["app_private_key"] = SecretStr(Path(path).expanduser().read_text())
        except OSError as exc:
            raise ValueError(
                f"GITHUB_APP_PRIVATE_KEY_PATH={path} cannot be read ({exc.strerror})"
            ) from None
    elif env.get("GITHUB_APP_PRIVATE_KEY"):
        # CI secrets often arrive with literal "\n" instead of line breaks.
        values["app_private_key"] = SecretStr(env["GITHUB_APP_PRIVATE_KEY"].replace("\\n", "\n"))
    return values
