"""REST routes of the subset in docs/github_api_subset.md, as of the world's clock.

Handlers return `Reply`s; the server owns auth, budgets, faults, ETags and accounting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..world.entities import Issue, PullRequest, Repo
from ..world.world import World
from . import serialize as s
from . import serialize_activity as sa
from . import serialize_reviews as sr
from . import serialize_timeline as st
from .paging import BadRequest, paginate, paginate_cursor, parse_time

DOCS = "https://docs.github.com/rest"


@dataclass
class Reply:
    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)
    endpoint: str = ""


def not_found() -> Reply:
    return Reply(404, {"message": "Not Found", "documentation_url": DOCS})


_REPO = re.compile(
    r"^/(?:repos/(?P<owner>[^/]+)/(?P<name>[^/]+)|repositories/(?P<id>\d+))"
    r"(?P<rest>/.*)?$"
)
_SUB: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^$"), "repo", ""),
    (re.compile(r"^/events$"), "events", "/events"),
    (re.compile(r"^/issues$"), "issues", "/issues"),
    (re.compile(r"^/issues/comments$"), "issue_comments", "/issues/comments"),
    (re.compile(r"^/issues/(?P<number>\d+)$"), "issue", "/issues/{number}"),
    (
        re.compile(r"^/issues/(?P<number>\d+)/comments$"),
        "item_comments",
        "/issues/{number}/comments",
    ),
    (
        re.compile(r"^/issues/(?P<number>\d+)/timeline$"),
        "item_timeline",
        "/issues/{number}/timeline",
    ),
    (re.compile(r"^/issues/(?P<number>\d+)/labels$"), "item_labels", "/issues/{number}/labels"),
    (
        re.compile(r"^/pulls/(?P<number>\d+)/requested_reviewers$"),
        "requested_reviewers",
        "/pulls/{number}/requested_reviewers",
    ),
    (re.compile(r"^/pulls$"), "pulls", "/pulls"),
    (re.compile(r"^/pulls/comments$"), "review_comments", "/pulls/comments"),
    (re.compile(r"^/pulls/(?P<number>\d+)$"), "pull", "/pulls/{number}"),
    (re.compile(r"^/pulls/(?P<number>\d+)/reviews$"), "reviews", "/pulls/{number}/reviews"),
    (re.compile(r"^/commits$"), "commits", "/commits"),
    (re.compile(r"^/commits/(?P<sha>[0-9a-fA-F]{7,40})$"), "commit", "/commits/{sha}"),
    (re.compile(r"^/stargazers$"), "stargazers", "/stargazers"),
    (re.compile(r"^/forks$"), "forks", "/forks"),
    (re.compile(r"^/releases$"), "releases", "/releases"),
    (re.compile(r"^/branches$"), "branches", "/branches"),
    (re.compile(r"^/languages$"), "languages", "/languages"),
]


def _sort_args(
    query: dict[str, str], fields: dict[str, str], default: str, default_dir: Callable[[str], str]
) -> tuple[str, str]:
    sort = query.get("sort", default)
    if sort not in fields:
        raise BadRequest(f"sort must be one of {sorted(fields)}")
    direction = query.get("direction", default_dir(sort)).lower()
    if direction not in ("asc", "desc"):
        raise BadRequest("direction must be asc or desc")
    return fields[sort], direction.upper()


def _state(query: dict[str, str]) -> str:
    state = query.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise BadRequest("state must be open, closed or all")
    return state


class RestApi:
    def __init__(self, world: World) -> None:
        self.world = world

    def endpoint_name(self, path: str) -> str:
        m = _REPO.match(path)
        if not m:
            return path
        for pattern, _, label in _SUB:
            if pattern.match(m.group("rest") or ""):
                return "/repos/{owner}/{repo}" + label
        return "/repos/{owner}/{repo}/…"

    def handle(self, path: str, query: dict[str, str], headers: dict[str, str], base: str) -> Reply:
        m = _REPO.match(path)
        if not m:
            return not_found()
        rest = m.group("rest") or ""
        repo: Repo | None
        if m.group("id"):
            repo = self.world.repo_by_id(int(m.group("id")))
            if repo is None:
                return not_found()
        else:
            status, repo = self.world.resolve(f"{m.group('owner')}/{m.group('name')}")
            if status == "renamed" and repo is not None:
                qs = "&".join(f"{k}={v}" for k, v in query.items())
                location = f"{base}/repositories/{repo.id}{rest}" + (f"?{qs}" if qs else "")
                return Reply(
                    301,
                    {"message": "Moved Permanently", "url": location, "documentation_url": DOCS},
                    {"Location": location},
                )
            if repo is None:
                return not_found()
        for pattern, name, _ in _SUB:
            sm = pattern.match(rest)
            if sm:
                url = f"{base}{path}"
                try:
                    return getattr(self, "_" + name)(
                        repo, query, headers, base, url, **sm.groupdict()
                    )
                except BadRequest as exc:
                    return Reply(
                        422,
                        {
                            "message": "Validation Failed",
                            "errors": [str(exc)],
                            "documentation_url": DOCS,
                        },
                    )
        return not_found()

    @staticmethod
    def _page(items: list, query: dict[str, str], url: str, render: Callable) -> Reply:
        chunk, link = paginate(items, query, url)
        return Reply(200, [render(x) for x in chunk], {"Link": link} if link else {})

    # -- handlers (names match _SUB) -----------------------------------------------------
    def _repo(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        return Reply(200, s.repository(repo, self.world.view(repo), api))

    def _languages(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        # GitHub's answer is one object, language -> bytes, largest first (not paged).
        return Reply(200, dict(self.world.view(repo).languages()))

    def _events(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        view = self.world.view(repo)
        return self._page(view.events(), q, url, lambda e: sa.event(e, repo, api))

    def _issues(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        view, t = self.world.view(repo), self.world.now
        field_, direction = _sort_args(
            q,
            {"created": "CREATED_AT", "updated": "UPDATED_AT", "comments": "COMMENTS"},
            "created",
            lambda _: "desc",
        )
        state = _state(q)
        since = parse_time(q["since"]) if "since" in q else None

        def keep(x: Issue | PullRequest) -> bool:
            if since is not None and x.updated_at(t) < since:
                return False
            if state == "all":
                return True
            is_open = x.state(t) == "open" if isinstance(x, Issue) else x.closed_at > t
            return is_open == (state == "open")

        o = view.select(
            "issuelike",
            field_,
            direction,
            (state, since),
            None if state == "all" and since is None else keep,
        )
        chunk, link = paginate_cursor(o.items, q, url)
        body = [
            s.issue(x, t, api) if isinstance(x, Issue) else s.pull_as_issue(x, t, api)
            for x in chunk
        ]
        return Reply(200, body, {"Link": link} if link else {})

    def _issue(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x = self.world.data(repo).by_number.get(int(number))
        t = self.world.now
        if x is None or x.created_at > t:
            return not_found()
        return Reply(
            200, s.issue(x, t, api) if isinstance(x, Issue) else s.pull_as_issue(x, t, api)
        )

    def _item(self, repo: Repo, number: str) -> Issue | PullRequest | None:
        x = self.world.data(repo).by_number.get(int(number))
        return None if x is None or x.created_at > self.world.now else x

    def _item_comments(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        """An issue's or a pull request's conversation comments (`since`: updated at/after)."""
        x, t = self._item(repo, number), self.world.now
        if x is None:
            return not_found()
        items = x.visible_comments(t)
        if "since" in q:
            since = parse_time(q["since"])
            items = [c for c in items if c.updated_at(t) >= since]
        return self._page(items, q, url, lambda c: s.issue_comment(c, api, t))

    def _item_timeline(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x, t = self._item(repo, number), self.world.now
        if x is None:
            return not_found()
        return self._page(st.timeline(x, t), q, url, lambda e: st.timeline_entry(e, t, api))

    def _item_labels(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x, t = self._item(repo, number), self.world.now
        if x is None:
            return not_found()
        return self._page(s.labels(x, t, api, repo), q, url, lambda label: label)

    def _requested_reviewers(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x, t = self._item(repo, number), self.world.now
        if not isinstance(x, PullRequest):
            return not_found()
        users = [s.user(u, api) for u in s.pending_reviewers(x, t, "user")]
        teams = [s.team(x, api) for x in s.pending_reviewers(x, t, "team")]
        return Reply(200, {"users": users, "teams": teams})

    def _issue_comments(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        """Every conversation comment of the repository, issues' and pull requests' alike
        (GitHub lists both here); `since` and `sort=updated` follow edits."""
        view, t = self.world.view(repo), self.world.now
        _, direction = _sort_args(
            q, {"created": "created", "updated": "updated"}, "created", lambda _: "asc"
        )
        sort = q.get("sort", "created")
        items = [*view.visible("issue_comments")]
        items += [c for p in view.visible("pulls") for c in p.visible_comments(t)]
        if "since" in q:
            since = parse_time(q["since"])
            items = [c for c in items if c.updated_at(t) >= since]
        if sort == "updated":
            items.sort(key=lambda c: (c.updated_at(t), c.id), reverse=direction == "DESC")
        else:
            items.sort(key=lambda c: (c.created_at, c.id), reverse=direction == "DESC")
        return self._page(items, q, url, lambda c: s.issue_comment(c, api, t))

    def _review_comments(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        view = self.world.view(repo)
        return self._comment_list(
            view, "review_comments", q, url, lambda c: sr.review_comment(c, api)
        )

    def _comment_list(self, view, kind: str, q, url: str, render: Callable) -> Reply:
        # Comments are never edited here, so updated order == created order.
        _, direction = _sort_args(
            q, {"created": "CREATED_AT", "updated": "CREATED_AT"}, "created", lambda _: "asc"
        )
        since = parse_time(q["since"]) if "since" in q else None
        o = view.select(
            kind,
            "CREATED_AT",
            direction,
            ("since", since),
            None if since is None else lambda c: c.created_at >= since,
        )
        return self._page(o.items, q, url, render)

    def _pulls(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        view, t = self.world.view(repo), self.world.now
        field_, direction = _sort_args(
            q,
            {
                "created": "CREATED_AT",
                "updated": "UPDATED_AT",
                "popularity": "CREATED_AT",
                "long-running": "CREATED_AT",
            },
            "created",
            lambda sort: "desc" if sort == "created" else "asc",
        )
        state = _state(q)
        keep = None if state == "all" else (lambda p: (p.closed_at > t) == (state == "open"))
        o = view.select("pulls", field_, direction, (state,), keep)
        body = s.repository_in_pull(repo, view, api)
        return self._page(o.items, q, url, lambda p: s.pull(p, t, api, base_repo=body))

    def _pull(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x = self.world.data(repo).by_number.get(int(number))
        t = self.world.now
        if not isinstance(x, PullRequest) or x.created_at > t:
            return not_found()
        body = s.repository_in_pull(repo, self.world.view(repo), api)
        return Reply(200, s.pull(x, t, api, full=True, base_repo=body))

    def _reviews(self, repo: Repo, q, h, api: str, url: str, number: str) -> Reply:
        x = self.world.data(repo).by_number.get(int(number))
        t = self.world.now
        if not isinstance(x, PullRequest) or x.created_at > t:
            return not_found()
        return self._page(x.visible_reviews(t), q, url, lambda r: sr.review(r, api))

    def _commits(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        if q.get("sha", repo.default_branch) not in (
            repo.default_branch,
            f"refs/heads/{repo.default_branch}",
        ):
            return Reply(
                404, {"message": "No commit found for SHA: " + q["sha"], "documentation_url": DOCS}
            )
        view = self.world.view(repo)
        o = view.ordered("commits", "CREATED_AT", "DESC")
        items = o.items
        since = parse_time(q["since"]) if "since" in q else None
        until = parse_time(q["until"]) if "until" in q else None
        if since is not None or until is not None:
            lo = since if since is not None else -(2**62)
            hi = until if until is not None else 2**62
            items = [c for c in items if lo <= c.committed_at <= hi]
        return self._page(items, q, url, lambda c: sa.commit(c, c.parent, api))

    def _commit(self, repo: Repo, q, h, api: str, url: str, sha: str) -> Reply:
        data = self.world.data(repo)
        c = data.commit_by_sha.get(sha.lower())
        if c is None and len(sha) < 40:
            c = next((x for x in data.commits if x.sha.startswith(sha.lower())), None)
        if c is None or c.committed_at > self.world.now:
            return Reply(
                422, {"message": f"No commit found for SHA: {sha}", "documentation_url": DOCS}
            )
        return Reply(200, sa.commit(c, c.parent, api, full=True))

    def _stargazers(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        stars = self.world.view(repo).visible("stars")
        if "star+json" in h.get("accept", ""):
            return self._page(
                stars,
                q,
                url,
                lambda st: {"starred_at": s.iso(st.starred_at), "user": s.user(st.user, api)},
            )
        return self._page(stars, q, url, lambda st: s.user(st.user, api))

    def _forks(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        sort = q.get("sort", "newest")
        if sort not in ("newest", "oldest", "stargazers", "watchers"):
            raise BadRequest("sort must be newest, oldest, stargazers or watchers")
        o = self.world.view(repo).ordered(
            "forks", "CREATED_AT", "ASC" if sort == "oldest" else "DESC"
        )
        return self._page(o.items, q, url, lambda f: sa.fork(f, repo, api))

    def _releases(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        o = self.world.view(repo).ordered("releases", "CREATED_AT", "DESC")
        t = self.world.now
        return self._page(o.items, q, url, lambda r: sa.release(r, repo, api, t))

    def _branches(self, repo: Repo, q, h, api: str, url: str) -> Reply:
        """Only the default branch exists; its head is the newest visible commit."""
        commits = self.world.view(repo).visible("commits")
        if not commits:
            return self._page([], q, url, lambda b: b)
        sha = commits[-1].sha
        branch = {
            "name": repo.default_branch,
            "commit": {"sha": sha, "url": f"{api}/repos/{repo.full_name}/commits/{sha}"},
            "protected": False,
        }
        return self._page([branch], q, url, lambda b: b)
