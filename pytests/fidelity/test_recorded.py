"""The fetch-and-cache helpers: cache hits never touch a registry; an unreachable registry
turns into a skip with the reason, not a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import recorded
from .recorded import FixtureUnavailable

# A loopback port nothing listens on: "the registry is down", without leaving 127.0.0.1.
DEAD_REGISTRY = "http://127.0.0.1:9/"


def test_cache_hit_does_not_run_any_tool(monkeypatch: pytest.MonkeyPatch):
    recorded.graphql_schema_dir()  # warm (downloads once if needed)

    def refuse(*args, **kwargs):
        raise AssertionError(f"cache miss: ran {args}")

    monkeypatch.setattr(recorded.subprocess, "run", refuse)
    assert (recorded.graphql_schema_dir() / "schema.graphql").stat().st_size > 1_000_000
    assert (recorded.octokit_fixtures_dir() / "scenarios" / "api.github.com").is_dir()
    assert (recorded.gidgethub_samples_dir() / "tests" / "samples").is_dir()


def test_unreachable_npm_registry_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(recorded.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv("npm_config_registry", DEAD_REGISTRY)
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))  # no offline copy
    with pytest.raises(FixtureUnavailable, match="npm pack"):
        recorded.graphql_schema_dir()
    with pytest.raises(pytest.skip.Exception, match="registry unreachable"):
        recorded.obtain_or_skip(recorded.graphql_schema_dir, "@octokit/graphql-schema")
    assert not any(p.name.startswith("octokit-graphql-schema-") for p in tmp_path.iterdir())


def test_unreachable_pypi_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(recorded.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")  # ignore machine-wide mirrors
    monkeypatch.setenv("PIP_INDEX_URL", DEAD_REGISTRY + "simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    with pytest.raises(FixtureUnavailable, match="pip"):
        recorded.gidgethub_samples_dir()


def test_extraction_keeps_only_wanted_members(tmp_path: Path):
    import io
    import tarfile

    archive = tmp_path / "pkg-1.0.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in {
            "package/schema.graphql": "type Query { a: Int }",
            "package/x.js": "",
        }.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    dest = tmp_path / "pkg-1.0.0"
    recorded._extract(archive, dest, [r"^package/schema\.graphql$"])
    assert (dest / "package" / "schema.graphql").read_text() == "type Query { a: Int }"
    assert not (dest / "package" / "x.js").exists()
    assert (dest / ".complete").exists()
    with pytest.raises(FixtureUnavailable, match="no member"):
        recorded._extract(archive, tmp_path / "other-1.0.0", [r"^nothing$"])
