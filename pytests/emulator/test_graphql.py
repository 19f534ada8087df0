"""GraphQL: cursors, filterBy.since, orderBy, aliases, node(s), errors in GitHub's shape."""

from __future__ import annotations

from .conftest import BUSY, Client

ISSUES = """
query($owner: String!, $name: String!, $after: String, $since: DateTime) {
  repository(owner: $owner, name: $name) {
    issues(first: 40, after: $after, filterBy: {since: $since},
           orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id databaseId number state stateReason updatedAt closedAt
              author { __typename login ... on User { databaseId } ... on Bot { databaseId } } }
    }
  }
}"""


def walk_issues(client: Client, since: str | None = None) -> list[dict]:
    out, after = [], None
    while True:
        data = client.data(
            ISSUES, {"owner": "acme", "name": "api-server", "after": after, "since": since}
        )
        conn = data["repository"]["issues"]
        out.extend(conn["nodes"])
        if not conn["pageInfo"]["hasNextPage"]:
            assert len(out) == conn["totalCount"]
            return out
        after = conn["pageInfo"]["endCursor"]


def test_cursor_paging_visits_every_issue_once(client: Client) -> None:
    nodes = walk_issues(client)
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    assert len(nodes) == counts["issues"] == len({n["id"] for n in nodes})
    stamps = [n["updatedAt"] for n in nodes]
    assert stamps == sorted(stamps, reverse=True)  # orderBy UPDATED_AT DESC


def test_filter_by_since(client: Client) -> None:
    everything = walk_issues(client)
    since = everything[len(everything) // 2]["updatedAt"]
    recent = walk_issues(client, since)
    assert [n["id"] for n in recent] == [n["id"] for n in everything if n["updatedAt"] >= since]


def test_backwards_paging_with_last_and_before(client: Client) -> None:
    q = """query($before: String) { repository(owner: "acme", name: "api-server") {
      issues(last: 10, before: $before) { pageInfo { hasPreviousPage startCursor }
                                          nodes { number } } } }"""
    first = client.data(q)["repository"]["issues"]
    assert first["pageInfo"]["hasPreviousPage"]
    prev = client.data(q, {"before": first["pageInfo"]["startCursor"]})["repository"]["issues"]
    numbers = [n["number"] for n in prev["nodes"] + first["nodes"]]
    assert numbers == sorted(numbers) and len(numbers) == 20


def test_aliases_fetch_many_repositories_in_one_query(client: Client) -> None:
    repos = [r.full_name for r in client.gh.world.repos]
    body = " ".join(
        f'r{i}: repository(owner: "{n.split("/")[0]}", name: "{n.split("/")[1]}") '
        f"{{ nameWithOwner stargazerCount issues(first: 5) {{ totalCount }} }}"
        for i, n in enumerate(repos)
    )
    data = client.data(f"query {{ rateLimit {{ cost }} {body} }}")
    assert [data[f"r{i}"]["nameWithOwner"] for i in range(len(repos))] == repos
    truth = client.gh.truth()["repositories"]
    for i, n in enumerate(repos):
        assert data[f"r{i}"]["issues"]["totalCount"] == truth[n]["counts"]["issues"]
    assert data["rateLimit"]["cost"] == 1


def test_node_and_nodes_by_id(client: Client) -> None:
    nodes = walk_issues(client)[:5]
    ids = [n["id"] for n in nodes]
    q = """query($ids: [ID!]!, $one: ID!) {
      nodes(ids: $ids) { __typename id ... on Issue { number comments(first: 100) { totalCount } } }
      node(id: $one) { ... on Issue { number } } }"""
    data = client.data(q, {"ids": ids, "one": ids[0]})
    assert [n["id"] for n in data["nodes"]] == ids
    assert all(n["__typename"] == "Issue" for n in data["nodes"])
    assert data["node"]["number"] == nodes[0]["number"]


def test_pull_requests_reviews_and_merge_fields(client: Client) -> None:
    q = """{ repository(owner: "acme", name: "api-server") {
      pullRequests(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) {
        totalCount nodes { state mergedAt closedAt isDraft additions
          reviews(first: 10) { nodes { state submittedAt author { login }
            comments(first: 10) { totalCount } } } } } } }"""
    prs = client.data(q)["repository"]["pullRequests"]["nodes"]
    assert any(p["state"] == "MERGED" and p["mergedAt"] for p in prs)
    assert any(p["state"] == "CLOSED" and p["closedAt"] and not p["mergedAt"] for p in prs)
    assert any(p["reviews"]["nodes"] for p in prs)


def test_stargazers_commits_discussions(client: Client) -> None:
    q = """{ repository(owner: "acme", name: "api-server") {
      stargazers(first: 5, orderBy: {field: STARRED_AT, direction: DESC}) {
        totalCount edges { starredAt node { login } } }
      defaultBranchRef { name target { ... on Commit {
        history(first: 5) { totalCount nodes { oid committedDate additions
          author { user { login } } } } } } }
      discussions(first: 20) { totalCount nodes { number category { isAnswerable }
        answer { id } comments(first: 10) { nodes { isAnswer replies(first: 5) {
          nodes { replyTo { id } } } } } } } } }"""
    repo = client.data(q)["repository"]
    counts = client.gh.truth(BUSY)["repositories"][BUSY]["counts"]
    stars = repo["stargazers"]
    assert stars["totalCount"] == counts["stargazers"]
    assert [e["starredAt"] for e in stars["edges"]] == sorted(
        (e["starredAt"] for e in stars["edges"]), reverse=True
    )
    history = repo["defaultBranchRef"]["target"]["history"]
    assert history["totalCount"] == counts["commits"]
    assert repo["discussions"]["totalCount"] == counts["discussions"]


def test_first_over_100_is_rejected_like_github(client: Client) -> None:
    r = client.gql(
        '{ repository(owner: "acme", name: "api-server") { issues(first: 101) { nodes { id } } } }'
    )
    assert r.status_code == 200
    err = r.json()["errors"][0]
    assert err["type"] == "EXCESSIVE_PAGINATION"
    assert err["message"] == (
        "Requesting 101 records on the `issues` connection exceeds "
        "the `first` limit of 100 records."
    )
    assert "data" not in r.json()


def test_missing_first_is_rejected(client: Client) -> None:
    r = client.gql('{ repository(owner: "acme", name: "api-server") { issues { nodes { id } } } }')
    assert r.json()["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"


def test_unknown_field_fails_validation(client: Client) -> None:
    r = client.gql('{ repository(owner: "acme", name: "api-server") { stars } }')
    assert "stars" in r.json()["errors"][0]["message"]


def test_deleted_and_renamed_repositories(client: Client) -> None:
    r = client.gql('{ repository(owner: "quietco", name: "deleted-repo") { id } }').json()
    assert r["data"]["repository"] is None
    assert r["errors"][0]["type"] == "NOT_FOUND"
    moved = client.data('{ repository(owner: "nebula", name: "old-orbit") { nameWithOwner } }')
    assert moved["repository"]["nameWithOwner"] == "nebula/orbit"
    strict = client.gql(
        '{ repository(owner: "nebula", name: "old-orbit", followRenames: false) { id } }'
    ).json()
    assert strict["errors"][0]["type"] == "NOT_FOUND"


def test_ghosts_are_null_and_bots_are_bots(client: Client) -> None:
    nodes = walk_issues(client)
    assert any(n["author"] is None for n in nodes)
    q = """{ repository(owner: "acme", name: "api-server") { defaultBranchRef { target {
      ... on Commit { history(first: 100) { nodes { author { user { login } } } } } } } } }"""
    hist = client.data(q)["repository"]["defaultBranchRef"]["target"]["history"]["nodes"]
    assert any(n["author"]["user"] is None for n in hist)  # unlinked or bot commit authors


def test_forks_and_releases_serialise_without_errors(client: Client) -> None:
    for repo in client.gh.world.repos:
        owner, name = repo.full_name.split("/")
        q = """query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
          forks(first: 100) { nodes { id databaseId nameWithOwner owner { login } createdAt } }
          releases(first: 100) { nodes { tagName isDraft publishedAt author { login } } }
          stargazers(first: 100) { edges { starredAt node { login databaseId } } } } }"""
        client.data(q, {"o": owner, "n": name})  # asserts no errors


def test_order_by_comments(client: Client) -> None:
    q = """{ repository(owner: "acme", name: "api-server") {
      issues(first: 100, orderBy: {field: COMMENTS, direction: DESC}) {
        nodes { comments { totalCount } } } } }"""
    counts = [n["comments"]["totalCount"] for n in client.data(q)["repository"]["issues"]["nodes"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    rest = client.get(
        f"/repos/{BUSY}/issues",
        params={"state": "all", "sort": "comments", "direction": "desc", "per_page": 100},
    )
    issue_counts = [i["comments"] for i in rest.json()]
    assert issue_counts == sorted(issue_counts, reverse=True)


def _first_visible(world, kind: str):
    return next(x for r in world.repos for x in world.view(r).visible(kind))


def test_node_lookup_for_every_type(client: Client) -> None:
    w = client.gh.world
    repo = w.resolve(BUSY)[1]
    assert repo is not None
    v, t = w.view(repo), w.now
    issue = next(
        i for i in v.visible("issues") if i.visible_state_events(t) and i.visible_comments(t)
    )
    pull = next(p for p in v.visible("pulls") if any(r.comments for r in p.visible_reviews(t)))
    review = pull.visible_reviews(t)[0]
    disc = next(d for d in v.visible("discussions") if d.comments)
    expected = {
        repo.node_id: "Repository",
        issue.node_id: "Issue",
        pull.node_id: "PullRequest",
        issue.visible_comments(t)[0].node_id: "IssueComment",
        issue.visible_state_events(t)[0].node_id: "ClosedEvent",
        review.node_id: "PullRequestReview",
        next(r for r in pull.visible_reviews(t) if r.comments)
        .comments[0]
        .node_id: "PullRequestReviewComment",
        v.visible("commits")[-1].node_id: "Commit",
        _first_visible(w, "releases").node_id: "Release",
        _first_visible(w, "forks").node_id: "Repository",
        disc.node_id: "Discussion",
        disc.comments[0].node_id: "DiscussionComment",
        disc.category.node_id: "DiscussionCategory",
        v.visible("stars")[0].user.node_id: "User",
        repo.owner.node_id: "Organization",
    }
    data = client.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": list(expected)}
    )
    assert {n["id"]: n["__typename"] for n in data["nodes"]} == expected


def test_future_nodes_are_not_found(client: Client) -> None:
    w = client.gh.world
    data = w.data(w.resolve(BUSY)[1])
    future = next(i for i in data.issues if i.created_at > w.now)
    r = client.gql("query($id: ID!) { node(id: $id) { id } }", {"id": future.node_id}).json()
    assert r["data"]["node"] is None and r["errors"][0]["type"] == "NOT_FOUND"
    client.gh.advance((future.created_at - w.now) / 3600 + 1)
    assert (
        client.data("query($id: ID!) { node(id: $id) { id } }", {"id": future.node_id})["node"][
            "id"
        ]
        == future.node_id
    )


def test_introspection_is_answered(client: Client) -> None:
    data = client.data(
        '{ __schema { queryType { name } } __type(name: "Issue") { fields { name } } }'
    )
    assert data["__schema"]["queryType"]["name"] == "Query"
    assert {"number", "stateReason", "timelineItems"} <= {
        f["name"] for f in data["__type"]["fields"]
    }
