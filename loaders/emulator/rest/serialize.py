"""REST shapes, as of the clock `t`. Field names and nesting follow api.github.com."""

from __future__ import annotations

import zlib

from ..world.entities import (
    Issue,
    IssueComment,
    PullRequest,
    Repo,
    Review,
    ReviewComment,
    Team,
    User,
)
from ..world.views import RepoView
from ..world.world import iso

WEB = "https://github.com"
GHOST = {
    "login": "ghost",
    "id": 10137,
    "node_id": "MDQ6VXNlcjEwMTM3",
    "avatar_url": "https://avatars.githubusercontent.com/u/10137?v=4",
    "type": "User",
    "site_admin": False,
}


def avatar(user: User) -> str:
    return f"https://avatars.githubusercontent.com/u/{user.id}?v=4"


def user(u: User | None, api: str) -> dict:
    if u is None or u.is_deleted:
        return {**GHOST, "url": f"{api}/users/ghost", "html_url": f"{WEB}/ghost"}
    kind = "Bot" if u.is_bot else "Organization" if u.is_org else "User"
    return {
        "login": u.login,
        "id": u.id,
        "node_id": u.node_id,
        "avatar_url": avatar(u),
        "url": f"{api}/users/{u.login}",
        "html_url": f"{WEB}/{u.login}",
        "type": kind,
        "site_admin": False,
    }


def _assoc(repo: Repo, u: User | None) -> str:
    return "MEMBER" if u is not None and u.id % 5 == 0 else "CONTRIBUTOR" if u else "NONE"


def repository(repo: Repo, view: RepoView, api: str) -> dict:
    t = view.t
    stars = view.visible("stars")
    commits = view.visible("commits")
    pushed = commits[-1].committed_at if commits else repo.created_at
    updated = max(pushed, stars[-1].starred_at if stars else 0)
    open_issues = sum(1 for i in view.visible("issuelike") if _is_open(i, t))
    url = f"{api}/repos/{repo.full_name}"
    return {
        "id": repo.id,
        "node_id": repo.node_id,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": False,
        "owner": user(repo.owner, api),
        "html_url": f"{WEB}/{repo.full_name}",
        "description": repo.description,
        "fork": False,
        "url": url,
        "homepage": repo.homepage,
        "language": repo.language,
        "forks_count": len(view.visible("forks")),
        "forks": len(view.visible("forks")),
        "stargazers_count": len(stars),
        "watchers_count": len(stars),
        "watchers": len(stars),
        "subscribers_count": max(1, len(stars) // 10),
        "open_issues_count": open_issues,
        "open_issues": open_issues,
        "topics": list(repo.topics),
        "archived": repo.is_archived,
        "disabled": False,
        "visibility": "public",
        "has_issues": True,
        "has_projects": True,
        "has_wiki": True,
        "has_discussions": repo.has_discussions,
        "default_branch": repo.default_branch,
        "created_at": iso(repo.created_at),
        "updated_at": iso(updated),
        "pushed_at": iso(pushed),
    }


def _is_open(item: Issue | PullRequest, t: int) -> bool:
    if isinstance(item, Issue):
        return item.state(t) == "open"
    return item.closed_at > t


def labels(item: Issue | PullRequest, t: int, api: str, repo: Repo) -> list[dict]:
    return [
        {
            "id": zlib.crc32(f"{repo.id}:{name}".encode()),
            "name": name,
            "color": color,
            "default": False,
            "description": f"Issues and pull requests about {name}",
            "url": f"{api}/repos/{repo.full_name}/labels/{name}",
        }
        for name, color in item.labels_at(t)
    ]


def issue(i: Issue, t: int, api: str) -> dict:
    repo = i.repo
    url = f"{api}/repos/{repo.full_name}/issues/{i.number}"
    reason = i.state_reason(t)
    return {
        "id": i.id,
        "node_id": i.node_id,
        "url": url,
        "repository_url": f"{api}/repos/{repo.full_name}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": f"{WEB}/{repo.full_name}/issues/{i.number}",
        "number": i.number,
        "title": i.title,
        "user": user(i.author, api),
        "labels": labels(i, t, api, repo),
        "state": i.state(t),
        "state_reason": reason.lower() if reason else None,
        "locked": i.locked,
        "assignee": user(i.assignees[0], api) if i.assignees else None,
        "assignees": [user(a, api) for a in i.assignees],
        "milestone": _milestone(i.milestone_at(t)),
        "comments": len(i.visible_comments(t)),
        "created_at": iso(i.created_at),
        "updated_at": iso(i.updated_at(t)),
        "closed_at": iso(i.closed_at(t)),
        "author_association": _assoc(repo, i.author),
        "body": i.body,
        "reactions": {
            "url": f"{url}/reactions",
            "total_count": i.reactions,
            "+1": i.reactions,
            "-1": 0,
        },
    }


def pull_as_issue(p: PullRequest, t: int, api: str) -> dict:
    """A pull request as `/issues` lists it (GitHub mixes them in, with `pull_request`)."""
    repo = p.repo
    url = f"{api}/repos/{repo.full_name}/issues/{p.number}"
    closed = p.closed_at if p.closed_at <= t else None
    return {
        "id": p.id,
        "node_id": p.node_id,
        "url": url,
        "repository_url": f"{api}/repos/{repo.full_name}",
        "html_url": f"{WEB}/{repo.full_name}/pull/{p.number}",
        "number": p.number,
        "title": p.title,
        "user": user(p.author, api),
        "labels": labels(p, t, api, repo),
        "state": "closed" if closed else "open",
        "state_reason": None,
        "locked": False,
        "assignee": user(p.assignees[0], api) if p.assignees else None,
        "assignees": [user(a, api) for a in p.assignees],
        "milestone": _milestone(p.milestone),
        "comments": len(p.visible_comments(t)),
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at(t)),
        "closed_at": iso(closed),
        "author_association": _assoc(repo, p.author),
        "body": p.body,
        "draft": p.is_draft(t),
        "pull_request": {
            "url": f"{api}/repos/{repo.full_name}/pulls/{p.number}",
            "html_url": f"{WEB}/{repo.full_name}/pull/{p.number}",
            "merged_at": iso(p.merged_at) if p.merged_at <= t else None,
        },
        "reactions": {"url": f"{url}/reactions", "total_count": 0},
    }


def pull(p: PullRequest, t: int, api: str, full: bool = False) -> dict:
    repo = p.repo
    url = f"{api}/repos/{repo.full_name}/pulls/{p.number}"
    merged = p.merged_at <= t
    closed = p.closed_at <= t
    head_repo = {"full_name": p.head_repo} if p.head_repo else None
    out = {
        "id": p.id,
        "node_id": p.node_id,
        "url": url,
        "html_url": f"{WEB}/{repo.full_name}/pull/{p.number}",
        "number": p.number,
        "state": "closed" if closed else "open",
        "locked": False,
        "title": p.title,
        "user": user(p.author, api),
        "body": p.body,
        "labels": labels(p, t, api, repo),
        "milestone": _milestone(p.milestone),
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at(t)),
        "closed_at": iso(p.closed_at) if closed else None,
        "merged_at": iso(p.merged_at) if merged else None,
        "merge_commit_sha": None,
        "assignee": user(p.assignees[0], api) if p.assignees else None,
        "assignees": [user(a, api) for a in p.assignees],
        "requested_reviewers": [user(u, api) for u in pending_reviewers(p, t, "user")],
        "requested_teams": [team(x) for x in pending_reviewers(p, t, "team")],
        "draft": p.is_draft(t),
        "head": {
            "label": f"{(p.head_repo or repo.full_name).split('/')[0]}:{p.head_ref}",
            "ref": p.head_ref,
            "repo": head_repo,
        },
        "base": {
            "label": f"{repo.owner.login}:{repo.default_branch}",
            "ref": repo.default_branch,
            "repo": {"id": repo.id, "full_name": repo.full_name},
        },
        "author_association": _assoc(repo, p.author),
    }
    if full:
        out.update(
            {
                "merged": merged,
                "merged_by": user(p.merged_by, api) if merged else None,
                "comments": len(p.visible_comments(t)),
                "review_comments": sum(len(r.comments) for r in p.visible_reviews(t)),
                "commits": p.commits,
                "additions": p.additions,
                "deletions": p.deletions,
                "changed_files": p.changed_files,
            }
        )
    return out


def _milestone(title: str | None) -> dict | None:
    return {"title": title, "number": int(title[1:].split(".")[0])} if title else None


def team(x: Team) -> dict:
    return {"id": x.id, "node_id": x.node_id, "slug": x.slug, "name": x.slug.title()}


def pending_reviewers(p: PullRequest, t: int, kind: str) -> list:
    """Who is asked to review now: requested, not withdrawn, not reviewed since (GitHub
    drops a reviewer from the list once they review)."""
    pending: dict[int, object] = {}
    for e in p.visible_events(t):
        who = e.reviewer
        if who is None or isinstance(who, Team) != (kind == "team"):
            continue
        if isinstance(who, User) and who.is_deleted:
            continue
        if e.kind == "review_requested":
            pending[who.id] = who
        else:
            pending.pop(who.id, None)
    for r in p.visible_reviews(t):
        if r.author is not None:
            pending.pop(r.author.id, None)
    return list(pending.values())


def issue_comment(c: IssueComment, api: str, t: int | None = None) -> dict:
    repo = c.issue.repo
    kind = "pull" if isinstance(c.issue, PullRequest) else "issues"
    return {
        "id": c.id,
        "node_id": c.node_id,
        "url": f"{api}/repos/{repo.full_name}/issues/comments/{c.id}",
        "html_url": f"{WEB}/{repo.full_name}/{kind}/{c.issue.number}#issuecomment-{c.id}",
        "issue_url": f"{api}/repos/{repo.full_name}/issues/{c.issue.number}",
        "user": user(c.author, api),
        "created_at": iso(c.created_at),
        "updated_at": iso(c.created_at if t is None else c.updated_at(t)),
        "author_association": _assoc(repo, c.author),
        "body": c.body,
        "reactions": {"total_count": c.reactions, "+1": c.reactions},
    }


def review(r: Review, api: str) -> dict:
    repo = r.pull.repo
    return {
        "id": r.id,
        "node_id": r.node_id,
        "user": user(r.author, api),
        "body": r.body,
        "state": r.state,
        "submitted_at": iso(r.submitted_at),
        "commit_id": None,
        "html_url": f"{WEB}/{repo.full_name}/pull/{r.pull.number}#pullrequestreview-{r.id}",
        "pull_request_url": f"{api}/repos/{repo.full_name}/pulls/{r.pull.number}",
        "author_association": _assoc(repo, r.author),
    }


def review_comment(c: ReviewComment, api: str) -> dict:
    pr = c.review.pull
    repo = pr.repo
    return {
        "id": c.id,
        "node_id": c.node_id,
        "pull_request_review_id": c.review.id,
        "url": f"{api}/repos/{repo.full_name}/pulls/comments/{c.id}",
        "path": c.path,
        "diff_hunk": "@@ -1,3 +1,4 @@",
        "user": user(c.author, api),
        "body": c.body,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.created_at),
        "html_url": f"{WEB}/{repo.full_name}/pull/{pr.number}#discussion_r{c.id}",
        "pull_request_url": f"{api}/repos/{repo.full_name}/pulls/{pr.number}",
        "author_association": _assoc(repo, c.author),
    }
