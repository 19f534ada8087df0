"""Advancing the clock reveals and changes items; truth matches what the API returns."""

from __future__ import annotations

from collections import Counter, defaultdict

from loaders.emulator.testing import EmulatorHandle, run_emulator
from loaders.emulator.truth import DAILY_METRICS

from .conftest import ANCHOR, BUSY, Client


def _day(ts: str | None) -> str | None:
    return ts[:10] if ts else None


def test_advance_reveals_new_items_and_changes_old_ones(gh: EmulatorHandle, client: Client) -> None:
    before = {i["number"]: i for i in client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all"})}
    t_before = gh.truth(BUSY)["repositories"][BUSY]
    gh.advance(24 * 10)
    after = {i["number"]: i for i in client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all"})}
    assert set(after) > set(before)  # new issues / PRs appeared
    changed = [n for n in before if after[n]["updated_at"] != before[n]["updated_at"]]
    assert changed  # late closes, merges, comments, labels
    assert any(before[n]["state"] != after[n]["state"] for n in changed)
    t_after = gh.truth(BUSY)["repositories"][BUSY]
    assert t_after["counts"]["stargazers"] >= t_before["counts"]["stargazers"]
    assert t_after["counts"]["issues"] > t_before["counts"]["issues"]
    # since= picks up exactly what changed
    since = max(i["updated_at"] for i in before.values())
    recent = client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all", "since": since})
    assert {i["number"] for i in recent} >= set(changed) | (set(after) - set(before))


def test_advancing_twice_equals_advancing_once() -> None:
    with (
        run_emulator("small", seed=4, anchor=ANCHOR) as a,
        run_emulator("small", seed=4, anchor=ANCHOR) as b,
    ):
        a.advance(24)
        a.advance(24)
        b.advance(48)
        assert a.truth() == b.truth()


def test_nothing_from_the_future_is_visible(gh: EmulatorHandle, client: Client) -> None:
    now = gh.world.now_iso()
    for path in (
        "/issues?state=all",
        "/issues/comments",
        "/pulls/comments",
        "/commits",
        "/releases",
        "/events",
    ):
        for item in client.walk_rest(f"/repos/{BUSY}{path}"):
            stamps = [item.get(k) for k in ("created_at", "updated_at", "closed_at")]
            stamps.append(item.get("commit", {}).get("committer", {}).get("date"))
            assert all(s is None or s <= now for s in stamps), (path, item)


def test_truth_matches_what_the_api_returns(client: Client) -> None:
    truth = client.gh.truth(BUSY)["repositories"][BUSY]
    days: dict[str, Counter] = defaultdict(Counter)
    authors: dict[str, set] = defaultdict(set)
    for c in client.walk_rest(f"/repos/{BUSY}/commits"):
        day = _day(c["commit"]["committer"]["date"])
        detail = client.get(f"/repos/{BUSY}/commits/{c['sha']}").json()
        days[day]["commits_count"] += 1
        days[day]["additions"] += detail["stats"]["additions"]
        days[day]["deletions"] += detail["stats"]["deletions"]
        days[day]["files_changed"] += len(detail["files"])
        if c["author"] and c["author"]["type"] != "Bot":
            authors[day].add(c["author"]["login"])
    for day, logins in authors.items():
        days[day]["unique_authors"] = len(logins)
    reviewed: dict[str, set] = defaultdict(set)
    for p in client.walk_rest(f"/repos/{BUSY}/pulls", {"state": "all"}):
        days[_day(p["created_at"])]["prs_opened"] += 1
        if p["merged_at"]:
            days[_day(p["merged_at"])]["prs_merged"] += 1
        elif p["closed_at"]:
            days[_day(p["closed_at"])]["prs_closed"] += 1
        for r in client.get(f"/repos/{BUSY}/pulls/{p['number']}/reviews").json():
            reviewed[_day(r["submitted_at"])].add(p["id"])
    for day, ids in reviewed.items():
        days[day]["prs_reviewed"] = len(ids)
    issue_ids = set()
    for i in client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all"}):
        if "pull_request" in i:
            continue
        issue_ids.add(i["number"])
        days[_day(i["created_at"])]["issues_opened"] += 1
        if i["state"] == "closed":
            days[_day(i["closed_at"])]["issues_closed"] += 1
    commented: dict[str, set] = defaultdict(set)
    for c in client.walk_rest(f"/repos/{BUSY}/issues/comments"):
        commented[_day(c["created_at"])].add(c["issue_url"])
    for day, urls in commented.items():
        days[day]["issues_commented"] = len(urls)
    for s in client.walk_rest(
        f"/repos/{BUSY}/stargazers", headers={"Accept": "application/vnd.github.star+json"}
    ):
        days[_day(s["starred_at"])]["stars"] += 1
    for f in client.walk_rest(f"/repos/{BUSY}/forks"):
        days[_day(f["created_at"])]["forks"] += 1
    for r in client.walk_rest(f"/repos/{BUSY}/releases"):
        if not r["draft"] and r["published_at"]:
            days[_day(r["published_at"])]["releases"] += 1
    observed = {d: {m: c[m] for m in DAILY_METRICS} for d, c in days.items() if any(c.values())}
    assert observed == {d: v for d, v in truth["daily"].items() if any(v.values())}


def test_truth_counts_match_graphql_totals(client: Client) -> None:
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    q = """{ repository(owner: "acme", name: "api-server") {
      issues(first: 1) { totalCount } pullRequests(first: 1) { totalCount }
      stargazers(first: 1) { totalCount } forks(first: 1) { totalCount }
      releases(first: 1) { totalCount } discussions(first: 1) { totalCount }
      discussionCategories(first: 10) { totalCount } } }"""
    repo = client.data(q)["repository"]
    assert repo["issues"]["totalCount"] == counts["issues"]
    assert repo["pullRequests"]["totalCount"] == counts["pull_requests"]
    assert repo["stargazers"]["totalCount"] == counts["stargazers"]
    assert repo["forks"]["totalCount"] == counts["forks"]
    assert repo["releases"]["totalCount"] == counts["releases"]
    assert repo["discussions"]["totalCount"] == counts["discussions"]
    assert repo["discussionCategories"]["totalCount"] == counts["discussion_categories"]


def test_truth_filter_and_unknown_repository(gh: EmulatorHandle) -> None:
    one = gh.truth("nebula/orbit")
    assert list(one["repositories"]) == ["nebula/orbit"]
    assert one["metrics"] == list(DAILY_METRICS)
    try:
        gh.truth("nobody/nothing")
    except KeyError:
        pass
    else:
        raise AssertionError("unknown repository must raise")
