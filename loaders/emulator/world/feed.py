"""The REST events feed, derived from the items when asked (no stored event objects).

Storing one event object per item doubled the memory of a generated repository; the feed
only ever shows the last 30 days, so it is cheaper to collect those from the sorted item
lists. Event ids derive from their subject, so an event keeps its id as the clock moves.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .entities import RepoEvent
from .ids import ITEM_ID_SPAN
from .repodata import RepoData

FEED_ID_BASE = 30_000_000_000
# Subjects without an item id (commits, stars) get keys in their repository's id range,
# above any item sequence number (a repository generates far fewer than 5M items).
COMMIT_KEY, STAR_KEY = 5_000_000, 7_000_000


def _eid(key: int, kind: int) -> int:
    return FEED_ID_BASE + key * 16 + kind


def feed(data: RepoData, t: int, window: int, limit: int) -> list[RepoEvent]:
    """Events of the `window` seconds up to `t`, newest first, at most `limit`."""
    lo = t - window

    def span(times: list[int]) -> range:
        return range(bisect_left(times, lo), bisect_right(times, t))

    base = (data.repo.index + 1) * ITEM_ID_SPAN
    out: list[RepoEvent] = []
    add = out.append
    for k in span(data.t_issues):
        i = data.issues[k]
        add(RepoEvent(_eid(i.id, 1), "IssuesEvent", "opened", i.author, i.created_at, i))
    for k in span(data.t_state_events):
        e = data.state_events[k]
        add(RepoEvent(_eid(e.id, 2), "IssuesEvent", e.event, e.actor, e.created_at, e))
    for k in span(data.t_issue_comments):
        c = data.issue_comments[k]
        add(RepoEvent(_eid(c.id, 3), "IssueCommentEvent", "created", c.author, c.created_at, c))
    for k in span(data.t_pulls):
        p = data.pulls[k]
        add(RepoEvent(_eid(p.id, 4), "PullRequestEvent", "opened", p.author, p.created_at, p))
    for k in span(data.t_closed_pulls):
        p = data.closed_pulls[k]
        add(
            RepoEvent(
                _eid(p.id, 5), "PullRequestEvent", "closed", p.merged_by or p.author, p.closed_at, p
            )
        )
    for k in span(data.t_reviews):
        r = data.reviews[k]
        add(
            RepoEvent(
                _eid(r.id, 6), "PullRequestReviewEvent", "created", r.author, r.submitted_at, r
            )
        )
    for k in span(data.t_commits):
        c = data.commits[k]
        add(
            RepoEvent(
                _eid(base + COMMIT_KEY + k, 7), "PushEvent", None, c.author, c.committed_at, c
            )
        )
    for k in span(data.t_stars):
        s = data.stars[k]
        add(
            RepoEvent(
                _eid(base + STAR_KEY + k, 8), "WatchEvent", "started", s.user, s.starred_at, s.user
            )
        )
    for k in span(data.t_forks):
        f = data.forks[k]
        add(RepoEvent(_eid(f.id, 9), "ForkEvent", None, f.owner, f.created_at, f))
    for k in span(data.t_published):
        r = data.published[k]
        assert r.published_at is not None
        add(RepoEvent(_eid(r.id, 10), "ReleaseEvent", "published", r.author, r.published_at, r))
    out.sort(key=lambda e: (e.created_at, e.id))
    return out[-limit:][::-1] if limit else []
