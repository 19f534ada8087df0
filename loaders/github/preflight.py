"""Is GitHub usable as configured? One free `/rate_limit` per token, no retries, before work.

A missing token, a rejected token or an API URL where nothing answers are settings problems:
the commands exit 2 with a message naming the variable to set, at once, instead of failing a
step after minutes of retries. A GitHub that answers slowly or with 5xx is no settings
problem: the check lets the steps run, which retry as usual.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError

from loaders.github.app_auth import AppAuthError
from loaders.github.client import GitHubClient
from loaders.github.errors import BadCredentials, GitHubError, TransientError
from loaders.github.settings import DEFAULT_API_URL, GitHubSettings

TOKEN_HINT = (
    "set GITHUB_TOKEN (one token) or GITHUB_TOKENS (several, comma-separated), or a GitHub "
    "App: GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY_PATH (docs/github_app.md)"
)
CHECK_TIMEOUT_SECONDS = 10.0


class GitHubSettingsProblem(ValueError):
    """GitHub cannot be used as configured; the message says which variable to set."""


def _url_origin(settings: GitHubSettings, env: Mapping[str, str]) -> str:
    if env.get("GITHUB_API_URL"):
        return f"GITHUB_API_URL={settings.api_url}"
    return f"{DEFAULT_API_URL} (GITHUB_API_URL is not set)"


def _unreachable_reason(url: str) -> str | None:
    """Why nothing answers at `url`'s host and port, when that is certain (the name does not
    resolve, or the port refuses connections); None when it may be a passing problem."""
    if requests.utils.get_environ_proxies(url):
        return None  # through a proxy, a direct probe says nothing
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=CHECK_TIMEOUT_SECONDS):
            return None
    except socket.gaierror:
        return f"the host name {host} does not resolve"
    except ConnectionRefusedError:
        return f"nothing is listening on {host}:{port} (connection refused)"
    except TimeoutError:
        return None
    except OSError as exc:
        return f"{host}:{port} cannot be reached ({exc.strerror or type(exc).__name__})"


def check_github(env: Mapping[str, str] | None = None) -> GitHubSettings:
    """The GitHub settings, once every token got an answer from `/rate_limit`; raises
    `GitHubSettingsProblem` for what only a change of settings can fix."""
    env = os.environ if env is None else env
    try:
        settings = GitHubSettings.from_env(
            env, max_retries=0, timeout_seconds=CHECK_TIMEOUT_SECONDS
        )
    except (ValidationError, ValueError) as exc:
        first = str(exc).strip().splitlines()
        raise GitHubSettingsProblem(
            "invalid GitHub settings (GITHUB_API_URL, GITHUB_GRAPHQL_URL, GITHUB_TOKENS, "
            "GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_PATH, GITHUB_APP_PRIVATE_KEY, "
            f"WAREHOUSE_API_RESERVE, WAREHOUSE_BUDGET_SHARE): {' '.join(first[:3])}"
        ) from None
    if not settings.tokens and not settings.uses_app:
        raise GitHubSettingsProblem(
            f"no GitHub token: {TOKEN_HINT}. GitHub's GraphQL API, which every load uses, "
            "refuses anonymous requests."
        )
    where = _url_origin(settings, env)
    with GitHubClient(settings, sleep=lambda _s: None) as client:
        try:
            client.can_spend("core")  # reads each token's free /rate_limit: validates them
        except BadCredentials as exc:
            raise GitHubSettingsProblem(
                f"{exc} at {where}: {TOKEN_HINT} with a valid one"
            ) from None
        except AppAuthError as exc:  # names the variables, never the key
            raise GitHubSettingsProblem(f"{exc} (at {where})") from None
        except TransientError:
            reason = _unreachable_reason(settings.api_url)
            if reason is None:
                return settings  # slow or failing GitHub: the steps retry
            raise GitHubSettingsProblem(
                f"cannot reach GitHub at {where}: {reason}. Set GITHUB_API_URL to the API you "
                "mean (GitHub Enterprise: https://HOST/api/v3; the emulator: "
                "http://127.0.0.1:8765), or check the network."
            ) from None
        except GitHubError:
            pass  # a budget already at the reserve, ...: for the steps to report
    return settings
