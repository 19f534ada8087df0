"""Names of the PostgreSQL objects the access layer owns.

Role names are cluster-wide, so they carry a prefix (`WAREHOUSE_ACCESS_ROLE_PREFIX`, default
`warehouse_`): two warehouses on one PostgreSQL cluster set different prefixes. A member the
file gives no `db_role` reads as `<prefix>member_<login or e-mail>`; every member role is
granted the group role `<prefix>members`, which holds the read privileges.
"""

from __future__ import annotations

import hashlib
import os
import re

from loaders.warehouse.settings import WarehouseSettings, WarehouseSettingsError

PREFIX_VARIABLE = "WAREHOUSE_ACCESS_ROLE_PREFIX"
DEFAULT_PREFIX = "warehouse_"
_PREFIX = re.compile(r"^[a-z_][a-z0-9_]{0,29}$")
_MAX_NAME = 63  # PostgreSQL truncates longer identifiers silently: never let it.
POLICY_NAME = "workspace_members_read"


def role_prefix() -> str:
    prefix = os.environ.get(PREFIX_VARIABLE, DEFAULT_PREFIX)
    if not _PREFIX.match(prefix):
        raise WarehouseSettingsError(
            f"{PREFIX_VARIABLE}={prefix!r} is not a role-name prefix: use 1-30 lower-case "
            "letters, digits and underscores, not starting with a digit"
        )
    return prefix


def group_role(prefix: str) -> str:
    return f"{prefix}members"


def plain_name(identity: str) -> str:
    """The identity as role-name characters; two identities with one plain name would share
    a role (workspaces.yml validation refuses that)."""
    return re.sub(r"[^a-z0-9]+", "_", identity.lower()).strip("_")


def member_role(prefix: str, identity: str) -> str:
    """`ana` → `warehouse_member_ana`; `Bo.Li@x.org` → `warehouse_member_bo_li_x_org`;
    a name that would pass 63 characters keeps a hash of the identity to stay unique."""
    name = f"{prefix}member_{plain_name(identity)}"
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(identity.lower().encode()).hexdigest()[:10]
    return f"{name[: _MAX_NAME - 11]}_{digest}"


def access_schema(settings: WarehouseSettings) -> str:
    """Schema of the policy functions, beside the marts (macros/row_security.sql uses the
    same name: `<target schema>_access`)."""
    return f"{settings.analytics_schema}_access"
