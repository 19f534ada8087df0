"""Deterministic generation of one repository's whole timeline.

Each repository gets its own RNG seeded from (world, seed, full name), so repositories can
be generated lazily, in any order, with identical results. Items are laid out from
`start` (history) to `end` (future, revealed by advancing the clock).
"""

from __future__ import annotations

import hashlib
import random

from .entities import (
    NEVER,
    Category,
    Commit,
    Discussion,
    DiscussionComment,
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
    User,
)
from .genbase import (
    CATEGORIES,
    DAY,
    HOUR,
    LABELS,
    PATHS,
    REVIEW_STATES,
    GenBase,
    pick,
    poisson,
)
from .ids import node_id
from .repodata import RepoData
from .timelines import Timelines
from .users import UserPool

__all__ = ["DAY", "DUPLICATE_BODY", "DUPLICATE_TITLE", "HOUR", "RepoData", "generate_repo"]

DUPLICATE_TITLE = "Sync crashes with a timeout when the webhook payload is larger than 10 MB"
DUPLICATE_BODY = (
    "Steps to reproduce: send a push webhook with a payload over 10 MB.\n\n"
    "```\nTimeoutError: read timed out after 30s\n```\n"
    "Expected the sync to stream the payload; it buffers it whole and times out."
)


class _Gen(GenBase):
    """Entity by entity; the order of calls is part of the determinism contract."""

    def issues_and_pulls(self) -> None:
        rate = self.repo.rate
        issue_times = self.times(rate)
        pull_times = self.times(rate * 0.9)
        merged = sorted([(t, 0) for t in issue_times] + [(t, 1) for t in pull_times])
        for number, (t, is_pull) in enumerate(merged, start=1):
            if is_pull:
                self.pull(number, t)
            else:
                self.issue(number, t)
        self.plant_duplicate()

    def plant_duplicate(self) -> None:
        """The first two repositories share one never-closed issue's title and body: a known
        duplicate pair for the embedding tests. No RNG draw, so nothing else moves."""
        if self.repo.index > 1:
            return
        middle = self.start + (self.end - self.start) // 2  # visible at the world's start
        before = [i for i in self.data.issues if i.created_at <= middle and not i.state_events]
        if before:
            before[-1].title = DUPLICATE_TITLE
            before[-1].body = DUPLICATE_BODY

    def issue(self, number: int, t: int) -> None:
        rng, d = self.rng, self.data
        iid = self.new_id()
        author = self.person()
        labels = tuple(rng.sample(LABELS, pick(rng, (0, 1, 1, 2))))
        issue = Issue(
            iid,
            node_id("Issue", iid),
            self.repo,
            number,
            self.title(),
            f"Issue {number} body",
            author,
            t,
            labels,
            tuple(u for u in (pick(rng, self.core),) if rng.random() < 0.4 and not u.is_deleted),
            f"v{1 + number // 200}.0" if rng.random() < 0.3 else None,
            pick(rng, (0, 0, 0, 1, 2, 5)),
            locked=rng.random() < 0.01,
        )
        times = [t]
        if rng.random() < 0.2:
            # A label added later is one the issue does not carry yet (GitHub lists a label once).
            issue.late_label = pick(rng, [x for x in LABELS if x not in labels])
            issue.late_label_at = self.later(t, 48)
            times.append(issue.late_label_at)
        # Comments: mostly soon after opening; some arrive much later (old issues revive).
        for _ in range(poisson(rng, 2.0)):
            ct = self.later(t, 30 if rng.random() < 0.85 else 24 * 40)
            cid = self.new_id()
            c = IssueComment(
                cid,
                node_id("IssueComment", cid),
                issue,
                self.person(),
                f"Comment on #{number}",
                ct,
                pick(rng, (0, 0, 1, 3)),
            )
            issue.comments.append(c)
            self.register(c, cid)
        issue.comments.sort(key=lambda c: c.created_at)
        issue.comment_times = [c.created_at for c in issue.comments]
        times.extend(issue.comment_times)
        # Close / reopen / close again.
        if rng.random() < 0.78:
            ct = self.later(t, 24 * 6)
            self.state_event(issue, "closed", ct)
            if rng.random() < 0.1:
                rt = self.later(ct, 24 * 3)
                self.state_event(issue, "reopened", rt)
                if rng.random() < 0.7:
                    self.state_event(issue, "closed", self.later(rt, 24 * 4))
        times.extend(e.created_at for e in issue.state_events)
        issue.update_times = tuple(sorted(times))
        d.issues.append(issue)
        d.t_issues.append(t)
        d.by_number[number] = issue
        self.register(issue, iid)

    def state_event(self, issue: Issue, kind: str, t: int) -> None:
        eid = self.new_id()
        type_name = "ClosedEvent" if kind == "closed" else "ReopenedEvent"
        reason = None
        if kind == "closed":
            reason = "COMPLETED" if self.rng.random() < 0.8 else "NOT_PLANNED"
        e = IssueStateEvent(eid, node_id(type_name, eid), issue, kind, self.person(), t, reason)
        issue.state_events.append(e)
        self.register(e, eid)

    def pull(self, number: int, t: int) -> None:
        rng, d = self.rng, self.data
        pid = self.new_id()
        author = self.person()
        ready = t
        if rng.random() < 0.15:
            ready = self.later(t, 24) if rng.random() < 0.8 else NEVER
        merged_at = closed_at = NEVER
        merged_by = None
        outcome = rng.random()
        if outcome < 0.68 and ready != NEVER:
            merged_at = closed_at = self.later(max(t, ready), 36)
            merged_by = pick(rng, self.core)
        elif outcome < 0.85:
            closed_at = self.later(t, 24 * 5)
        fork_head = rng.random() < 0.3 and author is not None
        pr = PullRequest(
            pid,
            node_id("PullRequest", pid),
            self.repo,
            number,
            self.title(),
            f"PR {number} body",
            author,
            t,
            ready,
            merged_at,
            closed_at,
            merged_by,
            int(rng.expovariate(1 / 120)) + 1,
            int(rng.expovariate(1 / 60)),
            rng.randint(1, 25),
            rng.randint(1, 12),
            f"feature/{number}",
            f"{author.login}/{self.repo.name}" if fork_head and author else self.repo.full_name,
        )
        times = [t]
        if ready not in (t, NEVER):
            times.append(ready)
        if closed_at != NEVER:
            times.append(closed_at)
        end = min(closed_at, t + 20 * DAY)
        for _ in range(poisson(rng, 1.4)):
            st = min(self.later(t, 20), end)
            rid = self.new_id()
            rv = Review(
                rid,
                node_id("PullRequestReview", rid),
                pr,
                self.person(),
                pick(rng, REVIEW_STATES),
                "",
                st,
            )
            for _ in range(poisson(rng, 0.8)):
                cid = self.new_id()
                rc = ReviewComment(
                    cid,
                    node_id("PullRequestReviewComment", cid),
                    rv,
                    rv.author,
                    f"Nit on #{number}",
                    pick(rng, PATHS),
                    st,
                )
                rv.comments.append(rc)
                self.register(rc, cid)
                d.review_comments.append(rc)
            pr.reviews.append(rv)
            self.register(rv, rid)
            times.append(st)
        pr.reviews.sort(key=lambda r: r.submitted_at)
        pr.update_times = tuple(sorted(times))
        d.pulls.append(pr)
        d.t_pulls.append(t)
        d.by_number[number] = pr
        self.register(pr, pid)

    def commits(self) -> None:
        rng, d = self.rng, self.data
        for t in self.times(self.repo.rate * 2.5):
            r = rng.random()
            author: User | None
            if r < 0.06:
                author = pick(rng, self.bots)
            elif r < 0.14:
                author = None  # commit email not linked to any account
            else:
                author = pick(rng, self.core)
                if author.is_deleted:
                    author = None
            name = author.login if author else f"dev{rng.randint(1, 50)}"
            sha = hashlib.sha1(f"{self.repo.full_name}:{self.seq}:{t}".encode()).hexdigest()
            self.seq += 1
            c = Commit(
                sha,
                node_id("Commit", f"{self.repo.index}:{sha}"),
                self.repo,
                author,
                name.replace("[bot]", ""),
                f"{name.replace('[bot]', '')}@example.com",
                t - rng.randint(0, 6 * HOUR),
                t,
                int(rng.expovariate(1 / 80)),
                int(rng.expovariate(1 / 40)),
                rng.randint(1, 12),
                self.title(),
            )
            d.commits.append(c)
            d.t_commits.append(t)
            d.commit_by_sha[sha] = c

    def stars_and_forks(self) -> None:
        """Stars and forks by distinct people; deleted accounts have neither (GitHub drops
        their stars and forks with the account) and bots do not star or fork."""
        rng, d = self.rng, self.data
        star_times = self.times(self.repo.rate * 2.0)[: len(self.people)]
        for t, u in zip(star_times, rng.sample(self.people, len(star_times)), strict=True):
            d.stars.append(Star(u, t))
            d.t_stars.append(t)
        fork_times = self.times(self.repo.rate * 0.3)[: len(self.people)]
        for t, u in zip(fork_times, rng.sample(self.people, len(fork_times)), strict=True):
            fid = self.new_id()
            f = Fork(fid, node_id("Repository", fid), u, self.repo.name, t)
            d.forks.append(f)
            d.t_forks.append(t)
            self.register(f, fid)

    def releases(self) -> None:
        rng, d = self.rng, self.data
        for n, t in enumerate(self.times(max(self.repo.rate * 0.05, 0.01)), start=1):
            rid = self.new_id()
            draft = rng.random() < 0.05
            tag = f"v{1 + n // 20}.{n % 20}.0"
            rel = Release(
                rid,
                node_id("Release", rid),
                tag,
                f"Release {tag}",
                draft,
                rng.random() < 0.1,
                pick(rng, self.core),
                t,
                None if draft else t + rng.randint(0, 2 * HOUR),
                self.repo,
            )
            d.releases.append(rel)
            d.t_releases.append(t)
            self.register(rel, rid)

    def discussions(self) -> None:
        if not self.repo.has_discussions:
            return
        rng, d = self.rng, self.data
        for name, slug, emoji, answerable in CATEGORIES:
            cid = self.new_id()
            cat = Category(cid, node_id("DiscussionCategory", cid), name, slug, emoji, answerable)
            d.categories.append(cat)
            self.register(cat, cid)
        for number, t in enumerate(self.times(self.repo.rate * 0.25), start=1):
            did = self.new_id()
            cat = pick(rng, d.categories)
            disc = Discussion(
                did,
                node_id("Discussion", did),
                self.repo,
                number,
                self.title(),
                f"Discussion {number}",
                cat,
                self.person(),
                t,
                pick(rng, (0, 0, 1, 2, 4, 9)),
            )
            times = [t]
            for _ in range(poisson(rng, 2.0)):
                ct = self.later(t, 36)
                top = self.discussion_comment(disc, None, ct)
                times.append(ct)
                for _ in range(poisson(rng, 0.7)):
                    rt = self.later(ct, 12)
                    top.replies.append(self.discussion_comment(disc, top, rt))
                    times.append(rt)
                top.replies.sort(key=lambda c: c.created_at)
            disc.comments.sort(key=lambda c: c.created_at)
            if cat.is_answerable and disc.comments and rng.random() < 0.6:
                disc.answer = pick(rng, disc.comments)
                disc.answer_chosen_at = self.later(disc.answer.created_at, 24)
                times.append(disc.answer_chosen_at)
            if rng.random() < 0.1:
                disc.closed_at = self.later(t, 24 * 10)
                times.append(disc.closed_at)
            disc.update_times = tuple(sorted(times))
            d.discussions.append(disc)
            d.t_discussions.append(t)
            self.register(disc, did)

    def discussion_comment(
        self, disc: Discussion, parent: DiscussionComment | None, t: int
    ) -> DiscussionComment:
        cid = self.new_id()
        c = DiscussionComment(
            cid,
            node_id("DiscussionComment", cid),
            disc,
            parent,
            self.person(),
            f"Reply in discussion {disc.number}",
            t,
            pick(self.rng, (0, 0, 1, 3)),
        )
        if parent is None:
            disc.comments.append(c)
        self.register(c, cid)
        return c


def generate_repo(repo: Repo, pool: UserPool, seed_key: str, start: int, end: int) -> RepoData:
    rng = random.Random(f"repo:{seed_key}:{repo.full_name}")
    g = _Gen(repo, pool, rng, max(start, repo.created_at), end)
    g.issues_and_pulls()
    g.commits()
    g.stars_and_forks()
    g.releases()
    g.discussions()
    Timelines(g).run()  # last: appends draws only, the entities above stay as they were
    return g.finish()
