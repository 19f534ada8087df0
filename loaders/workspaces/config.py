"""Validated model of workspaces.yml, with tier limits from seeds/tiers.csv.

Every problem is reported at once, each with file, line, field and what is allowed, so a
user fixes the file in one pass. Nothing touches the warehouse until the whole file is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from loaders.access.names import plain_name
from loaders.control.tiers import load_addon_retention, load_tiers
from loaders.workspaces.members import MemberEntry
from loaders.workspaces.yaml_lines import (
    Location,
    YamlFileUnreadable,
    YamlSyntaxError,
    line_for,
    load_with_lines,
)

FETCH_FLAGS = (
    "issues",
    "pull_requests",
    "reviews",
    "comments",
    "commits",
    "events",
    "stars",
    "forks",
    "releases",
    "discussions",
)
_REPO_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class FetchFlags(BaseModel):
    """What to load for a repository; everything by default."""

    model_config = ConfigDict(extra="forbid")

    issues: bool = True
    pull_requests: bool = True
    reviews: bool = True
    comments: bool = True
    commits: bool = True
    events: bool = True
    stars: bool = True
    forks: bool = True
    releases: bool = True
    discussions: bool = True


class RepositoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    repo: str = Field(description="owner/name on GitHub")
    sync_frequency_hours: int | None = Field(default=None, ge=1, le=168)
    data_retention_days: int | None = Field(default=None, ge=7, le=365)
    fetch: FetchFlags = Field(default_factory=FetchFlags)

    @field_validator("repo")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        if not _REPO_NAME.match(value) or value.endswith((".git", "/")):
            raise ValueError(
                f"{value!r} is not a GitHub repository: write it as owner/name, "
                "e.g. octocat/hello-world"
            )
        return value.lower()

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # `- owner/name` is shorthand for `- repo: owner/name`.
        return {"repo": value} if isinstance(value, str) else value


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    name: str = Field(min_length=1)
    tier: str
    billing_customer_id: str | None = None
    addons: list[str] = Field(default_factory=list)
    repositories: list[RepositoryEntry] = Field(default_factory=list)
    members: list[MemberEntry] = Field(default_factory=list)

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(
                f"{value!r} is not a slug: use 1-64 lower-case letters, digits and dashes"
            )
        return value

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, value: str) -> str:
        tiers = load_tiers()
        if value not in tiers:
            raise ValueError(f"unknown tier {value!r}; allowed: {', '.join(tiers)}")
        return value

    @field_validator("addons")
    @classmethod
    def _known_addons(cls, value: list[str]) -> list[str]:
        known = load_addon_retention()
        for addon in value:
            if addon not in known:
                raise ValueError(f"unknown add-on {addon!r}; allowed: {', '.join(known)}")
        return value

    @property
    def max_retention_days(self) -> int:
        granted = [load_addon_retention()[a] for a in self.addons]
        return max([load_tiers()[self.tier].retention_days, *granted])


class WorkspacesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspaces: list[WorkspaceConfig] = Field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str


class WorkspacesConfigError(ValueError):
    """workspaces.yml is invalid; `str()` lists every problem with file and line."""

    def __init__(self, path: Path, problems: list[Problem], headline: str | None = None) -> None:
        self.path = path
        self.problems = problems
        if headline is not None:  # nothing to list: the file itself is the problem
            super().__init__(f"{headline}; nothing was changed")
            return
        lines = [f"{path} is invalid ({len(problems)} problem(s)); nothing was changed:"]
        for problem in problems:
            where = f"{path}:{problem.line}" if problem.line else str(path)
            lines.append(f"  {where}: {problem.field}: {problem.message}")
        super().__init__("\n".join(lines))


def _field_name(location: Location) -> str:
    """`("workspaces", 0, "tier")` → `workspaces[0].tier`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


#: Numeric settings per repository: allowed range and unit, for messages in the user's words.
RANGES = {
    "sync_frequency_hours": (1, 168, "hours"),
    "data_retention_days": (7, 365, "days"),
}
_RANGE_ERRORS = frozenset(
    {"less_than_equal", "greater_than_equal", "int_parsing", "int_type", "int_from_float"}
)


def _message(item: Any) -> str:
    """pydantic's error in the words of the file: the value given and what is allowed."""
    kind, location, given = item["type"], tuple(item["loc"]), item.get("input")
    name = location[-1] if location else ""
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see workspaces.example.yml)"
    if kind == "missing":
        return "required field is missing"
    if isinstance(name, str) and name in RANGES and kind in _RANGE_ERRORS:
        low, high, unit = RANGES[name]
        return f"{given!r} is not allowed: a whole number of {unit} from {low} to {high}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{given!r} is not allowed: write true or false"
    if kind == "literal_error":
        return f"{given!r} is not allowed: {str(item['msg']).lower()}"
    return str(item["msg"]).removeprefix("Value error, ")


def _structural_problems(data: Any, lines: dict[Location, int]) -> list[Problem]:
    try:
        WorkspacesFile.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(line_for(tuple(i["loc"]), lines), _field_name(tuple(i["loc"])), _message(i))
            for i in error.errors()
        ]
        return sorted(problems, key=lambda p: p.line or 0)  # in the order of the file
    return []


def _limit_problems(config: WorkspacesFile, lines: dict[Location, int]) -> list[Problem]:
    """Tier limits and uniqueness: rules that need the whole workspace, not one field."""
    problems: list[Problem] = []
    tiers = load_tiers()
    seen_slugs: dict[str, int] = {}
    for w_index, workspace in enumerate(config.workspaces):
        at = ("workspaces", w_index)
        if workspace.slug in seen_slugs:
            problems.append(
                Problem(
                    line_for((*at, "slug"), lines),
                    _field_name((*at, "slug")),
                    f"duplicate workspace slug {workspace.slug!r} (first used in workspaces"
                    f"[{seen_slugs[workspace.slug]}]); slugs must be unique",
                )
            )
        seen_slugs.setdefault(workspace.slug, w_index)
        tier = tiers[workspace.tier]
        if len(workspace.repositories) > tier.max_repositories:
            problems.append(
                Problem(
                    line_for((*at, "repositories"), lines),
                    _field_name((*at, "repositories")),
                    f"workspace {workspace.slug!r} tracks {len(workspace.repositories)} "
                    f"repositories; tier {tier.name!r} allows at most {tier.max_repositories}",
                )
            )
        seen_repos: set[str] = set()
        for r_index, entry in enumerate(workspace.repositories):
            r_at = (*at, "repositories", r_index)
            if entry.repo in seen_repos:
                problems.append(
                    Problem(
                        line_for(r_at, lines),
                        _field_name((*r_at, "repo")),
                        f"repository {entry.repo!r} is listed twice in workspace "
                        f"{workspace.slug!r}",
                    )
                )
            seen_repos.add(entry.repo)
            frequency = entry.sync_frequency_hours
            if frequency is not None and frequency < tier.sync_frequency_hours:
                problems.append(
                    Problem(
                        line_for((*r_at, "sync_frequency_hours"), lines),
                        _field_name((*r_at, "sync_frequency_hours")),
                        f"{frequency} h is more frequent than tier {tier.name!r} of workspace "
                        f"{workspace.slug!r} allows (at least {tier.sync_frequency_hours} h, "
                        "max 168)",
                    )
                )
            retention = entry.data_retention_days
            if retention is not None and retention > workspace.max_retention_days:
                problems.append(
                    Problem(
                        line_for((*r_at, "data_retention_days"), lines),
                        _field_name((*r_at, "data_retention_days")),
                        f"{retention} days exceeds the {workspace.max_retention_days} days that "
                        f"tier {tier.name!r} (with add-ons {workspace.addons or 'none'}) of "
                        f"workspace {workspace.slug!r} allows (min 7)",
                    )
                )
        problems.extend(_member_problems(workspace, at, lines))
    problems.extend(_shared_role_problems(config, lines))
    return problems


def _shared_role_problems(config: WorkspacesFile, lines: dict[Location, int]) -> list[Problem]:
    """Two people whose names differ only in punctuation (`ana.b@x.org`, `ana-b@x.org`)
    would get one database role, and each would read the other's workspaces."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for w_index, workspace in enumerate(config.workspaces):
        for m_index, member in enumerate(workspace.members):
            if member.db_role is not None:
                continue
            other = first.setdefault(plain_name(member.identity), member.identity)
            if other != member.identity:
                m_at: Location = ("workspaces", w_index, "members", m_index)
                problems.append(
                    Problem(
                        line_for(m_at, lines),
                        _field_name((*m_at, member.kind)),
                        f"members {other!r} and {member.identity!r} would share one database "
                        "role: give one of them a db_role",
                    )
                )
    return problems


def _member_problems(
    workspace: WorkspaceConfig, at: Location, lines: dict[Location, int]
) -> list[Problem]:
    """A member listed twice in one workspace would have two roles: say which line."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for m_index, member in enumerate(workspace.members):
        m_at = (*at, "members", m_index)
        if member.identity in seen:
            problems.append(
                Problem(
                    line_for(m_at, lines),
                    _field_name((*m_at, member.kind)),
                    f"member {member.identity!r} is listed twice in workspace "
                    f"{workspace.slug!r} (first as members[{seen[member.identity]}])",
                )
            )
        seen.setdefault(member.identity, m_index)
    return problems


def load_workspaces_file(path: str | Path) -> WorkspacesFile:
    """Read and validate a workspaces file; raise `WorkspacesConfigError` listing all problems."""
    path = Path(path)
    try:
        data, lines = load_with_lines(path)
    except YamlFileUnreadable as error:
        raise WorkspacesConfigError(
            path,
            [Problem(None, "(file)", error.reason)],
            headline=f"workspaces file {path} {error.reason} (see workspaces.example.yml)",
        ) from None
    except YamlSyntaxError as error:
        raise WorkspacesConfigError(
            path, [Problem(error.line, "(file)", str(error).split(": ", 1)[1])]
        ) from None
    if data is None:
        data = {"workspaces": []}
    if not isinstance(data, dict):
        raise WorkspacesConfigError(
            path, [Problem(1, "(file)", "expected a mapping with a `workspaces:` list")]
        )
    problems = _structural_problems(data, lines)
    if problems:
        raise WorkspacesConfigError(path, problems)
    config = WorkspacesFile.model_validate(data)
    problems = _limit_problems(config, lines)
    if problems:
        raise WorkspacesConfigError(path, problems)
    return config
