"""GitHub App authentication: JWT -> installation access token, one per installation.

The app signs a short JWT with its private key (RS256, `iat` 60 s in the past against clock
drift, `exp` at most 10 minutes ahead, `iss` = app id):
https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
and trades it for an installation access token that expires after one hour:
https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app

Installations take the place of tokens in the client: installation #k is budget slot k-1
(each installation has its own rate limit). `GET /app/installations` lists them on first
use; a REST request on `/repos/{owner}/…` goes to the installation of that owner (found by
`GET /repos/{owner}/{repo}/installation` when the list did not name it), other requests
(GraphQL, owners the app is not installed on: public data) to the one with most budget.
Tokens are renewed `app_token_refresh_seconds` before they expire (measured on the
monotonic clock from the lifetime GitHub announces, `expires_at - Date`) and at once when
GitHub answers 401 mid-run. The key, JWTs and tokens live only in this object's memory:
`secrets()` lets the transport scrub them from any text it reports.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jwt

from loaders.github.errors import GitHubError

if TYPE_CHECKING:
    from loaders.github.settings import GitHubSettings
    from loaders.github.transport import Reply

log = logging.getLogger("loaders.github")

#: GitHub: `iat` 60 s in the past (clock drift); `exp` no more than 10 minutes ahead.
JWT_BACKDATE_SECONDS = 60
JWT_LIFETIME_SECONDS = 540
_REPO_PATH = re.compile(r"/repos/([^/]+)/([^/]+)")

#: Sends one JWT-authenticated request: (method, path below the API URL) -> Reply.
AppSender = Callable[[str, str], "Reply"]


class AppAuthError(GitHubError):
    """The GitHub App cannot authenticate (bad key or id, not installed anywhere)."""


@dataclass
class Installation:
    id: int
    account: str  # owner login, lower case
    token: str | None = None
    expires: float = 0.0  # monotonic deadline


class AppInstallations:
    """Installation tokens of one GitHub App; thread-safe (one lock around minting)."""

    def __init__(
        self,
        settings: GitHubSettings,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        assert settings.app_id is not None and settings.app_private_key is not None
        self.app_id = settings.app_id
        self._key = settings.app_private_key
        self._refresh = settings.app_token_refresh_seconds
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.RLock()
        self.installations: list[Installation] = []
        self._by_owner: dict[str, int | None] = {}  # owner -> index (None: not installed)
        self._discovered = False
        self._jwt: tuple[str, float] | None = None  # (token, wall-clock expiry)
        self.tokens_minted = 0
        self.renewed_after_401 = 0

    def __repr__(self) -> str:
        return f"AppInstallations(app_id={self.app_id}, installations={len(self.installations)})"

    # --- secrets ---------------------------------------------------------------------------

    def secrets(self) -> list[str]:
        """Every secret this object holds, for redaction: key, current JWT, tokens."""
        found = [self._key.get_secret_value()]
        if self._jwt is not None:
            found.append(self._jwt[0])
        found += [i.token for i in self.installations if i.token]
        return found

    def jwt(self) -> str:
        """A JWT of the app, reused until a minute before it expires."""
        now = self._wall()
        with self._lock:
            if self._jwt is None or self._jwt[1] - now < 60:
                claims = {
                    "iat": int(now) - JWT_BACKDATE_SECONDS,
                    "exp": int(now) + JWT_LIFETIME_SECONDS,
                    "iss": str(self.app_id),
                }
                try:
                    token = jwt.encode(claims, self._key.get_secret_value(), algorithm="RS256")
                except (ValueError, TypeError, jwt.PyJWTError):
                    # The library's message could quote key material: only the type goes out.
                    raise AppAuthError(
                        f"GitHub App {self.app_id}: the private key cannot sign a JWT "
                        "(GITHUB_APP_PRIVATE_KEY_PATH / GITHUB_APP_PRIVATE_KEY must hold the "
                        "RSA key downloaded from the app's settings page)"
                    ) from None
                self._jwt = (token, now + JWT_LIFETIME_SECONDS)
            return self._jwt[0]

    # --- installations ---------------------------------------------------------------------

    def discover(self, send: AppSender) -> int:
        """List the app's installations once (`GET /app/installations`); returns how many."""
        with self._lock:
            if self._discovered:
                return len(self.installations)
            page = 1
            while True:
                reply = send("GET", f"app/installations?per_page=100&page={page}")
                body = self._expect(reply, 200, "listing its installations")
                for item in body if isinstance(body, list) else []:
                    self._add(int(item["id"]), str(item["account"]["login"]))
                if not isinstance(body, list) or len(body) < 100:
                    break
                page += 1
            if not self.installations:
                raise AppAuthError(
                    f"GitHub App {self.app_id} is not installed anywhere: install it on the "
                    "organisations whose repositories the workspaces track"
                )
            self._discovered = True
            return len(self.installations)

    def _add(self, installation_id: int, account: str) -> int:
        for index, known in enumerate(self.installations):
            if known.id == installation_id:
                return index
        self.installations.append(Installation(installation_id, account.lower()))
        index = len(self.installations) - 1
        self._by_owner[account.lower()] = index
        return index

    def index_for_url(self, url: str, send: AppSender) -> int | None:
        """The installation serving `/repos/{owner}/{repo}/…` (None: not the app's owner)."""
        match = _REPO_PATH.search(urlsplit(url).path)
        if match is None:
            return None
        owner, repo = match.group(1).lower(), match.group(2)
        with self._lock:
            if owner in self._by_owner:
                return self._by_owner[owner]
            reply = send("GET", f"repos/{owner}/{repo}/installation")
            if reply.response.status_code == 404:
                self._by_owner[owner] = None  # public data: any installation may read it
                return None
            body = self._expect(reply, 200, f"finding its installation for {owner}")
            index = self._add(int(body["id"]), str(body["account"]["login"]))
            self._by_owner[owner] = index
            return index

    # --- tokens ----------------------------------------------------------------------------

    def token(self, index: int, send: AppSender) -> str:
        """A live token of installation `index`, minted or renewed when due."""
        with self._lock:
            inst = self.installations[index]
            if inst.token is None or inst.expires - self._monotonic() <= self._refresh:
                self._mint(inst, send)
            assert inst.token is not None
            return inst.token

    def invalidate(self, index: int) -> None:
        """GitHub refused the token (401): forget it so the next request mints a new one."""
        with self._lock:
            self.installations[index].token = None
            self.renewed_after_401 += 1

    def _mint(self, inst: Installation, send: AppSender) -> None:
        reply = send("POST", f"app/installations/{inst.id}/access_tokens")
        body = self._expect(reply, 201, f"minting a token for installation {inst.id}")
        try:
            token = str(body["token"])
            expires_at = datetime.fromisoformat(str(body["expires_at"]).replace("Z", "+00:00"))
        except (KeyError, TypeError, ValueError):
            raise AppAuthError(
                f"GitHub App {self.app_id}: malformed access token answer for installation "
                f"{inst.id}"
            ) from None
        # Lifetime as GitHub states it (expires_at - Date): immune to our clock's skew.
        served = _server_time(reply.response.headers.get("Date")) or self._wall()
        lifetime = max(expires_at.timestamp() - served, 0.0)
        inst.token = token
        inst.expires = self._monotonic() + lifetime
        self.tokens_minted += 1
        log.info(
            "GitHub App %s: new token for installation %d (%s), valid %.0f s",
            self.app_id,
            inst.id,
            inst.account,
            lifetime,
        )

    def _expect(self, reply: Reply, status: int, doing: str) -> Any:
        got = reply.response.status_code
        if got == status:
            return reply.body
        if got == 401:
            raise AppAuthError(
                f"GitHub rejected the JWT of GitHub App {self.app_id} while {doing} (401): "
                "check GITHUB_APP_ID and that the private key belongs to that app"
            )
        raise AppAuthError(f"GitHub App {self.app_id}: HTTP {got} while {doing}")


def _server_time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
