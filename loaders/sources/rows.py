"""GitHub payloads (GraphQL nodes, REST events) to raw rows, as docs/raw_schema.md names them.

Every accessor tolerates nulls: ghost users (`author: null`), missing milestones, null
bodies, absent connections. Unknown fields are simply never read.
"""

from __future__ import annotations

import json
from typing import Any

Node = dict[str, Any]


def dig(node: Any, *path: str) -> Any:
    """`node[path[0]][path[1]]...`, or None as soon as a step is missing or null."""
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def nodes_of(connection: Any) -> list[Node]:
    """The non-null nodes of a connection (GitHub nulls out inaccessible ones)."""
    items = dig(connection, "nodes")
    return [n for n in items if isinstance(n, dict)] if isinstance(items, list) else []


def total(connection: Any) -> int | None:
    value = dig(connection, "totalCount")
    return value if isinstance(value, int) else None


def actor_login(actor: Any) -> str | None:
    return dig(actor, "login")


def actor_is_bot(actor: Any) -> bool | None:
    """True for GitHub Apps; None for ghosts (nothing is known about a deleted account)."""
    if not isinstance(actor, dict):
        return None
    if actor.get("__typename") == "Bot":
        return True
    login = actor.get("login")
    return bool(isinstance(login, str) and login.endswith("[bot]"))


def as_int(value: Any) -> int | None:
    """databaseId / fullDatabaseId (a BigInt sent as a string) to int."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def repository_row(node: Node, fetched_at: str) -> Node:
    owner = node.get("owner") or {}
    topics = [dig(t, "topic", "name") for t in nodes_of(node.get("repositoryTopics"))]
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "full_name": node.get("nameWithOwner"),
        "owner_login": owner.get("login"),
        "name": node.get("name"),
        "owner_avatar_url": owner.get("avatarUrl"),
        "description": node.get("description"),
        "homepage_url": node.get("homepageUrl") or None,
        "primary_language": dig(node, "primaryLanguage", "name"),
        "topics": json.dumps([t for t in topics if t]),
        "stargazers_count": node.get("stargazerCount"),
        "forks_count": node.get("forkCount"),
        "watchers_count": total(node.get("watchers")),
        "is_archived": node.get("isArchived"),
        "is_fork": node.get("isFork"),
        "is_private": node.get("isPrivate"),
        "has_discussions": node.get("hasDiscussionsEnabled"),
        "default_branch": dig(node, "defaultBranchRef", "name"),
        "html_url": node.get("url"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "pushed_at": node.get("pushedAt"),
        "fetched_at": fetched_at,
    }


def language_rows(node: Node, repository_id: int, fetched_at: str) -> list[Node]:
    """`languages` of a repository node: one row per language with its bytes and the
    repository's total bytes (GitHub's `totalSize`, the denominator of a share)."""
    total_size = dig(node, "languages", "totalSize")
    edges = dig(node, "languages", "edges")
    rows = []
    for edge in edges if isinstance(edges, list) else []:
        name = dig(edge, "node", "name")
        if not isinstance(name, str):
            continue
        rows.append(
            {
                "repository_id": repository_id,
                "language": name,
                "color": dig(edge, "node", "color"),
                "size_bytes": edge.get("size"),
                "total_size_bytes": total_size,
                "fetched_at": fetched_at,
            }
        )
    return rows


def split_actors(rows: list[Node], fetched_at: str) -> list[Node]:
    """Take `author_avatar_url` out of `rows` (row builders set it where the query read the
    author's avatar; no row's own table stores it) and return the `actors` rows: one per
    login with its avatar."""
    seen: dict[str, Node] = {}
    for row in rows:
        avatar = row.pop("author_avatar_url", None)
        login = row.get("author_login")
        if isinstance(login, str) and isinstance(avatar, str):
            seen[login] = {"login": login, "avatar_url": avatar, "fetched_at": fetched_at}
    return list(seen.values())


def authored_columns(node: Node, repository_id: int) -> Node:
    """Columns every authored, editable GitHub node shares: ids, repository, author, times."""
    author = node.get("author")
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "repository_id": repository_id,
        "author_login": actor_login(author),
        "author_is_bot": actor_is_bot(author),
        "author_avatar_url": dig(author, "avatarUrl"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
    }


def issue_row(node: Node, repository_id: int) -> Node:
    author = node.get("author")
    state = node.get("state")
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "repository_id": repository_id,
        "number": node.get("number"),
        "title": node.get("title"),
        "body": node.get("body"),
        "state": state.lower() if isinstance(state, str) else None,
        "state_reason": node.get("stateReason"),
        "is_locked": node.get("locked"),
        "author_login": actor_login(author),
        "author_id": as_int(dig(author, "databaseId")),
        "author_is_bot": actor_is_bot(author),
        "author_avatar_url": dig(author, "avatarUrl"),
        "assignee_logins": json.dumps(
            [a["login"] for a in nodes_of(node.get("assignees")) if a.get("login")]
        ),
        "milestone_title": dig(node, "milestone", "title"),
        "comments_count": total(node.get("comments")),
        "reactions_count": total(node.get("reactions")),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "closed_at": node.get("closedAt"),
    }


def issue_label_rows(node: Node, issue_id: int, repository_id: int) -> list[Node]:
    return [
        {
            "issue_id": issue_id,
            "repository_id": repository_id,
            "name": label.get("name"),
            "color": label.get("color"),
        }
        for label in nodes_of(node.get("labels"))
        if label.get("name")
    ]


_TIMELINE_EVENTS = {
    "ClosedEvent": "closed",
    "ReopenedEvent": "reopened",
    "LabeledEvent": "labeled",
    "UnlabeledEvent": "unlabeled",
    "AssignedEvent": "assigned",
    "UnassignedEvent": "unassigned",
    "MilestonedEvent": "milestoned",
    "DemilestonedEvent": "demilestoned",
    "CrossReferencedEvent": "cross_referenced",
    "ConnectedEvent": "connected",
    "DisconnectedEvent": "disconnected",
    "MarkedAsDuplicateEvent": "marked_as_duplicate",
    "UnmarkedAsDuplicateEvent": "unmarked_as_duplicate",
}
_SUBJECT_TYPES = {"Issue": "issue", "PullRequest": "pull_request"}


def _subject_of(node: Node, event: str, issue_node_id: str | None) -> Any:
    """The issue/PR an event points at: a reference's source, the other side of a
    connection (GitHub lists a connection on both timelines), a duplicate's canonical."""
    if event == "cross_referenced":
        return node.get("source")
    if event in ("connected", "disconnected"):
        sides = [node.get("source"), node.get("subject")]
        others = [x for x in sides if isinstance(x, dict) and x.get("id") != issue_node_id]
        return others[0] if others else None
    if event in ("marked_as_duplicate", "unmarked_as_duplicate"):
        return node.get("canonical")
    return None


def issue_event_row(
    node: Node, issue_id: int, repository_id: int, issue_node_id: str | None = None
) -> Node | None:
    event = _TIMELINE_EVENTS.get(node.get("__typename", ""))
    if event is None or not node.get("id"):
        return None  # another timeline item type: not part of the raw contract
    actor = node.get("actor")
    subject = _subject_of(node, event, issue_node_id)
    return {
        "id": node["id"],
        "issue_id": issue_id,
        "repository_id": repository_id,
        "event": event,
        "actor_login": actor_login(actor),
        "actor_is_bot": actor_is_bot(actor),
        "created_at": node.get("createdAt"),
        # A deleted label or assignee reads as null; a renamed label as its current name.
        "label_name": dig(node, "label", "name"),
        "assignee_login": dig(node, "assignee", "login"),
        "milestone_title": node.get("milestoneTitle"),
        "subject_type": _SUBJECT_TYPES.get(dig(subject, "__typename") or ""),
        "subject_node_id": dig(subject, "id"),
        "subject_number": dig(subject, "number"),
        "subject_repository_full_name": dig(subject, "repository", "nameWithOwner"),
    }


def pull_request_label_rows(node: Node, pull_request_id: int, repository_id: int) -> list[Node]:
    return [
        {
            "pull_request_id": pull_request_id,
            "repository_id": repository_id,
            "name": label.get("name"),
            "color": label.get("color"),
        }
        for label in nodes_of(node.get("labels"))
        if label.get("name")
    ]


def review_request_row(node: Node, pull_request_id: int, repository_id: int) -> Node | None:
    kinds = {
        "ReviewRequestedEvent": "review_requested",
        "ReviewRequestRemovedEvent": "review_request_removed",
    }
    event = kinds.get(node.get("__typename", ""))
    if event is None or not node.get("id"):
        return None
    reviewer = node.get("requestedReviewer")
    kind = dig(reviewer, "__typename")
    actor = node.get("actor")
    return {
        "id": node["id"],
        "repository_id": repository_id,
        "pull_request_id": pull_request_id,
        "event": event,
        # A deleted reviewer (or one we may not see) is null: type and login unknown.
        "reviewer_type": "team" if kind == "Team" else ("user" if kind else None),
        "reviewer_login": dig(reviewer, "combinedSlug") or dig(reviewer, "login"),
        "actor_login": actor_login(actor),
        "actor_is_bot": actor_is_bot(actor),
        "created_at": node.get("createdAt"),
    }


def issue_link_rows(node: Node, pr: Node) -> list[Node]:
    """`closingIssuesReferences` of one pull request (issues may live in any repository)."""
    return [
        {
            "repository_id": pr["repository_id"],
            "pull_request_id": pr["id"],
            "pull_request_node_id": pr["node_id"],
            "pull_request_number": pr["number"],
            "issue_node_id": issue["id"],
            "issue_id": as_int(issue.get("databaseId")),
            "issue_number": issue.get("number"),
            "issue_repository_full_name": dig(issue, "repository", "nameWithOwner"),
        }
        for issue in nodes_of(node.get("closingIssuesReferences"))
        if issue.get("id")
    ]


def pull_request_comment_row(node: Node, pull_request_id: int, repository_id: int) -> Node:
    return {
        **authored_columns(node, repository_id),
        "pull_request_id": pull_request_id,
        "body": node.get("body"),
        "reactions_count": total(node.get("reactions")),
    }


def issue_comment_row(node: Node, issue_id: int, repository_id: int) -> Node:
    return {
        **authored_columns(node, repository_id),
        "issue_id": issue_id,
        "body": node.get("body"),
        "reactions_count": total(node.get("reactions")),
    }


def pull_request_row(node: Node, repository_id: int) -> Node:
    return {
        **authored_columns(node, repository_id),
        "number": node.get("number"),
        "title": node.get("title"),
        "body": node.get("body"),
        "state": node.get("state"),
        "is_draft": node.get("isDraft"),
        "merged_by_login": dig(node, "mergedBy", "login"),
        "milestone_title": dig(node, "milestone", "title"),
        # From the pull request's `nodes(ids:)` batch (a connection: too dear in its page).
        "assignee_logins": None,
        "additions": node.get("additions"),
        "deletions": node.get("deletions"),
        "changed_files": node.get("changedFiles"),
        "commits_count": total(node.get("commits")),
        "comments_count": total(node.get("comments")),
        "base_ref": node.get("baseRefName"),
        "head_ref": node.get("headRefName"),
        "head_repository_full_name": dig(node, "headRepository", "nameWithOwner"),
        "closed_at": node.get("closedAt"),
        "merged_at": node.get("mergedAt"),
    }


def review_row(node: Node, pull_request_id: int, repository_id: int) -> Node:
    author = node.get("author")
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "repository_id": repository_id,
        "pull_request_id": pull_request_id,
        "author_login": actor_login(author),
        "author_is_bot": actor_is_bot(author),
        "author_avatar_url": dig(author, "avatarUrl"),
        "state": node.get("state"),
        "body": node.get("body"),
        "created_at": node.get("createdAt"),
        "submitted_at": node.get("submittedAt"),
    }


def review_comment_row(
    node: Node, review_id: int | None, pull_request_id: int | None, repository_id: int
) -> Node:
    return {
        **authored_columns(node, repository_id),
        "pull_request_id": pull_request_id,
        "review_id": as_int(dig(node, "pullRequestReview", "databaseId")) or review_id,
        "path": node.get("path"),
        "body": node.get("body"),
    }


def commit_row(node: Node, repository_id: int) -> Node:
    author = node.get("author") or {}
    user = author.get("user")
    login = dig(user, "login")
    changed = node.get("changedFilesIfAvailable")
    return {
        "repository_id": repository_id,
        "sha": node.get("oid"),
        "message_headline": node.get("messageHeadline"),
        "author_login": login,
        "author_id": as_int(dig(user, "databaseId")),
        "author_avatar_url": dig(user, "avatarUrl"),
        "author_name": author.get("name"),
        # Commit authors are users, never typed: the `[bot]` login suffix is the signal.
        "author_is_bot": login.endswith("[bot]") if isinstance(login, str) else None,
        "committer_login": dig(node, "committer", "user", "login"),
        "authored_at": node.get("authoredDate"),
        "committed_at": node.get("committedDate"),
        "additions": node.get("additions"),
        "deletions": node.get("deletions"),
        "changed_files": changed,
        "parents_count": total(node.get("parents")),
    }


def stargazer_row(edge: Node, repository_id: int) -> Node | None:
    user = edge.get("node")
    user_id = as_int(dig(user, "databaseId"))
    if user_id is None:
        return None  # the key is the user: a star without one cannot be stored
    return {
        "repository_id": repository_id,
        "user_id": user_id,
        "user_login": dig(user, "login"),
        "starred_at": edge.get("starredAt"),
    }


def fork_row(node: Node, repository_id: int) -> Node:
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "repository_id": repository_id,
        "full_name": node.get("nameWithOwner"),
        "owner_login": dig(node, "owner", "login"),
        "created_at": node.get("createdAt"),
    }


def release_row(node: Node, repository_id: int) -> Node:
    return {
        "id": as_int(node.get("databaseId")),
        "node_id": node.get("id"),
        "repository_id": repository_id,
        "tag_name": node.get("tagName"),
        "name": node.get("name"),
        "is_draft": node.get("isDraft"),
        "is_prerelease": node.get("isPrerelease"),
        "author_login": dig(node, "author", "login"),
        "created_at": node.get("createdAt"),
        "published_at": node.get("publishedAt"),
    }


def event_row(event: Node, repository_id: int) -> Node | None:
    """A REST event (`/repos/{o}/{r}/events`); REST spells bots `type: Bot`, ghosts `ghost`."""
    if event.get("id") is None:
        return None
    actor = event.get("actor") if isinstance(event.get("actor"), dict) else None
    login = dig(actor, "login")
    if login == "ghost":
        login = None
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    return {
        "id": str(event["id"]),
        "repository_id": repository_id,
        "type": event.get("type"),
        "actor_login": login,
        "actor_is_bot": (
            None if login is None else bool(dig(actor, "type") == "Bot" or login.endswith("[bot]"))
        ),
        "payload_action": payload.get("action") if isinstance(payload.get("action"), str) else None,
        "payload": json.dumps(payload, sort_keys=True),
        "created_at": event.get("created_at"),
    }


def discussion_category_row(node: Node, repository_id: int) -> Node | None:
    if not node.get("id"):
        return None
    return {
        "id": node["id"],
        "repository_id": repository_id,
        "name": node.get("name"),
        "slug": node.get("slug"),
        "is_answerable": node.get("isAnswerable"),
        "emoji": node.get("emoji"),
    }


def discussion_row(node: Node, repository_id: int) -> Node:
    answer = node.get("answer")
    return {
        **authored_columns(node, repository_id),
        "number": node.get("number"),
        "title": node.get("title"),
        "body": node.get("body"),
        "category_id": dig(node, "category", "id"),
        "category_name": dig(node, "category", "name"),
        "upvote_count": node.get("upvoteCount"),
        "comments_count": total(node.get("comments")),
        "is_answered": isinstance(answer, dict),
        "answer_id": as_int(dig(answer, "databaseId")),
        "answer_chosen_at": node.get("answerChosenAt"),
        "is_closed": node.get("closed"),
        "closed_at": node.get("closedAt"),
    }


def discussion_comment_row(node: Node, discussion_id: int | None, repository_id: int) -> Node:
    return {
        **authored_columns(node, repository_id),
        "discussion_id": discussion_id,
        "reply_to_id": as_int(dig(node, "replyTo", "databaseId")),
        "body": node.get("body"),
        "upvote_count": node.get("upvoteCount"),
        "is_answer": node.get("isAnswer"),
    }
