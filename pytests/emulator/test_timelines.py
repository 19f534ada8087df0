"""Issue timelines, pull-request sidebars and conversation comments: GraphQL and the REST
routes a peer would call, consistent with the world and with each other."""

from __future__ import annotations

from loaders.emulator.world.entities import Team
from loaders.emulator.world.timelines import FOREIGN_REPO

from .conftest import BUSY, Client

TIMELINE = """
query($id: ID!) {
  node(id: $id) {
    ... on Issue {
      timelineItems(first: 100) {
        totalCount
        nodes {
          __typename
          ... on LabeledEvent { id label { name } actor { login } }
          ... on AssignedEvent { id assignee { ... on User { login } } }
          ... on MilestonedEvent { id milestoneTitle }
          ... on DemilestonedEvent { id milestoneTitle }
          ... on CrossReferencedEvent {
            id willCloseTarget source { ... on PullRequest { number } }
          }
          ... on ConnectedEvent { id subject { ... on Issue { number } } source { __typename } }
          ... on MarkedAsDuplicateEvent { id canonical { ... on Issue { number } } }
          ... on ClosedEvent { id }
          ... on ReopenedEvent { id }
          ... on UnlabeledEvent { id }
          ... on UnassignedEvent { id }
          ... on DisconnectedEvent { id subject { ... on Issue { number } } }
          ... on UnmarkedAsDuplicateEvent { id }
        }
      }
      closedByPullRequestsReferences(first: 10, includeClosedPrs: true) { nodes { number } }
    }
  }
}
"""

PULL = """
query($id: ID!) {
  node(id: $id) {
    ... on PullRequest {
      number milestone { title }
      labels(first: 10) { nodes { name } }
      assignees(first: 10) { nodes { login } }
      closingIssuesReferences(first: 10) {
        nodes { id number repository { nameWithOwner } }
      }
      timelineItems(first: 100, itemTypes: [REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT]) {
        nodes {
          __typename
          ... on ReviewRequestedEvent {
            id requestedReviewer { __typename ... on User { login } ... on Team { combinedSlug } }
          }
          ... on ReviewRequestRemovedEvent { id }
        }
      }
      comments(first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount nodes { databaseId updatedAt pullRequest { number } }
      }
    }
  }
}
"""


def _data(client: Client):
    world = client.gh.world
    return world.data(world.resolve(BUSY)[1]), world.now


def test_issue_timeline_has_every_event_kind_in_order(client: Client) -> None:
    data, t = _data(client)
    issues = [i for i in data.issues if i.created_at <= t]
    kinds = {e.kind for i in issues for e in i.visible_events(t)}
    assert {"labeled", "assigned", "milestoned", "cross-referenced"} <= kinds
    issue = max(issues, key=lambda i: len(i.visible_events(t)) + len(i.linked_by))
    got = client.data(TIMELINE, {"id": issue.node_id})["node"]
    items = got["timelineItems"]["nodes"]
    expected = sorted(
        [*issue.visible_events(t), *issue.visible_state_events(t)],
        key=lambda e: (e.created_at, e.id),
    )
    assert [x["id"] for x in items] == [e.node_id for e in expected]
    for x, e in zip(items, expected, strict=True):
        if x["__typename"] == "LabeledEvent":
            assert x["label"]["name"] == e.label[0]
        if x["__typename"] == "CrossReferencedEvent":
            assert x["source"]["number"] == e.subject.number and x["willCloseTarget"]
    linked = {p.number for p in issue.linked_by}
    assert {p["number"] for p in got["closedByPullRequestsReferences"]["nodes"]} <= linked


def test_pull_request_sidebar_requests_links_and_comments(client: Client) -> None:
    data, t = _data(client)
    pulls = [p for p in data.pulls if p.created_at <= t]
    pr = max(pulls, key=lambda p: (len(p.visible_links(t)), len(p.visible_events(t))))
    got = client.data(PULL, {"id": pr.node_id})["node"]
    assert [x["name"] for x in got["labels"]["nodes"]] == [n for n, _ in pr.labels]
    assert [x["login"] for x in got["assignees"]["nodes"]] == [u.login for u in pr.assignees]
    assert (got["milestone"] or {}).get("title") == pr.milestone
    assert [x["id"] for x in got["closingIssuesReferences"]["nodes"]] == [
        x.issue.node_id for x in pr.visible_links(t)
    ]
    requests = got["timelineItems"]["nodes"]
    assert [x["id"] for x in requests] == [e.node_id for e in pr.visible_events(t)]
    comments = got["comments"]["nodes"]
    assert got["comments"]["totalCount"] == len(pr.visible_comments(t))
    stamps = [c["updatedAt"] for c in comments]
    assert stamps == sorted(stamps, reverse=True)
    assert all(c["pullRequest"]["number"] == pr.number for c in comments)


def test_links_outside_the_world_and_teams_show_as_they_are(client: Client) -> None:
    world, t = client.gh.world, client.gh.world.now
    foreign = team = None
    for repo in world.repos[:4]:
        for pr in world.data(repo).pulls:
            if pr.created_at > t:
                continue
            foreign = foreign or next(
                (x.issue for x in pr.visible_links(t) if not hasattr(x.issue, "repo")), None
            )
            team = team or next(
                (pr for e in pr.visible_events(t) if isinstance(e.reviewer, Team)), None
            )
    assert foreign is not None and team is not None
    assert foreign.repo_full_name == FOREIGN_REPO
    r = client.gql("query($id: ID!) { node(id: $id) { id } }", {"id": foreign.node_id})
    assert r.json()["errors"][0]["type"] == "NOT_FOUND"  # GitHub's answer for what we lack
    got = client.data(PULL, {"id": team.node_id})["node"]["timelineItems"]["nodes"]
    slugs = {
        (x.get("requestedReviewer") or {}).get("combinedSlug")
        for x in got
        if x["__typename"] == "ReviewRequestedEvent"
    }
    assert f"{team.repo.owner.login}/core" in slugs


def test_rest_timeline_comments_labels_and_requested_reviewers(client: Client) -> None:
    data, t = _data(client)
    pr = next(p for p in data.pulls if p.created_at <= t and p.visible_comments(t) and p.labels)
    comments = client.walk_rest(f"/repos/{BUSY}/issues/{pr.number}/comments")
    assert [c["id"] for c in comments] == [c.id for c in pr.visible_comments(t)]
    assert all(f"/pull/{pr.number}#issuecomment-" in c["html_url"] for c in comments)
    labels = client.walk_rest(f"/repos/{BUSY}/issues/{pr.number}/labels")
    assert [x["name"] for x in labels] == [n for n, _ in pr.labels]
    timeline = client.walk_rest(f"/repos/{BUSY}/issues/{pr.number}/timeline")
    assert {e["event"] for e in timeline} >= {"commented"}
    reviewers = client.get(f"/repos/{BUSY}/pulls/{pr.number}/requested_reviewers").json()
    assert set(reviewers) == {"users", "teams"}
    issue = next(i for i in data.issues if i.created_at <= t and i.visible_events(t))
    events = client.walk_rest(f"/repos/{BUSY}/issues/{issue.number}/timeline")
    assert {e["node_id"] for e in events if e["event"] != "commented"} == {
        e.node_id for e in (*issue.visible_events(t), *issue.visible_state_events(t))
    }
    assert client.get(f"/repos/{BUSY}/issues/999999/timeline").status_code == 404
    assert client.get(f"/repos/{BUSY}/pulls/{issue.number}/requested_reviewers").status_code == 404


def test_pending_reviewers_drop_on_review_and_on_removal(client: Client) -> None:
    data, t = _data(client)
    from loaders.emulator.rest.serialize import pending_reviewers

    for pr in data.pulls:
        if pr.created_at > t:
            continue
        pending = {u.id for u in pending_reviewers(pr, t, "user")}
        reviewed = {r.author.id for r in pr.visible_reviews(t) if r.author is not None}
        removed = {
            e.reviewer.id
            for e in pr.visible_events(t)
            if e.kind == "review_request_removed" and e.reviewer is not None
        }
        assert not pending & reviewed
        assert not pending & removed


def test_late_changes_appear_on_advance(client: Client) -> None:
    data, t0 = _data(client)
    later = [
        (i, e)
        for i in data.issues
        if i.created_at <= t0
        for e in i.events
        if t0 < e.created_at <= t0 + 30 * 86_400
    ]
    assert later
    issue, event = min(later, key=lambda p: p[1].created_at)
    before = client.data(TIMELINE, {"id": issue.node_id})["node"]["timelineItems"]
    client.gh.advance((event.created_at - t0) / 3600 + 1)
    after = client.data(TIMELINE, {"id": issue.node_id})["node"]["timelineItems"]
    assert after["totalCount"] > before["totalCount"]
    assert event.node_id in {x.get("id") for x in after["nodes"]}
