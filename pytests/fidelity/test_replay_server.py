"""The replay server answers exactly as GitHub did in the recordings."""

from __future__ import annotations

import requests

from .recorded import Recorded, parse_link_header
from .replay_server import ReplayServer


def _pages(recordings: list[Recorded]) -> list[Recorded]:
    return [r for r in recordings if r.method == "GET" and "paginate-issues" in r.source]


def test_serves_recorded_status_headers_and_body(octokit_recordings: list[Recorded]):
    repo = next(r for r in octokit_recordings if r.source.endswith("get-repository#0"))
    with ReplayServer([repo]) as server:
        reply = requests.get(server.base_url + repo.path, timeout=10)
    assert reply.status_code == repo.status == 200
    assert reply.json() == repo.body
    assert reply.headers["ETag"] == repo.header("ETag")
    assert reply.headers["X-RateLimit-Remaining"] == repo.header("X-RateLimit-Remaining")
    assert [r.matched for r in server.log] == [repo.source]


def test_link_headers_point_back_at_loopback(octokit_recordings: list[Recorded]):
    pages = _pages(octokit_recordings)
    assert len(pages) == 5, [p.path for p in pages]  # paginate-issues: 13 issues, 3 per page
    with ReplayServer(pages) as server:
        url, seen = server.base_url + pages[0].path, []
        while url:
            reply = requests.get(url, timeout=10)
            assert reply.status_code == 200
            seen += [issue["number"] for issue in reply.json()]
            url = parse_link_header(reply.headers.get("Link", "")).get("next")
            assert url is None or url.startswith(server.base_url)
    assert sorted(seen) == list(range(1, 14))
    assert not server.unmatched


def test_ignored_params_match_and_unknown_paths_get_github_404(octokit_recordings):
    first = _pages(octokit_recordings)[0]
    with ReplayServer([first]) as server:
        # A loader asks for 100 per page of all states: still "page 1 of this list".
        route = first.route + "?per_page=100&state=all"
        assert requests.get(server.base_url + route, timeout=10).status_code == 200
        missing = requests.get(server.base_url + "/repos/nobody/nothing", timeout=10)
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"
    assert [r.path for r in server.unmatched] == ["/repos/nobody/nothing"]


def test_repeated_requests_replay_in_recorded_order(octokit_recordings: list[Recorded]):
    # rename-repository: PATCH answered 200 first, then 307 once the repo had moved.
    patches = [
        r for r in octokit_recordings if r.method == "PATCH" and "rename-repository" in r.source
    ]
    same = [r for r in patches if r.route == patches[0].route]
    assert [r.status for r in same] == [200, 307]
    with ReplayServer(same) as server:
        url = server.base_url + same[0].path
        statuses = [
            requests.patch(url, json={}, timeout=10, allow_redirects=False).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 307, 307]
