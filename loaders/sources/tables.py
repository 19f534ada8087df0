"""The raw tables of docs/raw_schema.md: columns, Arrow types, primary and merge keys.

One declaration per table drives both the Arrow conversion (so dlt skips its per-row
normalizer) and the dlt hints (merge on stable keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
I64 = pa.int64()
STR = pa.string()
BOOL = pa.bool_()

# Columns documented as "json": stored as JSON text so both engines load them unchanged.
JSON = STR


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[tuple[str, pa.DataType], ...]
    primary_key: tuple[str, ...]
    #: Rows sharing this key are replaced as a group (issue labels are replaced whole).
    merge_key: tuple[str, ...] | None = None

    @property
    def schema(self) -> pa.Schema:
        keys = set(self.primary_key)
        return pa.schema(
            [pa.field(name, typ, nullable=name not in keys) for name, typ in self.columns]
        )

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def hints(self) -> dict[str, Any]:
        """dlt table hints for `dlt.mark.make_hints`."""
        hints: dict[str, Any] = {
            "table_name": self.name,
            "write_disposition": "merge",
            "primary_key": list(self.primary_key),
        }
        if self.merge_key:
            hints["merge_key"] = list(self.merge_key)
        return hints

    def to_arrow(self, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
        """Rows (dicts; timestamps as ISO strings or datetimes) to a typed Arrow table.

        Unknown keys are dropped, missing ones become null: upstream shape drift never fails.
        """
        arrays = []
        for name, typ in self.columns:
            values = [row.get(name) for row in rows]
            if typ == TS:
                arrays.append(_timestamps(values))
            else:
                arrays.append(pa.array(values, type=typ))
        return pa.Table.from_arrays(arrays, schema=self.schema)


def _timestamps(values: Iterable[Any]) -> pa.Array:
    items = list(values)
    if all(v is None or isinstance(v, str) for v in items):
        # Arrow parses ISO-8601 with `Z` natively; far faster than datetime.fromisoformat.
        return pa.array(items, type=STR).cast(TS)
    return pa.array(items, type=TS)


def _spec(
    name: str,
    primary_key: Sequence[str],
    columns: Sequence[tuple[str, pa.DataType]],
    merge_key: Sequence[str] | None = None,
) -> TableSpec:
    return TableSpec(
        name, tuple(columns), tuple(primary_key), tuple(merge_key) if merge_key else None
    )


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "repositories",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("full_name", STR),
                ("owner_login", STR),
                ("name", STR),
                ("owner_avatar_url", STR),
                ("description", STR),
                ("homepage_url", STR),
                ("primary_language", STR),
                ("topics", JSON),
                ("stargazers_count", I64),
                ("forks_count", I64),
                ("watchers_count", I64),
                ("is_archived", BOOL),
                ("is_fork", BOOL),
                ("is_private", BOOL),
                ("has_discussions", BOOL),
                ("default_branch", STR),
                ("html_url", STR),
                ("created_at", TS),
                ("updated_at", TS),
                ("pushed_at", TS),
                ("fetched_at", TS),
            ],
        ),
        _spec(
            "repository_languages",
            ["repository_id", "language"],
            [
                ("repository_id", I64),
                ("language", STR),
                ("color", STR),
                ("size_bytes", I64),
                ("total_size_bytes", I64),
                ("fetched_at", TS),
            ],
            # Each load replaces a repository's languages whole (a dropped language goes).
            merge_key=["repository_id"],
        ),
        # Authors' avatars, from the author fields the queries read anyway (Actor.avatarUrl):
        # one row per login, the latest avatar seen.
        _spec(
            "actors",
            ["login"],
            [("login", STR), ("avatar_url", STR), ("fetched_at", TS)],
        ),
        _spec(
            "issues",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("number", I64),
                ("title", STR),
                ("body", STR),
                ("state", STR),
                ("state_reason", STR),
                ("is_locked", BOOL),
                ("author_login", STR),
                ("author_id", I64),
                ("author_is_bot", BOOL),
                ("assignee_logins", JSON),
                ("milestone_title", STR),
                ("comments_count", I64),
                ("reactions_count", I64),
                ("created_at", TS),
                ("updated_at", TS),
                ("closed_at", TS),
            ],
        ),
        _spec(
            "issue_labels",
            ["issue_id", "name"],
            [("issue_id", I64), ("repository_id", I64), ("name", STR), ("color", STR)],
            merge_key=["issue_id"],
        ),
        _spec(
            "issue_events",
            ["id"],
            [
                ("id", STR),
                ("issue_id", I64),
                ("repository_id", I64),
                ("event", STR),
                ("actor_login", STR),
                ("actor_is_bot", BOOL),
                ("created_at", TS),
                ("label_name", STR),
                ("assignee_login", STR),
                ("milestone_title", STR),
                ("subject_type", STR),
                ("subject_node_id", STR),
                ("subject_number", I64),
                ("subject_repository_full_name", STR),
            ],
        ),
        _spec(
            "issue_comments",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("issue_id", I64),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("body", STR),
                ("reactions_count", I64),
                ("created_at", TS),
                ("updated_at", TS),
            ],
        ),
        _spec(
            "pull_requests",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("number", I64),
                ("title", STR),
                ("body", STR),
                ("state", STR),
                ("is_draft", BOOL),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("merged_by_login", STR),
                ("additions", I64),
                ("deletions", I64),
                ("changed_files", I64),
                ("commits_count", I64),
                ("comments_count", I64),
                ("base_ref", STR),
                ("head_ref", STR),
                ("head_repository_full_name", STR),
                ("created_at", TS),
                ("updated_at", TS),
                ("closed_at", TS),
                ("merged_at", TS),
                ("milestone_title", STR),
                ("assignee_logins", JSON),
            ],
        ),
        _spec(
            "pull_request_labels",
            ["pull_request_id", "name"],
            [("pull_request_id", I64), ("repository_id", I64), ("name", STR), ("color", STR)],
            merge_key=["pull_request_id"],
        ),
        _spec(
            "pull_request_comments",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("pull_request_id", I64),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("body", STR),
                ("reactions_count", I64),
                ("created_at", TS),
                ("updated_at", TS),
            ],
        ),
        _spec(
            "pull_request_review_requests",
            ["id"],
            [
                ("id", STR),
                ("repository_id", I64),
                ("pull_request_id", I64),
                ("event", STR),
                ("reviewer_type", STR),
                ("reviewer_login", STR),
                ("actor_login", STR),
                ("actor_is_bot", BOOL),
                ("created_at", TS),
            ],
        ),
        _spec(
            "issue_pull_request_links",
            ["pull_request_id", "issue_node_id"],
            [
                ("repository_id", I64),
                ("pull_request_id", I64),
                ("pull_request_node_id", STR),
                ("pull_request_number", I64),
                ("issue_node_id", STR),
                ("issue_id", I64),
                ("issue_number", I64),
                ("issue_repository_full_name", STR),
            ],
            merge_key=["pull_request_id"],
        ),
        _spec(
            "pull_request_reviews",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("pull_request_id", I64),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("state", STR),
                ("body", STR),
                ("created_at", TS),
                ("submitted_at", TS),
            ],
        ),
        _spec(
            "pull_request_review_comments",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("pull_request_id", I64),
                ("review_id", I64),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("path", STR),
                ("body", STR),
                ("created_at", TS),
                ("updated_at", TS),
            ],
        ),
        _spec(
            "commits",
            ["repository_id", "sha"],
            [
                ("repository_id", I64),
                ("sha", STR),
                ("message_headline", STR),
                ("author_login", STR),
                ("author_id", I64),
                ("author_name", STR),
                ("author_is_bot", BOOL),
                ("committer_login", STR),
                ("authored_at", TS),
                ("committed_at", TS),
                ("additions", I64),
                ("deletions", I64),
                ("changed_files", I64),
                ("parents_count", I64),
            ],
        ),
        _spec(
            "stargazers",
            ["repository_id", "user_id"],
            [("repository_id", I64), ("user_id", I64), ("user_login", STR), ("starred_at", TS)],
        ),
        _spec(
            "forks",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("full_name", STR),
                ("owner_login", STR),
                ("created_at", TS),
            ],
        ),
        _spec(
            "releases",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("tag_name", STR),
                ("name", STR),
                ("is_draft", BOOL),
                ("is_prerelease", BOOL),
                ("author_login", STR),
                ("created_at", TS),
                ("published_at", TS),
            ],
        ),
        _spec(
            "events",
            ["id"],
            [
                ("id", STR),
                ("repository_id", I64),
                ("type", STR),
                ("actor_login", STR),
                ("actor_is_bot", BOOL),
                ("payload_action", STR),
                ("payload", JSON),
                ("created_at", TS),
            ],
        ),
        _spec(
            "discussion_categories",
            ["id"],
            [
                ("id", STR),
                ("repository_id", I64),
                ("name", STR),
                ("slug", STR),
                ("is_answerable", BOOL),
                ("emoji", STR),
            ],
        ),
        _spec(
            "discussions",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("number", I64),
                ("title", STR),
                ("body", STR),
                ("category_id", STR),
                ("category_name", STR),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("upvote_count", I64),
                ("comments_count", I64),
                ("is_answered", BOOL),
                ("answer_id", I64),
                ("answer_chosen_at", TS),
                ("is_closed", BOOL),
                ("closed_at", TS),
                ("created_at", TS),
                ("updated_at", TS),
            ],
        ),
        _spec(
            "discussion_comments",
            ["id"],
            [
                ("id", I64),
                ("node_id", STR),
                ("repository_id", I64),
                ("discussion_id", I64),
                ("reply_to_id", I64),
                ("author_login", STR),
                ("author_is_bot", BOOL),
                ("body", STR),
                ("upvote_count", I64),
                ("is_answer", BOOL),
                ("created_at", TS),
                ("updated_at", TS),
            ],
        ),
    )
}

#: Which raw tables each fetch resource writes (metadata always goes to `repositories`).
RESOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "repositories": ("repositories", "repository_languages"),
    "issues": ("issues", "issue_labels", "issue_events"),
    "pull_requests": (
        "pull_requests",
        "pull_request_labels",
        "pull_request_review_requests",
        "issue_pull_request_links",
    ),
    "reviews": ("pull_request_reviews",),
    "comments": (
        "issue_comments",
        "pull_request_comments",
        "pull_request_review_comments",
        "discussion_comments",
    ),
    "commits": ("commits",),
    "events": ("events",),
    "stars": ("stargazers",),
    "forks": ("forks",),
    "releases": ("releases",),
    "discussions": ("discussions", "discussion_categories"),
}
