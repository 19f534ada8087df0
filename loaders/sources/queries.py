"""Every GraphQL text the loaders send (validated against GitHub's schema by the fidelity tests).

Cost shapes the selections: GitHub charges for connections by the product of their
ancestors' page sizes, so nested connections stay small (`$childFirst`) and their overflow
is paged separately through `node(id:)`/`nodes(ids:)`. Connections asked only for
`totalCount` (no `first`/`last`) are free.

Fixed texts are module constants; the aliased change-detection query (`probe_query.py`) and
the `nodes(ids:)` child batches are built by functions listed in `__all_queries__`. The
selections they share live in `selections.py`.
"""

from __future__ import annotations

from loaders.sources.probe_query import ProbeSpec, build_probe_query
from loaders.sources.selections import (
    COMMENT_ORDER,
    COMMIT_FIELDS,
    DISCUSSION_COMMENT_FIELDS,
    DISCUSSION_FIELDS,
    FORK_FIELDS,
    ISSUE_COMMENT_FIELDS,
    ISSUE_EVENT_TYPES,
    ISSUE_FIELDS,
    PAGE_FWD,
    PULL_REQUEST_FIELDS,
    RELEASE_FIELDS,
    REVIEW_COMMENT_FIELDS,
    REVIEW_FIELDS,
    REVIEW_FIELDS_BASE,
    REVIEW_REQUEST_FIELDS,
    REVIEW_REQUEST_TYPES,
    TIMELINE_FIELDS,
)

# --- single-repository pages ------------------------------------------------------------

ISSUES_QUERY = f"""
query Issues($owner: String!, $name: String!, $first: Int!, $after: String,
             $since: DateTime, $childFirst: Int!) {{
  repository(owner: $owner, name: $name) {{
    issues(first: $first, after: $after, filterBy: {{ since: $since }},
           orderBy: {{ field: UPDATED_AT, direction: ASC }}) {{
      totalCount {PAGE_FWD}
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
      totalCount {PAGE_FWD}
      nodes {{
        {PULL_REQUEST_FIELDS}
        reviews(first: $reviewFirst) {{ totalCount {PAGE_FWD} nodes {{ {REVIEW_FIELDS} }} }}
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
      totalCount {PAGE_FWD}
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
            totalCount {PAGE_FWD}
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
      totalCount {PAGE_FWD}
      edges {{ starredAt node {{ id databaseId login }} }}
    }}
  }}
}}
"""

FORKS_QUERY = f"""
query Forks($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    forks(first: $first, after: $after, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
      totalCount {PAGE_FWD}
      nodes {{ {FORK_FIELDS} }}
    }}
  }}
}}
"""

RELEASES_QUERY = f"""
query Releases($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    releases(first: $first, after: $after, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
      totalCount {PAGE_FWD}
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
      totalCount {PAGE_FWD}
      nodes {{ {DISCUSSION_FIELDS} }}
    }}
  }}
}}
"""

# --- overflow of one parent's children, paged through node(id:) ---------------------------

_COMMENTS_PAGE = f"""comments(first: $first, after: $after, {COMMENT_ORDER}) {{
        totalCount {PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
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
        totalCount {PAGE_FWD} nodes {{ {TIMELINE_FIELDS} }}
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
        totalCount {PAGE_FWD} nodes {{ {REVIEW_REQUEST_FIELDS} }}
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
        totalCount {PAGE_FWD} nodes {{ {REVIEW_FIELDS} }}
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
        totalCount {PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }}
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
        totalCount {PAGE_FWD}
        nodes {{
          {DISCUSSION_COMMENT_FIELDS}
          replies(first: $replyFirst) {{
            totalCount {PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
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
        totalCount {PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
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
          comments(first: {count}) {{ totalCount {PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }} }}
        }}"""
    elif kind == "discussion_comments":
        inner = f"""
        ... on Discussion {{
          id
          comments(first: {count}) {{
            totalCount {PAGE_FWD}
            nodes {{
              {DISCUSSION_COMMENT_FIELDS}
              replies(first: 10) {{
                totalCount {PAGE_FWD} nodes {{ {DISCUSSION_COMMENT_FIELDS} }}
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
            totalCount {PAGE_FWD} nodes {{ {REVIEW_REQUEST_FIELDS} }}
          }}""")
    if "comments" in parts:
        selections.append(f"""
          comments(first: 100, {COMMENT_ORDER}) {{
            totalCount {PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
          }}""")
    if "reviews" in parts:
        selections.append(f"""
          reviews(first: 20) {{
            totalCount {PAGE_FWD}
            nodes {{
              {REVIEW_FIELDS_BASE}
              comments(first: {count}) {{
                totalCount {PAGE_FWD} nodes {{ {REVIEW_COMMENT_FIELDS} }}
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
