"""REST calls: answers, conditional requests, paging, renames and error statuses."""

from __future__ import annotations

import pytest

from loaders.github import (
    Forbidden,
    GitHubError,
    NotFound,
    RepositoryRenamed,
    UnexpectedStatus,
)

from .conftest import TOKENS
from .fake_github import Answer


def test_rest_returns_body_headers_and_reads_budget(fake, make_client):
    fake.script("GET", "/repos/octo/hello", Answer(200, {"id": 1}, headers={"ETag": '"abc"'}))
    client = make_client()

    response = client.rest("/repos/octo/hello")

    assert response.status == 200
    assert response.json == {"id": 1}
    assert response.etag == '"abc"'
    assert not response.not_modified and not response.moved
    # The first request for an unknown token reads the free /rate_limit before spending.
    assert [s.path for s in fake.seen] == ["/rate_limit", "/repos/octo/hello"]
    assert client.stats.rate_limit_checks == 1
    assert client.stats.rest_calls == 1
    assert client.budget.entry(0, "core").remaining == 4999
    by_endpoint = client.stats.as_dict()["by_endpoint"]
    assert by_endpoint["/repos/{owner}/{repo}"] == {
        "calls": 1,
        "points": 1,
        "estimated_points": 0,  # GraphQL only: the formula's estimate beside the charge
        "retries": 0,
        "not_modified": 0,
    }
    seen = fake.requests_to("/repos/octo/hello")[0]
    assert seen.token == TOKENS[0]
    assert seen.headers["accept"] == "application/vnd.github+json"
    assert seen.headers["user-agent"] == "workspace-warehouse"


def test_etag_sends_if_none_match_and_304_is_free(fake, make_client):
    fake.script("GET", "/repos/octo/hello/events", Answer(304, None, headers={"ETag": '"v1"'}))
    client = make_client()

    response = client.rest("/repos/octo/hello/events", {"per_page": 100}, etag='"v1"')

    assert response.not_modified and response.json is None
    assert response.etag == '"v1"'
    seen = fake.requests_to("/repos/octo/hello/events")[0]
    assert seen.headers["if-none-match"] == '"v1"'
    assert seen.query == {"per_page": ["100"]}
    assert client.stats.rest_not_modified == 1
    assert client.stats.by_endpoint["/repos/{owner}/{repo}/events"].points == 0
    assert client.budget.entry(0, "core").remaining == 5000


def test_accept_header_is_passed(fake, make_client):
    fake.script("GET", "/repos/o/r/stargazers", Answer(200, []))
    client = make_client()
    client.rest("/repos/o/r/stargazers", accept="application/vnd.github.star+json")
    assert fake.requests_to("/repos/o/r/stargazers")[0].headers["accept"] == (
        "application/vnd.github.star+json"
    )


def test_rest_pages_follow_link_next(fake, make_client):
    base = fake.base_url
    fake.script(
        "GET",
        "/repos/o/r/issues",
        Answer(
            200,
            [{"n": 1}],
            headers={
                "Link": f'<{base}/repos/o/r/issues?page=2>; rel="next", '
                f'<{base}/repos/o/r/issues?page=3>; rel="last"'
            },
        ),
        Answer(200, [{"n": 2}], headers={"Link": f'<{base}/repos/o/r/issues?page=3>; rel="next"'}),
        Answer(200, [{"n": 3}], headers={"Link": f'<{base}/repos/o/r/issues?page=1>; rel="first"'}),
    )
    client = make_client()

    pages = list(client.rest_pages("repos/o/r/issues", {"state": "all"}))

    assert [p.json for p in pages] == [[{"n": 1}], [{"n": 2}], [{"n": 3}]]
    assert pages[0].links["last"].endswith("page=3")
    queries = [s.query for s in fake.requests_to("/repos/o/r/issues")]
    assert queries == [{"state": ["all"]}, {"page": ["2"]}, {"page": ["3"]}]


def test_rest_pages_with_etag_stop_on_304(fake, make_client):
    fake.script("GET", "/repos/o/r/events", Answer(304, None, headers={"ETag": '"e"'}))
    client = make_client()
    pages = list(client.rest_pages("/repos/o/r/events", etag='"e"'))
    assert len(pages) == 1 and pages[0].not_modified
    assert fake.requests_to("/repos/o/r/events")[0].headers["if-none-match"] == '"e"'


def test_rename_is_followed_and_reported(fake, make_client):
    fake.script(
        "GET",
        "/repos/old/name",
        Answer(301, {"message": "Moved Permanently"}, headers={"Location": "/repositories/42"}),
    )
    fake.script("GET", "/repositories/42", Answer(200, {"id": 42, "full_name": "new/name"}))
    client = make_client()

    response = client.rest("/repos/old/name")

    assert response.moved
    assert response.redirected_from.endswith("/repos/old/name")
    assert response.url.endswith("/repositories/42")
    assert response.renamed_to == "new/name"
    assert client.stats.rest_calls == 2


def test_rename_can_raise_instead(fake, make_client):
    fake.script(
        "GET", "/repos/old/name", Answer(301, None, headers={"Location": "/repos/new/name"})
    )
    client = make_client()
    with pytest.raises(RepositoryRenamed) as info:
        client.rest("/repos/old/name", follow_renames=False)
    assert info.value.old.endswith("/repos/old/name")
    assert info.value.new.endswith("/repos/new/name")


def test_redirect_loop_and_missing_location(fake, make_client):
    fake.always("GET", "/repos/a/b", Answer(301, None, headers={"Location": "/repos/a/b"}))
    fake.script("GET", "/repos/c/d", Answer(302, None))
    client = make_client()
    with pytest.raises(UnexpectedStatus, match="too many redirects"):
        client.rest("/repos/a/b")
    with pytest.raises(UnexpectedStatus, match="no Location"):
        client.rest("/repos/c/d")


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFound), (410, NotFound), (403, Forbidden), (422, UnexpectedStatus)],
)
def test_error_statuses_are_classified(fake, make_client, status, error):
    fake.script("GET", "/repos/o/gone", Answer(status, {"message": "nope"}))
    client = make_client()
    with pytest.raises(error) as info:
        client.rest("/repos/o/gone")
    assert "/repos/{owner}/{repo}" in str(info.value)
    assert len(fake.requests_to("/repos/o/gone")) == 1  # never retried


def test_foreign_hosts_never_get_the_token(fake, make_client):
    fake.script(
        "GET", "/repos/o/r", Answer(301, None, headers={"Location": "http://evil.example/x"})
    )
    client = make_client()
    with pytest.raises(GitHubError, match="outside the API host"):
        client.rest("http://evil.example/repos/o/r")
    with pytest.raises(GitHubError, match="foreign host"):
        client.rest("/repos/o/r")
    assert len(fake.requests_to("/repos/o/r")) == 1


def test_enterprise_base_path_is_kept_out_of_stats_keys(fake, make_client):
    fake.script("GET", "/api/v3/rate_limit", Answer(404, {"message": "Not Found"}))
    fake.script("GET", "/api/v3/repos/o/r/pulls/12", Answer(200, {"number": 12}))
    client = make_client(api_url=f"{fake.base_url}/api/v3")
    assert client.settings.graphql_url == f"{fake.base_url}/api/graphql"

    assert client.rest("repos/o/r/pulls/12").json == {"number": 12}
    assert "/repos/{owner}/{repo}/pulls/{n}" in client.stats.by_endpoint
