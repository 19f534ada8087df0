"""The emulator's REST answers against real GitHub: recordings and GitHub's description.

For each endpoint of the subset (endpoints.py) the emulator is asked the way the loaders
ask, and its answer must: contain every key the loaders read; contain no key GitHub does
not send; give every key a JSON type GitHub uses there (null only where GitHub may send
null); carry the rate-limit, ETag, content-type (and for multi-page lists, Link) headers
that real answers carry. Renamed (301) and deleted (404) repositories answer in GitHub's
recorded shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from .emulator_access import small_emulator
from .endpoints import BY_NAME, ENDPOINTS, RATE_LIMIT_HEADERS, Endpoint
from .openapi import RestDescription
from .recorded import Recorded, parse_link_header
from .rest_compare import compare_answer, header_problems, key_types, normalise

REPO = "acme/api-server"  # the busiest repository of the emulator's "small" world
RENAMED = ("nebula/old-orbit", "nebula/orbit")  # kept in every emulator world
DELETED = "quietco/deleted-repo"
PER_PAGE = 3
# GitHub's repository issue list answers with `after`/`before` cursors in `Link` (the
# description documents only `page`; clients such as tap-github follow the cursor).
CURSOR_PAGED = {"issues"}


class Emulated:
    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.session = requests.Session()
        self.session.headers.update(handle.headers())

    def get(self, path: str, params: dict[str, Any] | None = None, accept: str | None = None):
        headers = {"Accept": accept} if accept else {}
        return self.session.get(
            self.handle.base_url + path,
            params=params,
            headers=headers,
            timeout=30,
            allow_redirects=False,
        )


@pytest.fixture(scope="module")
def emulated() -> Iterator[Emulated]:
    with small_emulator() as handle:
        yield Emulated(handle)


def _path(endpoint: Endpoint, emulated: Emulated) -> str:
    owner, repo = REPO.split("/")
    values = {"owner": owner, "repo": repo}
    if "{pull_number}" in endpoint.template:
        values["pull_number"] = str(_pull_with_reviews(emulated))
    if "{ref}" in endpoint.template:
        commits = emulated.get(f"/repos/{REPO}/commits", {"per_page": 1}).json()
        values["ref"] = commits[0]["sha"]
    return endpoint.template.format(**values)


def _pull_with_reviews(emulated: Emulated) -> int:
    pulls = emulated.get(f"/repos/{REPO}/pulls", {"state": "all", "per_page": 50}).json()
    for pull in pulls:
        reviews = emulated.get(f"/repos/{REPO}/pulls/{pull['number']}/reviews").json()
        if reviews:
            return pull["number"]
    pytest.fail(f"no pull request of {REPO} in the emulator has a review")


def _ask(endpoint: Endpoint, emulated: Emulated) -> tuple[requests.Response, bool]:
    """The emulator's answer, and whether the list continues past this page."""
    path = _path(endpoint, emulated)
    params = dict(endpoint.params)
    if endpoint.is_list:
        params["per_page"] = PER_PAGE
    reply = emulated.get(path, params, endpoint.accept)
    paged = False
    if endpoint.is_list and isinstance(reply.json(), list) and len(reply.json()) == PER_PAGE:
        more = emulated.get(path, {**params, "page": 2}, endpoint.accept).json()
        paged = bool(more)
    return reply, paged


def _expected_headers(endpoint: Endpoint, description: RestDescription) -> set[str]:
    if endpoint.name == "rate_limit":
        # `/rate_limit` is free and uncached: GitHub documents only these on it.
        return description.response_headers(endpoint.template) | {"content-type"}
    return {*RATE_LIMIT_HEADERS, "etag", "content-type", "link"}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_emulator_answers_like_github(
    endpoint: Endpoint,
    emulated: Emulated,
    rest_description: RestDescription,
    all_recordings: list[Recorded],
):
    reply, paged = _ask(endpoint, emulated)
    assert reply.status_code == 200, f"{endpoint.template}: {reply.status_code} {reply.text[:200]}"
    body = reply.json()
    if endpoint.is_list:
        assert body, f"{endpoint.template}: empty list, nothing to compare"
    recorded = [
        [r.body] if endpoint.is_list and isinstance(r.body, dict) else r.body
        for r in endpoint.recordings(all_recordings)
    ]
    problems = compare_answer(endpoint, body, rest_description, recorded)
    problems += header_problems(
        reply.headers, _expected_headers(endpoint, rest_description), paged=paged
    )
    assert not problems, f"{endpoint.template} (emulator vs GitHub):\n  " + "\n  ".join(
        map(str, problems)
    )
    if paged:
        # GitHub's Link: absolute URLs on the API host; page 1 has `next` and `last`,
        # or only `next` (an `after` cursor) where GitHub pages by cursor.
        links = parse_link_header(reply.headers.get("Link", ""))
        expected = {"next"} if endpoint.name in CURSOR_PAGED else {"next", "last"}
        assert expected <= set(links), reply.headers.get("Link")
        if endpoint.name in CURSOR_PAGED:
            assert "after=" in links["next"], links
        assert all(u.startswith(emulated.handle.base_url + "/") for u in links.values()), links


def test_emulator_compares_against_recordings_where_they_exist(
    emulated: Emulated, all_recordings: list[Recorded]
):
    # Which keys were checked against real recorded values (not just the description):
    # pinned so the comparison above cannot silently become description-only.
    compared: dict[str, int] = {}
    for endpoint in ENDPOINTS:
        recorded = endpoint.recordings(all_recordings)
        if not recorded:
            continue
        reply, _ = _ask(endpoint, emulated)
        real: set[str] = set()
        for r in recorded:
            body = [r.body] if endpoint.is_list and isinstance(r.body, dict) else r.body
            real |= set(key_types(body))
        compared[endpoint.name] = len(set(key_types(reply.json())) & real)
    assert set(compared) == {"repository", "issues", "pulls", "releases"}, compared
    assert all(n >= 15 for n in compared.values()), compared


def _recorded(recordings: list[Recorded], status: int) -> Recorded:
    return next(r for r in recordings if r.method == "GET" and r.status == status)


def test_renamed_repository_answers_with_githubs_301(
    emulated: Emulated, octokit_recordings: list[Recorded]
):
    real = _recorded(octokit_recordings, 301)
    reply = emulated.get(f"/repos/{RENAMED[0]}")
    assert reply.status_code == 301
    # GitHub points both `Location` and the body's `url` at /repositories/{id}.
    assert real.header("Location") == real.body["url"]
    assert reply.headers.get("Location") == reply.json()["url"]
    assert "/repositories/" in reply.json()["url"]
    assert reply.json()["message"] == real.body["message"] == "Moved Permanently"
    assert key_types(reply.json()) == key_types(real.body)  # {message, url, documentation_url}
    assert not header_problems(reply.headers, RATE_LIMIT_HEADERS, paged=False)


def test_deleted_repository_answers_with_githubs_404(
    emulated: Emulated, gidgethub_recordings: list[Recorded]
):
    real = _recorded(gidgethub_recordings, 404)
    reply = emulated.get(f"/repos/{DELETED}")
    assert reply.status_code == 404
    assert set(reply.json()) == set(real.body)  # {message, documentation_url}
    assert reply.json()["message"] == real.body["message"] == "Not Found"


def test_every_subset_endpoint_is_covered():
    # docs/github_api_subset.md's REST list, by GitHub template.
    assert set(BY_NAME) == {
        "repository", "issues", "issue_comments", "pulls", "pull_reviews",
        "pull_review_comments", "commits", "commit", "stargazers", "forks", "releases",
        "events", "branches", "rate_limit", "languages",
    }  # fmt: skip


# `/rate_limit` lacks `resources.search` (the emulator has no search API).
_REQUIRED_GAPS = {"rate_limit": {"resources.search"}}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_emulator_sends_every_key_github_requires(
    endpoint: Endpoint, emulated: Emulated, rest_description: RestDescription
):
    # Clients generated from GitHub's description (tap-github's schemas, Airbyte's
    # `_links` lookups) read required keys without a default: each must be there, in
    # every nested object too (users, repositories, milestones, reaction rollups).
    reply, _ = _ask(endpoint, emulated)
    schema = rest_description.response_schema(endpoint.template)
    missing = {
        normalise(p.path)
        for p in rest_description.check(schema, reply.json())
        if p.kind == "missing"
    }
    assert missing == _REQUIRED_GAPS.get(endpoint.name, set()), sorted(missing)
