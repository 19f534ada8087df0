"""Everything that ever happens in one repository, in the orders visibility slices need."""

from __future__ import annotations

from bisect import bisect_right

from .entities import (
    Category,
    Commit,
    Discussion,
    Fork,
    Issue,
    IssueComment,
    IssueStateEvent,
    PullRequest,
    Release,
    Repo,
    Review,
    ReviewComment,
    Star,
)


class RepoData:
    """Everything that ever happens in one repository, sorted for as-of-time slicing."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.issues: list[Issue] = []
        self.pulls: list[PullRequest] = []
        self.commits: list[Commit] = []
        self.stars: list[Star] = []
        self.forks: list[Fork] = []
        self.releases: list[Release] = []
        self.discussions: list[Discussion] = []
        self.categories: list[Category] = []
        self.issue_comments: list[IssueComment] = []  # all, sorted by created_at
        self.review_comments: list[ReviewComment] = []  # all, sorted by created_at
        # Feed sources (see feed.py), each sorted by the time of its event.
        self.state_events: list[IssueStateEvent] = []
        self.reviews: list[Review] = []
        self.closed_pulls: list[PullRequest] = []  # by closed_at (merges included)
        self.published: list[Release] = []  # non-draft, by published_at
        self.issuelike: list[Issue | PullRequest] = []  # REST /issues: both, by number
        self.by_id: dict[int, object] = {}
        self.by_number: dict[int, Issue | PullRequest] = {}
        self.commit_by_sha: dict[str, Commit] = {}
        # Sorted time keys for bisect (visibility is always a prefix of these lists).
        self.t_issues: list[int] = []
        self.t_issuelike: list[int] = []
        self.t_pulls: list[int] = []
        self.t_commits: list[int] = []
        self.t_stars: list[int] = []
        self.t_forks: list[int] = []
        self.t_releases: list[int] = []
        self.t_discussions: list[int] = []
        self.t_issue_comments: list[int] = []
        self.t_review_comments: list[int] = []
        self.t_state_events: list[int] = []
        self.t_reviews: list[int] = []
        self.t_closed_pulls: list[int] = []
        self.t_published: list[int] = []

    def count_items(self) -> int:
        """Items of every kind over the whole timeline (for world-size reporting)."""
        n = len(self.issues) + len(self.pulls) + len(self.commits) + len(self.stars)
        n += len(self.forks) + len(self.releases) + len(self.discussions)
        n += len(self.issue_comments) + len(self.review_comments) + len(self.categories)
        n += sum(len(i.state_events) for i in self.issues)
        n += sum(len(p.reviews) for p in self.pulls)
        n += sum(len(i.events) for i in self.issues)
        n += sum(len(p.comments) + len(p.events) + len(p.links) for p in self.pulls)
        for d in self.discussions:
            n += len(d.comments) + sum(len(c.replies) for c in d.comments)
        return n

    def visible(self, kind: str, t: int) -> list:
        """Prefix of a created-ordered list visible at `t`."""
        return getattr(self, kind)[: bisect_right(getattr(self, "t_" + kind), t)]
