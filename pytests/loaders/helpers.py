"""Shared helpers of the loader tests: control-plane setup, raw counts, truth comparison."""

from __future__ import annotations

from collections.abc import Iterable

from loaders.control.migrations import RESOURCES, migrate
from loaders.github import GitHubClient, GitHubSettings
from loaders.sources import TABLES
from loaders.sync import LoadReport, RepositoryTarget, load_repositories
from loaders.warehouse import Warehouse

ALL = frozenset(RESOURCES)

# Which raw tables a fetch flag fills (metadata always lands in `repositories`, with the
# repository's languages).
FLAG_TABLES = {
    "issues": ("issues", "issue_labels", "issue_events"),
    "pull_requests": (
        "pull_requests",
        "pull_request_labels",
        "pull_request_review_requests",
        "issue_pull_request_links",
    ),
    "reviews": ("pull_request_reviews",),
    "comments": (
        "issue_comments",
        "pull_request_comments",
        "pull_request_review_comments",
        "discussion_comments",
    ),
    "commits": ("commits",),
    "events": ("events",),
    "stars": ("stargazers",),
    "forks": ("forks",),
    "releases": ("releases",),
    "discussions": ("discussions", "discussion_categories"),
}


def track(warehouse: Warehouse, names: Iterable[str], slug: str = "team", **flags: bool) -> None:
    """A workspace tracking `names` with the given fetch flags (default all true)."""
    migrate(warehouse)
    schema = warehouse.settings.control_schema
    if not warehouse.scalar(
        f"select count(*) from {schema}.workspaces where slug = %(s)s", {"s": slug}
    ):
        warehouse.execute(
            f"insert into {schema}.workspaces (slug, name, tier) values (%(s)s, %(s)s, 'free')",
            {"s": slug},
        )
    columns = "".join(f", fetch_{flag}" for flag in flags)
    values = "".join(f", {'true' if on else 'false'}" for on in flags.values())
    for name in names:
        if not warehouse.scalar(
            f"select count(*) from {schema}.repositories where full_name = %(n)s", {"n": name}
        ):
            warehouse.execute(
                f"insert into {schema}.repositories (full_name) values (%(n)s)", {"n": name}
            )
        warehouse.execute(
            f"insert into {schema}.workspace_repositories (workspace_slug, full_name{columns}) "
            f"values (%(s)s, %(n)s{values})",
            {"s": slug, "n": name},
        )


def targets(names: Iterable[str], resources: frozenset[str] = ALL) -> list[RepositoryTarget]:
    return [RepositoryTarget(n, resources | {"repositories"}, 365, 24) for n in names]


def load_everything(warehouse: Warehouse, gh, names: Iterable[str]) -> LoadReport:
    """Every resource of `names` from the emulator `gh`, 365 days; no repository may fail."""
    report = load_repositories(warehouse, targets(names), client=client_for(gh))
    assert not report.by_status("failed"), report
    return report


def client_for(gh, reserve: int = 0, **settings) -> GitHubClient:
    return GitHubClient(
        GitHubSettings(
            api_url=gh.base_url,
            tokens=[gh.token],
            reserve=reserve,
            backoff_base_seconds=0,
            backoff_max_seconds=0,
            **settings,
        )
    )


def raw_counts(warehouse: Warehouse) -> dict[str, dict[str, int]]:
    """{full_name: {table: rows}} over every raw table that exists."""
    raw = warehouse.settings.raw_schema
    if not warehouse.table_exists(raw, "repositories"):
        return {}
    names = {
        row["id"]: row["full_name"].lower()
        for row in warehouse.query(f"select id, full_name from {raw}.repositories")
    }
    counts: dict[str, dict[str, int]] = {name: {} for name in names.values()}
    for table in TABLES:
        if table == "actors" or not warehouse.table_exists(raw, table):
            continue  # actors: authors' avatars, per login, not per repository
        column = "id" if table == "repositories" else "repository_id"
        for row in warehouse.query(
            f"select {column} as rid, count(*) as n from {raw}.{table} group by {column}"
        ):
            counts[names[row["rid"]]][table] = int(row["n"])
    return counts


def expected_counts(truth: dict, names: Iterable[str], resources: frozenset[str]) -> dict:
    """Truth counts restricted to the tables the flags fill."""
    tables = {"repositories", "repository_languages"} | {
        t for f in resources for t in FLAG_TABLES.get(f, ())
    }
    if "comments" in resources and "discussions" not in resources:
        tables.discard("discussion_categories")
    if "pull_requests" not in resources:  # conversation comments need both flags
        tables.discard("pull_request_comments")
    out = {}
    for name in names:
        entry = next(v for k, v in truth["repositories"].items() if k.lower() == name)
        out[name] = {t: n for t, n in entry["counts"].items() if t in tables and n}
    return out


def duplicates(warehouse: Warehouse) -> dict[str, int]:
    """Primary-key duplicates per raw table (must all be zero)."""
    raw = warehouse.settings.raw_schema
    found = {}
    for table, spec in TABLES.items():
        if not warehouse.table_exists(raw, table):
            continue
        key = ", ".join(spec.primary_key)
        n = warehouse.scalar(
            f"select count(*) from (select {key} from {raw}.{table} group by {key} "
            "having count(*) > 1) d"
        )
        if n:
            found[table] = int(n)
    return found


def world_counts(gh, names: Iterable[str], resources: frozenset[str]) -> dict:
    """`expected_counts` with two emulator quirks corrected from the world itself:
    its truth counts a late label that repeats an existing one twice (GitHub shows a label
    once per issue), and it generates forks owned by deleted users, which its GraphQL cannot
    serialise (`Repository.owner` is non-null), so the node comes back null with an error and
    GitHub-shaped clients never see those forks (on GitHub such forks are deleted too)."""
    out = expected_counts(gh.truth(), names, resources)
    world = gh.world
    t = world.now
    for name in names:
        repo = world.resolve(name)[1]
        if repo is None:
            continue
        view = world.view(repo)
        if "issue_labels" in out[name]:
            out[name]["issue_labels"] = sum(
                len({label for label, _ in issue.labels_at(t)}) for issue in view.visible("issues")
            )
        if "forks" in out[name]:
            out[name]["forks"] = sum(1 for f in view.visible("forks") if not f.owner.is_deleted)
        out[name] = {k: v for k, v in out[name].items() if v}
    return out
