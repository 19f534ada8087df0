"""Payload-to-row mapping on hand-written GitHub shapes: ghosts, bots, nulls, unknown fields."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow as pa
import pytest

from loaders.sources import TABLES
from loaders.sources import rows as r

GHOST = None
BOT = {"__typename": "Bot", "login": "dependabot[bot]", "databaseId": 49699333}
USER = {"__typename": "User", "login": "octocat", "databaseId": 583231}


def test_issue_row_tolerates_ghost_author_and_missing_connections():
    node = {
        "id": "I_1",
        "databaseId": 11,
        "number": 3,
        "title": "t",
        "body": None,
        "state": "CLOSED",
        "stateReason": "COMPLETED",
        "locked": False,
        "createdAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-02T00:00:00Z",
        "closedAt": "2024-01-02T00:00:00Z",
        "author": GHOST,
        "milestone": None,
        "someFutureField": {"x": 1},
    }
    row = r.issue_row(node, repository_id=7)
    assert row["author_login"] is None and row["author_is_bot"] is None
    assert row["author_id"] is None
    assert row["state"] == "closed"
    assert row["milestone_title"] is None
    assert row["comments_count"] is None and row["reactions_count"] is None
    assert json.loads(row["assignee_logins"]) == []
    assert r.issue_label_rows(node, 11, 7) == []


def test_bot_detection_from_typename_and_login_suffix():
    assert r.actor_is_bot(BOT) is True
    assert r.actor_is_bot({"__typename": "User", "login": "renovate[bot]"}) is True
    assert r.actor_is_bot(USER) is False
    assert r.actor_is_bot(None) is None


def test_full_database_id_as_string_is_parsed():
    assert r.as_int("123456789012") == 123456789012
    assert r.as_int(None) is None
    assert r.as_int("not a number") is None
    assert r.as_int(True) is None


def test_timeline_events_of_the_contract_and_nothing_else():
    closed = {
        "__typename": "ClosedEvent",
        "id": "CE_1",
        "createdAt": "2024-01-01T00:00:00Z",
        "actor": BOT,
    }
    row = r.issue_event_row(closed, 1, 2)
    assert row["event"] == "closed" and row["actor_is_bot"] is True
    assert row["label_name"] is None and row["subject_type"] is None
    assert r.issue_event_row({"__typename": "PinnedEvent", "id": "PE_1"}, 1, 2) is None
    assert r.issue_event_row({"__typename": "LabeledEvent"}, 1, 2) is None  # no id: no key


def test_timeline_event_subjects_and_bad_input():
    here = "I_here"
    pr = {"__typename": "PullRequest", "id": "PR_9", "number": 9,
          "repository": {"nameWithOwner": "elsewhere/upstream"}}  # fmt: skip
    me = {"__typename": "Issue", "id": here, "number": 1, "repository": {"nameWithOwner": "a/b"}}
    # A connection is listed on both timelines: the subject is always the other side.
    for source, subject in ((pr, me), (me, pr)):
        node = {"__typename": "ConnectedEvent", "id": "CN_1", "source": source, "subject": subject}
        row = r.issue_event_row(node, 1, 2, here)
        assert (row["event"], row["subject_type"], row["subject_node_id"]) == (
            "connected", "pull_request", "PR_9"
        )  # fmt: skip
        assert row["subject_repository_full_name"] == "elsewhere/upstream"
    ref = r.issue_event_row({"__typename": "CrossReferencedEvent", "id": "X", "source": pr}, 1, 2)
    assert ref["event"] == "cross_referenced" and ref["subject_number"] == 9
    dup = r.issue_event_row(
        {"__typename": "MarkedAsDuplicateEvent", "id": "D", "canonical": me, "actor": None}, 1, 2
    )
    assert dup["subject_type"] == "issue" and dup["actor_login"] is None  # ghost actor
    # A deleted label or assignee, an event without its subject: nulls, never an error.
    gone = r.issue_event_row({"__typename": "UnlabeledEvent", "id": "U", "label": None}, 1, 2)
    assert gone["event"] == "unlabeled" and gone["label_name"] is None
    lonely = r.issue_event_row({"__typename": "DisconnectedEvent", "id": "DC"}, 1, 2, here)
    assert lonely["subject_node_id"] is None
    assigned = r.issue_event_row(
        {"__typename": "AssignedEvent", "id": "A", "assignee": {"login": "mona"}}, 1, 2
    )
    assert assigned["assignee_login"] == "mona"
    milestone = r.issue_event_row(
        {"__typename": "DemilestonedEvent", "id": "M", "milestoneTitle": "v1"}, 1, 2
    )
    assert milestone["milestone_title"] == "v1"


def test_review_requests_links_and_pull_request_labels():
    team = {"__typename": "Team", "combinedSlug": "acme/core"}
    row = r.review_request_row(
        {"__typename": "ReviewRequestedEvent", "id": "RR", "requestedReviewer": team}, 5, 2
    )
    assert (row["reviewer_type"], row["reviewer_login"]) == ("team", "acme/core")
    removed = r.review_request_row(
        {"__typename": "ReviewRequestRemovedEvent", "id": "RX", "requestedReviewer": None}, 5, 2
    )  # the reviewer's account is gone
    assert removed["event"] == "review_request_removed" and removed["reviewer_type"] is None
    assert r.review_request_row({"__typename": "MergedEvent", "id": "ME"}, 5, 2) is None
    pr = {"id": 5, "node_id": "PR_5", "number": 7, "repository_id": 2}
    links = r.issue_link_rows(
        {"closingIssuesReferences": {"nodes": [
            {"id": "I_1", "databaseId": 11, "number": 3, "repository": {"nameWithOwner": "x/y"}},
            None,
            {"databaseId": 12},
        ]}},
        pr,
    )  # fmt: skip
    assert links == [
        {"repository_id": 2, "pull_request_id": 5, "pull_request_node_id": "PR_5",
         "pull_request_number": 7, "issue_node_id": "I_1", "issue_id": 11, "issue_number": 3,
         "issue_repository_full_name": "x/y"}
    ]  # fmt: skip
    labels = r.pull_request_label_rows(
        {"labels": {"nodes": [{"name": "bug", "color": "d73a4a"}, {"name": None}]}}, 5, 2
    )
    assert [(x["pull_request_id"], x["name"]) for x in labels] == [(5, "bug")]


def test_rest_event_ghost_and_bot_actors():
    ghost = {
        "id": "1",
        "type": "WatchEvent",
        "actor": {"login": "ghost"},
        "payload": {"action": "started"},
        "created_at": "2024-01-01T00:00:00Z",
    }
    bot = {
        "id": 2,
        "type": "PushEvent",
        "actor": {"login": "x[bot]", "type": "Bot"},
        "payload": None,
        "created_at": "2024-01-01T00:00:00Z",
    }
    g, b = r.event_row(ghost, 5), r.event_row(bot, 5)
    assert g["actor_login"] is None and g["actor_is_bot"] is None
    assert g["payload_action"] == "started"
    assert b["id"] == "2" and b["actor_is_bot"] is True and b["payload"] == "{}"
    assert r.event_row({"type": "X"}, 5) is None


def test_commit_without_linked_user_and_star_without_user():
    commit = {
        "oid": "abc",
        "author": {"name": "Someone", "email": "s@x", "user": None},
        "committer": None,
        "parents": {"totalCount": 2},
    }
    row = r.commit_row(commit, 9)
    assert row["author_login"] is None and row["author_is_bot"] is None
    assert row["author_name"] == "Someone" and row["parents_count"] == 2
    assert r.stargazer_row({"starredAt": "2024-01-01T00:00:00Z", "node": None}, 9) is None


def test_discussion_answer_and_reply():
    node = {
        "databaseId": 4,
        "answer": {"id": "DC_1", "databaseId": 44},
        "category": None,
        "closed": False,
        "comments": {"totalCount": 3},
    }
    row = r.discussion_row(node, 1)
    assert row["is_answered"] is True and row["answer_id"] == 44
    assert row["category_id"] is None and row["comments_count"] == 3
    reply = r.discussion_comment_row({"databaseId": 45, "replyTo": {"databaseId": 44}}, 4, 1)
    assert reply["reply_to_id"] == 44
    top = r.discussion_comment_row({"databaseId": 46, "replyTo": None}, 4, 1)
    assert top["reply_to_id"] is None


def test_repository_row_topics_and_empty_homepage():
    node = {
        "databaseId": 1,
        "nameWithOwner": "a/b",
        "homepageUrl": "",
        "repositoryTopics": {"nodes": [{"topic": {"name": "cli"}}, None]},
        "watchers": {"totalCount": 4},
        "defaultBranchRef": None,
    }
    row = r.repository_row(node, "2024-01-01T00:00:00Z")
    assert json.loads(row["topics"]) == ["cli"]
    assert row["homepage_url"] is None and row["default_branch"] is None
    assert row["watchers_count"] == 4


def test_language_rows_carry_sizes_and_the_total():
    node = {
        "languages": {
            "totalSize": 300,
            "edges": [
                {"size": 200, "node": {"name": "Go", "color": "#00ADD8"}},
                {"size": 100, "node": {"name": "Shell", "color": None}},
                {"size": 5, "node": None},
            ],
        }
    }
    rows = r.language_rows(node, 7, "2024-01-01T00:00:00Z")
    assert [(x["language"], x["size_bytes"], x["color"]) for x in rows] == [
        ("Go", 200, "#00ADD8"),
        ("Shell", 100, None),
    ]
    assert {(x["repository_id"], x["total_size_bytes"]) for x in rows} == {(7, 300)}
    assert r.language_rows({"languages": None}, 7, "2024-01-01T00:00:00Z") == []


def test_to_arrow_types_keys_and_drops_unknown_columns():
    spec = TABLES["stargazers"]
    table = spec.to_arrow(
        [
            {
                "repository_id": 1,
                "user_id": 2,
                "user_login": None,
                "starred_at": "2024-03-01T12:00:00Z",
                "unexpected": "dropped",
            }
        ]
    )
    assert table.column_names == spec.column_names
    assert table.schema.field("starred_at").type == pa.timestamp("us", tz="UTC")
    assert not table.schema.field("user_id").nullable
    assert table.column("starred_at")[0].as_py() == datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
    mixed = spec.to_arrow(
        [
            {
                "repository_id": 1,
                "user_id": 3,
                "starred_at": datetime(2024, 1, 1, tzinfo=timezone.utc),
            }
        ]
    )
    assert mixed.num_rows == 1


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_converts_an_all_null_row(table):
    spec = TABLES[table]
    row = {k: 1 if k.endswith("id") and k in spec.primary_key else None for k in spec.column_names}
    for key in spec.primary_key:
        row[key] = "k" if spec.schema.field(key).type == pa.string() else 1
    assert spec.to_arrow([row]).num_rows == 1
    hints = spec.hints()
    assert hints["write_disposition"] == "merge" and hints["primary_key"]
