{#-
    One row per tracked repository and UTC day of its retention window, zeros included.
    Definitions: docs/metrics.md.

    Incremental (delete+insert on repository_id, activity_date). A run recomputes only:
      - days touched by rows of loads committed since the last run (every date of a
        changed row: created, closed, merged, committed, starred... since all its events
        carry its load id; dlt's commit time is the watermark, so loads committing out of
        order are not missed);
      - every close/reopen date of a changed issue (a reopen removes an earlier close
        from the issue row, but the timeline keeps its date);
      - the previous first-contribution day of contributors seen in the new rows
        (a backfill can move someone's first day earlier);
      - days of the window that have no row yet (a new day, a new repository, longer
        retention) and days still incomplete (today, or not yet covered by a sync).
    A post-hook drops rows that left every retention window.
    Known limit: a closed-unmerged pull request that is reopened keeps its old close day
    until the next full refresh (GitHub keeps no timeline of PR closes in the raw schema).
-#}
-- depends_on: {{ ref('stg_github__issue_events') }}
{#- PostgreSQL: JIT off; compiling this query cost more than running an incremental batch.
    `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['repository_id', 'activity_date'],
        on_schema_change='append_new_columns',
        tags=['hourly'],
        pre_hook=["set local jit = off"] if target.type == 'postgres' else [],
        post_hook=[
            "delete from {{ this }} where not exists (
                select 1 from {{ ref('int_repository_days') }} as spine
                where spine.repository_id = {{ this }}.repository_id
                    and spine.activity_date = {{ this }}.activity_date
            )"
        ],
        indexes=[
            {'columns': ['repository_id', 'activity_date'], 'unique': true},
        ] if target.type == 'postgres' else [],
    )
}}

with

spine as (

    select * from {{ ref('int_repository_days') }}

),

events as (

    select * from {{ ref('int_activity_events') }}

),

sync_status as (

    select * from {{ ref('int_repositories__sync_status') }}

),

all_loads as (select * from {{ ref('stg_github__loads') }}),

first_contribution_days as (select * from {{ ref('int_repository_first_contributions') }}),

loads as (select max(inserted_at) as loaded_through from all_loads),

{% if is_incremental() %}

watermark as (select max(events_loaded_through) as seen_through from {{ this }}),

-- Loads committed since the last run (dlt's commit time, so out-of-order commits count).
new_loads as (

    select all_loads.dlt_load_id
    from all_loads
    cross join watermark
    where watermark.seen_through is null or all_loads.inserted_at > watermark.seen_through

),

-- Reads the model itself rather than the `events` CTE: PostgreSQL materializes a CTE that
-- is referenced twice, which turned both reads into full scans of int_activity_events.
-- A lookup per new load (index on dlt_load_id on PostgreSQL) keeps the cost flat as
-- history grows; `offset 0` stops the planner from flattening it back into a hash join.
changed_events as (

    select changed.*
    from new_loads
    cross join lateral (
        select loaded.*
        from {{ ref('int_activity_events') }} as loaded
        where loaded.dlt_load_id = new_loads.dlt_load_id
        offset 0
    ) as changed

),

changed_issues as (

    select distinct subject_id
    from changed_events
    where activity_type in ('issue_opened', 'issue_closed', 'issue_reopened')

),

changed_issue_event_dates as (

    select
        issue_events.repository_id,
        cast(issue_events.created_at as date) as activity_date
    from {{ ref('stg_github__issue_events') }} as issue_events
    inner join changed_issues
        on cast(issue_events.issue_id as {{ dbt.type_string() }}) = changed_issues.subject_id

),

-- A backfill moved someone's first contribution earlier: the old first day loses them.
previous_first_days as (

    select
        repository_id,
        previous_first_contribution_date as activity_date
    from first_contribution_days
    cross join watermark
    where
        previous_first_contribution_date is not null
        and (watermark.seen_through is null or loads_seen_through > watermark.seen_through)

),

affected_days as (

    select repository_id, activity_date from changed_events
    union
    select repository_id, activity_date from changed_issue_event_dates
    union
    select repository_id, activity_date from previous_first_days
    union
    select repository_id, activity_date from {{ this }}
    where not is_complete

),

target_days as (

    select spine.*
    from spine
    inner join affected_days
        on
            spine.repository_id = affected_days.repository_id
            and spine.activity_date = affected_days.activity_date

    union

    -- Window days with no row yet: a new day, a newly tracked repository, longer retention.
    select spine.*
    from spine
    left join {{ this }} as existing
        on
            spine.repository_id = existing.repository_id
            and spine.activity_date = existing.activity_date
    where existing.repository_id is null

),

{% else %}

target_days as (

    select * from spine

),

{% endif %}

day_events as (

    {%- if is_incremental() %}
    -- A lookup per target day (index on repository_id, activity_date on PostgreSQL): the
    -- planner cannot know target_days is small and would otherwise hash all of history.
    -- `offset 0` keeps PostgreSQL from flattening the lateral back into a plain join.
    select events_of_day.*
    from target_days
    cross join lateral (
        select events.*
        from events
        where
            events.repository_id = target_days.repository_id
            and events.activity_date = target_days.activity_date
        offset 0
    ) as events_of_day
    {%- else %}
    select events.*
    from events
    inner join target_days
        on
            events.repository_id = target_days.repository_id
            and events.activity_date = target_days.activity_date
    {%- endif %}

),

-- First contribution of each contributor, over all loaded history (kept incrementally).
first_contributions as (

    select
        repository_id,
        actor_login,
        first_contribution_date
    from first_contribution_days

),

aggregated as (

    select
        day_events.repository_id,
        day_events.activity_date,
        sum(case when day_events.activity_type = 'commit' then 1 else 0 end) as commits_count,
        sum(case when day_events.activity_type = 'commit' then day_events.additions else 0 end)
            as additions,
        sum(case when day_events.activity_type = 'commit' then day_events.deletions else 0 end)
            as deletions,
        sum(
            case when day_events.activity_type = 'commit' then day_events.changed_files else 0 end
        ) as files_changed,
        count(distinct case
            when day_events.activity_type = 'commit' and not day_events.actor_is_bot
                then day_events.actor_login
        end) as unique_authors,
        sum(case when day_events.activity_type = 'pr_opened' then 1 else 0 end) as prs_opened,
        sum(case when day_events.activity_type = 'pr_merged' then 1 else 0 end) as prs_merged,
        sum(case when day_events.activity_type = 'pr_closed_unmerged' then 1 else 0 end)
            as prs_closed,
        count(distinct case
            when day_events.activity_type = 'pr_reviewed' then day_events.subject_id
        end) as prs_reviewed,
        sum(case when day_events.activity_type = 'issue_opened' then 1 else 0 end)
            as issues_opened,
        sum(case when day_events.activity_type = 'issue_closed' then 1 else 0 end)
            as issues_closed,
        count(distinct case
            when day_events.activity_type = 'issue_commented' then day_events.subject_id
        end) as issues_commented,
        sum(case when day_events.activity_type = 'star' then 1 else 0 end) as stars,
        sum(case when day_events.activity_type = 'fork' then 1 else 0 end) as forks,
        sum(case when day_events.activity_type = 'release' then 1 else 0 end) as releases,
        count(distinct case when day_events.is_contribution then day_events.actor_login end)
            as active_contributors,
        count(distinct case
            when
                day_events.is_contribution
                and first_contributions.first_contribution_date = day_events.activity_date
                then day_events.actor_login
        end) as new_contributors,
        avg(case when day_events.activity_type = 'pr_merged' then day_events.duration_hours end)
            as avg_pr_merge_time_hours,
        avg(
            case when day_events.activity_type = 'issue_closed' then day_events.duration_hours end
        ) as avg_issue_close_time_hours
    from day_events
    left join first_contributions
        on
            day_events.repository_id = first_contributions.repository_id
            and day_events.actor_login = first_contributions.actor_login
    group by day_events.repository_id, day_events.activity_date

),

final as (

    select
        target_days.repository_id,
        target_days.activity_date,
        target_days.full_name,
        coalesce(aggregated.commits_count, 0) as commits_count,
        coalesce(aggregated.additions, 0) as additions,
        coalesce(aggregated.deletions, 0) as deletions,
        coalesce(aggregated.files_changed, 0) as files_changed,
        coalesce(aggregated.unique_authors, 0) as unique_authors,
        coalesce(aggregated.prs_opened, 0) as prs_opened,
        coalesce(aggregated.prs_merged, 0) as prs_merged,
        coalesce(aggregated.prs_closed, 0) as prs_closed,
        coalesce(aggregated.prs_reviewed, 0) as prs_reviewed,
        coalesce(aggregated.issues_opened, 0) as issues_opened,
        coalesce(aggregated.issues_closed, 0) as issues_closed,
        coalesce(aggregated.issues_commented, 0) as issues_commented,
        coalesce(aggregated.stars, 0) as stars,
        coalesce(aggregated.forks, 0) as forks,
        coalesce(aggregated.releases, 0) as releases,
        coalesce(aggregated.active_contributors, 0) as active_contributors,
        coalesce(aggregated.new_contributors, 0) as new_contributors,
        aggregated.avg_pr_merge_time_hours,
        aggregated.avg_issue_close_time_hours,
        -- Complete once the day is over and a full sync finished after it ended.
        coalesce(
            target_days.activity_date < {{ as_of_date() }}
            and target_days.activity_date < cast({{ to_utc('sync_status.last_sync_at') }} as date),
            false
        ) as is_complete,
        loads.loaded_through as events_loaded_through
    from target_days
    left join aggregated
        on
            target_days.repository_id = aggregated.repository_id
            and target_days.activity_date = aggregated.activity_date
    left join sync_status
        on target_days.full_name = sync_status.full_name
    cross join loads

)

select * from final
