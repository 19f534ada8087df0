"""Second generation pass: what GitHub's timelines and pull-request sidebars add.

Pull-request labels, milestones, assignees and conversation comments; review requests (users
and teams, some removed before a review, some late); links from pull requests to the issues
they close (at opening, or connected later; some to repositories outside the world); issue
label/assignee/milestone events, duplicates; comment edits; drafts published late.

It runs after every other entity of the repository is generated and only appends draws to
the repository's RNG, so the first pass (and every id it handed out) is unchanged.
"""

from __future__ import annotations

from bisect import bisect_left

from .entities import (
    NEVER,
    ForeignIssue,
    Issue,
    IssueComment,
    IssueLink,
    PullRequest,
    Team,
    TimelineEvent,
    User,
)
from .genbase import DAY, LABELS, GenBase, pick, poisson
from .ids import node_id

#: A repository no workspace tracks: links to its issues must load all the same.
FOREIGN_REPO = "elsewhere/upstream"
FOREIGN_ID_BASE = 900_000_000_000

_TYPES = {
    "labeled": "LabeledEvent",
    "unlabeled": "UnlabeledEvent",
    "assigned": "AssignedEvent",
    "unassigned": "UnassignedEvent",
    "milestoned": "MilestonedEvent",
    "demilestoned": "DemilestonedEvent",
    "cross-referenced": "CrossReferencedEvent",
    "connected": "ConnectedEvent",
    "disconnected": "DisconnectedEvent",
    "marked_as_duplicate": "MarkedAsDuplicateEvent",
    "unmarked_as_duplicate": "UnmarkedAsDuplicateEvent",
    "review_requested": "ReviewRequestedEvent",
    "review_request_removed": "ReviewRequestRemovedEvent",
}


def type_name(kind: str) -> str:
    return _TYPES[kind]


class Timelines:
    def __init__(self, g: GenBase) -> None:
        self.g, self.rng, self.data = g, g.rng, g.data
        owner = g.repo.owner
        tid = g.new_id()
        self.team = Team(tid, node_id("Team", tid), owner.login, "core")

    def run(self) -> None:
        issue_times: dict[int, list[int]] = {i.id: [] for i in self.data.issues}
        for issue in self.data.issues:
            self.issue(issue, issue_times[issue.id])
        for pr in self.data.pulls:
            self.pull(pr, issue_times)
        for issue in self.data.issues:
            issue.events.sort(key=lambda e: (e.created_at, e.id))
            issue.update_times = tuple(sorted((*issue.update_times, *issue_times[issue.id])))
        self.releases()

    def event(self, kind: str, actor: User | None, t: int, **fields: object) -> TimelineEvent:
        eid = self.g.new_id()
        e = TimelineEvent(eid, node_id(type_name(kind), eid), kind, actor, t, **fields)  # type: ignore[arg-type]
        self.g.register(e, eid)
        return e

    # -- issues -----------------------------------------------------------------------------

    def issue(self, issue: Issue, times: list[int]) -> None:
        rng, g, t = self.rng, self.g, issue.created_at
        events = issue.events
        for label in issue.labels:
            events.append(self.event("labeled", issue.author, t, label=label, target=issue))
        if issue.late_label is not None:
            who = pick(rng, g.core)
            events.append(self.event("labeled", who, issue.late_label_at, label=issue.late_label))
        if issue.labels and rng.random() < 0.08:
            issue.removed_label = pick(rng, issue.labels)
            issue.removed_label_at = g.later(t, 24 * 8)
            events.append(
                self.event(
                    "unlabeled", g.person(), issue.removed_label_at, label=issue.removed_label
                )
            )
            times.append(issue.removed_label_at)
        for who in issue.assignees:
            events.append(self.event("assigned", g.person(), t + 60, assignee=who))
        if issue.milestone is not None:
            events.append(self.event("milestoned", g.person(), t, milestone=issue.milestone))
            if rng.random() < 0.15:
                issue.milestone_removed_at = g.later(t, 24 * 10)
                events.append(
                    self.event(
                        "demilestoned",
                        g.person(),
                        issue.milestone_removed_at,
                        milestone=issue.milestone,
                    )
                )
                times.append(issue.milestone_removed_at)
        earlier = self.before(t, 60)
        if earlier and rng.random() < 0.03:
            canonical = pick(rng, earlier)
            at = g.later(t, 24)
            events.append(self.event("marked_as_duplicate", g.person(), at, subject=canonical))
            times.append(at)
        for c in issue.comments:
            self.maybe_edit(c, times)

    def before(self, t: int, n: int) -> list[Issue]:
        """The `n` issues opened last before `t`."""
        k = bisect_left(self.data.t_issues, t)
        return self.data.issues[max(0, k - n) : k]

    def maybe_edit(self, c: IssueComment, times: list[int]) -> None:
        if self.rng.random() < 0.1:
            c.edited_at = self.g.later(c.created_at, 24 * 15)
            times.append(c.edited_at)

    # -- pull requests --------------------------------------------------------------------

    def pull(self, pr: PullRequest, issue_times: dict[int, list[int]]) -> None:
        rng, g = self.rng, self.g
        times: list[int] = []
        pr.labels = tuple(rng.sample(LABELS, pick(rng, (0, 0, 1, 1, 2))))
        if rng.random() < 0.3:
            pr.milestone = f"v{1 + pr.number // 200}.0"
        pr.assignees = tuple(u for u in (pick(rng, g.core),) if rng.random() < 0.4)
        self.pull_comments(pr, times)
        self.review_requests(pr, times)
        self.links(pr, issue_times, times)
        pr.events.sort(key=lambda e: (e.created_at, e.id))
        pr.update_times = tuple(sorted((*pr.update_times, *times)))

    def pull_comments(self, pr: PullRequest, times: list[int]) -> None:
        rng, g = self.rng, self.g
        for _ in range(poisson(rng, 1.5)):
            ct = g.later(pr.created_at, 30)
            cid = g.new_id()
            c = IssueComment(
                cid,
                node_id("IssueComment", cid),
                pr,
                g.person(),
                f"Conversation on #{pr.number}",
                ct,
                pick(rng, (0, 0, 1, 3)),
            )
            g.register(c, cid)
            pr.comments.append(c)
            times.append(ct)
            self.maybe_edit(c, times)
        pr.comments.sort(key=lambda c: (c.created_at, c.id))

    def review_requests(self, pr: PullRequest, times: list[int]) -> None:
        """Requests before each review (mostly), a team now and then, a request withdrawn
        before any review, a request made days after opening; reviewers may be ghosts."""
        rng, g, t = self.rng, self.g, pr.created_at
        events = pr.events
        asked: set[int] = set()
        for review in pr.reviews:
            who = review.author
            if who is None or who is pr.author or who.id in asked or rng.random() < 0.3:
                continue
            asked.add(who.id)
            at = max(t, min(t + 120, review.submitted_at - 60))
            events.append(self.event("review_requested", pr.author, at, reviewer=who))
        if rng.random() < 0.15:
            events.append(self.event("review_requested", pr.author, t + 30, reviewer=self.team))
        if rng.random() < 0.1:
            who = pick(rng, g.users)  # may be a deleted account: the reviewer shows as null
            events.append(self.event("review_requested", pr.author, t + 45, reviewer=who))
            gone = g.later(t, 24)
            events.append(self.event("review_request_removed", g.person(), gone, reviewer=who))
            times.append(gone)
        if rng.random() < 0.25:
            late = g.later(t, 48)
            events.append(
                self.event("review_requested", pr.author, late, reviewer=pick(rng, g.core))
            )
            times.append(late)

    def links(self, pr: PullRequest, issue_times: dict[int, list[int]], times: list[int]) -> None:
        """Issues the pull request closes: named in its body (cross-referenced at opening) or
        connected by hand later; a few live in a repository outside the world."""
        rng, g, t = self.rng, self.g, pr.created_at
        r = rng.random()
        if r < 0.06:
            number = rng.randint(1, 5000)
            fid = FOREIGN_ID_BASE + pr.id
            foreign = ForeignIssue(fid, node_id("Issue", f"ext:{fid}"), FOREIGN_REPO, number, t)
            pr.links.append(IssueLink(foreign, t))
            return
        candidates = self.before(t, 40)
        if r > 0.4 or not candidates:
            return
        issue = pick(rng, candidates)
        late = rng.random() < 0.5
        at = g.later(t, 48) if late else t
        link = IssueLink(issue, at)
        pr.links.append(link)
        issue.linked_by.append(pr)
        kind = "connected" if late else "cross-referenced"
        issue.events.append(self.event(kind, pr.author, at, subject=pr, target=issue))
        issue_times[issue.id].append(at)
        if late:
            times.append(at)
            if rng.random() < 0.25:  # connected by mistake: disconnected again
                link.unlinked_at = g.later(at, 48)
                issue.events.append(
                    self.event(
                        "disconnected", pr.author, link.unlinked_at, subject=pr, target=issue
                    )
                )
                issue_times[issue.id].append(link.unlinked_at)
                times.append(link.unlinked_at)

    # -- releases -------------------------------------------------------------------------

    def releases(self) -> None:
        """Most drafts are published one day, often weeks after they were created."""
        for rel in self.data.releases:
            if rel.is_draft and rel.published_at is None and self.rng.random() < 0.7:
                rel.published_at = self.g.later(rel.created_at, 24 * 20)


__all__ = ["DAY", "FOREIGN_REPO", "NEVER", "Timelines", "type_name"]
