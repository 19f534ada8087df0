"""Worlds are deterministic, sized as promised, and never show the future."""

from __future__ import annotations

import itertools

import pytest

from loaders.emulator.truth import truth
from loaders.emulator.world.catalog import DEMO_REPOS, world_spec
from loaders.emulator.world.world import World

from .conftest import ANCHOR


def test_same_name_seed_anchor_gives_the_same_world() -> None:
    a = truth(World("small", 7, anchor=ANCHOR))
    b = truth(World("small", 7, anchor=ANCHOR))
    assert a == b


def test_another_seed_gives_another_world() -> None:
    a = truth(World("small", 1, anchor=ANCHOR))["repositories"]
    b = truth(World("small", 2, anchor=ANCHOR))["repositories"]
    assert a.keys() == b.keys()
    assert any(a[k]["counts"] != b[k]["counts"] for k in a)


def test_generation_order_does_not_matter() -> None:
    w1, w2 = World("small", 3, anchor=ANCHOR), World("small", 3, anchor=ANCHOR)
    for r in reversed(w2.repos):  # generate in the opposite order
        w2.data(r)
    for r1, r2 in zip(w1.repos, w2.repos, strict=True):
        d1, d2 = w1.data(r1), w2.data(r2)
        assert [c.sha for c in d1.commits] == [c.sha for c in d2.commits]
        assert [i.node_id for i in d1.issues] == [i.node_id for i in d2.issues]


def test_demo_world_lists_the_example_workspaces_repositories() -> None:
    w = World("demo", 1, anchor=ANCHOR)
    assert [r.full_name for r in w.repos] == [n for n, *_ in DEMO_REPOS]
    assert w.spec.history_days >= 400
    assert {r.full_name for r in w.repos if r.has_discussions} >= {"acme/api-server"}


def test_large_world_spec_has_a_long_tail() -> None:
    spec = world_spec("large", 1)
    rates = sorted((p.rate for p in spec.repos), reverse=True)
    assert len(rates) >= 1000
    assert rates[0] > 50 * rates[len(rates) // 2]  # a few very busy, most quiet


def test_unknown_world_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown world"):
        World("galaxy", 1)


def test_ids_are_unique_and_nothing_is_dated_after_now() -> None:
    w = World("small", 1, anchor=ANCHOR)
    seen: set[int] = set()
    for r in w.repos:
        d = w.data(r)
        ids = [i.id for i in d.issues] + [p.id for p in d.pulls] + [c.id for c in d.issue_comments]
        assert not seen & set(ids)
        seen.update(ids)
        v = w.view(r)
        assert all(i.created_at <= w.now for i in v.visible("issues"))
        assert all(c.committed_at <= w.now for c in v.visible("commits"))
        # the future exists (so advancing reveals it) but is not visible yet
        assert len(d.issues) + len(d.pulls) >= len(v.visible("issues")) + len(v.visible("pulls"))


def test_entities_cover_the_contract() -> None:
    w = World("small", 1, anchor=ANCHOR)
    d = w.data(w.resolve("acme/api-server")[1])
    t = w.now
    assert any(u.is_bot for u in w.users) and any(u.is_deleted for u in w.users)
    assert any(p.merged_at <= t for p in d.pulls)
    assert any(p.closed_at <= t < p.merged_at for p in d.pulls)  # closed unmerged
    assert any(len(i.state_events) >= 2 for i in d.issues)  # reopenings
    assert any(c.author is None for c in d.commits)  # commits without a linked account
    assert d.discussions and d.categories
    assert any(disc.answer is not None for disc in d.discussions)
    assert any(c.replies for disc in d.discussions for c in disc.comments)


def test_no_duplicate_labels_and_no_deleted_stargazers_or_fork_owners() -> None:
    w = World("small", 1, anchor=ANCHOR)
    w.advance(24 * 30)  # everything generated is visible now
    for r in w.repos:
        v = w.view(r)
        for i in v.visible("issues"):
            names = [n for n, _ in i.labels_at(w.now)]
            assert len(names) == len(set(names))
        for s in v.visible("stars"):
            assert not (s.user.is_deleted or s.user.is_bot)
        for f in v.visible("forks"):
            assert not (f.owner.is_deleted or f.owner.is_bot)
        assert all(not a.is_deleted for i in v.visible("issues") for a in i.assignees)


@pytest.mark.parametrize("name", ["small", "demo", "large"])
def test_every_world_has_the_renamed_and_the_deleted_repository(name: str) -> None:
    w = World(name, 1, anchor=ANCHOR)  # catalog only: repositories generate lazily
    status, repo = w.resolve("nebula/old-orbit")
    assert status == "renamed" and repo is not None and repo.full_name == "nebula/orbit"
    assert w.resolve("quietco/deleted-repo") == ("deleted", None)
    assert w.resolve("NEBULA/Orbit")[0] == "ok"  # names are case-insensitive, as on GitHub


def test_prewarm_generates_every_repository_once() -> None:
    w = World("small", 1, anchor=ANCHOR)
    total = w.prewarm()
    assert total == sum(w.data(r).count_items() for r in w.repos)
    assert len(w._cache) == len(w.repos)


def test_order_keys_are_strictly_increasing() -> None:
    """Cursors bisect these keys: they must be sorted and unique, ties included."""
    w = World("demo", 1, anchor=ANCHOR)
    v = w.view(w.resolve("acme/api-server")[1])
    for kind in ("issues", "pulls", "commits", "stars", "forks", "issue_comments"):
        for field in (
            ("CREATED_AT",)
            if kind in ("commits", "stars", "forks", "issue_comments")
            else ("CREATED_AT", "UPDATED_AT")
        ):
            for direction in ("ASC", "DESC"):
                keys = v.ordered(kind, field, direction).keys
                assert all(a < b for a, b in itertools.pairwise(keys)), (kind, field)
