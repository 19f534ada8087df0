"""The emulator's truth per stream, from the same world the emulator serves.

The emulator runs in its own process; the same world (name, seed, anchor) generated here
is item for item the same, so every id, sha and `updated_at` a complete load holds is
known. Comments are GitHub's conversation comments: issues' and pull requests' alike,
as `/issues/comments` lists them.
"""

from __future__ import annotations

from loaders.emulator.world.world import World

from .rows import Rows


def truth_rows(world: World, names: list[str]) -> Rows:
    out: Rows = {
        s: {}
        for s in (
            "issues",
            "comments",
            "pull_requests",
            "reviews",
            "commits",
            "stargazers",
            "forks",
            "releases",
            "events",
            "discussions",
            "discussion_comments",
        )
    }
    for name in names:
        _, repo = world.resolve(name)
        if repo is None:
            raise KeyError(f"{name} is not a repository of the {world.name} world")
        view = world.view(repo)
        t = view.t
        pulls = view.visible("pulls")
        out["issues"].update({str(i.id): i.updated_at(t) for i in view.visible("issues")})
        comments = [*view.visible("issue_comments")]
        comments += [c for p in pulls for c in p.visible_comments(t)]
        out["comments"].update({str(c.id): c.updated_at(t) for c in comments})
        out["pull_requests"].update({str(p.id): p.updated_at(t) for p in pulls})
        out["reviews"].update({str(r.id): None for p in pulls for r in p.visible_reviews(t)})
        out["commits"].update({c.sha: None for c in view.visible("commits")})
        out["stargazers"].update({f"{repo.id}:{s.user.id}": None for s in view.visible("stars")})
        out["forks"].update({str(f.id): None for f in view.visible("forks")})
        out["releases"].update({str(r.id): None for r in view.visible("releases")})
        out["events"].update({str(e.id): None for e in view.events()})
        discussions = view.visible("discussions")
        out["discussions"].update({str(d.id): d.updated_at(t) for d in discussions})
        out["discussion_comments"].update(
            {
                str(x.id): None
                for d in discussions
                for c in d.comments
                for x in (c, *c.replies)
                if x.created_at <= t
            }
        )
    return out
