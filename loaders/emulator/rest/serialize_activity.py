"""REST shapes of commits, forks, releases and the events feed, as of the clock `t`."""

from __future__ import annotations

from ..world.entities import Commit, Fork, Release, Repo, RepoEvent
from ..world.world import iso
from . import shapes
from .serialize import WEB, issue, issue_comment, pull, user
from .serialize_reviews import review


def commit(c: Commit, parent: str | None, api: str, full: bool = False) -> dict:
    repo = c.repo
    linked = user(c.author, api) if c.author is not None else None
    out = {
        "sha": c.sha,
        "node_id": c.node_id,
        "commit": {
            "author": {"name": c.author_name, "email": c.author_email, "date": iso(c.authored_at)},
            "committer": {
                "name": "GitHub",
                "email": "noreply@github.com",
                "date": iso(c.committed_at),
            },
            "message": c.message,
            "comment_count": 0,
            "url": f"{api}/repos/{repo.full_name}/git/commits/{c.sha}",
            "tree": {
                "sha": _tree_sha(c.sha),
                "url": f"{api}/repos/{repo.full_name}/git/trees/{_tree_sha(c.sha)}",
            },
        },
        "url": f"{api}/repos/{repo.full_name}/commits/{c.sha}",
        "comments_url": f"{api}/repos/{repo.full_name}/commits/{c.sha}/comments",
        "html_url": f"{WEB}/{repo.full_name}/commit/{c.sha}",
        "author": linked,
        "committer": linked,
        "parents": [{"sha": parent, "url": f"{api}/repos/{repo.full_name}/commits/{parent}"}]
        if parent
        else [],
    }
    if full:
        out["stats"] = {
            "total": c.additions + c.deletions,
            "additions": c.additions,
            "deletions": c.deletions,
        }
        out["files"] = _files(c, api)
    return out


def _tree_sha(sha: str) -> str:
    """The commit's tree: a stable stand-in (this world keeps no file trees)."""
    return sha[20:] + sha[:20]


def _files(c: Commit, api: str) -> list[dict]:
    """`changed_files` file entries whose line counts add up to the commit's stats."""
    n = c.changed_files
    files = []
    for k in range(n):
        add = c.additions // n + (1 if k < c.additions % n else 0)
        dele = c.deletions // n + (1 if k < c.deletions % n else 0)
        files.append(
            {
                "sha": c.sha,
                "filename": (name := f"src/module_{int(c.sha[k % 40], 16)}_{k}.py"),
                "blob_url": f"{WEB}/{c.repo.full_name}/blob/{c.sha}/{name}",
                "raw_url": f"{WEB}/{c.repo.full_name}/raw/{c.sha}/{name}",
                "contents_url": f"{api}/repos/{c.repo.full_name}/contents/{name}?ref={c.sha}",
                "status": "modified",
                "additions": add,
                "deletions": dele,
                "changes": add + dele,
            }
        )
    return files


def fork(f: Fork, parent: Repo, api: str) -> dict:
    full = f"{f.owner.login}/{f.name}"
    return {
        "id": f.id,
        "node_id": f.node_id,
        "name": f.name,
        "full_name": full,
        "owner": user(f.owner, api),
        "private": False,
        "fork": True,
        "html_url": f"{WEB}/{full}",
        "url": f"{api}/repos/{full}",
        **shapes.repo_links(api, full),
        **shapes.git_links(full),
        "description": parent.description,
        "created_at": iso(f.created_at),
        "updated_at": iso(f.created_at),
        "pushed_at": iso(f.created_at),
        "stargazers_count": 0,
        "watchers_count": 0,
        "forks_count": 0,
        "default_branch": parent.default_branch,
    }


def release(r: Release, repo: Repo, api: str, t: int) -> dict:
    return {
        "id": r.id,
        "node_id": r.node_id,
        "tag_name": r.tag,
        "name": r.name,
        "draft": r.draft_at(t),
        "prerelease": r.is_prerelease,
        "author": user(r.author, api),
        "created_at": iso(r.created_at),
        "published_at": None if r.draft_at(t) else iso(r.published_at),
        "url": f"{api}/repos/{repo.full_name}/releases/{r.id}",
        "html_url": f"{WEB}/{repo.full_name}/releases/tag/{r.tag}",
        "target_commitish": repo.default_branch,
        "body": f"Changes in {r.tag}",
        "assets": [],
        "assets_url": f"{api}/repos/{repo.full_name}/releases/{r.id}/assets",
        "upload_url": f"https://uploads.github.com/repos/{repo.full_name}/releases/{r.id}"
        "/assets{?name,label}",
        "tarball_url": f"{api}/repos/{repo.full_name}/tarball/{r.tag}",
        "zipball_url": f"{api}/repos/{repo.full_name}/zipball/{r.tag}",
    }


def event(e: RepoEvent, repo: Repo, api: str) -> dict:
    """A feed entry; its payload is a snapshot as of the event, as on GitHub."""
    actor = user(e.actor, api)
    payload: dict = {}
    s = e.subject
    t = e.created_at
    if e.type == "IssuesEvent":
        target = s.issue if hasattr(s, "issue") else s
        payload = {"action": e.action, "issue": issue(target, t, api)}
    elif e.type == "IssueCommentEvent":
        payload = {
            "action": e.action,
            "issue": issue(s.issue, t, api),
            "comment": issue_comment(s, api),
        }
    elif e.type == "PullRequestEvent":
        payload = {
            "action": e.action,
            "number": s.number,
            "pull_request": pull(s, t, api, full=True),
        }
    elif e.type == "PullRequestReviewEvent":
        payload = {
            "action": e.action,
            "review": review(s, api),
            "pull_request": pull(s.pull, t, api),
        }
    elif e.type == "WatchEvent":
        payload = {"action": e.action}
    elif e.type == "ForkEvent":
        payload = {"forkee": fork(s, repo, api)}
    elif e.type == "ReleaseEvent":
        payload = {"action": e.action, "release": release(s, repo, api, t)}
    elif e.type == "PushEvent":
        payload = {
            "ref": f"refs/heads/{repo.default_branch}",
            "head": s.sha,
            "size": 1,
            "distinct_size": 1,
            "commits": [{"sha": s.sha, "message": s.message, "distinct": True}],
        }
    return {
        "id": str(e.id),
        "type": e.type,
        "actor": {
            "id": actor["id"],
            "login": actor["login"],
            "display_login": actor["login"],
            "gravatar_id": "",
            "url": actor["url"],
            "avatar_url": actor["avatar_url"],
        },
        "repo": {"id": repo.id, "name": repo.full_name, "url": f"{api}/repos/{repo.full_name}"},
        "payload": payload,
        "public": True,
        "created_at": iso(e.created_at),
    }
