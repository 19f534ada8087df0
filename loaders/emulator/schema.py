"""The GraphQL schema subset the emulator serves (see docs/github_api_subset.md).

Every type, field, argument and enum name here exists in GitHub's public schema
(`@octokit/graphql-schema`); only the subset is smaller. `SDL` is the source of truth;
`build_github_schema()` returns it as a graphql-core schema with abstract types wired.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLSchema, build_schema

_PAGE = "after: String, before: String, first: Int, last: Int"

SDL = f"""
scalar DateTime
scalar URI
scalar GitObjectID
scalar GitTimestamp
scalar HTML

enum OrderDirection {{ ASC DESC }}
enum IssueState {{ OPEN CLOSED }}
enum IssueStateReason {{ COMPLETED NOT_PLANNED REOPENED DUPLICATE }}
enum PullRequestState {{ OPEN CLOSED MERGED }}
enum PullRequestReviewState {{ PENDING COMMENTED APPROVED CHANGES_REQUESTED DISMISSED }}
enum IssueOrderField {{ CREATED_AT UPDATED_AT COMMENTS }}
enum StarOrderField {{ STARRED_AT }}
enum LanguageOrderField {{ SIZE }}
enum RepositoryOrderField {{ CREATED_AT UPDATED_AT PUSHED_AT NAME STARGAZERS }}
enum ReleaseOrderField {{ CREATED_AT NAME }}
enum DiscussionOrderField {{ CREATED_AT UPDATED_AT }}
enum IssueTimelineItemsItemType {{
  ASSIGNED_EVENT CLOSED_EVENT CONNECTED_EVENT CROSS_REFERENCED_EVENT DEMILESTONED_EVENT
  DISCONNECTED_EVENT LABELED_EVENT MARKED_AS_DUPLICATE_EVENT MILESTONED_EVENT REOPENED_EVENT
  UNASSIGNED_EVENT UNLABELED_EVENT UNMARKED_AS_DUPLICATE_EVENT
}}
enum PullRequestTimelineItemsItemType {{
  ASSIGNED_EVENT CLOSED_EVENT CONNECTED_EVENT CROSS_REFERENCED_EVENT DEMILESTONED_EVENT
  DISCONNECTED_EVENT LABELED_EVENT MARKED_AS_DUPLICATE_EVENT MILESTONED_EVENT REOPENED_EVENT
  UNASSIGNED_EVENT UNLABELED_EVENT UNMARKED_AS_DUPLICATE_EVENT
  REVIEW_REQUESTED_EVENT REVIEW_REQUEST_REMOVED_EVENT
}}
enum IssueCommentOrderField {{ UPDATED_AT }}
enum CommentAuthorAssociation {{
  COLLABORATOR CONTRIBUTOR FIRST_TIMER FIRST_TIME_CONTRIBUTOR MANNEQUIN MEMBER NONE OWNER
}}
enum ReactionContent {{ CONFUSED EYES HEART HOORAY LAUGH ROCKET THUMBS_DOWN THUMBS_UP }}
enum LockReason {{ OFF_TOPIC RESOLVED SPAM TOO_HEATED }}

input IssueOrder {{ field: IssueOrderField! direction: OrderDirection! }}
input StarOrder {{ field: StarOrderField! direction: OrderDirection! }}
input LanguageOrder {{ field: LanguageOrderField! direction: OrderDirection! }}
input RepositoryOrder {{ field: RepositoryOrderField! direction: OrderDirection! }}
input ReleaseOrder {{ field: ReleaseOrderField! direction: OrderDirection! }}
input DiscussionOrder {{ field: DiscussionOrderField! direction: OrderDirection! }}
input IssueFilters {{ since: DateTime states: [IssueState!] }}
input IssueCommentOrder {{ field: IssueCommentOrderField! direction: OrderDirection! }}

interface Node {{ id: ID! }}
interface Actor {{ avatarUrl(size: Int): URI! login: String! url: URI! }}
interface RepositoryOwner {{ avatarUrl(size: Int): URI! id: ID! login: String! url: URI! }}
interface GitObject {{ abbreviatedOid: String! id: ID! oid: GitObjectID! }}

type PageInfo {{
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}}

type RateLimit {{
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}}

type Query {{
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  rateLimit(dryRun: Boolean = false): RateLimit
  repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
}}

type User implements Node & Actor & RepositoryOwner {{
  avatarUrl(size: Int): URI!
  databaseId: Int
  id: ID!
  isSiteAdmin: Boolean!
  login: String!
  name: String
  url: URI!
}}

type Bot implements Node & Actor {{
  avatarUrl(size: Int): URI!
  databaseId: Int
  id: ID!
  login: String!
  url: URI!
}}

type Organization implements Node & Actor & RepositoryOwner {{
  avatarUrl(size: Int): URI!
  databaseId: Int
  id: ID!
  login: String!
  name: String
  url: URI!
}}

type Language implements Node {{ color: String id: ID! name: String! }}
type Topic implements Node {{ id: ID! name: String! }}
type RepositoryTopic implements Node {{ id: ID! topic: Topic! url: URI! }}
type Milestone implements Node {{ id: ID! number: Int! title: String! }}
type Label implements Node {{
  color: String!
  createdAt: DateTime
  description: String
  id: ID!
  isDefault: Boolean!
  name: String!
  resourcePath: URI!
  updatedAt: DateTime
  url: URI!
}}
type Ref implements Node {{ id: ID! name: String! prefix: String! target: GitObject }}

type GitActor {{
  avatarUrl(size: Int): URI!
  date: GitTimestamp
  email: String
  name: String
  user: User
}}

type Repository implements Node {{
  createdAt: DateTime!
  databaseId: Int
  defaultBranchRef: Ref
  description: String
  discussionCategories({_PAGE}): DiscussionCategoryConnection!
  discussions({_PAGE}, orderBy: DiscussionOrder): DiscussionConnection!
  forkCount: Int!
  forks({_PAGE}, orderBy: RepositoryOrder): RepositoryConnection!
  hasDiscussionsEnabled: Boolean!
  homepageUrl: URI
  id: ID!
  isArchived: Boolean!
  isFork: Boolean!
  isPrivate: Boolean!
  issues({_PAGE}, filterBy: IssueFilters, orderBy: IssueOrder,
    states: [IssueState!]): IssueConnection!
  languages({_PAGE}, orderBy: LanguageOrder): LanguageConnection
  name: String!
  nameWithOwner: String!
  owner: RepositoryOwner!
  discussion(number: Int!): Discussion
  primaryLanguage: Language
  pullRequest(number: Int!): PullRequest
  pullRequests({_PAGE}, orderBy: IssueOrder, states: [PullRequestState!]): PullRequestConnection!
  pushedAt: DateTime
  releases({_PAGE}, orderBy: ReleaseOrder): ReleaseConnection!
  repositoryTopics({_PAGE}): RepositoryTopicConnection!
  stargazerCount: Int!
  stargazers({_PAGE}, orderBy: StarOrder): StargazerConnection!
  updatedAt: DateTime!
  url: URI!
  watchers({_PAGE}): UserConnection!
}}

type Issue implements Node {{
  assignees({_PAGE}): UserConnection!
  author: Actor
  body: String!
  closedAt: DateTime
  closedByPullRequestsReferences({_PAGE}, includeClosedPrs: Boolean = false,
    orderByState: Boolean = false, userLinkedOnly: Boolean = false): PullRequestConnection
  comments({_PAGE}, orderBy: IssueCommentOrder): IssueCommentConnection!
  createdAt: DateTime!
  databaseId: Int
  id: ID!
  labels({_PAGE}): LabelConnection
  locked: Boolean!
  milestone: Milestone
  number: Int!
  reactions({_PAGE}): ReactionConnection!
  repository: Repository!
  state: IssueState!
  stateReason: IssueStateReason
  timelineItems({_PAGE}, itemTypes: [IssueTimelineItemsItemType!],
    since: DateTime): IssueTimelineItemsConnection!
  title: String!
  updatedAt: DateTime!
  url: URI!
}}

type IssueComment implements Node {{
  author: Actor
  body: String!
  createdAt: DateTime!
  databaseId: Int
  id: ID!
  issue: Issue!
  pullRequest: PullRequest
  reactions({_PAGE}): ReactionConnection!
  updatedAt: DateTime!
  url: URI!
}}

type ClosedEvent implements Node {{
  actor: Actor
  createdAt: DateTime!
  id: ID!
  stateReason: IssueStateReason
}}

type ReopenedEvent implements Node {{ actor: Actor createdAt: DateTime! id: ID! }}
type LabeledEvent implements Node {{ actor: Actor createdAt: DateTime! id: ID! label: Label! }}
type UnlabeledEvent implements Node {{ actor: Actor createdAt: DateTime! id: ID! label: Label! }}
type AssignedEvent implements Node {{
  actor: Actor assignee: Assignee createdAt: DateTime! id: ID!
}}
type UnassignedEvent implements Node {{
  actor: Actor assignee: Assignee createdAt: DateTime! id: ID!
}}
type MilestonedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! milestoneTitle: String!
}}
type DemilestonedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! milestoneTitle: String!
}}
type CrossReferencedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! isCrossRepository: Boolean!
  referencedAt: DateTime! source: ReferencedSubject! target: ReferencedSubject!
  willCloseTarget: Boolean!
}}
type ConnectedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! isCrossRepository: Boolean!
  source: ReferencedSubject! subject: ReferencedSubject!
}}
type DisconnectedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! isCrossRepository: Boolean!
  source: ReferencedSubject! subject: ReferencedSubject!
}}
type MarkedAsDuplicateEvent implements Node {{
  actor: Actor canonical: IssueOrPullRequest createdAt: DateTime!
  duplicate: IssueOrPullRequest id: ID! isCrossRepository: Boolean!
}}
type UnmarkedAsDuplicateEvent implements Node {{
  actor: Actor canonical: IssueOrPullRequest createdAt: DateTime!
  duplicate: IssueOrPullRequest id: ID! isCrossRepository: Boolean!
}}
type ReviewRequestedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! pullRequest: PullRequest!
  requestedReviewer: RequestedReviewer
}}
type ReviewRequestRemovedEvent implements Node {{
  actor: Actor createdAt: DateTime! id: ID! pullRequest: PullRequest!
  requestedReviewer: RequestedReviewer
}}
type Team implements Node {{
  combinedSlug: String! databaseId: Int id: ID! name: String! organization: Organization!
  slug: String!
}}

union Assignee = Bot | Organization | User
union RequestedReviewer = Bot | Team | User
union ReferencedSubject = Issue | PullRequest
union IssueOrPullRequest = Issue | PullRequest
union IssueTimelineItems = AssignedEvent | ClosedEvent | ConnectedEvent | CrossReferencedEvent
  | DemilestonedEvent | DisconnectedEvent | LabeledEvent | MarkedAsDuplicateEvent
  | MilestonedEvent | ReopenedEvent | UnassignedEvent | UnlabeledEvent | UnmarkedAsDuplicateEvent
union PullRequestTimelineItems = AssignedEvent | ClosedEvent | ConnectedEvent
  | CrossReferencedEvent | DemilestonedEvent | DisconnectedEvent | LabeledEvent
  | MarkedAsDuplicateEvent | MilestonedEvent | ReopenedEvent | ReviewRequestRemovedEvent
  | ReviewRequestedEvent | UnassignedEvent | UnlabeledEvent | UnmarkedAsDuplicateEvent

type PullRequest implements Node {{
  additions: Int!
  assignees({_PAGE}): UserConnection!
  author: Actor
  baseRefName: String!
  body: String!
  changedFiles: Int!
  closedAt: DateTime
  closingIssuesReferences({_PAGE}, orderBy: IssueOrder,
    userLinkedOnly: Boolean = false): IssueConnection
  comments({_PAGE}, orderBy: IssueCommentOrder): IssueCommentConnection!
  commits({_PAGE}): PullRequestCommitConnection!
  createdAt: DateTime!
  databaseId: Int
  deletions: Int!
  headRefName: String!
  headRepository: Repository
  id: ID!
  isDraft: Boolean!
  labels({_PAGE}): LabelConnection
  mergedAt: DateTime
  mergedBy: Actor
  milestone: Milestone
  number: Int!
  repository: Repository!
  reviews({_PAGE}, states: [PullRequestReviewState!]): PullRequestReviewConnection
  state: PullRequestState!
  timelineItems({_PAGE}, itemTypes: [PullRequestTimelineItemsItemType!],
    since: DateTime): PullRequestTimelineItemsConnection!
  title: String!
  updatedAt: DateTime!
  url: URI!
}}

type PullRequestReview implements Node {{
  author: Actor
  authorAssociation: CommentAuthorAssociation!
  body: String!
  comments({_PAGE}): PullRequestReviewCommentConnection!
  commit: Commit
  createdAt: DateTime!
  databaseId: Int
  id: ID!
  pullRequest: PullRequest!
  state: PullRequestReviewState!
  submittedAt: DateTime
  updatedAt: DateTime!
  url: URI!
}}

type PullRequestReviewComment implements Node {{
  author: Actor
  body: String!
  createdAt: DateTime!
  databaseId: Int
  id: ID!
  path: String!
  pullRequest: PullRequest!
  pullRequestReview: PullRequestReview
  updatedAt: DateTime!
  url: URI!
}}

type Commit implements Node & GitObject {{
  abbreviatedOid: String!
  additions: Int!
  author: GitActor
  authoredDate: DateTime!
  changedFilesIfAvailable: Int
  committedDate: DateTime!
  committer: GitActor
  deletions: Int!
  history({_PAGE}, since: GitTimestamp, until: GitTimestamp): CommitHistoryConnection!
  id: ID!
  message: String!
  messageHeadline: String!
  oid: GitObjectID!
  parents({_PAGE}): CommitConnection!
  url: URI!
}}

type Release implements Node {{
  author: User
  createdAt: DateTime!
  databaseId: Int
  description: String
  descriptionHTML: HTML
  id: ID!
  isDraft: Boolean!
  isPrerelease: Boolean!
  mentions({_PAGE}): UserConnection
  name: String
  publishedAt: DateTime
  reactionGroups: [ReactionGroup!]
  releaseAssets({_PAGE}, name: String): ReleaseAssetConnection!
  tagCommit: Commit
  tagName: String!
  updatedAt: DateTime!
  url: URI!
}}

type ReleaseAsset implements Node {{
  contentType: String!
  createdAt: DateTime!
  downloadCount: Int!
  downloadUrl: URI!
  id: ID!
  name: String!
  size: Int!
  updatedAt: DateTime!
  uploadedBy: User!
  url: URI!
}}

type ReleaseAssetConnection {{
  nodes: [ReleaseAsset]
  pageInfo: PageInfo!
  totalCount: Int!
}}

type ReactorConnection {{ totalCount: Int! }}

type ReactionGroup {{
  content: ReactionContent!
  createdAt: DateTime
  reactors({_PAGE}): ReactorConnection!
}}

type DiscussionCategory implements Node {{
  createdAt: DateTime!
  description: String
  emoji: String!
  id: ID!
  isAnswerable: Boolean!
  name: String!
  slug: String!
  updatedAt: DateTime!
}}

type Discussion implements Node {{
  answer: DiscussionComment
  activeLockReason: LockReason
  answerChosenAt: DateTime
  answerChosenBy: Actor
  author: Actor
  authorAssociation: CommentAuthorAssociation!
  body: String!
  bodyText: String!
  category: DiscussionCategory!
  closed: Boolean!
  closedAt: DateTime
  comments({_PAGE}): DiscussionCommentConnection!
  createdAt: DateTime!
  createdViaEmail: Boolean!
  databaseId: Int
  id: ID!
  isAnswered: Boolean
  labels({_PAGE}): LabelConnection
  lastEditedAt: DateTime
  locked: Boolean!
  number: Int!
  publishedAt: DateTime
  reactions({_PAGE}): ReactionConnection!
  repository: Repository!
  title: String!
  updatedAt: DateTime!
  upvoteCount: Int!
  url: URI!
}}

type DiscussionComment implements Node {{
  author: Actor
  authorAssociation: CommentAuthorAssociation!
  body: String!
  bodyHTML: HTML!
  bodyText: String!
  createdAt: DateTime!
  createdViaEmail: Boolean!
  databaseId: Int
  deletedAt: DateTime
  discussion: Discussion
  editor: Actor
  id: ID!
  includesCreatedEdit: Boolean!
  isAnswer: Boolean!
  isMinimized: Boolean!
  lastEditedAt: DateTime
  minimizedReason: String
  publishedAt: DateTime
  reactions({_PAGE}): ReactionConnection!
  replies({_PAGE}): DiscussionCommentConnection!
  replyTo: DiscussionComment
  resourcePath: URI!
  updatedAt: DateTime!
  upvoteCount: Int!
  url: URI!
}}
"""

_CONNECTIONS = {
    "UserConnection": "User",
    "IssueConnection": "Issue",
    "PullRequestConnection": "PullRequest",
    "IssueCommentConnection": "IssueComment",
    "LabelConnection": "Label",
    "RepositoryConnection": "Repository",
    "ReleaseConnection": "Release",
    "DiscussionConnection": "Discussion",
    "DiscussionCommentConnection": "DiscussionComment",
    "DiscussionCategoryConnection": "DiscussionCategory",
    "RepositoryTopicConnection": "RepositoryTopic",
    "PullRequestReviewConnection": "PullRequestReview",
    "PullRequestReviewCommentConnection": "PullRequestReviewComment",
    "CommitHistoryConnection": "Commit",
    "CommitConnection": "Commit",
    "IssueTimelineItemsConnection": "IssueTimelineItems",
    "PullRequestTimelineItemsConnection": "PullRequestTimelineItems",
}


def _connection_sdl() -> str:
    parts = []
    for conn, node in _CONNECTIONS.items():
        edge = "CommitEdge" if node == "Commit" else conn.replace("Connection", "Edge")
        parts.append(
            f"type {conn} {{ edges: [{edge}] nodes: [{node}] pageInfo: PageInfo! "
            f"totalCount: Int! }}"
        )
        if node != "Commit" or conn == "CommitHistoryConnection":
            parts.append(f"type {edge} {{ cursor: String! node: {node} }}")
    # Count-only connections: the subset never lists their nodes.
    parts.append(
        "type ReactionConnection { nodes: [Reaction] pageInfo: PageInfo! totalCount: Int! }"
    )
    parts.append(
        "type Reaction implements Node { content: ReactionContent! createdAt: DateTime "
        "id: ID! user: User }"
    )
    parts.append("type PullRequestCommitConnection { pageInfo: PageInfo! totalCount: Int! }")
    parts.append(
        "type StargazerConnection { edges: [StargazerEdge] nodes: [User] "
        "pageInfo: PageInfo! totalCount: Int! }"
    )
    parts.append("type StargazerEdge { cursor: String! node: User! starredAt: DateTime! }")
    parts.append(
        "type LanguageConnection { edges: [LanguageEdge] nodes: [Language] "
        "pageInfo: PageInfo! totalCount: Int! totalSize: Int! }"
    )
    parts.append("type LanguageEdge { cursor: String! node: Language! size: Int! }")
    return "\n".join(parts)


SDL = SDL + _connection_sdl() + "\n"


@lru_cache(maxsize=1)
def build_github_schema() -> GraphQLSchema:
    """The schema, with `resolve_type` on every interface and union (objects carry their
    GraphQL type name in `TYPENAME`)."""
    schema = build_schema(SDL)
    for name in (
        "Node",
        "Actor",
        "RepositoryOwner",
        "GitObject",
        "IssueTimelineItems",
        "PullRequestTimelineItems",
        "Assignee",
        "RequestedReviewer",
        "ReferencedSubject",
        "IssueOrPullRequest",
    ):
        schema.type_map[name].resolve_type = _resolve_type  # type: ignore[attr-defined]
    return schema


def _resolve_type(value: object, _info: object, _type: object) -> str:
    return value.TYPENAME  # type: ignore[attr-defined]
