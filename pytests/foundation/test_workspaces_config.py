"""workspaces.yml validation: every problem named with file, line, field and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import PROJECT_DIR
from loaders.workspaces import WorkspacesConfigError, load_workspaces_file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workspaces.yml"
    path.write_text(text)
    return path


def problems_of(path: Path) -> WorkspacesConfigError:
    with pytest.raises(WorkspacesConfigError) as caught:
        load_workspaces_file(path)
    return caught.value


def test_example_file_is_valid() -> None:
    config = load_workspaces_file(PROJECT_DIR / "workspaces.example.yml")
    slugs = [w.slug for w in config.workspaces]
    assert slugs == ["acme-engineering", "data-guild", "oss-radar"]
    infra = config.workspaces[0].repositories[2]
    assert infra.repo == "acme/infra"
    assert infra.fetch.discussions is False and infra.fetch.issues is True


def test_shorthand_and_case_are_normalised(tmp_path: Path) -> None:
    path = write(
        tmp_path, "workspaces:\n  - {slug: a, name: A, tier: pro, repositories: [Octo/Hello]}\n"
    )
    assert load_workspaces_file(path).workspaces[0].repositories[0].repo == "octo/hello"


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "workspaces:\n  - slug: a\n    name: [unclosed\n")
    error = problems_of(path)
    assert str(path) in str(error)
    assert error.problems[0].line is not None
    assert "invalid YAML" in str(error)


def test_unknown_tier_lists_allowed_values(tmp_path: Path) -> None:
    path = write(tmp_path, "workspaces:\n  - slug: a\n    name: A\n    tier: platinum\n")
    error = problems_of(path)
    assert error.problems[0].line == 4
    assert error.problems[0].field == "workspaces[0].tier"
    assert "free, pro, team, enterprise" in error.problems[0].message


def test_bad_repository_name(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: a\n    name: A\n    tier: pro\n    repositories:\n"
        "      - ok/repo\n      - not-a-repo\n"
    )
    error = problems_of(write(tmp_path, text))
    assert [(p.line, p.field) for p in error.problems] == [
        (7, "workspaces[0].repositories[1].repo")
    ]
    assert "owner/name" in error.problems[0].message


@pytest.mark.parametrize(
    ("setting", "value", "needle"),
    [
        ("sync_frequency_hours", 0, "0 is not allowed: a whole number of hours from 1 to 168"),
        ("sync_frequency_hours", 169, "169 is not allowed: a whole number of hours from 1 to 168"),
        ("data_retention_days", 6, "6 is not allowed: a whole number of days from 7 to 365"),
        ("data_retention_days", 400, "400 is not allowed: a whole number of days from 7 to 365"),
        ("data_retention_days", "long", "'long' is not allowed: a whole number of days from 7"),
    ],
)
def test_out_of_range_settings(tmp_path: Path, setting: str, value: int | str, needle: str) -> None:
    text = (
        "workspaces:\n  - slug: a\n    name: A\n    tier: enterprise\n    repositories:\n"
        f"      - repo: o/r\n        {setting}: {value}\n"
    )
    error = problems_of(write(tmp_path, text))
    assert error.problems[0].line == 7
    assert error.problems[0].field == f"workspaces[0].repositories[0].{setting}"
    assert needle in error.problems[0].message
    assert "Input should be" not in str(error)  # pydantic's own words stay out
    assert f"{error.path}:7: workspaces[0].repositories[0].{setting}: {needle}" in str(error)


def test_settings_beyond_tier_limits_name_workspace_and_limit(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: cheap\n    name: C\n    tier: free\n    repositories:\n"
        "      - repo: o/r\n        sync_frequency_hours: 12\n        data_retention_days: 31\n"
    )
    error = problems_of(write(tmp_path, text))
    messages = {p.field: p.message for p in error.problems}
    assert "'cheap'" in messages["workspaces[0].repositories[0].sync_frequency_hours"]
    assert "at least 24 h" in messages["workspaces[0].repositories[0].sync_frequency_hours"]
    assert "30 days" in messages["workspaces[0].repositories[0].data_retention_days"]


def test_addon_raises_retention_limit(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: paid\n    name: P\n    tier: free\n"
        "    addons: [extended_data_retention]\n    repositories:\n"
        "      - repo: o/r\n        data_retention_days: 365\n"
    )
    config = load_workspaces_file(write(tmp_path, text))
    assert config.workspaces[0].max_retention_days == 365


def test_too_many_repositories_for_tier(tmp_path: Path) -> None:
    repos = "".join(f"      - o/r{i}\n" for i in range(11))
    text = f"workspaces:\n  - slug: a\n    name: A\n    tier: free\n    repositories:\n{repos}"
    error = problems_of(write(tmp_path, text))
    assert error.problems[0].line == 5  # the `repositories:` key, not its first item
    assert "tracks 11 repositories; tier 'free' allows at most 10" in error.problems[0].message


def test_duplicate_slugs_and_repositories(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: a\n    name: A\n    tier: pro\n    repositories: [o/r, O/R]\n"
        "  - slug: a\n    name: B\n    tier: pro\n"
    )
    error = problems_of(write(tmp_path, text))
    messages = " | ".join(p.message for p in error.problems)
    assert "duplicate workspace slug 'a'" in messages
    assert "'o/r' is listed twice" in messages


def test_unknown_fields_and_addons(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: a\n    name: A\n    tier: pro\n    addons: [gold]\n"
        "    colour: blue\n"
    )
    error = problems_of(write(tmp_path, text))
    fields = {p.field: p for p in error.problems}
    assert "unknown add-on 'gold'" in fields["workspaces[0].addons"].message
    assert fields["workspaces[0].colour"].line == 6
    assert "unknown field" in fields["workspaces[0].colour"].message


def test_not_a_mapping_and_empty_file(tmp_path: Path) -> None:
    assert "expected a mapping" in str(problems_of(write(tmp_path, "- just\n- a list\n")))
    assert load_workspaces_file(write(tmp_path, "")).workspaces == []


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    error = problems_of(tmp_path / "nope.yml")
    assert str(error) == (
        f"workspaces file {tmp_path / 'nope.yml'} does not exist (see workspaces.example.yml); "
        "nothing was changed"
    )
    assert "is a directory" in str(problems_of(tmp_path))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # a key without its colon: PyYAML notices it on the next line
        ("workspaces:\n  - slug: a\n    name A\n    tier: free\n", 3),
        # an unclosed bracket: noticed where the next key starts
        ("workspaces:\n  - slug: a\n    addons: [x, y\n    tier: free\n", 3),
        # an unclosed quote: noticed at the end of the file
        ('workspaces:\n  - slug: "a\n    name: A\n    tier: free\n', 2),
        # a wrong indent is reported where it is
        ("workspaces:\n  - slug: a\n   name: A\n    tier: free\n", 3),
    ],
)
def test_yaml_errors_point_at_the_line_to_fix(tmp_path: Path, text: str, line: int) -> None:
    error = problems_of(write(tmp_path, text))
    assert error.problems[0].line == line, str(error)
    assert f"{error.path}:{line}: (file): invalid YAML: " in str(error)


def test_block_values_are_reported_on_their_key_line(tmp_path: Path) -> None:
    text = (
        "workspaces:\n  - slug: a\n    name: A\n    tier: free\n    repositories:\n"
        "      - repo: o/r\n        fetchh:\n          issues: false\n"
    )
    error = problems_of(write(tmp_path, text))
    assert [(p.line, p.field) for p in error.problems] == [
        (7, "workspaces[0].repositories[0].fetchh")
    ]
