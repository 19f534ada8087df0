"""What the client hands back: REST answers and GraphQL results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from loaders.github.errors import GraphQLError
from loaders.github.graphql_errors import NOT_FOUND, has_usable_data


@dataclass(frozen=True)
class RestResponse:
    status: int
    json: Any
    headers: Mapping[str, str]
    #: Final URL (after following a rename redirect).
    url: str
    etag: str | None = None
    #: 304 to an `If-None-Match`: nothing changed, nothing spent, `json` is None.
    not_modified: bool = False
    links: Mapping[str, str] = field(default_factory=dict)
    #: The URL originally asked for, when GitHub answered with a redirect (a renamed repo).
    redirected_from: str | None = None

    @property
    def moved(self) -> bool:
        return self.redirected_from is not None

    @property
    def next_url(self) -> str | None:
        return self.links.get("next")

    @property
    def renamed_to(self) -> str | None:
        """New `owner/name` when a repository request was redirected, else None."""
        if self.moved and isinstance(self.json, dict):
            full_name = self.json.get("full_name")
            return full_name if isinstance(full_name, str) else None
        return None


@dataclass(frozen=True)
class GraphQLResult:
    data: dict[str, Any] | None
    #: Classified `errors` (e.g. NOT_FOUND for one alias among many); empty when clean.
    errors: list[GraphQLError] = field(default_factory=list)
    #: The `rateLimit` block when the query selected one.
    rate_limit: dict[str, Any] | None = None
    #: Points charged (from `rateLimit.cost`, else the client's estimate).
    cost: int = 0
    #: The page size that finally worked (only set by `graphql_adaptive`).
    page_size: int | None = None

    @property
    def usable(self) -> bool:
        return has_usable_data(self.data)

    def missing_paths(self) -> list[tuple[str | int, ...]]:
        """Paths GitHub reported NOT_FOUND (e.g. `("r3",)` for a deleted aliased repo)."""
        return [e.path for e in self.errors if e.kind == NOT_FOUND]
