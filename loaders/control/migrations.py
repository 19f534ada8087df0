"""Versioned, idempotent migrations of the control schema, valid on DuckDB and PostgreSQL.

Each migration runs in one transaction together with its row in `schema_migrations`, so a
crash leaves either the old or the new version. Never edit a released migration: append one.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.warehouse import Warehouse

RESOURCES = (
    "repositories",
    "issues",
    "pull_requests",
    "reviews",
    "comments",
    "commits",
    "events",
    "stars",
    "forks",
    "releases",
    "discussions",
)
SYNC_STATUSES = ("success", "partial", "failed", "deferred", "not_found")
JOB_STATUSES = ("pending", "in_progress", "completed", "failed", "canceled")
JOB_REPOSITORY_STATUSES = ("pending", "in_progress", "completed", "failed", "canceled")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]
    #: Run after `statements` on PostgreSQL only (what DuckDB cannot express).
    postgres_statements: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "workspaces and tracked repositories",
        (
            """
            create table if not exists {schema}.workspaces (
                slug text primary key check (length(slug) between 1 and 64),
                name text not null,
                tier text not null,
                billing_customer_id text,
                is_active boolean not null default true,
                created_at timestamptz not null default current_timestamp,
                updated_at timestamptz not null default current_timestamp
            )
            """,
            """
            create table if not exists {schema}.repositories (
                full_name text primary key check (full_name like '%_/_%'),
                -- Not declared unique: DuckDB rewrites an update of an indexed column as
                -- delete+insert, which its foreign keys forbid on a referenced row. The
                -- dbt test on stg_control__repositories.repository_id enforces uniqueness.
                github_id bigint,
                node_id text,
                renamed_to text,
                status text not null default 'active'
                    check (status in ('active', 'not_found', 'renamed')),
                created_at timestamptz not null default current_timestamp,
                updated_at timestamptz not null default current_timestamp
            )
            """,
            f"""
            create table if not exists {{schema}}.workspace_repositories (
                workspace_slug text not null references {{schema}}.workspaces (slug),
                full_name text not null references {{schema}}.repositories (full_name),
                sync_frequency_hours integer
                    check (sync_frequency_hours between 1 and 168),
                data_retention_days integer check (data_retention_days between 7 and 365),
                {", ".join(f"fetch_{r} boolean not null default true" for r in RESOURCES[1:])},
                is_active boolean not null default true,
                added_at timestamptz not null default current_timestamp,
                removed_at timestamptz,
                updated_at timestamptz not null default current_timestamp,
                primary key (workspace_slug, full_name)
            )
            """,
            """
            create table if not exists {schema}.workspace_addons (
                workspace_slug text not null references {schema}.workspaces (slug),
                addon text not null check (addon in ('extended_data_retention')),
                source text not null check (source in ('config', 'billing')),
                status text not null check (status in ('active', 'canceled', 'revoked')),
                billing_subscription_id text,
                updated_at timestamptz not null default current_timestamp,
                primary key (workspace_slug, addon)
            )
            """,
        ),
    ),
    Migration(
        2,
        "sync state per repository and resource",
        (
            f"""
            create table if not exists {{schema}}.sync_state (
                full_name text not null references {{schema}}.repositories (full_name),
                resource text not null check (resource in {_in(RESOURCES)}),
                last_sync_at timestamptz,
                last_success_at timestamptz,
                next_sync_at timestamptz,
                last_status text check (last_status in {_in(SYNC_STATUSES)}),
                attempts integer not null default 0 check (attempts >= 0),
                last_error text,
                items_loaded bigint not null default 0,
                updated_at timestamptz not null default current_timestamp,
                primary key (full_name, resource)
            )
            """,
        ),
    ),
    Migration(
        3,
        "backfill jobs, notifications, billing webhook log",
        (
            "create sequence if not exists {schema}.backfill_job_id_seq",
            f"""
            create table if not exists {{schema}}.backfill_jobs (
                id bigint primary key default nextval('{{schema}}.backfill_job_id_seq'),
                workspace_slug text not null references {{schema}}.workspaces (slug),
                retention_days integer not null check (retention_days between 1 and 3650),
                status text not null default 'pending' check (status in {_in(JOB_STATUSES)}),
                trigger text not null default 'cli',
                attempts integer not null default 0 check (attempts >= 0),
                error text,
                created_at timestamptz not null default current_timestamp,
                started_at timestamptz,
                finished_at timestamptz,
                updated_at timestamptz not null default current_timestamp
            )
            """,
            f"""
            create table if not exists {{schema}}.backfill_job_repositories (
                job_id bigint not null references {{schema}}.backfill_jobs (id),
                full_name text not null references {{schema}}.repositories (full_name),
                status text not null default 'pending'
                    check (status in {_in(JOB_REPOSITORY_STATUSES)}),
                window_start timestamptz not null,
                window_end timestamptz not null,
                completed_until timestamptz,
                items_total bigint,
                items_loaded bigint not null default 0 check (items_loaded >= 0),
                counts_json text,
                attempts integer not null default 0 check (attempts >= 0),
                error text,
                updated_at timestamptz not null default current_timestamp,
                primary key (job_id, full_name),
                check (window_start <= window_end)
            )
            """,
            "create sequence if not exists {schema}.notification_id_seq",
            """
            create table if not exists {schema}.notifications (
                id bigint primary key default nextval('{schema}.notification_id_seq'),
                kind text not null,
                workspace_slug text,
                job_id bigint,
                message text not null,
                payload_json text,
                delivery_status text not null default 'not_configured'
                    check (delivery_status in ('not_configured', 'pending', 'delivered', 'failed')),
                delivery_attempts integer not null default 0,
                delivery_error text,
                created_at timestamptz not null default current_timestamp,
                delivered_at timestamptz
            )
            """,
            """
            create table if not exists {schema}.webhook_events (
                webhook_id text primary key,
                event_type text not null,
                product_id text,
                customer_id text,
                outcome text not null,
                payload_json text not null,
                received_at timestamptz not null default current_timestamp
            )
            """,
        ),
    ),
    Migration(
        4,
        "repository coverage: complete history and the untracked grace period",
        (
            # One row per repository the warehouse has loaded (or stopped tracking):
            # history_complete_from is how far back its raw history is complete (null: none
            # is, e.g. after a purge past the grace period); untracked_since starts the
            # grace period of a repository no active workspace tracks; purged_at says its
            # data went at the end of it (the next load must reload its whole window).
            """
            create table if not exists {schema}.repository_coverage (
                full_name text primary key references {schema}.repositories (full_name),
                history_complete_from timestamptz,
                untracked_since timestamptz,
                purged_at timestamptz,
                updated_at timestamptz not null default current_timestamp
            )
            """,
            # Warehouses older than this migration: what completed backfills prove.
            """
            insert into {schema}.repository_coverage (full_name, history_complete_from)
            select full_name, min(window_start)
            from {schema}.backfill_job_repositories
            where status = 'completed'
            group by full_name
            """,
            # Repositories already untracked start their grace period now.
            """
            insert into {schema}.repository_coverage (full_name, untracked_since)
            select r.full_name, current_timestamp
            from {schema}.repositories as r
            where not exists (
                select 1 from {schema}.workspace_repositories as wr
                inner join {schema}.workspaces as w on w.slug = wr.workspace_slug
                where wr.full_name = r.full_name and wr.is_active and w.is_active
            )
            and not exists (
                select 1 from {schema}.repository_coverage as c where c.full_name = r.full_name
            )
            """,
            """
            update {schema}.repository_coverage as c set untracked_since = current_timestamp
            where not exists (
                select 1 from {schema}.workspace_repositories as wr
                inner join {schema}.workspaces as w on w.slug = wr.workspace_slug
                where wr.full_name = c.full_name and wr.is_active and w.is_active
            )
            """,
        ),
    ),
    Migration(
        5,
        "workspace members and the database role that stands for each",
        (
            # One row per (workspace, member). db_role is the PostgreSQL role the member
            # reads as: named by `db_role:` in workspaces.yml (db_role_managed false), else
            # created by `warehouse access apply` (loaders/access). The row-level security
            # policies read this table through a security-definer function only.
            """
            create table if not exists {schema}.workspace_members (
                workspace_slug text not null references {schema}.workspaces (slug),
                member text not null check (length(member) between 1 and 254),
                member_kind text not null check (member_kind in ('login', 'email')),
                role text not null check (role in ('viewer', 'admin')),
                db_role text not null check (length(db_role) between 1 and 63),
                db_role_managed boolean not null,
                is_active boolean not null default true,
                added_at timestamptz not null default current_timestamp,
                removed_at timestamptz,
                updated_at timestamptz not null default current_timestamp,
                primary key (workspace_slug, member)
            )
            """,
        ),
    ),
    Migration(
        6,
        "one pending or running backfill job per workspace, in the database",
        (
            # One row per workspace that ever had a job created; `JobStore.create` updates
            # it first, which serialises concurrent creations for the same workspace.
            """
            create table if not exists {schema}.backfill_job_claims (
                workspace_slug text primary key,
                claims bigint not null default 0,
                claimed_at timestamptz
            )
            """,
            # Before the guard existed, `backfill retry` could revive a failed job beside an
            # active one: keep the oldest active job, fail the others (they can be retried).
            """
            update {schema}.backfill_jobs as j
            set status = 'failed', finished_at = current_timestamp,
                updated_at = current_timestamp,
                error = 'another backfill of this workspace was already active (migration 6)'
            where j.status in ('pending', 'in_progress') and j.trigger <> 'window'
            and exists (
                select 1 from {schema}.backfill_jobs as o
                where o.workspace_slug = j.workspace_slug and o.id < j.id
                and o.status in ('pending', 'in_progress') and o.trigger <> 'window'
            )
            """,
        ),
        # DuckDB has no partial indexes, and an index on `status` would turn every status
        # update into a delete+insert that its foreign keys refuse: there the claim row above
        # is the guarantee (a second writer of the row fails with a write conflict).
        postgres_statements=(
            """
            create unique index if not exists backfill_jobs_one_active_per_workspace
            on {schema}.backfill_jobs (workspace_slug)
            where status in ('pending', 'in_progress') and trigger <> 'window'
            """,
        ),
    ),
    Migration(
        7,
        "backfill jobs as the product tracks them: purchase, data types, per-type outcome",
        (
            # The billing webhook delivery (webhook_events.webhook_id) and subscription that
            # started a job; null for jobs started from the CLI or by a window change.
            "alter table {schema}.backfill_jobs add column if not exists webhook_id text",
            "alter table {schema}.backfill_jobs "
            "add column if not exists billing_subscription_id text",
            # Comma-separated fetch flags the job loads for the repository (fixed at creation;
            # null for older jobs, which load the workspace's current flags), and those of
            # the chunk whose load failed. Done ones are counts_json's `done`.
            "alter table {schema}.backfill_job_repositories "
            "add column if not exists data_types text",
            "alter table {schema}.backfill_job_repositories "
            "add column if not exists failed_data_types text",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def _ensure_bookkeeping(warehouse: Warehouse, schema: str) -> None:
    warehouse.execute(f"create schema if not exists {schema}")
    warehouse.execute(
        f"""
        create table if not exists {schema}.schema_migrations (
            version integer primary key,
            name text not null,
            applied_at timestamptz not null default current_timestamp
        )
        """
    )


def applied_versions(warehouse: Warehouse) -> set[int]:
    schema = warehouse.settings.control_schema
    if not warehouse.table_exists(schema, "schema_migrations"):
        return set()
    return {
        row["version"] for row in warehouse.query(f"select version from {schema}.schema_migrations")
    }


def migrate(warehouse: Warehouse) -> list[Migration]:
    """Apply every migration not yet applied; returns the ones applied now."""
    schema = warehouse.settings.control_schema
    _ensure_bookkeeping(warehouse, schema)
    done = applied_versions(warehouse)
    applied: list[Migration] = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with warehouse.transaction():
            statements = migration.statements
            if warehouse.engine == "postgres":
                statements += migration.postgres_statements
            for statement in statements:
                warehouse.execute(statement.format(schema=schema))
            warehouse.execute(
                f"insert into {schema}.schema_migrations (version, name) "
                "values (%(version)s, %(name)s)",
                {"version": migration.version, "name": migration.name},
            )
        applied.append(migration)
    return applied
