"""REST shapes of pull request reviews and review comments (as api.github.com answers)."""

from __future__ import annotations

from ..world.entities import Review, ReviewComment
from ..world.world import iso
from . import shapes
from .serialize import WEB, _assoc, user


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
        "_links": {
            "html": shapes.link(
                f"{WEB}/{repo.full_name}/pull/{r.pull.number}#pullrequestreview-{r.id}"
            ),
            "pull_request": shapes.link(f"{api}/repos/{repo.full_name}/pulls/{r.pull.number}"),
        },
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
        "commit_id": shapes.head_sha(repo.id, pr.number),
        "original_commit_id": shapes.head_sha(repo.id, pr.number),
        "_links": {
            "self": shapes.link(f"{api}/repos/{repo.full_name}/pulls/comments/{c.id}"),
            "html": shapes.link(f"{WEB}/{repo.full_name}/pull/{pr.number}#discussion_r{c.id}"),
            "pull_request": shapes.link(f"{api}/repos/{repo.full_name}/pulls/{pr.number}"),
        },
    }
