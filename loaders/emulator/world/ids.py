"""Database ids and node ids.

Item database ids embed the repository index (`(index + 1) * ITEM_ID_SPAN + seq`), so
`node(id:)` finds the repository without a global index. Node ids imitate GitHub's
new-style ids (`I_kwDO…`): a type prefix plus an opaque base64 tail.
"""

from __future__ import annotations

import base64

ITEM_ID_SPAN = 10_000_000
REPO_ID_BASE = 500_000_000
USER_ID_BASE = 1_000

PREFIXES: dict[str, str] = {
    "Repository": "R_kgDO",
    "Issue": "I_kwDO",
    "PullRequest": "PR_kwDO",
    "IssueComment": "IC_kwDO",
    "PullRequestReview": "PRR_kwDO",
    "PullRequestReviewComment": "PRRC_kwDO",
    "Commit": "C_kwDO",
    "Discussion": "D_kwDO",
    "DiscussionComment": "DC_kwDO",
    "DiscussionCategory": "DIC_kwDO",
    "Release": "RE_kwDO",
    "User": "U_kgDO",
    "Bot": "BOT_kgDO",
    "Organization": "O_kgDO",
    "ClosedEvent": "CE_lADO",
    "ReopenedEvent": "REE_lADO",
    "LabeledEvent": "LE_lADO",
    "UnlabeledEvent": "UNLE_lADO",
    "AssignedEvent": "AE_lADO",
    "UnassignedEvent": "UAE_lADO",
    "MilestonedEvent": "MIE_lADO",
    "DemilestonedEvent": "DEME_lADO",
    "CrossReferencedEvent": "CRE_lADO",
    "ConnectedEvent": "CNE_lADO",
    "DisconnectedEvent": "DCE_lADO",
    "MarkedAsDuplicateEvent": "MADE_lADO",
    "UnmarkedAsDuplicateEvent": "UMADE_lADO",
    "ReviewRequestedEvent": "RRE_lADO",
    "ReviewRequestRemovedEvent": "RRRE_lADO",
    "Team": "T_kwDO",
}
_BY_PREFIX = {v: k for k, v in PREFIXES.items()}


def node_id(type_name: str, key: int | str) -> str:
    tail = base64.urlsafe_b64encode(str(key).encode()).decode().rstrip("=")
    return PREFIXES[type_name] + tail


def parse_node_id(value: str) -> tuple[str, str] | None:
    """(type name, key) of a node id, or None when it is not one of ours."""
    prefix, sep, _ = value.partition("_")
    cut = len(prefix) + 5  # every prefix is "<TYPE>_" plus four characters ("kwDO", "lADO")
    type_name = _BY_PREFIX.get(value[:cut]) if sep else None
    if type_name is None:
        return None
    raw = value[cut:]
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return type_name, key


def repo_index_of_item(item_id: int) -> int:
    return item_id // ITEM_ID_SPAN - 1
