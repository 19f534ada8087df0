"""Workspace members in workspaces.yml: who may read a workspace's rows.

A member is a GitHub login or an e-mail address with a role (`viewer` or `admin`), and
optionally `db_role`: an existing PostgreSQL role that stands for them (else `warehouse
access apply` creates one; loaders/access/names.py). Validated with the rest of the file.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# GitHub logins: letters, digits and single inner dashes, at most 39 characters.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
# An unquoted lower-case PostgreSQL identifier: what `CREATE ROLE name` spells the same way.
_DB_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
MEMBER_ROLES = ("viewer", "admin")


class MemberEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str | None = Field(default=None, description="GitHub login")
    email: str | None = None
    role: Literal["viewer", "admin"] = "viewer"
    db_role: str | None = Field(default=None, description="existing PostgreSQL role to use")

    @field_validator("login")
    @classmethod
    def _login_shape(cls, value: str | None) -> str | None:
        if value is not None and not _LOGIN.match(value):
            raise ValueError(
                f"{value!r} is not a GitHub login: 1-39 letters, digits and single dashes"
            )
        return value.lower() if value else value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address, e.g. ana@example.com")
        return value.lower() if value else value

    @field_validator("db_role")
    @classmethod
    def _db_role_shape(cls, value: str | None) -> str | None:
        if value is not None and not _DB_ROLE.match(value):
            raise ValueError(
                f"{value!r} is not a plain PostgreSQL role name: 1-63 lower-case letters, "
                "digits and underscores, not starting with a digit"
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # `- ana` is shorthand for `- login: ana`; `- ana@example.com` for `- email: ...`.
        if isinstance(value, str):
            return {"email": value} if "@" in value else {"login": value}
        return value

    @model_validator(mode="after")
    def _one_identity(self) -> MemberEntry:
        if (self.login is None) == (self.email is None):
            raise ValueError("give exactly one of login or email for each member")
        return self

    @property
    def identity(self) -> str:
        """The member's key: a login, or an e-mail address (the only one with an `@`)."""
        return self.login or self.email or ""

    @property
    def kind(self) -> str:
        return "login" if self.login else "email"
