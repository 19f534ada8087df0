"""What raw rows (docs/raw_schema.md) must look like when GitHub sends nulls."""

from __future__ import annotations

# Per table, the columns whose source field GitHub's schema declares nullable: a ghost
# author, no milestone, a deleted head repository, no chosen answer. (`databaseId` is
# nullable too, hence `id`.) With those fields null, these columns must be SQL nulls.
_AUTHOR = ("author_login", "author_is_bot")
NULLABLE_SOURCED: dict[str, tuple[str, ...]] = {
    "issues": ("id", *_AUTHOR, "author_id", "milestone_title", "closed_at", "state_reason"),
    "issue_comments": ("id", *_AUTHOR),
    "issue_events": ("actor_login", "actor_is_bot"),
    "pull_requests": (
        "id", *_AUTHOR, "merged_by_login", "head_repository_full_name", "closed_at", "merged_at",
    ),
    "pull_request_reviews": ("id", *_AUTHOR, "submitted_at"),
    "pull_request_review_comments": ("id", *_AUTHOR),
    "commits": ("author_login", "author_id", "author_name", "author_is_bot", "committer_login",
                "changed_files"),
    "forks": ("id",),
    "releases": ("id", "name", "author_login", "published_at"),
    "discussions": ("id", *_AUTHOR, "answer_id", "answer_chosen_at", "closed_at"),
    "discussion_comments": ("id", *_AUTHOR, "reply_to_id"),
    "pull_request_comments": ("id", *_AUTHOR),
    "pull_request_review_requests": ("reviewer_type", "reviewer_login", "actor_login",
                                     "actor_is_bot"),
}  # fmt: skip

# Subject columns of `issue_events`: each event kind fills its own, the others stay null.
_REFERENCE = ("subject_type", "subject_node_id", "subject_number", "subject_repository_full_name")
SUBJECT_COLUMNS = ("label_name", "assignee_login", "milestone_title", *_REFERENCE)
EVENT_SUBJECTS: dict[str, tuple[str, ...]] = {
    "closed": (), "reopened": (),
    "labeled": ("label_name",), "unlabeled": ("label_name",),
    "assigned": ("assignee_login",), "unassigned": ("assignee_login",),
    "milestoned": ("milestone_title",), "demilestoned": ("milestone_title",),
    "cross_referenced": _REFERENCE, "connected": _REFERENCE, "disconnected": _REFERENCE,
    "marked_as_duplicate": _REFERENCE, "unmarked_as_duplicate": _REFERENCE,
}  # fmt: skip
