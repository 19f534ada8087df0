"""The parts of GitHub's REST objects every answer repeats: hypermedia URLs, reaction
rollups, milestones, repository bodies.

GitHub's REST description marks these keys required (`simple-user`, `repository`,
`minimal-repository`, `milestone`, `reaction-rollup`, `pull-request-simple._links`), and
clients built from it read them without a default (tap-github's schemas, Airbyte's
`_links` lookups). URL templates follow api.github.com's, with the emulator's API base.
"""

from __future__ import annotations

import hashlib
import zlib

from ..world.entities import Repo, User
from ..world.world import iso

WEB = "https://github.com"
_USER_TEMPLATES = {
    "followers_url": "/followers",
    "following_url": "/following{/other_user}",
    "gists_url": "/gists{/gist_id}",
    "starred_url": "/starred{/owner}{/repo}",
    "subscriptions_url": "/subscriptions",
    "organizations_url": "/orgs",
    "repos_url": "/repos",
    "events_url": "/events{/privacy}",
    "received_events_url": "/received_events",
}
_REPO_TEMPLATES = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")


def association(author: User | None) -> str:
    """`author_association` / `authorAssociation`: a fixed fifth of accounts are members."""
    if author is None:
        return "NONE"
    return "MEMBER" if author.id % 5 == 0 else "CONTRIBUTOR"


def user_links(api: str, login: str) -> dict:
    base = f"{api}/users/{login}"
    return {"gravatar_id": "", **{k: base + v for k, v in _USER_TEMPLATES.items()}}


def repo_links(api: str, full_name: str) -> dict:
    base = f"{api}/repos/{full_name}"
    return {k: base + v for k, v in _REPO_TEMPLATES.items()}


def git_links(full_name: str) -> dict:
    return {
        "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git",
        "clone_url": f"{WEB}/{full_name}.git",
        "svn_url": f"{WEB}/{full_name}",
        "mirror_url": None,
    }


def reactions(url: str, plus_one: int) -> dict:
    """The rollup: every reaction kind counted; this world's reactions are all +1."""
    return {"url": url, "total_count": plus_one, **dict.fromkeys(REACTIONS, 0), "+1": plus_one}


def milestone(repo: Repo, title: str | None, creator: dict, api: str) -> dict | None:
    """A milestone known by title (`v<major>.<minor>`): its number is the major version."""
    if not title:
        return None
    number = int(title[1:].split(".")[0])
    url = f"{api}/repos/{repo.full_name}/milestones/{number}"
    ident = zlib.crc32(f"{repo.id}:milestone:{number}".encode())
    return {
        "url": url,
        "html_url": f"{WEB}/{repo.full_name}/milestone/{number}",
        "labels_url": f"{url}/labels",
        "id": ident,
        "node_id": f"MI_emulated{ident}",
        "number": number,
        "title": title,
        "description": None,
        "creator": creator,
        "open_issues": 0,
        "closed_issues": 0,
        "state": "open",
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.created_at),
        "closed_at": None,
        "due_on": None,
    }


def named_repository(full_name: str, owner: dict, api: str, created_at: int) -> dict:
    """A repository outside the world known only by name (a pull request's head fork):
    GitHub's `repository` shape with a stable id derived from the name."""
    ident = zlib.crc32(full_name.encode())
    stamp = iso(created_at)
    return {
        "id": ident,
        "node_id": f"R_emulated{ident}",
        "name": full_name.split("/")[1],
        "full_name": full_name,
        "owner": owner,
        "private": False,
        "html_url": f"{WEB}/{full_name}",
        "description": None,
        "fork": True,
        "url": f"{api}/repos/{full_name}",
        **repo_links(api, full_name),
        **git_links(full_name),
        **repo_flags(),
        "homepage": None,
        "language": None,
        "forks_count": 0,
        "forks": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 0,
        "open_issues_count": 0,
        "open_issues": 0,
        "archived": False,
        "disabled": False,
        "default_branch": "main",
        "created_at": stamp,
        "updated_at": stamp,
        "pushed_at": stamp,
    }


def repo_flags() -> dict:
    return {
        "has_issues": True,
        "has_projects": True,
        "has_wiki": True,
        "has_pages": False,
        "has_downloads": True,
        "license": None,
    }


def link(href: str) -> dict:
    return {"href": href}


def head_sha(repo_id: int, number: int) -> str:
    """A pull request's head commit: this world keeps no branch history, so a stable
    made-up object id stands in (40 hex digits, like a real one)."""
    return hashlib.sha1(f"{repo_id}:{number}:head".encode(), usedforsecurity=False).hexdigest()


def named_user(login: str, api: str) -> dict:
    """An account outside the world known only by login (a head fork's owner)."""
    ident = zlib.crc32(f"user:{login}".encode())
    return {
        "login": login,
        "id": ident,
        "node_id": f"U_emulated{ident}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{ident}?v=4",
        "url": f"{api}/users/{login}",
        "html_url": f"{WEB}/{login}",
        **user_links(api, login),
        "type": "User",
        "site_admin": False,
    }


def team(ident: int, node_id: str, org: str, slug: str, api: str) -> dict:
    url = f"{api}/organizations/{org}/team/{ident}"
    return {
        "id": ident,
        "node_id": node_id,
        "url": url,
        "html_url": f"{WEB}/orgs/{org}/teams/{slug}",
        "name": slug.title(),
        "slug": slug,
        "description": None,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "type": "organization",
        "parent": None,
    }
