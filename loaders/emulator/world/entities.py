"""Entities of the world. Every item carries its whole timeline (past and future);
what a client sees is computed "as of" the virtual clock `t` (epoch seconds).

Slots keep a million items affordable; no item is ever mutated after generation, so
"advancing time" is only a change of `t`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

NEVER = 2**62  # a time that the clock never reaches


@dataclass(slots=True)
class User:
    id: int
    login: str
    node_id: str
    is_bot: bool = False
    is_deleted: bool = False  # deleted accounts are `ghost` in REST and null in GraphQL
    is_org: bool = False


@dataclass(slots=True)
class Repo:
    index: int
    id: int
    owner: User
    name: str
    node_id: str
    created_at: int
    description: str
    homepage: str | None
    language: str | None
    topics: tuple[str, ...]
    is_archived: bool
    has_discussions: bool
    default_branch: str
    rate: float  # expected issues per day; everything else scales with it
    pushed_hint: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"


def latest_at(times: tuple[int, ...], t: int) -> int:
    """Largest time in the sorted `times` that is <= t (the first one if none is)."""
    return times[max(bisect_right(times, t) - 1, 0)]


@dataclass(slots=True)
class Team:
    """An organization team, requested as a reviewer (`org/slug`)."""

    id: int
    node_id: str
    org: str
    slug: str


@dataclass(slots=True)
class ForeignIssue:
    """An issue in a repository outside the world (no workspace tracks it): only what a
    reference to it shows."""

    id: int
    node_id: str
    repo_full_name: str
    number: int
    created_at: int


@dataclass(slots=True)
class IssueComment:
    """A conversation comment: on an issue, or (issue-style) on a pull request."""

    id: int
    node_id: str
    issue: Issue | PullRequest
    author: User | None
    body: str
    created_at: int
    reactions: int
    edited_at: int = NEVER  # an edit bumps updated_at (and the parent's) once revealed

    def updated_at(self, t: int) -> int:
        return self.edited_at if self.edited_at <= t else self.created_at


@dataclass(slots=True)
class TimelineEvent:
    """A timeline event other than a close or reopen. `kind` is GitHub's REST event name
    (labeled, unlabeled, assigned, unassigned, milestoned, demilestoned, cross-referenced,
    connected, disconnected, marked_as_duplicate, review_requested,
    review_request_removed); only the fields of its kind are set."""

    id: int
    node_id: str
    kind: str
    actor: User | None
    created_at: int
    label: tuple[str, str] | None = None
    assignee: User | None = None
    milestone: str | None = None
    #: The other side: the issue/PR that referenced or was connected, or the canonical issue.
    subject: object = None
    reviewer: User | Team | None = None
    #: For references and duplicates: the issue/PR whose timeline holds the event.
    target: object = None


@dataclass(slots=True)
class IssueLink:
    """A pull request that will close (or closed) an issue: `closingIssuesReferences`."""

    issue: Issue | ForeignIssue
    linked_at: int
    unlinked_at: int = NEVER  # disconnected by hand later

    def visible(self, t: int) -> bool:
        return self.linked_at <= t < self.unlinked_at


@dataclass(slots=True)
class IssueStateEvent:
    """A close or a reopen; issues carry them sorted by time."""

    id: int
    node_id: str
    issue: Issue
    event: str  # "closed" | "reopened"
    actor: User | None
    created_at: int
    reason: str | None = None  # for closes: COMPLETED | NOT_PLANNED


@dataclass(slots=True)
class Issue:
    id: int
    node_id: str
    repo: Repo
    number: int
    title: str
    body: str
    author: User | None
    created_at: int
    labels: tuple[tuple[str, str], ...]
    assignees: tuple[User, ...]
    milestone: str | None
    reactions: int
    locked: bool = False
    late_label: tuple[str, str] | None = None
    late_label_at: int = NEVER
    comments: list[IssueComment] = field(default_factory=list)
    comment_times: list[int] = field(default_factory=list)
    state_events: list[IssueStateEvent] = field(default_factory=list)
    update_times: tuple[int, ...] = ()
    #: Label, assignee, milestone, reference and duplicate events, sorted by time.
    events: list[TimelineEvent] = field(default_factory=list)
    removed_label: tuple[str, str] | None = None
    removed_label_at: int = NEVER
    milestone_removed_at: int = NEVER
    #: Pull requests that link this issue (`closedByPullRequestsReferences`).
    linked_by: list[PullRequest] = field(default_factory=list)

    def visible_events(self, t: int) -> list[TimelineEvent]:
        return [e for e in self.events if e.created_at <= t]

    def milestone_at(self, t: int) -> str | None:
        return self.milestone if self.milestone_removed_at > t else None

    def visible_comments(self, t: int) -> list[IssueComment]:
        return self.comments[: bisect_right(self.comment_times, t)]

    def visible_state_events(self, t: int) -> list[IssueStateEvent]:
        return [e for e in self.state_events if e.created_at <= t]

    def last_state_event(self, t: int) -> IssueStateEvent | None:
        last = None
        for e in self.state_events:
            if e.created_at > t:
                break
            last = e
        return last

    def state(self, t: int) -> str:
        e = self.last_state_event(t)
        return "closed" if e is not None and e.event == "closed" else "open"

    def closed_at(self, t: int) -> int | None:
        e = self.last_state_event(t)
        return e.created_at if e is not None and e.event == "closed" else None

    def state_reason(self, t: int) -> str | None:
        e = self.last_state_event(t)
        if e is None:
            return None
        return e.reason if e.event == "closed" else "REOPENED"

    def labels_at(self, t: int) -> tuple[tuple[str, str], ...]:
        labels = self.labels
        if self.removed_label is not None and self.removed_label_at <= t:
            labels = tuple(x for x in labels if x != self.removed_label)
        if self.late_label is not None and self.late_label_at <= t:
            return (*labels, self.late_label)
        return labels

    def updated_at(self, t: int) -> int:
        return latest_at(self.update_times, t)


@dataclass(slots=True)
class ReviewComment:
    id: int
    node_id: str
    review: Review
    author: User | None
    body: str
    path: str
    created_at: int


@dataclass(slots=True)
class Review:
    id: int
    node_id: str
    pull: PullRequest
    author: User | None
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED
    body: str
    submitted_at: int
    comments: list[ReviewComment] = field(default_factory=list)


@dataclass(slots=True)
class PullRequest:
    id: int
    node_id: str
    repo: Repo
    number: int
    title: str
    body: str
    author: User | None
    created_at: int
    ready_at: int  # == created_at unless opened as draft (NEVER: stays a draft)
    merged_at: int  # NEVER when never merged
    closed_at: int  # close time (== merged_at when merged); NEVER when never closed
    merged_by: User | None
    additions: int
    deletions: int
    changed_files: int
    commits: int
    head_ref: str
    head_repo: str | None
    reviews: list[Review] = field(default_factory=list)
    update_times: tuple[int, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    assignees: tuple[User, ...] = ()
    milestone: str | None = None
    #: Conversation (issue-style) comments, sorted by creation.
    comments: list[IssueComment] = field(default_factory=list)
    #: Review requests and their removals, sorted by time.
    events: list[TimelineEvent] = field(default_factory=list)
    links: list[IssueLink] = field(default_factory=list)

    def visible_reviews(self, t: int) -> list[Review]:
        return [r for r in self.reviews if r.submitted_at <= t]

    def visible_comments(self, t: int) -> list[IssueComment]:
        return [c for c in self.comments if c.created_at <= t]

    def visible_events(self, t: int) -> list[TimelineEvent]:
        return [e for e in self.events if e.created_at <= t]

    def visible_links(self, t: int) -> list[IssueLink]:
        return [x for x in self.links if x.visible(t)]

    def labels_at(self, t: int) -> tuple[tuple[str, str], ...]:
        return self.labels

    def state(self, t: int) -> str:
        if self.merged_at <= t:
            return "MERGED"
        return "CLOSED" if self.closed_at <= t else "OPEN"

    def is_draft(self, t: int) -> bool:
        return self.ready_at > t

    def updated_at(self, t: int) -> int:
        return latest_at(self.update_times, t)


@dataclass(slots=True)
class Commit:
    sha: str
    node_id: str
    repo: Repo
    author: User | None  # None: no linked GitHub account
    author_name: str
    author_email: str
    authored_at: int
    committed_at: int
    additions: int
    deletions: int
    changed_files: int
    message: str
    parent: str | None = None  # previous commit on the (linear) default branch


@dataclass(slots=True)
class Star:
    user: User
    starred_at: int


@dataclass(slots=True)
class Fork:
    id: int
    node_id: str
    owner: User
    name: str
    created_at: int


@dataclass(slots=True)
class Release:
    id: int
    node_id: str
    tag: str
    name: str
    is_draft: bool
    is_prerelease: bool
    author: User | None
    created_at: int
    published_at: int | None  # drafts: None, or when a draft gets published (maybe late)
    repo: Repo | None = None

    def draft_at(self, t: int) -> bool:
        return self.published_at is None or self.published_at > t


@dataclass(slots=True)
class Category:
    id: int
    node_id: str
    name: str
    slug: str
    emoji: str
    is_answerable: bool


@dataclass(slots=True)
class DiscussionComment:
    id: int
    node_id: str
    discussion: Discussion
    reply_to: DiscussionComment | None
    author: User | None
    body: str
    created_at: int
    upvotes: int
    replies: list[DiscussionComment] = field(default_factory=list)


@dataclass(slots=True)
class Discussion:
    id: int
    node_id: str
    repo: Repo
    number: int
    title: str
    body: str
    category: Category
    author: User | None
    created_at: int
    upvotes: int
    closed_at: int = NEVER
    answer: DiscussionComment | None = None
    answer_chosen_at: int = NEVER
    comments: list[DiscussionComment] = field(default_factory=list)
    update_times: tuple[int, ...] = ()

    def updated_at(self, t: int) -> int:
        return latest_at(self.update_times, t)

    def answer_at(self, t: int) -> DiscussionComment | None:
        return self.answer if self.answer_chosen_at <= t else None


@dataclass(slots=True)
class RepoEvent:
    """An entry of the REST events feed, derived from the items above."""

    id: int
    type: str
    action: str | None
    actor: User | None
    created_at: int
    subject: object
