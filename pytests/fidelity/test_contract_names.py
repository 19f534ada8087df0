"""Every GraphQL name in docs/github_api_subset.md exists in GitHub's real schema.

The contract is prose, so rather than parse it, this module spells the whole subset
out as GraphQL documents (one per root entry point) and validates them against the
published schema. A typo in the contract, or a field GitHub renamed, fails here with
graphql-core's message naming the field and type.
"""

from __future__ import annotations

import re

import pytest
from graphql import GraphQLSchema, parse, validate

from .schema_checks import ACCEPTED_DEPRECATIONS, deprecated_usages

# Shared pieces of the subset, in the order the contract lists them.
_FRAGMENTS = """
fragment PageInfoFields on PageInfo { hasNextPage endCursor hasPreviousPage startCursor }

fragment CommitFields on Commit {
  oid messageHeadline authoredDate committedDate additions deletions changedFilesIfAvailable
  parents { totalCount }
  author { name email date user { login databaseId } }
  committer { name date user { login } }
}

fragment IssueCommentFields on IssueComment {
  id databaseId body createdAt updatedAt
  author { __typename login }
  reactions { totalCount }
  issue { databaseId }
}

fragment IssueFields on Issue {
  id databaseId number title body state stateReason locked createdAt updatedAt closedAt
  author { __typename login ... on User { databaseId } ... on Bot { databaseId } }
  assignees(first: 10) { nodes { login } }
  milestone { title }
  labels(first: 20) { totalCount nodes { name color } }
  reactions { totalCount }
  comments(first: 10, after: $after) {
    totalCount pageInfo { ...PageInfoFields } nodes { ...IssueCommentFields }
    edges { cursor node { id } }
  }
  tail: comments(last: 10, before: $before) { totalCount }
  timelineItems(first: 50, after: $after, itemTypes: [CLOSED_EVENT, REOPENED_EVENT]) {
    totalCount pageInfo { ...PageInfoFields }
    nodes {
      __typename
      ... on ClosedEvent { id createdAt actor { __typename login } }
      ... on ReopenedEvent { id createdAt actor { __typename login } }
    }
  }
}

fragment ReviewCommentFields on PullRequestReviewComment {
  id databaseId body path createdAt updatedAt
  author { __typename login }
  pullRequestReview { databaseId }
  pullRequest { databaseId }
}

fragment ReviewFields on PullRequestReview {
  id databaseId state body submittedAt createdAt
  author { __typename login }
  pullRequest { databaseId }
  comments(first: 50, after: $after) {
    totalCount pageInfo { ...PageInfoFields } nodes { ...ReviewCommentFields }
  }
}

fragment PullRequestFields on PullRequest {
  id databaseId number title body state isDraft createdAt updatedAt closedAt mergedAt
  mergedBy { login }
  author { __typename login }
  additions deletions changedFiles
  commits { totalCount }
  comments { totalCount }
  baseRefName headRefName
  headRepository { nameWithOwner }
  reviews(first: 50, after: $after) {
    totalCount pageInfo { ...PageInfoFields } nodes { ...ReviewFields }
  }
}

fragment DiscussionCommentFields on DiscussionComment {
  id databaseId body createdAt updatedAt upvoteCount isAnswer
  author { __typename login }
  replyTo { id databaseId }
  discussion { databaseId }
}

fragment DiscussionFields on Discussion {
  id databaseId number title body createdAt updatedAt closed closedAt upvoteCount
  answerChosenAt
  answer { id databaseId }
  category { id name slug isAnswerable }
  author { __typename login }
  comments(first: 20, after: $after) {
    totalCount pageInfo { ...PageInfoFields }
    nodes {
      ...DiscussionCommentFields
      replies(first: 20, after: $after) {
        totalCount pageInfo { ...PageInfoFields } nodes { ...DiscussionCommentFields }
      }
      lastReplies: replies(last: 20, before: $before) { totalCount }
    }
  }
  tail: comments(last: 20, before: $before) { totalCount }
}
"""

_REPOSITORY_QUERY = """
query Subset(
  $owner: String!, $name: String!, $after: String, $before: String,
  $since: DateTime, $until: GitTimestamp, $historySince: GitTimestamp
) {
  rateLimit(dryRun: true) { limit cost remaining used resetAt nodeCount }
  repository(owner: $owner, name: $name, followRenames: true) {
    id databaseId name nameWithOwner url description homepageUrl
    owner { login avatarUrl }
    primaryLanguage { name }
    repositoryTopics(first: 20) { nodes { topic { name } } }
    stargazerCount forkCount
    watchers { totalCount }
    isArchived isFork isPrivate hasDiscussionsEnabled createdAt updatedAt pushedAt
    defaultBranchRef {
      name
      target {
        ... on Commit {
          history(first: 100, after: $after, since: $historySince, until: $until) {
            totalCount pageInfo { ...PageInfoFields } nodes { ...CommitFields }
          }
        }
      }
    }
    issues(
      first: 100, after: $after, filterBy: { since: $since },
      orderBy: { field: UPDATED_AT, direction: ASC }, states: [OPEN, CLOSED]
    ) { totalCount pageInfo { ...PageInfoFields } nodes { ...IssueFields } }
    issuesByCreation: issues(
      last: 100, before: $before, orderBy: { field: CREATED_AT, direction: DESC }
    ) { totalCount }
    pullRequests(
      first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC },
      states: [OPEN, CLOSED, MERGED]
    ) { totalCount pageInfo { ...PageInfoFields } nodes { ...PullRequestFields } }
    pullRequestsByCreation: pullRequests(
      last: 100, before: $before, orderBy: { field: CREATED_AT, direction: ASC }
    ) { totalCount }
    stargazers(first: 100, after: $after, orderBy: { field: STARRED_AT, direction: ASC }) {
      totalCount pageInfo { ...PageInfoFields }
      edges { cursor starredAt node { id databaseId login } }
    }
    forks(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount pageInfo { ...PageInfoFields }
      nodes { id databaseId nameWithOwner owner { login } createdAt }
    }
    releases(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount pageInfo { ...PageInfoFields }
      nodes {
        id databaseId tagName name isDraft isPrerelease author { login } createdAt publishedAt
      }
    }
    discussions(first: 50, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount pageInfo { ...PageInfoFields } nodes { ...DiscussionFields }
    }
    discussionsByCreation: discussions(
      first: 50, orderBy: { field: CREATED_AT, direction: ASC }
    ) { totalCount }
    discussionCategories(first: 25) { nodes { id name slug isAnswerable emoji } }
  }
}
"""

# Children of changed parents are fetched by node id (see ARCHITECTURE.md). One query per
# node type: Issue.state, PullRequest.state and PullRequestReview.state have different
# enum types, so GraphQL rejects them side by side in one selection without aliases.
_NODES_QUERY = """
query SubsetNodes($ids: [ID!]!, $id: ID!%(cursors)s) {
  rateLimit { limit cost remaining used resetAt nodeCount }
  node(id: $id) { __typename id }
  nodes(ids: $ids) { __typename ... on %(type)s { ...%(fragment)s } }
}
"""

_NODE_TYPES = {
    "Issue": "IssueFields",
    "IssueComment": "IssueCommentFields",
    "PullRequest": "PullRequestFields",
    "PullRequestReview": "ReviewFields",
    "PullRequestReviewComment": "ReviewCommentFields",
    "Discussion": "DiscussionFields",
    "DiscussionComment": "DiscussionCommentFields",
}


def _fragment_texts() -> dict[str, str]:
    chunks = ["fragment" + c for c in _FRAGMENTS.split("\nfragment")[1:]]
    return {re.match(r"fragment (\w+)", c)[1]: c for c in chunks}


def with_fragments(query: str) -> str:
    """`query` plus exactly the fragments it spreads, transitively (unused ones are errors)."""
    fragments = _fragment_texts()
    text, seen = query, set()
    while True:
        wanted = set(re.findall(r"\.\.\.(\w+)", text)) & fragments.keys()
        if wanted <= seen:
            return text
        for name in sorted(wanted - seen):
            text += "\n" + fragments[name]
        seen |= wanted


def _nodes_document(type_name: str, fragment: str) -> str:
    body = with_fragments(_NODES_QUERY % {"type": type_name, "fragment": fragment, "cursors": "%s"})
    # Declare only the cursor variables the spread fragments use (unused ones are errors).
    cursors = "".join(
        f", ${v}: String" for v in ("after", "before") if re.search(rf"\${v}\b", body)
    )
    return body % cursors


CONTRACT_DOCUMENTS = {
    "repository": with_fragments(_REPOSITORY_QUERY),
    **{f"nodes:{t}": _nodes_document(t, f) for t, f in _NODE_TYPES.items()},
}


@pytest.mark.parametrize("name", sorted(CONTRACT_DOCUMENTS))
def test_contract_subset_is_valid_against_real_schema(real_schema: GraphQLSchema, name: str):
    document = parse(CONTRACT_DOCUMENTS[name])
    errors = validate(real_schema, document)
    assert not errors, f"{name}: " + "\n".join(e.message for e in errors)


def test_validation_catches_a_wrong_name(real_schema: GraphQLSchema):
    # Guards the guard: a misspelt field must be reported, or the test above proves nothing.
    bad = CONTRACT_DOCUMENTS["repository"].replace("stargazerCount", "stargazersCount", 1)
    messages = [e.message for e in validate(real_schema, parse(bad))]
    assert any("stargazersCount" in m for m in messages), messages


def test_contract_uses_no_unexpected_deprecated_names(real_schema: GraphQLSchema):
    used: dict[str, str] = {}
    for text in CONTRACT_DOCUMENTS.values():
        used |= {d.where: d.reason for d in deprecated_usages(real_schema, parse(text))}
    unexpected = {k: v for k, v in used.items() if k not in ACCEPTED_DEPRECATIONS}
    assert not unexpected, "contract uses deprecated GitHub names:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(unexpected.items())
    )
    assert used.keys() >= ACCEPTED_DEPRECATIONS, (
        f"no longer deprecated: {ACCEPTED_DEPRECATIONS - used.keys()}"
    )
