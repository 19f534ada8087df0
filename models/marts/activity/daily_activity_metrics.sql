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
        retention) and days still incomplete (today, or not yet covered by a sync);
      - days of 'retracted' markers (they carry the new load id, so they are among the
        changed events): an event a changed source row no longer has on that day (a pull
        request closed unmerged and reopened) leaves one in int_activity_events.
    A post-hook drops rows that left every retention window (macros/delete_rows_outside_windows.sql).
-#}
-- depends_on: {{ ref('stg_github__issue_events') }}
-- depends_on: {{ ref('int_repositories_tracked') }}
{#- The loads int_activity_events covers that this model has not seen (macros/new_loads.sql):
    never past the upstream's own watermark, so a load that commits between the two models
    is not skipped. -#}
{%- set new_load_ids = unseen_load_ids(
    ref('stg_github__loads'),
    'select max(events_loaded_through) from ' ~ this,
    ceiling='select max(dlt_loads_seen_through) from ' ~ ref('int_activity_events'),
) if is_incremental() else [] -%}
{%- set new_events = load_ids_filter('dlt_load_id', new_load_ids) -%}
{#- PostgreSQL: JIT off; compiling this query cost more than running an incremental batch.
    `set local` ends with the model's transaction.
    Index on is_complete: each run finds the few incomplete days by lookup, not by a scan of
    the whole mart. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key=['repository_id', 'activity_date'],
        partition_by=spark_partition_by('activity_date'),
        on_schema_change='append_new_columns',
        tags=['hourly'],
        pre_hook=["{{ jit_off() }}"],
        post_hook=[
            "{{ delete_rows_outside_windows(this, ref('int_repository_days')) }}",
            "{{ analyze_if_stale(this) }}",
        ],
        indexes=postgres_indexes([
            {'columns': ['repository_id', 'activity_date'], 'unique': true},
            {'columns': ['events_loaded_through']},
            {'columns': ['is_complete', 'repository_id', 'activity_date']},
        ]),
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

first_contribution_days as (select * from {{ ref('int_repository_first_contributions') }}),

{% if is_incremental() %}

watermark as (select max(events_loaded_through) as seen_through from {{ this }}),

-- Events of the loads int_activity_events has processed since the last run.
changed_events as (

    select * from {{ ref('int_activity_events') }}
    where {{ new_events }}

),

-- The watermark the next run starts from.
loads as (

    select coalesce(max(all_loads.inserted_at), max(watermark.seen_through)) as loaded_through
    from watermark
    left join {{ ref('stg_github__loads') }} as all_loads
        on {{ load_ids_filter('all_loads.dlt_load_id', new_load_ids) }}

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
-- Rows written since the watermark (a range, by index on PostgreSQL). With no watermark yet
-- every loaded event is new to this run, so its days are all among the changed ones.
previous_first_days as (

    select
        repository_id,
        previous_first_contribution_date as activity_date
    from first_contribution_days
    where
        previous_first_contribution_date is not null
        and loads_seen_through > (select watermark.seen_through from watermark)

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

    {{ rows_for_keys(ref('int_repository_days'), 'affected_days',
        ['repository_id', 'activity_date']) }}

    union

    -- Window days with no row yet: a new day, a newly tracked repository, longer retention.
    -- Each repository's rows form one unbroken run of days (every run fills the window and
    -- the post-hook trims it from the ends), so a day is missing iff it lies outside its
    -- repository's stored first..last day: no anti-join of the spine with the stored rows.
    -- (macros/repository_day_ranges.sql: index probes per repository on PostgreSQL).
    {{ days_outside_range(ref('int_repository_days'), this, ref('int_repositories_tracked')) }}

),

target_first_days as (

    select
        repository_id,
        activity_date as first_contribution_date
    from target_days

),

{% else %}

loads as (

    select max(inserted_at) as loaded_through
    from {{ ref('stg_github__loads') }}
    where inserted_at <= (
            select max(loaded_events.dlt_loads_seen_through)
            from {{ ref('int_activity_events') }} as loaded_events
        )

),

target_days as (

    select * from spine

),

{% endif %}

day_events as (

    {%- if is_incremental() %}
    {{ rows_for_keys('events', 'target_days', ['repository_id', 'activity_date']) }}
    {%- else %}
    select events.*
    from events
    inner join target_days
        on
            events.repository_id = target_days.repository_id
            and events.activity_date = target_days.activity_date
    {%- endif %}

),

-- A contributor is new on the day of their first contribution in the repository, over all
-- loaded history (int_repository_first_contributions): count those first days directly,
-- rather than join every event to every contributor's first day.
first_days_of_targets as (

    {%- if is_incremental() %}
    {{ rows_for_keys(ref('int_repository_first_contributions'), 'target_first_days',
        ['repository_id', 'first_contribution_date']) }}
    {%- else %}
    select * from first_contribution_days
    {%- endif %}

),

new_contributor_counts as (

    select
        repository_id,
        first_contribution_date as activity_date,
        count(*) as new_contributors
    from first_days_of_targets
    group by repository_id, first_contribution_date

),

aggregated as (

    select
        day_events.repository_id,
        day_events.activity_date,
        count(case when day_events.activity_type = 'commit' then 1 end) as commits_count,
        cast(sum(
            case when day_events.activity_type = 'commit' then day_events.additions else 0 end
        ) as bigint) as additions,
        cast(sum(
            case when day_events.activity_type = 'commit' then day_events.deletions else 0 end
        ) as bigint) as deletions,
        cast(sum(
            case when day_events.activity_type = 'commit' then day_events.changed_files else 0 end
        ) as bigint) as files_changed,
        count(distinct case
            when day_events.activity_type = 'commit' and not day_events.actor_is_bot
                then day_events.actor_login
        end) as unique_authors,
        count(case when day_events.activity_type = 'pr_opened' then 1 end) as prs_opened,
        count(case when day_events.activity_type = 'pr_merged' then 1 end) as prs_merged,
        count(case when day_events.activity_type = 'pr_closed_unmerged' then 1 end)
            as prs_closed,
        count(distinct case
            when day_events.activity_type = 'pr_reviewed' then day_events.subject_id
        end) as prs_reviewed,
        count(case when day_events.activity_type = 'issue_opened' then 1 end)
            as issues_opened,
        count(case when day_events.activity_type = 'issue_closed' then 1 end)
            as issues_closed,
        count(distinct case
            when day_events.activity_type = 'issue_commented' then day_events.subject_id
        end) as issues_commented,
        count(case when day_events.activity_type = 'star' then 1 end) as stars,
        count(case when day_events.activity_type = 'fork' then 1 end) as forks,
        count(case when day_events.activity_type = 'release' then 1 end) as releases,
        count(distinct case when day_events.is_contribution then day_events.actor_login end)
            as active_contributors,
        count(distinct case
            when day_events.activity_type = 'pr_commented' then day_events.subject_id
        end) as prs_commented,
        avg(case when day_events.activity_type = 'pr_merged' then day_events.duration_hours end)
            as avg_pr_merge_time_hours,
        avg(
            case when day_events.activity_type = 'issue_closed' then day_events.duration_hours end
        ) as avg_issue_close_time_hours
    from day_events
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
        cast(coalesce(aggregated.prs_commented, 0) as bigint) as prs_commented,
        coalesce(aggregated.issues_opened, 0) as issues_opened,
        coalesce(aggregated.issues_closed, 0) as issues_closed,
        coalesce(aggregated.issues_commented, 0) as issues_commented,
        coalesce(aggregated.stars, 0) as stars,
        coalesce(aggregated.forks, 0) as forks,
        coalesce(aggregated.releases, 0) as releases,
        coalesce(aggregated.active_contributors, 0) as active_contributors,
        coalesce(new_contributor_counts.new_contributors, 0) as new_contributors,
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
    left join new_contributor_counts
        on
            target_days.repository_id = new_contributor_counts.repository_id
            and target_days.activity_date = new_contributor_counts.activity_date
    left join sync_status
        on target_days.full_name = sync_status.full_name
    cross join loads

)
{#- Spark: plus the kept rows of the partitions these rows touch (delete+insert there). #}

{{ rewrite_touched_partitions('select * from final') }}
