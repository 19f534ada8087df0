"""GitHub App authentication: installations per owner, JWTs, expiring installation tokens.

The endpoints GitHub documents for an app authenticating as itself (a JWT signed RS256 with
the app's private key, `iss` = app id, at most 10 minutes long) and for the installation
access tokens it then uses (they expire after one hour):
https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app

    GET  /app/installations                      (JWT)
    GET  /repos/{owner}/{repo}/installation      (JWT)
    POST /app/installations/{id}/access_tokens   (JWT) -> 201 {token, expires_at, ...}

Token lifetimes run on the wall clock (like secondary limits: tests shorten them to seconds
and let a load run past them); `expires_at` is written on the virtual clock, as is `Date`,
so a client reading `expires_at - Date` learns the true lifetime. Secrets (JWTs, tokens)
never reach stats or answers other than the one that issues a token.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import jwt

from .world.world import World, iso

#: GitHub: "The time must be no more than 10 minutes into the future" (JWT `exp`).
MAX_JWT_SECONDS = 600
#: GitHub: installation access tokens expire after one hour.
TOKEN_TTL_SECONDS = 3600.0
#: What the emulator's installations grant: read access to what the loaders fetch.
PERMISSIONS = {
    "metadata": "read",
    "contents": "read",
    "issues": "read",
    "pull_requests": "read",
    "discussions": "read",
}
INSTALLATION_ID_BASE = 40_000_000

_ACCESS_TOKENS = re.compile(r"^/app/installations/(\d+)/access_tokens$")
_REPO_INSTALLATION = re.compile(r"^/repos/([^/]+)/([^/]+)/installation$")


@dataclass(frozen=True)
class Issued:
    installation_id: int
    expires: float  # time.monotonic()


@dataclass(frozen=True)
class AppReply:
    status: int
    body: dict | list


class AppAuth:
    """One registered GitHub App (none until `configure`), installed on the world's owners."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.app_id: int | None = None
        self._public_key: Any = None
        self.token_ttl = TOKEN_TTL_SECONDS
        self._accounts: dict[str, int] = {}  # owner login (lower) -> installation id
        self._tokens: dict[str, Issued] = {}
        self._lock = threading.Lock()
        self.issued = 0

    def configure(
        self,
        app_id: int,
        public_key: str,
        token_ttl_seconds: float = TOKEN_TTL_SECONDS,
        accounts: list[str] | None = None,
    ) -> None:
        """Register the app; installed on `accounts` (default: every owner of the world)."""
        # Parsed once (raises on a bad key) and reused to verify every JWT.
        key = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256).prepare_key(
            public_key
        )
        owners = accounts if accounts is not None else sorted(self.world.orgs)
        with self._lock:
            self.app_id, self._public_key = int(app_id), key
            self.token_ttl = float(token_ttl_seconds)
            self._accounts = {o.lower(): self._installation_id(o) for o in owners}
            self._tokens.clear()

    def _installation_id(self, owner: str) -> int:
        org = self.world.orgs.get(owner)
        return INSTALLATION_ID_BASE + (org.id % 1_000_000 if org else len(self._accounts) + 1)

    def revoke_all(self) -> None:
        """Expire every issued token now (a test forcing a refresh mid-run)."""
        with self._lock:
            self._tokens.clear()

    # -- installation tokens as credentials -----------------------------------------
    def installation_of(self, token: str | None) -> int | None:
        """The installation a live token belongs to; None for unknown or expired tokens."""
        if token is None:
            return None
        with self._lock:
            issued = self._tokens.get(token)
            if issued is None:
                return None
            if time.monotonic() >= issued.expires:
                del self._tokens[token]
                return None
            return issued.installation_id

    # -- endpoints --------------------------------------------------------------------
    @staticmethod
    def handles(method: str, path: str) -> bool:
        return (method == "GET" and path == "/app/installations") or bool(
            (method == "POST" and _ACCESS_TOKENS.match(path))
            or (method == "GET" and _REPO_INSTALLATION.match(path))
        )

    def handle(self, method: str, path: str, bearer: str | None) -> AppReply:
        problem = self._check_jwt(bearer)
        if problem is not None:
            return AppReply(401, {"message": problem, "documentation_url": _DOCS})
        if path == "/app/installations":
            return AppReply(200, [self._installation(o, i) for o, i in self._accounts.items()])
        match = _REPO_INSTALLATION.match(path)
        if match:
            _status, repo = self.world.resolve(f"{match.group(1)}/{match.group(2)}")
            owner = repo.full_name.split("/")[0].lower() if repo is not None else None
            if owner is None or owner not in self._accounts:
                return AppReply(404, {"message": "Not Found", "documentation_url": _DOCS})
            return AppReply(200, self._installation(owner, self._accounts[owner]))
        match = _ACCESS_TOKENS.match(path)
        assert match is not None
        installation_id = int(match.group(1))
        if installation_id not in self._accounts.values():
            return AppReply(404, {"message": "Not Found", "documentation_url": _DOCS})
        token = "ghs_" + secrets.token_urlsafe(27)
        with self._lock:
            self._tokens[token] = Issued(installation_id, time.monotonic() + self.token_ttl)
            self.issued += 1
        return AppReply(
            201,
            {
                "token": token,
                "expires_at": iso(int(self.world.now + self.token_ttl)),
                "permissions": PERMISSIONS,
                "repository_selection": "all",
            },
        )

    def _installation(self, owner: str, installation_id: int) -> dict:
        org = self.world.orgs.get(owner) or next(
            (o for login, o in self.world.orgs.items() if login.lower() == owner), None
        )
        return {
            "id": installation_id,
            "app_id": self.app_id,
            "account": {
                "login": org.login if org else owner,
                "id": org.id if org else None,
                "type": "Organization",
            },
            "target_type": "Organization",
            "repository_selection": "all",
            "permissions": PERMISSIONS,
            "access_tokens_url": f"/app/installations/{installation_id}/access_tokens",
        }

    def _check_jwt(self, bearer: str | None) -> str | None:
        """Why this bearer is no valid JWT of the registered app (None: it is)."""
        if self.app_id is None:
            return "A JSON web token could not be decoded"  # no app registered
        if not bearer:
            return "A JSON web token could not be decoded"
        try:
            claims = jwt.decode(
                bearer,
                self._public_key,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iss": False},
                leeway=60,
            )
        except jwt.ExpiredSignatureError:
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"  # noqa: E501
        except jwt.PyJWTError:
            return "A JSON web token could not be decoded"
        if str(claims.get("iss")) != str(self.app_id):
            return "'Issuer' claim ('iss') must be an Integer"
        if int(claims["exp"]) - int(claims["iat"]) > MAX_JWT_SECONDS + 60:
            return "'Expiration time' claim ('exp') is too far in the future"
        return None


_DOCS = "https://docs.github.com/rest/apps/apps"
