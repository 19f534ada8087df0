"""Workspace members: validation with file and line, the declarative apply into the control
schema (DuckDB: no server needed), role names, and DuckDB's refusal of `access apply`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.access.names import PREFIX_VARIABLE, member_role, role_prefix
from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings, connect
from loaders.warehouse.settings import WarehouseSettingsError
from loaders.workspaces import (
    ApplyReport,
    WorkspacesConfigError,
    apply_workspaces,
    load_workspaces_file,
)

HEAD = "workspaces:\n  - slug: a\n    name: A\n    tier: pro\n    members:\n"


def _problems(tmp_path: Path, members: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "workspaces.yml"
    path.write_text(HEAD + members)
    with pytest.raises(WorkspacesConfigError) as caught:
        load_workspaces_file(path)
    assert str(path) in str(caught.value) and "nothing was changed" in str(caught.value)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def test_members_parse_with_shorthand_and_lower_case(tmp_path: Path) -> None:
    path = tmp_path / "workspaces.yml"
    path.write_text(
        HEAD + "      - Ana\n      - Bo@Example.com\n"
        "      - {login: cy-d, role: admin, db_role: analyst_cy}\n"
    )
    members = load_workspaces_file(path).workspaces[0].members
    assert [(m.identity, m.kind, m.role, m.db_role) for m in members] == [
        ("ana", "login", "viewer", None),
        ("bo@example.com", "email", "viewer", None),
        ("cy-d", "login", "admin", "analyst_cy"),
    ]


def test_every_member_problem_is_named_with_its_line(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "      - role: viewer\n"  # line 6: no identity
        "      - {login: ana, email: ana@example.com}\n"  # 7: both
        "      - {login: bo, role: owner}\n"  # 8: unknown role
        "      - {email: not-an-address}\n"  # 9
        "      - {login: -bad-}\n"  # 10
        "      - {login: cy, db_role: Robert'); drop table x}\n"  # 11
        "      - {login: dee, team: core}\n",  # 12: unknown field
    )
    by_line = {line: (field, message) for line, field, message in problems}
    assert sorted(by_line) == [6, 7, 8, 9, 10, 11, 12]
    assert by_line[6] == (
        "workspaces[0].members[0]",
        "give exactly one of login or email for each member",
    )
    assert by_line[7][1] == "give exactly one of login or email for each member"
    assert by_line[8] == (
        "workspaces[0].members[2].role",
        "'owner' is not allowed: input should be 'viewer' or 'admin'",
    )
    assert "is not an e-mail address" in by_line[9][1]
    assert "is not a GitHub login" in by_line[10][1]
    assert by_line[11][0] == "workspaces[0].members[5].db_role"
    assert "plain PostgreSQL role name" in by_line[11][1]
    assert by_line[12] == (
        "workspaces[0].members[6].team",
        "unknown field (check the spelling; see workspaces.example.yml)",
    )


def test_a_member_listed_twice_points_at_the_second(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "      - ana\n      - bo\n      - {login: ANA, role: admin}\n")
    assert problems == [
        (
            8,
            "workspaces[0].members[2].login",
            "member 'ana' is listed twice in workspace 'a' (first as members[0])",
        )
    ]


def test_members_that_would_share_a_role_are_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "      - ana.b@x.org\n      - {email: ana-b@x.org, db_role: anab}\n"
        "  - {slug: b, name: B, tier: pro, members: [ana_b@x.org]}\n",
    )
    assert problems == [
        (
            8,
            "workspaces[1].members[0].email",
            "members 'ana.b@x.org' and 'ana_b@x.org' would share one database role: "
            "give one of them a db_role",
        )
    ]


def test_role_names_are_prefixed_plain_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert member_role("warehouse_", "ana") == "warehouse_member_ana"
    assert member_role("warehouse_", "Bo.Li@Example.org") == "warehouse_member_bo_li_example_org"
    long_a, long_b = "a" * 60 + "@x.org", "a" * 60 + "@y.org"
    assert len(member_role("warehouse_", long_a)) == 63
    assert member_role("warehouse_", long_a) != member_role("warehouse_", long_b)
    monkeypatch.setenv(PREFIX_VARIABLE, "Bad-Prefix")
    with pytest.raises(WarehouseSettingsError, match=PREFIX_VARIABLE):
        role_prefix()


def _apply(tmp_path: Path, settings: WarehouseSettings, members: str) -> ApplyReport:
    path = tmp_path / "workspaces.yml"
    path.write_text(HEAD + members)
    with connect(settings) as wh:
        return apply_workspaces(wh, load_workspaces_file(path))


def test_apply_records_members_declaratively(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    first = _apply(tmp_path, settings, "      - ana\n      - {email: bo@x.org, db_role: bo}\n")
    assert first.members_added == [("a", "ana"), ("a", "bo@x.org")]
    again = _apply(tmp_path, settings, "      - ana\n      - {email: bo@x.org, db_role: bo}\n")
    assert not again.changed
    last = _apply(tmp_path, settings, "      - {login: ana, role: admin}\n")
    assert last.members_updated == [("a", "ana")]
    assert last.members_removed == [("a", "bo@x.org")]
    with connect(settings) as wh:
        rows = wh.query(
            "select member, member_kind, role, db_role, db_role_managed, is_active, "
            "removed_at is not null as removed from control.workspace_members order by member"
        )
    assert [tuple(r.values()) for r in rows] == [
        ("ana", "login", "admin", "warehouse_member_ana", True, True, False),
        ("bo@x.org", "email", "viewer", "bo", False, False, True),
    ]


def test_duckdb_is_single_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_TARGET", "duckdb")
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    path = tmp_path / "workspaces.yml"
    path.write_text(HEAD + "      - ana\n")
    result = CliRunner().invoke(cli, ["workspaces", "apply", str(path)])
    assert result.exit_code == 0, result.output
    assert "members added (1): a: ana" in result.output
    assert "DuckDB is a single-user engine" in result.output
    result = CliRunner().invoke(cli, ["access", "apply"])
    assert result.exit_code == 2
    assert "DuckDB is a single-user engine" in result.output
    result = CliRunner().invoke(cli, ["access", "list"])
    assert result.exit_code == 0 and "warehouse_member_ana" in result.output
