"""Issue 13's raw tables against the emulator's `small` world, on DuckDB and PostgreSQL:
the first load holds exactly the truth's keys, a day later the late changes (a label on an
old issue, a PR linking an issue after opening, a review request) land; an edited comment
on an old issue with more than 50 comments and a draft published weeks after creation are
re-read by their cursors; an issue's last label and a PR's last link, once removed, are
gone from the raw tables."""

from __future__ import annotations

import pytest

from loaders.emulator.testing import run_emulator
from loaders.emulator.truth import repo_keys
from loaders.emulator.world.entities import IssueComment
from loaders.emulator.world.ids import node_id
from loaders.sources import TABLES
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import Warehouse

from .helpers import ALL, client_for, duplicates, track

#: A clock whose next day holds each kind of late change in the `small` world.
ANCHOR = 1_767_398_400
NEW_TABLES = (
    "issue_events",
    "pull_request_labels",
    "pull_request_comments",
    "pull_request_review_requests",
    "issue_pull_request_links",
)


@pytest.fixture
def github():
    with run_emulator("small", seed=1, anchor=ANCHOR) as gh:
        yield gh


def targets(names: list[str]) -> list[RepositoryTarget]:
    # Ten years of retention: the fixed clock lies before the wall clock's 365-day window.
    return [RepositoryTarget(n, ALL | {"repositories"}, 3650, 24) for n in names]


def _names(gh) -> list[str]:
    return sorted(r.full_name.lower() for r in gh.world.repos)


def _raw_keys(warehouse: Warehouse) -> dict[str, set]:
    raw = warehouse.settings.raw_schema
    out: dict[str, set] = {}
    for table in NEW_TABLES:
        key = TABLES[table].primary_key
        rows = warehouse.query(f"select {', '.join(key)} from {raw}.{table}")
        out[table] = {r[key[0]] if len(key) == 1 else tuple(r[k] for k in key) for r in rows}
    return out


def _truth_keys(gh, names: list[str]) -> dict[str, set]:
    out: dict[str, set] = {t: set() for t in NEW_TABLES}
    for name in names:
        for table, keys in repo_keys(gh.world, gh.world.resolve(name)[1]).items():
            out[table] |= keys
    return out


def _late_changes(gh, names: list[str], since: int) -> dict[str, set]:
    """Keys of changes made after `since` to items that existed before it."""
    world, t = gh.world, gh.world.now
    late: dict[str, set] = {"labeled": set(), "link": set(), "review_requested": set()}
    for name in names:
        view = world.view(world.resolve(name)[1])
        for i in view.visible("issues"):
            for e in i.visible_events(t):
                if i.created_at <= since < e.created_at and e.kind == "labeled":
                    late["labeled"].add(e.node_id)
        for p in view.visible("pulls"):
            if p.created_at > since:
                continue
            late["link"] |= {
                (p.id, x.issue.node_id) for x in p.visible_links(t) if x.linked_at > since
            }
            late["review_requested"] |= {
                e.node_id
                for e in p.visible_events(t)
                if e.created_at > since and e.kind == "review_requested"
            }
    return late


def test_new_tables_equal_truth_and_late_changes_land(github, warehouse: Warehouse):
    names = _names(github)
    track(warehouse, names)
    client = client_for(github)
    load_repositories(warehouse, targets(names), client=client)
    assert _raw_keys(warehouse) == _truth_keys(github, names)
    raw = warehouse.settings.raw_schema
    # Contract columns exist (typed) even where every value is null.
    for table in (*NEW_TABLES, "pull_requests"):
        columns = set(TABLES[table].column_names)
        row = warehouse.query(f"select * from {raw}.{table} limit 1")[0]
        assert columns <= set(row), table
    outside = warehouse.scalar(
        f"select count(*) from {raw}.issue_pull_request_links "
        "where issue_repository_full_name = 'elsewhere/upstream' and issue_id is not null"
    )
    assert outside > 0  # links to a repository no workspace tracks load as they are
    teams = warehouse.scalar(
        f"select count(*) from {raw}.pull_request_review_requests where reviewer_type = 'team'"
    )
    assert teams > 0

    before = github.world.now
    github.advance(24)
    late = _late_changes(github, names, before)
    assert all(late.values()), late  # the world holds each kind of late change
    load_repositories(warehouse, targets(names), client=client)
    keys = _raw_keys(warehouse)
    assert keys == _truth_keys(github, names)
    assert late["labeled"] <= keys["issue_events"]
    assert late["link"] <= keys["issue_pull_request_links"]
    assert late["review_requested"] <= keys["pull_request_review_requests"]
    assert duplicates(warehouse) == {}


def _crowd_old_issue(gh) -> tuple[int, int]:
    """60 comments on an old issue, then an edit (due in two hours) of its earliest one:
    60 newer comments hide it from any reader that pages by creation."""
    world = gh.world
    data = world.data(world.resolve("acme/api-server")[1])
    now = world.now
    issue = next(i for i in data.issues if i.created_at < now - 30 * 86_400 and i.comments)
    for k in range(60):
        cid = issue.id * 100 + k + 1  # unused ids inside the repository's id range
        at = issue.comments[-1].created_at + 60 * (k + 1)
        comment = IssueComment(cid, node_id("IssueComment", cid), issue, None, "+1", at, 0)
        issue.comments.append(comment)
        data.by_id[cid] = comment
    issue.comment_times = [c.created_at for c in issue.comments]
    edited = issue.comments[0]
    edited.edited_at = now + 2 * 3600
    issue.update_times = tuple(sorted((*issue.update_times, *issue.comment_times, now + 7200)))
    return edited.id, edited.edited_at


def _publish_late(gh) -> tuple[str, int]:
    """An old release turned into a draft published in two hours (weeks after creation),
    behind a newer release: a reader stopping at creation order never reaches it."""
    world = gh.world
    for repo in world.repos:
        old = [r for r in world.data(repo).releases if r.created_at < world.now - 86_400]
        if len(old) >= 2:
            old[0].published_at = world.now + 2 * 3600
            return repo.full_name.lower(), old[0].id
    raise AssertionError("the world needs a release newer than the one published late")


def _lose_last_label_and_link(gh) -> tuple[int, int]:
    """In two hours an old issue loses its only label and an old PR its only link: their
    re-read sends no child row at all, yet the old rows must go."""
    world = gh.world
    data = world.data(world.resolve("acme/api-server")[1])
    now, soon = world.now, world.now + 2 * 3600
    issue = next(
        i for i in data.issues if i.created_at < now - 86_400 and len(i.labels_at(now)) == 1
    )
    issue.removed_label, issue.removed_label_at = issue.labels_at(now)[0], soon
    issue.late_label = None  # nothing added back
    issue.update_times = tuple(sorted((*issue.update_times, soon)))
    pr = next(
        p for p in data.pulls if p.created_at < now - 86_400 and len(p.visible_links(now)) == 1
    )
    pr.visible_links(now)[0].unlinked_at = soon
    pr.update_times = tuple(sorted((*pr.update_times, soon)))
    return issue.id, pr.id


def test_edits_late_publication_and_emptied_children_are_reread(github, warehouse):
    comment_id, edited_at = _crowd_old_issue(github)
    release_repo, release_id = _publish_late(github)
    unlabeled, unlinked = _lose_last_label_and_link(github)
    github.advance(0)  # views rebuilt with the changes above
    names = sorted({"acme/api-server", release_repo})
    track(warehouse, names)
    client = client_for(github)
    load_repositories(warehouse, targets(names), client=client)
    raw = warehouse.settings.raw_schema

    def comment() -> float:
        return warehouse.query(
            f"select updated_at from {raw}.issue_comments where id = %(i)s", {"i": comment_id}
        )[0]["updated_at"].timestamp()

    def release() -> tuple:
        row = warehouse.query(
            f"select is_draft, published_at from {raw}.releases where id = %(i)s",
            {"i": release_id},
        )[0]
        return row["is_draft"], row["published_at"]

    def children() -> tuple[int, int]:
        return (
            warehouse.scalar(
                f"select count(*) from {raw}.issue_labels where issue_id = %(i)s", {"i": unlabeled}
            ),
            warehouse.scalar(
                f"select count(*) from {raw}.issue_pull_request_links "
                "where pull_request_id = %(p)s",
                {"p": unlinked},
            ),
        )

    assert comment() < edited_at and release() == (True, None)
    assert children() == (1, 1)
    github.advance(24)
    load_repositories(warehouse, targets(names), client=client)
    assert comment() == edited_at
    assert children() == (0, 0)
    is_draft, published = release()
    assert is_draft is False and published is not None
