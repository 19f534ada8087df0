"""Synthetic raw GitHub activity for benchmarks/dbt_build.py, generated in SQL.

The same statements run on DuckDB and PostgreSQL: `--repos` repositories over `--days` days
at about 15.5 events per repository and day, each batch in a dlt load of its own, plus the
late changes (old issues closed today) that make an incremental run touch old days.
"""

from __future__ import annotations

from datetime import date

from loaders.control.migrations import migrate
from loaders.warehouse import Warehouse
from pytests.dbt.raw_tables import raw_columns

AS_OF = date(2026, 6, 30)
#: Share of a new batch that closes old issues. Their ids are taken in order, and ids are
#: spread over the days, so even a small share touches every day of the history.
LATE_SHARE = 0.05
# Per repository and day (events): commits 7, issues opened 2 (+ ~1.3 closed), PRs 1.5
# (+ ~1 merged), issue comments 2, stars 0.75 -> ~15.5 events/day.
PER_DAY = {"commits": 7, "issues": 2, "pull_requests": 1.5, "issue_comments": 2, "stargazers": 0.75}


def create_raw(wh: Warehouse) -> None:
    raw = wh.settings.raw_schema
    wh.execute(f"create schema if not exists {raw}")
    for table in ("repositories", "commits", "issues", "issue_events", "pull_requests",
                  "issue_comments", "stargazers"):  # fmt: skip
        cols = ", ".join(f"{n} {t}" for n, t in raw_columns()[table])
        wh.execute(f"create table if not exists {raw}.{table} ({cols})")
    wh.execute(
        f"create table if not exists {raw}._dlt_loads (load_id text, schema_name text, "
        "status bigint, inserted_at timestamp with time zone, schema_version_hash text)"
    )


def _series(n: int) -> str:
    return f"(select cast(g as bigint) as i from generate_series(1, {n}) as s(g)) as n"


def generate(wh: Warehouse, repos: int, days: int, first_day: date, load_id: str,
              id_base: int) -> int:  # fmt: skip
    """Insert `days` days of activity for `repos` repositories; returns events generated."""
    raw = wh.settings.raw_schema
    start = f"timestamp with time zone '{first_day.isoformat()} 00:00:00+00'"
    day_of = f"(i % {days})"
    repo_of = f"(1000 + (i / {days}) % {repos})"
    at = f"{start} + {day_of} * interval '1 day' + ((i * 7919) % 86400) * interval '1 second'"
    n = {k: int(v * repos * days) for k, v in PER_DAY.items()}
    lid = f"'{load_id}'"
    wh.execute(
        f"insert into {raw}.commits (repository_id, sha, author_login, author_is_bot, "
        "committed_at, additions, deletions, changed_files, _dlt_load_id) "
        f"select {repo_of}, cast({id_base} + i as text), 'user' || cast((i * 31) % 500 as text), "
        f"(i % 20) = 0, {at}, i % 40, i % 9, 1 + i % 4, {lid} from {_series(n['commits'])}"
    )
    wh.execute(
        f"insert into {raw}.issues (id, repository_id, number, title, state, author_login, "
        "author_is_bot, comments_count, reactions_count, created_at, updated_at, closed_at, "
        "_dlt_load_id) "
        f"select {id_base} + i, {repo_of}, i, 'issue', "
        "case when i % 3 = 0 then 'open' else 'closed' end, "
        f"'user' || cast((i * 17) % 500 as text), false, i % 5, i % 3, {at}, {at}, "
        f"case when i % 3 = 0 then null else {at} + (i % 200) * interval '1 hour' end, {lid} "
        f"from {_series(n['issues'])}"
    )
    wh.execute(
        f"insert into {raw}.pull_requests (id, repository_id, number, title, state, "
        "author_login, author_is_bot, created_at, updated_at, closed_at, merged_at, "
        "_dlt_load_id) "
        f"select {id_base} + i, {repo_of}, i, 'pr', 'CLOSED', "
        f"'user' || cast((i * 13) % 500 as text), false, {at}, {at}, "
        f"case when i % 4 = 0 then null else {at} + (i % 50) * interval '1 hour' end, "
        f"case when i % 4 in (1, 2) then {at} + (i % 50) * interval '1 hour' end, {lid} "
        f"from {_series(n['pull_requests'])}"
    )
    wh.execute(
        f"insert into {raw}.issue_comments (id, repository_id, issue_id, author_login, "
        "author_is_bot, created_at, updated_at, _dlt_load_id) "
        f"select {id_base} + i, {repo_of}, {id_base} + 1 + (i % {max(n['issues'], 1)}), "
        f"'user' || cast((i * 7) % 500 as text), false, {at}, {at}, {lid} "
        f"from {_series(n['issue_comments'])}"
    )
    wh.execute(
        f"insert into {raw}.stargazers (repository_id, user_id, user_login, starred_at, "
        f"_dlt_load_id) select {repo_of}, {id_base} + i, 'user' || cast(i as text), {at}, {lid} "
        f"from {_series(n['stargazers'])}"
    )
    wh.execute(
        f"insert into {raw}._dlt_loads values ({lid}, 'github', 0, "
        f"to_timestamp({float(load_id)}), null)"
    )
    counts = {t: wh.scalar(f"select count(*) from {raw}.{t} where _dlt_load_id = {lid}")
              for t in PER_DAY}  # fmt: skip
    closed = wh.scalar(f"select count(*) from {raw}.issues where _dlt_load_id = {lid} "
                       "and closed_at is not null")  # fmt: skip
    merged = wh.scalar(f"select count(*) from {raw}.pull_requests where _dlt_load_id = {lid} "
                       "and closed_at is not null")  # fmt: skip
    return int(sum(counts.values()) + closed + merged)


def late_changes(wh: Warehouse, load_id: str, limit: int) -> int:
    """Close `limit` old open issues today (late changes that touch old days)."""
    raw = wh.settings.raw_schema
    ids = [r["id"] for r in wh.query(
        f"select id from {raw}.issues where state = 'open' order by id limit {limit}")]  # fmt: skip
    if ids:
        wh.execute(
            f"update {raw}.issues set state = 'closed', closed_at = "
            f"timestamp with time zone '{AS_OF.isoformat()} 09:00:00+00', "
            f"_dlt_load_id = '{load_id}' where id in ({', '.join(map(str, ids))})"
        )
        wh.execute(
            f"insert into {raw}._dlt_loads values ('{load_id}', 'github', 0, "
            f"to_timestamp({float(load_id)}), null)"
        )
    return len(ids)


def track(wh: Warehouse, repos: int, workspaces: int = 1) -> None:
    control = wh.settings.control_schema
    migrate(wh)
    with wh.transaction():
        for w in range(workspaces):
            wh.execute(f"insert into {control}.workspaces (slug, name, tier) values "
                       f"('ws{w}', 'ws{w}', 'enterprise')")  # fmt: skip
        for r in range(repos):
            name = f"bench/repo{r}"
            wh.execute(f"insert into {control}.repositories (full_name, github_id) "
                       f"values ('{name}', {1000 + r})")  # fmt: skip
            slug = f"ws{r % workspaces}"
            wh.execute(f"insert into {control}.workspace_repositories "
                       f"(workspace_slug, full_name) values ('{slug}', '{name}')")  # fmt: skip
            # Synced this morning: every day before the as-of date is complete.
            wh.execute(f"insert into {control}.sync_state (full_name, resource, last_sync_at, "
                       f"last_success_at, last_status) values ('{name}', 'issues', "
                       f"'{AS_OF.isoformat()} 06:00:00+00', '{AS_OF.isoformat()} 06:00:00+00', "
                       "'success')")  # fmt: skip


def add_new_data(
    wh: Warehouse, repos: int, events: int, batch: int, late_share: float = LATE_SHARE
) -> int:
    """About `events` new events in new loads: today's activity plus late closes of old
    issues (`late_share` of them), which touch old days. Returns the events generated."""
    new, k = 0, 0
    while new < events * (1 - late_share):
        load_id = f"{1782800000 + batch * 1000 + k}.0"
        new += generate(wh, repos, 1, AS_OF, load_id, 10_000_000_000 * (batch * 100 + k + 1))
        k += 1
    if late_share <= 0:
        return new
    late_load = f"{1782800000 + batch * 1000 + 999}.0"
    return new + late_changes(wh, late_load, limit=max(1, int(events * late_share)))
