"""Selection snippets the GraphQL texts of `queries.py` and `probe_query.py` share
(Python-level reuse, not GraphQL fragments: GitHub's cost and the fidelity kit read the
texts as sent)."""

from __future__ import annotations

# `avatarUrl` is a scalar of the Actor interface: free (no connection), and where the
# contributor marts take avatars from (the `actors` raw table).
ACTOR = "{ __typename login avatarUrl }"
AUTHOR_WITH_ID = (
    "{ __typename login avatarUrl ... on User { databaseId } ... on Bot { databaseId } }"
)
PAGE_FWD = "pageInfo { hasNextPage endCursor }"

#: Repository metadata, carried by every probe. `languages` is one connection (one request,
#: whatever `first`, as it has no paged children): all of a repository's languages with
#: their bytes, so a share is exact against `totalSize`.
REPOSITORY_FIELDS = """
    id databaseId name nameWithOwner url description homepageUrl
    owner { login avatarUrl } primaryLanguage { name }
    repositoryTopics(first: 20) { nodes { topic { name } } }
    stargazerCount forkCount watchers { totalCount }
    isArchived isFork isPrivate hasDiscussionsEnabled createdAt updatedAt pushedAt
    defaultBranchRef { name }
    languages(first: 100, orderBy: { field: SIZE, direction: DESC }) {
        totalSize edges { size node { name color } }
    }
"""

ISSUE_COMMENT_FIELDS = f"""
    id databaseId body createdAt updatedAt author {ACTOR} reactions {{ totalCount }}
"""

# The issue or pull request an event points at (a reference's source, a duplicate's
# canonical issue), wherever it lives.
SUBJECT = (  # one line: each event of TIMELINE_FIELDS stays on a line of its own
    "{ __typename ... on Issue { id number repository { nameWithOwner } }"
    " ... on PullRequest { id number repository { nameWithOwner } } }"
)
ASSIGNEE = "{ __typename ... on User { login } ... on Bot { login } ... on Organization { login } }"
EVENT = f"id createdAt actor {ACTOR}"

#: Issue timeline item types loaded into `issue_events` (docs/raw_schema.md).
ISSUE_EVENT_TYPES = (
    "ASSIGNED_EVENT, CLOSED_EVENT, CONNECTED_EVENT, CROSS_REFERENCED_EVENT, "
    "DEMILESTONED_EVENT, DISCONNECTED_EVENT, LABELED_EVENT, MARKED_AS_DUPLICATE_EVENT, "
    "MILESTONED_EVENT, REOPENED_EVENT, UNASSIGNED_EVENT, UNLABELED_EVENT, "
    "UNMARKED_AS_DUPLICATE_EVENT"
)

TIMELINE_FIELDS = f"""
    __typename
    ... on ClosedEvent {{ {EVENT} }}
    ... on ReopenedEvent {{ {EVENT} }}
    ... on LabeledEvent {{ {EVENT} label {{ name }} }}
    ... on UnlabeledEvent {{ {EVENT} label {{ name }} }}
    ... on AssignedEvent {{ {EVENT} assignee {ASSIGNEE} }}
    ... on UnassignedEvent {{ {EVENT} assignee {ASSIGNEE} }}
    ... on MilestonedEvent {{ {EVENT} milestoneTitle }}
    ... on DemilestonedEvent {{ {EVENT} milestoneTitle }}
    ... on CrossReferencedEvent {{ {EVENT} source {SUBJECT} }}
    ... on ConnectedEvent {{ {EVENT} source {SUBJECT} subject {SUBJECT} }}
    ... on DisconnectedEvent {{ {EVENT} source {SUBJECT} subject {SUBJECT} }}
    ... on MarkedAsDuplicateEvent {{ {EVENT} canonical {SUBJECT} }}
    ... on UnmarkedAsDuplicateEvent {{ {EVENT} canonical {SUBJECT} }}
"""

REVIEWER = "{ __typename ... on User { login } ... on Bot { login } ... on Team { combinedSlug } }"
REVIEW_REQUEST_FIELDS = f"""
    __typename
    ... on ReviewRequestedEvent {{ {EVENT} requestedReviewer {REVIEWER} }}
    ... on ReviewRequestRemovedEvent {{ {EVENT} requestedReviewer {REVIEWER} }}
"""
REVIEW_REQUEST_TYPES = "REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT"

#: Conversation comments newest-updated first: a reader stops at its cursor and still sees
#: an old comment edited since (creation order would hide it behind the newer ones).
COMMENT_ORDER = "orderBy: { field: UPDATED_AT, direction: DESC }"

ISSUE_FIELDS = f"""
    id databaseId number title body state stateReason locked createdAt updatedAt closedAt
    author {AUTHOR_WITH_ID}
    assignees(first: 10) {{ nodes {{ login }} }}
    milestone {{ title }}
    labels(first: 20) {{ totalCount nodes {{ name color }} }}
    reactions {{ totalCount }}
    comments(first: $childFirst, {COMMENT_ORDER}) {{
        totalCount {PAGE_FWD} nodes {{ {ISSUE_COMMENT_FIELDS} }}
    }}
    timelineItems(first: 50, itemTypes: [{ISSUE_EVENT_TYPES}]) {{
        totalCount {PAGE_FWD} nodes {{ {TIMELINE_FIELDS} }}
    }}
"""

REVIEW_FIELDS_BASE = f"""
    id databaseId state body submittedAt createdAt author {ACTOR}
"""

REVIEW_FIELDS = f"""
    {REVIEW_FIELDS_BASE}
    comments {{ totalCount }}
"""

REVIEW_COMMENT_FIELDS = f"""
    id databaseId body path createdAt updatedAt author {ACTOR}
    pullRequestReview {{ databaseId }}
"""

PULL_REQUEST_FIELDS = f"""
    id databaseId number title body state isDraft createdAt updatedAt closedAt mergedAt
    mergedBy {{ login }} author {ACTOR} additions deletions changedFiles milestone {{ title }}
    commits {{ totalCount }} comments {{ totalCount }}
    baseRefName headRefName headRepository {{ nameWithOwner }}
"""

COMMIT_FIELDS = """
    oid messageHeadline authoredDate committedDate additions deletions changedFilesIfAvailable
    parents { totalCount }
    author { name email date user { login databaseId avatarUrl } }
    committer { name date user { login } }
"""

FORK_FIELDS = "id databaseId nameWithOwner owner { login } createdAt"

RELEASE_FIELDS = """
    id databaseId tagName name isDraft isPrerelease author { login } createdAt publishedAt
"""

DISCUSSION_COMMENT_FIELDS = f"""
    id databaseId body createdAt updatedAt upvoteCount isAnswer author {ACTOR}
    replyTo {{ id databaseId }}
"""

DISCUSSION_FIELDS = f"""
    id databaseId number title body createdAt updatedAt closed closedAt upvoteCount
    answerChosenAt answer {{ id databaseId }} category {{ id name slug isAnswerable }}
    author {ACTOR} comments {{ totalCount }}
"""
