"""Fetch-and-cache helpers for real GitHub reference data, obtained at test time.

Nothing here is committed to the repository: the packages are pulled from their
registries on first use and cached under ``.cache/fidelity`` (or
``$WAREHOUSE_FIXTURE_CACHE``), so warm runs never touch the network.

Sources (all published by third parties under permissive licences):

* ``@octokit/graphql-schema`` (npm, MIT): GitHub's public GraphQL schema as SDL,
  in ``package/schema.graphql``.
* ``@octokit/fixtures`` (npm, MIT): recorded api.github.com exchanges, one
  ``package/scenarios/api.github.com/<scenario>/raw-fixture.json`` per scenario:
  a list of nock records ``{scope, method, path, status, response, rawHeaders, ...}``.
* ``gidgethub`` sdist (PyPI, Apache-2.0): ``tests/samples/<name>/{<status>.json,body}``
  where ``<status>.json`` holds the response headers and ``body`` the JSON body.

If a registry cannot be reached, :class:`FixtureUnavailable` is raised; the
pytest fixtures in ``conftest.py`` turn it into a skip with the reason.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from graphql import GraphQLSchema, build_schema

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_ENV = "WAREHOUSE_FIXTURE_CACHE"

# Verified versions (the lower bounds were downloaded and inspected when this kit was
# written); the upper bounds stay inside one major so a layout change cannot sneak in.
GRAPHQL_SCHEMA = ("@octokit/graphql-schema", (15, 26, 1), (16, 0, 0))
OCTOKIT_FIXTURES = ("@octokit/fixtures", (23, 1, 2), (24, 0, 0))
GIDGETHUB = ("gidgethub", (6, 0, 0), (7, 0, 0))

# Downloads are small (< 1 MB each) but registries can be slow; never hang a test run.
_DOWNLOAD_TIMEOUT_S = 180


class FixtureUnavailable(RuntimeError):
    """A reference package could not be obtained (offline, registry down, tool missing)."""


T = TypeVar("T")


def obtain_or_skip(load: Callable[[], T], what: str) -> T:
    """``load()``, or skip the calling test with the reason when a registry is unreachable."""
    try:
        return load()
    except FixtureUnavailable as exc:
        pytest.skip(f"{what} unavailable (registry unreachable?): {exc}")


Version = tuple[int, int, int]


def cache_dir() -> Path:
    """Root of the download cache; created on demand."""
    root = Path(os.environ.get(CACHE_ENV) or REPO_ROOT / ".cache" / "fidelity")
    root.mkdir(parents=True, exist_ok=True)
    return root


def _parse_version(text: str) -> Version | None:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def _slug(name: str) -> str:
    # "@octokit/fixtures" -> "octokit-fixtures", matching npm pack's tarball naming.
    return name.lstrip("@").replace("/", "-")


def _cached(name: str, low: Version, high: Version) -> Path | None:
    """Newest already-extracted version of ``name`` inside [low, high), if any."""
    candidates: list[tuple[Version, Path]] = []
    prefix = _slug(name) + "-"
    for entry in cache_dir().glob(prefix + "*"):
        version = _parse_version(entry.name[len(prefix) :])
        if version and low <= version < high and (entry / ".complete").exists():
            candidates.append((version, entry))
    best = max(candidates, default=None)
    return best[1] if best else None


def _run(cmd: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_DOWNLOAD_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as exc:
        raise FixtureUnavailable(f"{cmd[0]} is not installed: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise FixtureUnavailable(f"{' '.join(cmd)} timed out after {exc.timeout}s") from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise FixtureUnavailable(f"{' '.join(cmd)} failed: " + " | ".join(tail))
    return proc.stdout


def _extract(archive: Path, dest: Path, keep: Iterable[str]) -> None:
    """Extract members whose path matches one of the ``keep`` regexes into ``dest``.

    Extraction goes to a sibling temp dir and is renamed into place, so an interrupted
    run never leaves a half-filled cache entry behind (``.complete`` marks success).
    """
    patterns = [re.compile(p) for p in keep]
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=dest.parent))
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = [m for m in tar.getmembers() if any(p.search(m.name) for p in patterns)]
            if not members:
                raise FixtureUnavailable(f"{archive.name}: no member matches {list(keep)}")
            # The "data" filter rejects absolute paths, links out of the tree, devices.
            tar.extractall(tmp, members=members, filter="data")
        (tmp / ".complete").write_text(archive.name)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _range_text(low: Version, high: Version) -> str:
    return f">={'.'.join(map(str, low))} <{'.'.join(map(str, high))}"


def npm_package(spec: tuple[str, Version, Version], keep: Iterable[str]) -> Path:
    """Directory holding the extracted ``package/`` tree of an npm package (cached)."""
    name, low, high = spec
    hit = _cached(name, low, high)
    if hit:
        return hit / "package"
    downloads = cache_dir() / "downloads"
    downloads.mkdir(exist_ok=True)
    out = _run(
        [
            "npm",
            "pack",
            f"{name}@{_range_text(low, high)}",
            "--pack-destination",
            str(downloads),
            "--json",
            "--silent",
        ],
        cwd=downloads,
    )
    try:
        info = json.loads(out[out.index("[") :])[0]
    except (ValueError, IndexError, KeyError) as exc:
        raise FixtureUnavailable(f"npm pack {name}: unexpected output {out[:200]!r}") from exc
    dest = cache_dir() / f"{_slug(name)}-{info['version']}"
    _extract(downloads / info["filename"], dest, keep)
    return dest / "package"


def pypi_sdist(spec: tuple[str, Version, Version], keep: Iterable[str]) -> Path:
    """Directory holding the extracted source tree of a PyPI sdist (cached)."""
    name, low, high = spec
    hit = _cached(name, low, high)
    if hit:
        return next(p for p in hit.iterdir() if p.is_dir())
    downloads = cache_dir() / "downloads"
    downloads.mkdir(exist_ok=True)
    requirement = f"{name}>={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--disable-pip-version-check",
            "-d",
            str(downloads),
            requirement,
        ],
        cwd=downloads,
    )
    versions = []
    for archive in downloads.glob(f"{name}-*.tar.gz"):
        version = _parse_version(archive.name[len(name) + 1 : -len(".tar.gz")])
        if version and low <= version < high:
            versions.append((version, archive))
    if not versions:
        raise FixtureUnavailable(f"pip download {requirement} produced no sdist")
    version, archive = max(versions)
    dest = cache_dir() / f"{name}-{'.'.join(map(str, version))}"
    _extract(archive, dest, keep)
    return next(p for p in dest.iterdir() if p.is_dir())


def package_version(package_dir: Path) -> str:
    """``name@version`` of an extracted npm package (for reports)."""
    meta = json.loads((package_dir / "package.json").read_text())
    return f"{meta['name']}@{meta['version']}"


# ---------------------------------------------------------------------------- schema


def graphql_schema_dir() -> Path:
    return npm_package(
        GRAPHQL_SCHEMA, keep=[r"^package/schema\.graphql$", r"^package/package\.json$"]
    )


@functools.lru_cache(maxsize=1)
def real_schema() -> GraphQLSchema:
    """GitHub's public GraphQL schema (built once per process: ~1.5 s)."""
    sdl = (graphql_schema_dir() / "schema.graphql").read_text()
    # GitHub's SDL breaks rules graphql-core enforces (it deprecates
    # `PullRequest.databaseId` while the interface field `Reactable.databaseId` is not),
    # so skip SDL validation (assume_valid_sdl) and schema validation (assume_valid):
    # otherwise `graphql.validate()` re-checks the schema and raises on those rules.
    return build_schema(sdl, assume_valid_sdl=True, assume_valid=True)


# ---------------------------------------------------------------------- recordings


@dataclass(frozen=True)
class Recorded:
    """One recorded HTTP exchange with api.github.com."""

    source: str  # e.g. "@octokit/fixtures@23.1.2:paginate-issues#14"
    method: str  # upper case
    path: str  # path plus query string, as sent
    status: int
    headers: tuple[tuple[str, str], ...]  # in recorded order, original case
    body: Any  # parsed JSON, or the raw text for non-JSON bodies
    host: str = "api.github.com"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def header_names(self) -> set[str]:
        return {key.lower() for key, _ in self.headers}

    @property
    def route(self) -> str:
        return urlsplit(self.path).path


def octokit_fixtures_dir() -> Path:
    return npm_package(
        OCTOKIT_FIXTURES,
        keep=[
            r"^package/scenarios/api\.github\.com/[^/]+/raw-fixture\.json$",
            r"^package/package\.json$",
        ],
    )


def octokit_recordings() -> list[Recorded]:
    """Every api.github.com exchange in the ``@octokit/fixtures`` raw fixtures."""
    root = octokit_fixtures_dir()
    label = package_version(root)
    out: list[Recorded] = []
    for raw in sorted((root / "scenarios" / "api.github.com").glob("*/raw-fixture.json")):
        scenario = raw.parent.name
        for i, rec in enumerate(json.loads(raw.read_text())):
            flat = rec.get("rawHeaders") or []
            headers = tuple(zip(flat[0::2], flat[1::2], strict=True))
            out.append(
                Recorded(
                    source=f"{label}:{scenario}#{i}",
                    method=rec["method"].upper(),
                    path=rec["path"],
                    status=int(rec["status"]),
                    headers=headers,
                    body=rec.get("response"),
                    host=urlsplit(rec.get("scope", "https://api.github.com")).hostname or "",
                    extra={"scenario": scenario, "reqheaders": rec.get("reqheaders") or {}},
                )
            )
    return out


def gidgethub_samples_dir() -> Path:
    return pypi_sdist(GIDGETHUB, keep=[r"^[^/]+/tests/samples/", r"^[^/]+/PKG-INFO$"])


def _gidgethub_path(name: str, headers: dict[str, str], body: Any) -> str | None:
    """Best-effort request path of a gidgethub sample (the samples don't record it).

    Single objects carry their own ``url``; pages are recovered from the ``Link``
    header (the page before ``next`` or after ``prev``).
    """
    if isinstance(body, dict) and isinstance(body.get("url"), str) and "items" not in body:
        return urlsplit(body["url"]).path
    links = parse_link_header(headers.get("link", ""))
    for rel, delta in (("next", -1), ("prev", +1)):
        if rel in links:
            url = urlsplit(links[rel])
            page = re.search(r"(?:^|&)page=(\d+)", url.query)
            if page:
                query = re.sub(r"(^|&)page=\d+", rf"\g<1>page={int(page[1]) + delta}", url.query)
                return f"{url.path}?{query}"
    return None


def gidgethub_recordings() -> list[Recorded]:
    """The REST samples shipped in gidgethub's sdist (``tests/samples/<name>``)."""
    root = gidgethub_samples_dir()
    version = root.name.split("-", 1)[1]
    out: list[Recorded] = []
    for sample in sorted((root / "tests" / "samples").iterdir()):
        status_files = [p for p in sample.glob("*.json") if p.stem.isdigit()]
        body_file = sample / "body"
        if len(status_files) != 1 or not body_file.exists():
            continue  # GraphQL/ holds bodies only; rsa_key/ is not HTTP
        headers = {k: v for k, v in json.loads(status_files[0].read_text()).items() if k}
        text = body_file.read_text()
        try:
            body: Any = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            body = text  # e.g. the diff sample
        out.append(
            Recorded(
                source=f"gidgethub@{version}:{sample.name}",
                method="GET",
                path=_gidgethub_path(sample.name, headers, body) or f"/?sample={sample.name}",
                status=int(status_files[0].stem),
                headers=tuple(headers.items()),
                body=body,
                extra={"sample": sample.name},
            )
        )
    return out


def gidgethub_graphql_samples() -> dict[str, Any]:
    """gidgethub's recorded GraphQL answers, by file stem (e.g. ``success-200``)."""
    root = gidgethub_samples_dir() / "tests" / "samples" / "GraphQL"
    return {p.stem: json.loads(p.read_text()) for p in sorted(root.glob("*.json"))}


def parse_link_header(value: str) -> dict[str, str]:
    """RFC 5988 ``Link`` header -> {rel: url}."""
    links: dict[str, str] = {}
    for part in value.split(","):
        m = re.search(r"<([^>]*)>\s*;\s*rel=\"?([^\";]+)\"?", part)
        if m:
            links[m[2]] = m[1]
    return links
