"""GraphQL resolver objects, one module per family of GitHub types."""

from __future__ import annotations

from ...world.entities import (
    Category,
    Discussion,
    DiscussionComment,
    Fork,
    Issue,
    IssueComment,
    IssueStateEvent,
    PullRequest,
    Release,
    Review,
    ReviewComment,
    Team,
    TimelineEvent,
)
from .base import Ctx, GNode, OrgNode, actor
from .commits import CommitNode, ReleaseNode
from .discussions import CategoryNode, DiscussionCommentNode, DiscussionNode
from .issues import IssueCommentNode, IssueNode, StateEventNode
from .pulls import PullRequestNode, ReviewCommentNode, ReviewNode
from .repository import ForkNode, RepositoryNode
from .timeline import EventNode, TeamNode

WRAPPERS: dict[type, type[GNode]] = {
    Issue: IssueNode,
    PullRequest: PullRequestNode,
    IssueComment: IssueCommentNode,
    Review: ReviewNode,
    ReviewComment: ReviewCommentNode,
    Release: ReleaseNode,
    Discussion: DiscussionNode,
    DiscussionComment: DiscussionCommentNode,
    Category: CategoryNode,
    IssueStateEvent: StateEventNode,
    Fork: ForkNode,
    TimelineEvent: EventNode,
    Team: TeamNode,
}

__all__ = [
    "WRAPPERS",
    "CommitNode",
    "Ctx",
    "ForkNode",
    "GNode",
    "OrgNode",
    "RepositoryNode",
    "actor",
]
