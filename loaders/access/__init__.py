"""Multi-tenant access on PostgreSQL: a database role per workspace member, read on the marts
only, and row-level security so a member reads only their workspaces' rows."""

from loaders.access.apply import AccessError, AccessReport, apply_access, check_roles

__all__ = ["AccessError", "AccessReport", "apply_access", "check_roles"]
