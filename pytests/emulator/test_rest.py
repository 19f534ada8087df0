"""REST: shapes, paging with Link headers, since/sort/direction, redirects, ETags."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from .conftest import BUSY, Client


def test_repository_metadata(client: Client) -> None:
    r = client.get(f"/repos/{BUSY}")
    assert r.status_code == 200
    repo = r.json()
    assert repo["full_name"] == BUSY and repo["default_branch"] == "main"
    assert repo["owner"]["avatar_url"].startswith("https://avatars.githubusercontent.com/")
    truth = client.gh.truth(BUSY)["repositories"][BUSY]
    assert repo["stargazers_count"] == truth["counts"]["stargazers"]
    assert repo["id"] == truth["repository_id"]
    for h in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-used",
        "x-ratelimit-reset",
        "x-ratelimit-resource",
    ):
        assert h in r.headers


def test_link_headers_walk_every_page(client: Client) -> None:
    r = client.get(f"/repos/{BUSY}/pulls", params={"state": "all", "per_page": 7, "page": 2})
    links = r.links
    assert set(links) == {"next", "last", "first", "prev"}
    assert "page=3" in links["next"]["url"] and "per_page=7" in links["next"]["url"]
    # The repository issue list pages by cursor, as GitHub's does (clients such as
    # tap-github follow `after`, never a page number): no `last`, `page` still accepted.
    r = client.get(f"/repos/{BUSY}/issues", params={"state": "all", "per_page": 7, "page": 2})
    assert set(r.links) == {"next", "prev"} and "&page=" not in r.links["next"]["url"]
    after = client.get(r.links["next"]["url"]).json()
    before = client.get(client.get(r.links["next"]["url"]).links["prev"]["url"]).json()
    third = client.get(f"/repos/{BUSY}/issues", params={"state": "all", "per_page": 7, "page": 3})
    assert [i["id"] for i in after] == [i["id"] for i in third.json()]
    assert [i["id"] for i in before] == [i["id"] for i in r.json()]
    items = client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all"})
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    # /issues mixes in pull requests, marked with `pull_request`, as GitHub does
    assert sum("pull_request" not in i for i in items) == counts["issues"]
    assert sum("pull_request" in i for i in items) == counts["pull_requests"]
    assert len({i["id"] for i in items}) == len(items)


def test_per_page_is_capped_at_100(client: Client) -> None:
    r = client.get(f"/repos/{BUSY}/issues", params={"state": "all", "per_page": 500})
    assert len(r.json()) == 100


def test_since_sort_and_direction(client: Client) -> None:
    all_items = client.walk_rest(
        f"/repos/{BUSY}/issues", {"state": "all", "sort": "updated", "direction": "desc"}
    )
    stamps = [i["updated_at"] for i in all_items]
    assert stamps == sorted(stamps, reverse=True)
    since = stamps[len(stamps) // 3]
    recent = client.walk_rest(f"/repos/{BUSY}/issues", {"state": "all", "since": since})
    assert {i["id"] for i in recent} == {i["id"] for i in all_items if i["updated_at"] >= since}
    asc = client.walk_rest(
        f"/repos/{BUSY}/issues", {"state": "all", "sort": "created", "direction": "asc"}
    )
    assert [i["number"] for i in asc] == sorted(i["number"] for i in asc)


def test_state_filter_defaults_to_open(client: Client) -> None:
    items = client.walk_rest(f"/repos/{BUSY}/issues")
    assert items and all(i["state"] == "open" for i in items)


def test_bad_parameters_are_422(client: Client) -> None:
    assert client.get(f"/repos/{BUSY}/issues", params={"since": "yesterday"}).status_code == 422
    assert client.get(f"/repos/{BUSY}/issues", params={"sort": "stars"}).status_code == 422


def test_renamed_repository_redirects_and_deleted_is_404(client: Client) -> None:
    r = client.get("/repos/nebula/old-orbit/issues?state=all", allow_redirects=False)
    assert r.status_code == 301
    assert "/repositories/" in r.headers["Location"]
    followed = client.get("/repos/nebula/old-orbit", allow_redirects=True)
    assert followed.status_code == 200 and followed.json()["full_name"] == "nebula/orbit"
    gone = client.get("/repos/quietco/deleted-repo")
    assert gone.status_code == 404 and gone.json()["message"] == "Not Found"


def test_rate_limit_endpoint_is_free(client: Client) -> None:
    client.get(f"/repos/{BUSY}")
    before = client.get("/rate_limit").json()
    after = client.get("/rate_limit").json()
    assert before == after
    assert before["resources"]["core"]["used"] == 1
    assert before["resources"]["graphql"]["limit"] == 5000


def test_events_etag_304_is_free(client: Client) -> None:
    r = client.get(f"/repos/{BUSY}/events", params={"per_page": 100})
    assert r.status_code == 200 and r.headers["ETag"]
    used = int(r.headers["x-ratelimit-used"])
    again = client.get(
        f"/repos/{BUSY}/events",
        params={"per_page": 100},
        headers={"If-None-Match": r.headers["ETag"]},
    )
    assert again.status_code == 304 and again.content == b""
    assert int(again.headers["x-ratelimit-used"]) == used
    assert client.gh.stats()["not_modified"] == 1


def test_events_keep_30_days_and_at_most_300(client: Client) -> None:
    events = client.walk_rest(f"/repos/{BUSY}/events")
    assert 0 < len(events) <= 300
    stamps = [e["created_at"] for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert len({e["id"] for e in events}) == len(events)
    assert all(isinstance(e["id"], str) for e in events)
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    assert counts["events"] == len(events)


def test_commits_list_and_detail(client: Client) -> None:
    commits = client.walk_rest(f"/repos/{BUSY}/commits", {"sha": "main"})
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    assert len(commits) == counts["commits"]
    dates = [c["commit"]["committer"]["date"] for c in commits]
    assert dates == sorted(dates, reverse=True)
    assert commits[0]["parents"][0]["sha"] == commits[1]["sha"]
    detail = client.get(f"/repos/{BUSY}/commits/{commits[0]['sha']}").json()
    assert detail["stats"]["additions"] == sum(f["additions"] for f in detail["files"])
    window = client.walk_rest(f"/repos/{BUSY}/commits", {"since": dates[20], "until": dates[5]})
    assert [c["sha"] for c in window] == [c["sha"] for c in commits[5:21]]


def test_stargazers_with_starred_at(client: Client) -> None:
    plain = client.get(f"/repos/{BUSY}/stargazers").json()
    assert "login" in plain[0]
    starred = client.get(
        f"/repos/{BUSY}/stargazers", headers={"Accept": "application/vnd.github.star+json"}
    ).json()
    assert starred[0]["user"]["login"] == plain[0]["login"] and starred[0]["starred_at"]


def test_pulls_reviews_comments_forks_releases(client: Client) -> None:
    pulls = client.walk_rest(f"/repos/{BUSY}/pulls", {"state": "all"})
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    assert len(pulls) == counts["pull_requests"]
    reviewed = next(
        p for p in pulls if client.get(f"/repos/{BUSY}/pulls/{p['number']}/reviews").json()
    )
    reviews = client.get(f"/repos/{BUSY}/pulls/{reviewed['number']}/reviews").json()
    assert reviews[0]["state"] in {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"}
    full = client.get(f"/repos/{BUSY}/pulls/{reviewed['number']}").json()
    assert {"additions", "deletions", "changed_files", "merged_by"} <= set(full)
    assert (
        len(client.walk_rest(f"/repos/{BUSY}/pulls/comments"))
        == counts["pull_request_review_comments"]
    )
    # GitHub's repository-wide list holds pull requests' conversation comments too.
    conversation = client.walk_rest(f"/repos/{BUSY}/issues/comments")
    assert len(conversation) == counts["issue_comments"] + counts["pull_request_comments"]
    assert len({c["id"] for c in conversation}) == len(conversation)
    forks = client.walk_rest(f"/repos/{BUSY}/forks", {"sort": "oldest"})
    assert len(forks) == counts["forks"]
    assert [f["created_at"] for f in forks] == sorted(f["created_at"] for f in forks)
    assert len(client.walk_rest(f"/repos/{BUSY}/releases")) == counts["releases"]


def test_ghost_users_in_rest(client: Client) -> None:
    items = client.walk_rest(f"/repos/{BUSY}/issues/comments")
    logins = {c["user"]["login"] for c in items}
    assert "ghost" in logins


def test_enterprise_style_prefix(client: Client) -> None:
    r = client.get(f"/api/v3/repos/{BUSY}/issues", params={"state": "all", "per_page": 5})
    assert r.status_code == 200 and "/api/v3/repos/" in r.links["next"]["url"]


def test_date_header_follows_the_virtual_clock(client: Client) -> None:
    r = client.get(f"/repos/{BUSY}")
    assert parsedate_to_datetime(r.headers["Date"]).timestamp() == client.gh.now
    client.gh.advance(2)
    r = client.get(f"/repos/{BUSY}")
    assert parsedate_to_datetime(r.headers["Date"]).timestamp() == client.gh.now


def test_event_ids_stay_stable_as_time_moves(client: Client) -> None:
    before = {
        e["id"]: (e["type"], e["created_at"]) for e in client.walk_rest(f"/repos/{BUSY}/events")
    }
    client.gh.advance(6)
    after = {
        e["id"]: (e["type"], e["created_at"]) for e in client.walk_rest(f"/repos/{BUSY}/events")
    }
    common = before.keys() & after.keys()
    assert common and all(before[k] == after[k] for k in common)
