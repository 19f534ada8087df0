"""Every GraphQL text the loaders send (validated against GitHub's schema by the fidelity tests).

Cost shapes the selections: GitHub charges for connections by the product of their
ancestors' page sizes, so nested connections stay small (`$childFirst`) and their overflow
is paged separately through `node(id:)`/`nodes(ids:)`. Connections asked only for
`totalCount` (no `first`/`last`) are free.

Fixed texts are module constants; the aliased change-detection query and the `nodes(ids:)`
child batches are built by functions listed in `__all_queries__`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

# --- selection snippets (Python-level reuse, not GraphQL fragments) ------------------------

_ACTOR = "{ __typename login }"
_AUTHOR_WITH_ID = "{ __typename login ... on User { databaseId } ... on Bot { databaseId } }"
_PAGE_FWD = "pageInfo { hasNextPage endCursor }"

REPOSITORY_FIELDS = """
    id databaseId name nameWithOwner url description homepageUrl
    owner { login avatarUrl } primaryLanguage { name }
    repositoryTopics(first: 20) { nodes { topic { name } } }
    stargazerCount forkCount watchers { totalCount }
    isArchived isFork isPrivate hasDiscussionsEnabled createdAt updatedAt pushedAt
    defaultBranchRef { name }
"""

ISSUE_COMMENT_FIELDS = f"""
    id databaseId body createdAt updatedAt author {_ACTOR} reactions {{ totalCount }}
"""

# The issue or pull request an event points at (a reference's source, a duplicate's
# canonical issue), wherever it lives.
_SUBJECT = (  # one line: each event of TIMELINE_FIELDS stays on a line of its own
    "{ __typename ... on Issue { id number repository { nameWithOwner } }"
    " ... on PullRequest { id number repository { nameWithOwner } } }"
)
_ASSIGNEE = (
    "{ __typename ... on User { login } ... on Bot { login } ... on Organization { login } }"
)
_EVENT = f"id createdAt actor {_ACTOR}"

#: Issue timeline item types loaded into `issue_events` (docs/raw_schema.md).
ISSUE_EVENT_TYPES = (
    "ASSIGNED_EVENT, CLOSED_EVENT, CONNECTED_EVENT, CROSS_REFERENCED_EVENT, "
    "DEMILESTONED_EVENT, DISCONNECTED_EVENT, LABELED_EVENT, MARKED_AS_DUPLICATE_EVENT, "
    "MILESTONED_EVENT, REOPENED_EVENT, UNASSIGNED_EVENT, UNLABELED_EVENT, "
    "UNMARKED_AS_DUPLICATE_EVENT"
)

TIMELINE_FIELDS = f"""
    __typename
    ... on ClosedEvent {{ {_EVENT} }}
    ... on ReopenedEvent {{ {_EVENT} }}
    ... on LabeledEvent {{ {_EVENT} label {{ name }} }}
    ... on UnlabeledEvent {{ {_EVENT} label {{ name }} }}
    ... on AssignedEvent {{ {_EVENT} assignee {_ASSIGNEE} }}
    ... on UnassignedEvent {{ {_EVENT} assignee {_ASSIGNEE} }}
    ... on MilestonedEvent {{ {_EVENT} milestoneTitle }}
    ... on DemilestonedEvent {{ {_EVENT} milestoneTitle }}
    ... on CrossReferencedEvent {{ {_EVENT} source {_SUBJECT} }}
    ... on ConnectedEvent {{ {_EVENT} source {_SUBJECT} subject {_SUBJECT} }}
    ... on DisconnectedEvent {{ {_EVENT} source {_SUBJECT} subject {_SUBJECT} }}
    ... on MarkedAsDuplicateEvent {{ {_EVENT} canonical {_SUBJECT} }}
    ... on UnmarkedAsDuplicateEvent {{ {_EVENT} canonical {_SUBJECT} }}
"""

_REVIEWER = "{ __typename ... on User { login } ... on Bot { login } ... on Team { combinedSlug } }"
REVIEW_REQUEST_FIELDS = f"""
    __typename
    ... on ReviewRequestedEvent {{ {_EVENT} requestedReviewer {_REVIEWER} }}
    ... on ReviewRequestRemovedEvent {{ {_EVENT} requestedReviewer {_REVIEWER} }}
"""
REVIEW_REQUEST_TYPES = "REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT"

#: Conversation comments newest-updated first: a reader stops at its cursor and still sees
#: an old comment edited since (creation order would hide it behind the newer ones).
_COMMENT_ORDER = "orderBy: { field: UPDATED_AT, direction: DESC }"

ISSUE_FIELDS = f"""
    id databaseId number title body state stateReason locked createdAt updatedAt closedAt
    author {_AUTHOR_WITH_ID}
    assignees(first: 10) {{ nodes {{ login }} }}
    milestone {{ title }}
    labels(first: 20) {{ totalCount nodes {{ name color }} }}
    reactions {{ totalCount }}
    comments(first: $childFirst, {_COMMENT_ORDER}) {{
        totalCount {_PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
    }}
    timelineItems(first: 50, itemTypes: [{ISSUE_EVENT_TYPES}]) {{
        totalCount {_PAGE_FWD} nodes {{ {TIMELINE_FIELDS} }}
    }}
"""

REVIEW_FIELDS_BASE = f"""
    id databaseId state body submittedAt createdAt author {_ACTOR}
"""

REVIEW_FIELDS = f"""
    {REVIEW_FIELDS_BASE}
    comments {{ totalCount }}
"""

REVIEW_COMMENT_FIELDS = f"""
    id databaseId body path createdAt updatedAt author {_ACTOR}
    pullRequestReview {{ databaseId }}
"""

PULL_REQUEST_FIELDS = f"""
    id databaseId number title body state isDraft createdAt updatedAt closedAt mergedAt
    mergedBy {{ login }} author {_ACTOR} additions deletions changedFiles milestone {{ title }}
    commits {{ totalCount }} comments {{ totalCount }}
    baseRefName headRefName headRepository {{ nameWithOwner }}
"""

COMMIT_FIELDS = """
    oid messageHeadline authoredDate committedDate additions deletions changedFilesIfAvailable
    parents { totalCount }
    author { name email date user { login databaseId } }
    committer { name date user { login } }
"""

FORK_FIELDS = "id databaseId nameWithOwner owner { login } createdAt"

RELEASE_FIELDS = """
    id databaseId tagName name isDraft isPrerelease author { login } createdAt publishedAt
"""

DISCUSSION_COMMENT_FIELDS = f"""
    id databaseId body createdAt updatedAt upvoteCount isAnswer author {_ACTOR}
    replyTo {{ id databaseId }}
"""

DISCUSSION_FIELDS = f"""
    id databaseId number title body createdAt updatedAt closed closedAt upvoteCount
    answerChosenAt answer {{ id databaseId }} category {{ id name slug isAnswerable }}
    author {_ACTOR} comments {{ totalCount }}
"""

# --- single-repository pages ------------------------------------------------------------

ISSUES_QUERY = f"""
query Issues($owner: String!, $name: String!, $first: Int!, $after: String,
             $since: DateTime, $childFirst: Int!) {{
  repository(owner: $owner, name: $name) {{
    issues(first: $first, after: $after, filterBy: {{ since: $since }},
           orderBy: {{ field: UPDATED_AT, direction: ASC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{ {ISSUE_FIELDS} }}
    }}
  }}
}}
"""

PULL_REQUESTS_QUERY = f"""
query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String,
                   $reviewFirst: Int!) {{
  repository(owner: $owner, name: $name) {{
    pullRequests(first: $first, after: $after,
                 orderBy: {{ field: UPDATED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{
        {PULL_REQUEST_FIELDS}
        reviews(first: $reviewFirst) {{ totalCount {_PAGE_FWD} nodes {{ {REVIEW_FIELDS} }} }}
      }}
    }}
  }}
}}
"""

# Same page without the reviews connection: for workspaces that want neither reviews nor
# review comments it halves the cost of a PR page.
PULL_REQUESTS_ONLY_QUERY = f"""
query PullRequestsOnly($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    pullRequests(first: $first, after: $after,
                 orderBy: {{ field: UPDATED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{ {PULL_REQUEST_FIELDS} }}
    }}
  }}
}}
"""

COMMITS_QUERY = f"""
query Commits($owner: String!, $name: String!, $first: Int!, $after: String,
              $since: GitTimestamp, $until: GitTimestamp) {{
  repository(owner: $owner, name: $name) {{
    defaultBranchRef {{
      target {{
        ... on Commit {{
          history(first: $first, after: $after, since: $since, until: $until) {{
            totalCount {_PAGE_FWD}
            nodes {{ {COMMIT_FIELDS} }}
          }}
        }}
      }}
    }}
  }}
}}
"""

STARGAZERS_QUERY = f"""
query Stargazers($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    stargazers(first: $first, after: $after,
               orderBy: {{ field: STARRED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      edges {{ starredAt node {{ id databaseId login }} }}
    }}
  }}
}}
"""

FORKS_QUERY = f"""
query Forks($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    forks(first: $first, after: $after, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{ {FORK_FIELDS} }}
    }}
  }}
}}
"""

RELEASES_QUERY = f"""
query Releases($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    releases(first: $first, after: $after, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{ {RELEASE_FIELDS} }}
    }}
  }}
}}
"""

DISCUSSIONS_QUERY = f"""
query Discussions($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    discussions(first: $first, after: $after,
                orderBy: {{ field: UPDATED_AT, direction: DESC }}) {{
      totalCount {_PAGE_FWD}
      nodes {{ {DISCUSSION_FIELDS} }}
    }}
  }}
}}
"""

# --- overflow of one parent's children, paged through node(id:) ---------------------------

_COMMENTS_PAGE = f"""comments(first: $first, after: $after, {_COMMENT_ORDER}) {{
        totalCount {_PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
      }}"""

# Conversation comments of an issue or a pull request (both are `IssueComment`s).
ISSUE_COMMENTS_PAGE_QUERY = f"""
query IssueCommentsPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on Issue {{ {_COMMENTS_PAGE} }}
    ... on PullRequest {{ {_COMMENTS_PAGE} }}
  }}
}}
"""

ISSUE_EVENTS_PAGE_QUERY = f"""
query IssueEventsPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on Issue {{
      timelineItems(first: $first, after: $after, itemTypes: [{ISSUE_EVENT_TYPES}]) {{
        totalCount {_PAGE_FWD} nodes {{ {TIMELINE_FIELDS} }}
      }}
    }}
  }}
}}
"""

REVIEW_REQUESTS_PAGE_QUERY = f"""
query ReviewRequestsPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on PullRequest {{
      timelineItems(first: $first, after: $after, itemTypes: [{REVIEW_REQUEST_TYPES}]) {{
        totalCount {_PAGE_FWD} nodes {{ {REVIEW_REQUEST_FIELDS} }}
      }}
    }}
  }}
}}
"""

REVIEWS_PAGE_QUERY = f"""
query ReviewsPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on PullRequest {{
      reviews(first: $first, after: $after) {{
        totalCount {_PAGE_FWD} nodes {{ {REVIEW_FIELDS} }}
      }}
    }}
  }}
}}
"""

REVIEW_COMMENTS_PAGE_QUERY = f"""
query ReviewCommentsPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on PullRequestReview {{
      comments(first: $first, after: $after) {{
        totalCount {_PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }}
      }}
    }}
  }}
}}
"""

DISCUSSION_COMMENTS_PAGE_QUERY = f"""
query DiscussionCommentsPage($id: ID!, $first: Int!, $after: String, $replyFirst: Int!) {{
  node(id: $id) {{
    ... on Discussion {{
      comments(first: $first, after: $after) {{
        totalCount {_PAGE_FWD}
        nodes {{
          {DISCUSSION_COMMENT_FIELDS}
          replies(first: $replyFirst) {{
            totalCount {_PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
          }}
        }}
      }}
    }}
  }}
}}
"""

DISCUSSION_REPLIES_PAGE_QUERY = f"""
query DiscussionRepliesPage($id: ID!, $first: Int!, $after: String) {{
  node(id: $id) {{
    ... on DiscussionComment {{
      replies(first: $first, after: $after) {{
        totalCount {_PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
      }}
    }}
  }}
}}
"""

# Backfill ETAs: seven `first: 1` totals cost one point together.
COUNT_ITEMS_QUERY = """
query CountItems($owner: String!, $name: String!, $since: DateTime, $gitSince: GitTimestamp) {
  repository(owner: $owner, name: $name) {
    issues(first: 1, filterBy: { since: $since }) { totalCount }
    pullRequests(first: 1) { totalCount }
    stargazers(first: 1) { totalCount }
    forks(first: 1) { totalCount }
    releases(first: 1) { totalCount }
    discussions(first: 1) { totalCount }
    defaultBranchRef {
      target { ... on Commit { history(first: 1, since: $gitSince) { totalCount } } }
    }
  }
}
"""

# --- built queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeSpec:
    """What the change-detection query asks about one repository."""

    alias: str
    owner: str
    name: str
    #: Resources to probe (a subset of the fetch flags); metadata is always selected.
    resources: frozenset[str]
    #: ISO timestamp the issue probe counts from (None: all issues).
    issues_since: str | None = None
    #: ISO timestamp the commit probe counts from (None: all commits).
    commits_since: str | None = None


#: Items of each leaf connection (commits, stars, forks, releases) the probe carries. A
#: connection without paged children costs one request whatever its size, so a full page
#: here is free, while each follow-up page a busy repository needed cost a point of its own.
PROBE_ITEMS = 100
#: Pull requests the probe carries, without reviews (those come per 100 changed pull
#: requests through `nodes(ids:)`, see `build_nodes_query("pull_request_reviews")`).
PROBE_PULL_REQUESTS = 25
#: Discussions the probe carries (same reason; fewer, since their bodies are large and a
#: day rarely changes more than a handful per repository).
PROBE_DISCUSSIONS = 25


def _literal(value: str) -> str:
    # JSON string syntax is a valid GraphQL string literal and escapes quotes/backslashes.
    return json.dumps(value)


def _probe_selection(spec: ProbeSpec) -> str:
    parts = [REPOSITORY_FIELDS]
    want = spec.resources
    if "issues" in want or "comments" in want:
        since = (
            f", filterBy: {{ since: {_literal(spec.issues_since)} }}" if spec.issues_since else ""
        )
        parts.append(f"issues(first: 1{since}) {{ totalCount }}")
    if {"pull_requests", "reviews", "comments"} & want:
        parts.append(
            f"pullRequests(first: {PROBE_PULL_REQUESTS}, "
            "orderBy: { field: UPDATED_AT, direction: DESC }) "
            f"{{ totalCount {_PAGE_FWD} nodes {{ {PULL_REQUEST_FIELDS} }} }}"
        )
    # The connections below have no paged children, so asking for PROBE_ITEMS items costs
    # what `first: 1` costs: small changes arrive with the probe, no follow-up query.
    n = PROBE_ITEMS
    if "commits" in want:
        since = f", since: {_literal(spec.commits_since)}" if spec.commits_since else ""
        parts.append(
            "defaultBranchRef { target { ... on Commit { "
            f"history(first: {n}{since}) {{ totalCount {_PAGE_FWD} nodes {{ {COMMIT_FIELDS} }} }}"
            " } } }"
        )
    if "stars" in want:
        parts.append(
            f"stargazers(first: {n}, orderBy: {{ field: STARRED_AT, direction: DESC }}) "
            f"{{ totalCount {_PAGE_FWD} edges {{ starredAt node {{ id databaseId login }} }} }}"
        )
    if "forks" in want:
        parts.append(
            f"forks(first: {n}, orderBy: {{ field: CREATED_AT, direction: DESC }}) "
            f"{{ totalCount {_PAGE_FWD} nodes {{ {FORK_FIELDS} }} }}"
        )
    if "releases" in want:
        parts.append(
            f"releases(first: {n}, orderBy: {{ field: CREATED_AT, direction: DESC }}) "
            f"{{ totalCount {_PAGE_FWD} nodes {{ {RELEASE_FIELDS} }} }}"
        )
    if "discussions" in want:
        parts.append(
            "discussionCategories(first: 50) { nodes { id name slug isAnswerable emoji } }"
        )
    if "discussions" in want or "comments" in want:
        parts.append(
            f"discussions(first: {PROBE_DISCUSSIONS}, "
            "orderBy: { field: UPDATED_AT, direction: DESC }) "
            f"{{ totalCount {_PAGE_FWD} nodes {{ {DISCUSSION_FIELDS} }} }}"
        )
    body = "\n    ".join(parts)
    return (
        f"  {spec.alias}: repository(owner: {_literal(spec.owner)}, name: {_literal(spec.name)}) "
        f"{{\n    {body}\n  }}"
    )


def build_probe_query(specs: Sequence[ProbeSpec]) -> str:
    """One aliased query: metadata plus "anything new since the cursor?" for many repositories.

    Each probe is a `first: 1` connection (one request), so ~50 quiet repositories cost
    a few points together; only repositories with changes are paged in full afterwards.
    """
    if not specs:
        raise ValueError("build_probe_query needs at least one repository")
    selections = "\n".join(_probe_selection(s) for s in specs)
    return f"query Probe {{\n{selections}\n  rateLimit {{ cost remaining resetAt }}\n}}"


def build_nodes_query(kind: str, count: int) -> str:
    """Children of up to 100 parents in one request: `nodes(ids: $ids)` with one connection.

    kind: "review_comments" (ids of PullRequestReview) or "discussion_comments" (ids of
    Discussion); pull requests have `build_pull_request_children_query`. `count` sizes
    the per-parent page so the query stays near one point.
    """
    if not 1 <= count <= 100:
        raise ValueError("count must be within 1..100")
    if kind == "review_comments":
        inner = f"""
        ... on PullRequestReview {{
          id
          comments(first: {count}) {{ totalCount {_PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }} }}
        }}"""
    elif kind == "discussion_comments":
        inner = f"""
        ... on Discussion {{
          id
          comments(first: {count}) {{
            totalCount {_PAGE_FWD}
            nodes {{
              {DISCUSSION_COMMENT_FIELDS}
              replies(first: 10) {{
                totalCount {_PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
              }}
            }}
          }}
        }}"""
    else:
        raise ValueError(f"unknown child kind {kind!r}")
    return f"query Children($ids: [ID!]!) {{\n  nodes(ids: $ids) {{ {inner}\n  }}\n}}"


#: Parts of a changed pull request fetched through `nodes(ids:)`: "details" (labels,
#: assignees, closing issue links, review requests), "comments" (conversation), "reviews"
#: (with their comments).
PULL_REQUEST_PARTS = frozenset({"details", "comments", "reviews"})


def build_pull_request_children_query(count: int, parts: frozenset[str]) -> str:
    """What changed pull requests carry beyond their page, 100 PRs per request.

    Under `nodes` only grandchildren multiply: the review comments (by the 20 reviews). The
    leaf connections cost one request each whatever their page size, so they ask for 100:
    with every part it is 26 requests, one point per 100 changed pull requests.
    """
    if not 1 <= count <= 100:
        raise ValueError("count must be within 1..100")
    if not parts or parts - PULL_REQUEST_PARTS:
        raise ValueError(f"parts must be a non-empty subset of {sorted(PULL_REQUEST_PARTS)}")
    selections = ["id"]
    if "details" in parts:
        selections.append(f"""
          labels(first: 100) {{ totalCount nodes {{ name color }} }}
          assignees(first: 100) {{ totalCount nodes {{ login }} }}
          closingIssuesReferences(first: 100) {{
            totalCount nodes {{ id databaseId number repository {{ nameWithOwner }} }}
          }}
          timelineItems(first: 100, itemTypes: [{REVIEW_REQUEST_TYPES}]) {{
            totalCount {_PAGE_FWD} nodes {{ {REVIEW_REQUEST_FIELDS} }}
          }}""")
    if "comments" in parts:
        selections.append(f"""
          comments(first: 100, {_COMMENT_ORDER}) {{
            totalCount {_PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
          }}""")
    if "reviews" in parts:
        selections.append(f"""
          reviews(first: 20) {{
            totalCount {_PAGE_FWD}
            nodes {{
              {REVIEW_FIELDS_BASE}
              comments(first: {count}) {{
                totalCount {_PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }}
              }}
            }}
          }}""")
    inner = "\n".join(selections)
    return (
        "query PullRequestChildren($ids: [ID!]!) {\n"
        f"  nodes(ids: $ids) {{ ... on PullRequest {{ {inner}\n  }} }}\n}}"
    )


_ALL_PROBE = ProbeSpec(
    alias="r0",
    owner="octo",
    name="demo",
    resources=frozenset(
        {"issues", "pull_requests", "commits", "stars", "forks", "releases", "discussions"}
    ),
    issues_since="2024-01-01T00:00:00Z",
    commits_since="2024-01-01T00:00:00Z",
)

__all_queries__ = [
    (build_probe_query, ([_ALL_PROBE, ProbeSpec("r1", "octo", "quiet", frozenset())],)),
    (build_nodes_query, ("review_comments", 100)),
    (build_pull_request_children_query, (50, PULL_REQUEST_PARTS)),
    (build_pull_request_children_query, (50, frozenset({"details"}))),
    (build_pull_request_children_query, (50, frozenset({"reviews"}))),
    (build_nodes_query, ("discussion_comments", 100)),
]
