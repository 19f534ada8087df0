"""REST shapes, as of the clock `t`. Field names and nesting follow api.github.com."""

from __future__ import annotations

import zlib

from ..world.entities import (
    Issue,
    IssueComment,
    PullRequest,
    Repo,
    Team,
    User,
)
from ..world.views import RepoView
from ..world.world import iso
from . import shapes

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
        return {
            **GHOST,
            "url": f"{api}/users/ghost",
            "html_url": f"{WEB}/ghost",
            **shapes.user_links(api, "ghost"),
        }
    kind = "Bot" if u.is_bot else "Organization" if u.is_org else "User"
    return {
        "login": u.login,
        "id": u.id,
        "node_id": u.node_id,
        "avatar_url": avatar(u),
        "url": f"{api}/users/{u.login}",
        "html_url": f"{WEB}/{u.login}",
        **shapes.user_links(api, u.login),
        "type": kind,
        "site_admin": False,
    }


def _assoc(repo: Repo, u: User | None) -> str:
    return shapes.association(u)


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
        **shapes.repo_links(api, repo.full_name),
        **shapes.git_links(repo.full_name),
        **shapes.repo_flags(),
        "homepage": repo.homepage,
        "language": repo.language,
        "forks_count": len(view.visible("forks")),
        "forks": len(view.visible("forks")),
        "stargazers_count": len(stars),
        "watchers_count": len(stars),
        "watchers": len(stars),
        "subscribers_count": max(1, len(stars) // 10),
        "network_count": len(view.visible("forks")),
        "size": len(commits),
        "open_issues_count": open_issues,
        "open_issues": open_issues,
        "topics": list(repo.topics),
        "archived": repo.is_archived,
        "disabled": False,
        "visibility": "public",
        "has_discussions": repo.has_discussions,
        "default_branch": repo.default_branch,
        "created_at": iso(repo.created_at),
        "updated_at": iso(updated),
        "pushed_at": iso(pushed),
    }


def repository_in_pull(repo: Repo, view: RepoView, api: str) -> dict:
    """GitHub nests the `repository` shape in pull requests: the full one less the keys
    only `GET /repos/{owner}/{repo}` answers with."""
    body = repository(repo, view, api)
    for key in ("subscribers_count", "network_count"):
        body.pop(key)
    return body


def _is_open(item: Issue | PullRequest, t: int) -> bool:
    if isinstance(item, Issue):
        return item.state(t) == "open"
    return item.closed_at > t


def labels(item: Issue | PullRequest, t: int, api: str, repo: Repo) -> list[dict]:
    return [
        {
            "id": (ident := zlib.crc32(f"{repo.id}:{name}".encode())),
            "node_id": f"LA_emulated{ident}",
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
        "labels_url": f"{url}/labels{{/name}}",
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
        "milestone": _milestone(repo, i.milestone_at(t), api),
        "type": None,  # GitHub's issue types: none are set in this world
        "comments": len(i.visible_comments(t)),
        "created_at": iso(i.created_at),
        "updated_at": iso(i.updated_at(t)),
        "closed_at": iso(i.closed_at(t)),
        "author_association": _assoc(repo, i.author),
        "body": i.body,
        "reactions": shapes.reactions(f"{url}/reactions", i.reactions),
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
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "labels_url": f"{url}/labels{{/name}}",
        "html_url": f"{WEB}/{repo.full_name}/pull/{p.number}",
        "number": p.number,
        "title": p.title,
        "user": user(p.author, api),
        "labels": labels(p, t, api, repo),
        "state": "closed" if closed else "open",
        "state_reason": None,
        "type": None,
        "locked": False,
        "assignee": user(p.assignees[0], api) if p.assignees else None,
        "assignees": [user(a, api) for a in p.assignees],
        "milestone": _milestone(repo, p.milestone, api),
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
            "diff_url": f"{WEB}/{repo.full_name}/pull/{p.number}.diff",
            "patch_url": f"{WEB}/{repo.full_name}/pull/{p.number}.patch",
            "merged_at": iso(p.merged_at) if p.merged_at <= t else None,
        },
        "reactions": shapes.reactions(f"{url}/reactions", 0),
    }


def pull(
    p: PullRequest, t: int, api: str, full: bool = False, base_repo: dict | None = None
) -> dict:
    """`base_repo`: the repository's REST body, computed once per page by the caller
    (GitHub nests it in every pull request's `base` and, for same-repository branches,
    `head`); without it a body with this world's static fields and zero counts."""
    repo = p.repo
    url = f"{api}/repos/{repo.full_name}/pulls/{p.number}"
    issue_url = f"{api}/repos/{repo.full_name}/issues/{p.number}"
    html = f"{WEB}/{repo.full_name}/pull/{p.number}"
    merged = p.merged_at <= t
    closed = p.closed_at <= t
    owner = user(repo.owner, api)
    if base_repo is None:
        base_repo = {
            **shapes.named_repository(repo.full_name, owner, api, repo.created_at),
            "id": repo.id,
            "node_id": repo.node_id,
            "fork": False,
            "description": repo.description,
            "default_branch": repo.default_branch,
        }
    head_repo: dict | None = None
    head_owner: dict | None = None
    if p.head_repo == repo.full_name:
        head_repo, head_owner = base_repo, owner
    elif p.head_repo:
        head_owner = shapes.named_user(p.head_repo.split("/")[0], api)
        head_repo = shapes.named_repository(p.head_repo, head_owner, api, p.created_at)
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
        "milestone": _milestone(repo, p.milestone, api),
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at(t)),
        "closed_at": iso(p.closed_at) if closed else None,
        "merged_at": iso(p.merged_at) if merged else None,
        "merge_commit_sha": None,
        "assignee": user(p.assignees[0], api) if p.assignees else None,
        "assignees": [user(a, api) for a in p.assignees],
        "requested_reviewers": [user(u, api) for u in pending_reviewers(p, t, "user")],
        "requested_teams": [team(x, api) for x in pending_reviewers(p, t, "team")],
        "draft": p.is_draft(t),
        "head": {
            "label": f"{(p.head_repo or repo.full_name).split('/')[0]}:{p.head_ref}",
            "ref": p.head_ref,
            "sha": shapes.head_sha(repo.id, p.number),
            "user": head_owner,
            "repo": head_repo,
        },
        "base": {
            "label": f"{repo.owner.login}:{repo.default_branch}",
            "ref": repo.default_branch,
            "sha": shapes.head_sha(repo.id, -p.number),
            "user": owner,
            "repo": base_repo,
        },
        "author_association": _assoc(repo, p.author),
        "auto_merge": None,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue_url,
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{api}/repos/{repo.full_name}/pulls/comments{{/number}}",
        "comments_url": f"{issue_url}/comments",
        "statuses_url": f"{api}/repos/{repo.full_name}/statuses/"
        + shapes.head_sha(repo.id, p.number),
        "_links": {
            "self": shapes.link(url),
            "html": shapes.link(html),
            "issue": shapes.link(issue_url),
            "comments": shapes.link(f"{issue_url}/comments"),
            "review_comments": shapes.link(f"{url}/comments"),
            "review_comment": shapes.link(
                f"{api}/repos/{repo.full_name}/pulls/comments{{/number}}"
            ),
            "commits": shapes.link(f"{url}/commits"),
            "statuses": shapes.link(
                f"{api}/repos/{repo.full_name}/statuses/" + shapes.head_sha(repo.id, p.number)
            ),
        },
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


def _milestone(repo: Repo, title: str | None, api: str) -> dict | None:
    return shapes.milestone(repo, title, user(repo.owner, api), api)


def team(x: Team, api: str) -> dict:
    return shapes.team(x.id, x.node_id, x.org, x.slug, api)


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
        "reactions": shapes.reactions(
            f"{api}/repos/{repo.full_name}/issues/comments/{c.id}/reactions", c.reactions
        ),
    }
