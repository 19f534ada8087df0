"""Multi-tenant access on PostgreSQL, end to end on the emulator's small world: two members
of different workspaces read as their own database roles and see exactly their workspaces'
rows in every mart (counted against the admin's view), raw, control, staging and
intermediate schemas refuse them, the policies survive `dbt run --full-refresh`, and a member
removed from workspaces.yml is refused after the next apply.

One module-scoped warehouse; both connect over loopback as logins of their own. ana's login
is granted the managed role `<prefix>member_ana` that `access apply` created; bo's login is
the existing role the file names in `db_role`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from click.testing import CliRunner
from psycopg2 import errors, sql

from loaders.access.names import PREFIX_VARIABLE, member_role
from loaders.cli.main import cli
from loaders.dbt_runner import run_dbt
from loaders.emulator.testing import run_emulator
from loaders.warehouse import WarehouseSettings
from pytests.conftest import make_settings
from pytests.report.helpers import env

pytestmark = pytest.mark.postgres

# alpha and gamma share acme/api-server; delta has no member: nobody reads tiny-utils.
WORKSPACES = """
workspaces:
  - slug: alpha
    name: Alpha
    tier: team
    repositories: [acme/api-server, acme/web-app]
    members:
      - login: Ana
  - slug: beta
    name: Beta
    tier: pro
    repositories: [nebula/orbit]
    members:
      - {{login: ana, role: admin}}
  - slug: gamma
    name: Gamma
    tier: pro
    repositories: [acme/api-server]
{gamma_members}  - slug: delta
    name: Delta
    tier: free
    repositories: [quietco/tiny-utils]
"""
READS = {
    "ana": ({"alpha", "beta"}, {"acme/api-server", "acme/web-app", "nebula/orbit"}),
    "bo": ({"gamma"}, {"acme/api-server"}),
}
# Views run with the reader's rights (security_invoker): the marts' views read the staging
# schema (control tables), so members are refused, not shown every workspace. A view over
# secured marts only is filtered like them: the test adds one (FILTERED_VIEW).
REFUSED_VIEWS = {
    "backfill_job_data_types",
    "backfill_progress",
    "repository_sync_targets",
    "sync_queue",
    "workspace_cache_status",
}
FILTERED_VIEW = "members_view_probe"
BO = "    members:\n      - {{email: Bo@Example.com, db_role: {bo}}}\n"
CLOSED_SCHEMAS = ("github_raw", "control", "analytics_staging", "analytics_intermediate")


@dataclass
class Warehouse:
    settings: WarehouseSettings
    tmp: Path
    prefix: str
    bo_login: str
    ana_login: str


def _connect(settings: WarehouseSettings, user: str | None = None) -> Any:
    conn = psycopg2.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        dbname=settings.pg_database,
        user=user or settings.pg_user,
        password=None if user else settings.pg_password.get_secret_value() or None,
    )
    conn.autocommit = True
    return conn


@contextmanager
def _session(settings: WarehouseSettings, user: str | None = None) -> Iterator[Any]:
    conn = _connect(settings, user)
    try:
        yield conn
    finally:
        conn.close()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output[-4000:]
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp("access_pg")
    prefix = f"t{uuid.uuid4().hex[:10]}_"  # roles are cluster-wide: a name of our own
    databases = make_settings("postgres", tmp)
    settings = next(databases)
    bo_login, ana_login = f"{prefix}bo_login", f"{prefix}ana_login"
    file = tmp / "workspaces.yml"
    file.write_text(WORKSPACES.format(gamma_members=BO.format(bo=bo_login)))
    admin = _connect(settings)
    for login in (bo_login, ana_login):
        admin.cursor().execute(sql.SQL("create role {} login").format(sql.Identifier(login)))
    try:
        with env(settings, tmp) as mp:
            mp.setenv(PREFIX_VARIABLE, prefix)
            with run_emulator(world="small", seed=1) as github:
                mp.setenv("GITHUB_API_URL", github.base_url)
                mp.setenv("GITHUB_TOKEN", github.token)
                # The run applies the file (members into control) and loads; the marts are
                # built before any access layer exists: `access apply` secures what is there.
                _cli("run", "--workspaces", str(file), "--no-purge", "--no-freshness", "--no-dbt")
            # Models and seeds only: the data tests are other modules' business.
            build = ["build", "--resource-type", "model", "--resource-type", "seed"]
            assert run_dbt(build, settings).ok
            output = _cli("access", "apply")
            assert f"{prefix}member_ana" in output and bo_login in output
            admin.cursor().execute(
                sql.SQL("grant {} to {}").format(
                    sql.Identifier(member_role(prefix, "ana")), sql.Identifier(ana_login)
                )
            )
            yield Warehouse(settings, tmp, prefix, bo_login, ana_login)
    finally:
        admin.close()
        databases.close()  # drops the database, then the roles it held grants for
        with _session(settings.model_copy(update={"pg_database": "postgres"})) as conn:
            cursor = conn.cursor()
            cursor.execute("select rolname from pg_roles where rolname like %s", (prefix + "%",))
            for (role,) in cursor.fetchall():
                cursor.execute(sql.SQL("drop role {}").format(sql.Identifier(role)))


def _relations(settings: WarehouseSettings) -> dict[str, tuple[str, str | None]]:
    """Mart name → (relkind, key column) for every table and view in analytics."""
    with _session(settings) as conn:
        cursor = conn.cursor()
        cursor.execute(
            """
            select c.relname, c.relkind::text, (
                select a.attname::text from pg_attribute as a
                where a.attrelid = c.oid and a.attname in ('workspace_slug', 'full_name')
                order by a.attname desc limit 1)
            from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
            where n.nspname = 'analytics' and c.relkind in ('r', 'v')
            """
        )
        return {name: (kind, key) for name, kind, key in cursor.fetchall()}


def _expected(settings: WarehouseSettings, member: str) -> dict[str, int]:
    """Rows the member should see, counted by the admin (who bypasses the policies)."""
    workspaces, repositories = READS[member]
    counts: dict[str, int] = {}
    with _session(settings) as conn:
        cursor = conn.cursor()
        for name, (_kind, key) in _relations(settings).items():
            if key is None or name in REFUSED_VIEWS:
                continue
            allowed = sorted(workspaces if key == "workspace_slug" else repositories)
            cursor.execute(
                sql.SQL("select count(*) from analytics.{} where {} = any(%s)").format(
                    sql.Identifier(name), sql.Identifier(key)
                ),
                (allowed,),
            )
            counts[name] = cursor.fetchone()[0]
    return counts


@contextmanager
def _member_session(built: Warehouse, member: str) -> Iterator[Any]:
    login = built.bo_login if member == "bo" else built.ana_login
    with _session(built.settings, login) as conn:
        yield conn


def _seen(built: Warehouse, member: str) -> dict[str, int | str]:
    """Per relation: the member's row count, or the refusal."""
    seen: dict[str, int | str] = {}
    with _member_session(built, member) as conn:
        cursor = conn.cursor()
        for name in _relations(built.settings):
            try:
                cursor.execute(
                    sql.SQL("select count(*) from analytics.{}").format(sql.Identifier(name))
                )
                seen[name] = cursor.fetchone()[0]
            except errors.InsufficientPrivilege as refused:
                seen[name] = str(refused).splitlines()[0]
    return seen


def _assert_sees_only_own_rows(built: Warehouse, member: str) -> None:
    expected, seen = _expected(built.settings, member), _seen(built, member)
    relations = _relations(built.settings)
    keyless = {n for n, (kind, key) in relations.items() if key is None and kind == "r"}
    # Links join two repositories' rows: not granted (a new keyless mart needs a decision).
    assert keyless == {"issue_pull_request_links"}
    assert {n: seen[n] for n in expected} == expected
    # Some rows are visible and some hidden, or the comparison above proves nothing.
    assert sum(expected.values()) > 0
    for name in keyless | REFUSED_VIEWS:
        assert "permission denied" in str(seen[name]), (name, seen[name])
    views = {n for n, (kind, _key) in relations.items() if kind == "v"}
    assert views - {FILTERED_VIEW} == REFUSED_VIEWS  # a new view needs a decision here


def test_members_read_only_their_workspaces(built: Warehouse) -> None:
    admin_total = _expected(built.settings, "ana")
    assert admin_total["workspace_current_state"] == 2  # alpha and beta
    for member in READS:
        _assert_sees_only_own_rows(built, member)
    ana, bo = _seen(built, "ana"), _seen(built, "bo")
    # A shared repository's rows reach both; a workspace's rows only its members.
    assert ana["workspace_current_state"] == 2 and bo["workspace_current_state"] == 1
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        cursor.execute("select count(*) from analytics.workspace_current_state")
        assert cursor.fetchone()[0] == 4  # the admin sees delta too
    for member in READS:
        with _member_session(built, member) as conn:
            cursor = conn.cursor()
            for schema in CLOSED_SCHEMAS:
                with pytest.raises(errors.InsufficientPrivilege):
                    cursor.execute(
                        sql.SQL("select * from {}.{} limit 1").format(
                            sql.Identifier(schema), sql.Identifier(_any_table(built, schema))
                        )
                    )
            with pytest.raises(errors.InsufficientPrivilege):
                cursor.execute("select analytics_access.secure_relation('analytics.sync_queue')")
    # SET ROLE to a member role (from the admin's session) reads as that member too.
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        role = sql.Identifier(member_role(built.prefix, "ana"))
        cursor.execute(sql.SQL("set role {}").format(role))
        cursor.execute("select count(*) from analytics.workspace_current_state")
        assert cursor.fetchone()[0] == 2
    # bo cannot ask the policy function about ana's workspaces.
    with _member_session(built, "bo") as conn:
        cursor = conn.cursor()
        for reader, count in ((built.bo_login, 1), (member_role(built.prefix, "ana"), 0)):
            cursor.execute(
                "select count(*) from analytics_access.readable_workspaces(%s)", (reader,)
            )
            assert cursor.fetchone()[0] == count


def _any_table(built: Warehouse, schema: str) -> str:
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = %s "
            "order by table_name limit 1",
            (schema,),
        )
        row = cursor.fetchone()
        assert row is not None, f"no relation in {schema}"
        return row[0]


def test_views_run_with_the_readers_rights(built: Warehouse) -> None:
    """A view runs as its owner unless security_invoker: secure_relation sets it, so a view
    over a secured mart shows a member only their rows."""
    with _session(built.settings) as conn:
        conn.cursor().execute(
            f"create view analytics.{FILTERED_VIEW} as "
            "select * from analytics.workspace_current_state"
        )
        conn.cursor().execute(f"grant select on analytics.{FILTERED_VIEW} to public")

    def ana_count() -> int:
        with _member_session(built, "ana") as conn:
            cursor = conn.cursor()
            cursor.execute(f"select count(*) from analytics.{FILTERED_VIEW}")
            return cursor.fetchone()[0]

    assert ana_count() == 4  # as the owner: every workspace, the leak the setting closes
    _cli("access", "apply")
    assert ana_count() == 2
    _assert_sees_only_own_rows(built, "ana")


def _oids(built: Warehouse) -> dict[str, int]:
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        cursor.execute(
            "select relname, oid from pg_class where relnamespace = 'analytics'::regnamespace"
        )
        return dict(cursor.fetchall())


def test_policies_survive_a_full_refresh(built: Warehouse) -> None:
    before = _oids(built)
    # Every mart: dbt's startup is most of the cost, the models a few seconds more.
    result = run_dbt(["run", "--select", "tag:marts", "--full-refresh"], built.settings)
    assert result.ok
    after = _oids(built)
    rebuilt = {n for n in before if n in after and after[n] != before[n]}
    assert rebuilt >= set(_relations(built.settings)) - {FILTERED_VIEW}  # all new relations
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        cursor.execute(
            """
            select c.relname from pg_class as c
            where c.relnamespace = 'analytics'::regnamespace and (
                (c.relkind = 'r' and not c.relrowsecurity)
                or (c.relkind = 'v' and not 'security_invoker=true' = any(c.reloptions)))
            """
        )
        assert cursor.fetchall() == []
    for member in READS:
        _assert_sees_only_own_rows(built, member)


def test_removed_member_is_refused_after_the_next_apply(built: Warehouse) -> None:
    # A db_role that would read every row, or does not exist, is refused before any change.
    for db_role, why in ((built.settings.pg_user, "would read every row"), ("nobody", "not exist")):
        bad = built.tmp / "bad.yml"
        bad.write_text(WORKSPACES.format(gamma_members=BO.format(bo=db_role)))
        result = CliRunner().invoke(cli, ["workspaces", "apply", str(bad)])
        assert result.exit_code == 2 and why in result.output, result.output
        assert "nothing was changed" in result.output
    with _session(built.settings) as conn:
        cursor = conn.cursor()
        cursor.execute("select db_role from control.workspace_members where member like 'bo%'")
        assert cursor.fetchall() == [(built.bo_login,)]
    file = built.tmp / "without_bo.yml"
    file.write_text(WORKSPACES.format(gamma_members=""))
    output = _cli("workspaces", "apply", str(file))
    assert "members removed (1): gamma: bo@example.com" in output
    assert f"roles revoked (1): {built.bo_login}" in output
    with (
        _session(built.settings, built.bo_login) as conn,
        pytest.raises(errors.InsufficientPrivilege, match="schema analytics"),
    ):
        conn.cursor().execute("select count(*) from analytics.workspace_current_state")
    _assert_sees_only_own_rows(built, "ana")  # the others keep theirs
    # Added back, bo reads again (and the module's state is as the fixture left it).
    output = _cli("workspaces", "apply", str(built.tmp / "workspaces.yml"))
    assert f"roles granted read (1): {built.bo_login}" in output
    _assert_sees_only_own_rows(built, "bo")
