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
    pr_commented: dict[str, set] = defaultdict(set)
    for p in client.walk_rest(f"/repos/{BUSY}/pulls", {"state": "all"}):
        # a pull request's conversation comments, through its issue side
        for c in client.walk_rest(f"/repos/{BUSY}/issues/{p['number']}/comments"):
            pr_commented[_day(c["created_at"])].add(p["id"])
        days[_day(p["created_at"])]["prs_opened"] += 1
        if p["merged_at"]:
            days[_day(p["merged_at"])]["prs_merged"] += 1
        elif p["closed_at"]:
            days[_day(p["closed_at"])]["prs_closed"] += 1
        for r in client.get(f"/repos/{BUSY}/pulls/{p['number']}/reviews").json():
            reviewed[_day(r["submitted_at"])].add(p["id"])
    for day, ids in reviewed.items():
        days[day]["prs_reviewed"] = len(ids)
    for day, ids in pr_commented.items():
        days[day]["prs_commented"] = len(ids)
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
        if int(c["issue_url"].rsplit("/", 1)[1]) in issue_ids:  # not a pull request's
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
    expected = {d: {m: v[m] for m in DAILY_METRICS} for d, v in truth["daily"].items()}
    assert observed == {d: v for d, v in expected.items() if any(v.values())}


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
    assert one["metrics"][: len(DAILY_METRICS)] == list(DAILY_METRICS)
    try:
        gh.truth("nobody/nothing")
    except KeyError:
        pass
    else:
        raise AssertionError("unknown repository must raise")


DISCUSSIONS = """query($after: String) { repository(owner: "acme", name: "api-server") {
  discussions(first: 50, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { createdAt author { __typename login }
      comments(first: 50) { nodes { createdAt author { __typename login }
        replies(first: 20) { nodes { createdAt author { __typename login } } } } } } } } }"""


def test_contributor_metrics_match_the_api(client: Client) -> None:
    truth = client.gh.truth(BUSY)["repositories"][BUSY]["daily"]
    seen: list[tuple[str, str]] = []  # (login, timestamp)

    def add(user: dict | None, ts: str) -> None:
        if user and user["login"] != "ghost" and user.get("type") != "Bot":
            seen.append((user["login"], ts))

    for c in client.walk_rest(f"/repos/{BUSY}/commits"):
        add(c["author"], c["commit"]["committer"]["date"])
    for i in client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all"}):
        add(i["user"], i["created_at"])
        if "pull_request" in i:
            for r in client.get(f"/repos/{BUSY}/pulls/{i['number']}/reviews").json():
                add(r["user"], r["submitted_at"])
            for c in client.walk_rest(f"/repos/{BUSY}/issues/{i['number']}/comments"):
                add(c["user"], c["created_at"])
    for path in ("/issues/comments", "/pulls/comments"):
        for c in client.walk_rest(f"/repos/{BUSY}{path}"):
            add(c["user"], c["created_at"])
    after = None
    while True:
        conn = client.data(DISCUSSIONS, {"after": after})["repository"]["discussions"]
        for d in conn["nodes"]:
            items = [d] + [c for c in d["comments"]["nodes"]]
            items += [r for c in d["comments"]["nodes"] for r in c["replies"]["nodes"]]
            for x in items:
                a = x["author"]
                add({"login": a["login"], "type": a["__typename"]} if a else None, x["createdAt"])
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    active: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    for login, ts in seen:
        active[_day(ts)].add(login)
        first[login] = min(first.get(login, "9999"), _day(ts))
    for day, v in truth.items():
        assert v["active_contributors"] == len(active.get(day, ())), day
        assert v["new_contributors"] == sum(1 for f in first.values() if f == day), day
    assert sum(v["new_contributors"] for v in truth.values()) == len(first)
    merged = [v["avg_pr_merge_time_hours"] for v in truth.values() if v["prs_merged"]]
    assert merged and all(isinstance(x, float) and x > 0 for x in merged)
