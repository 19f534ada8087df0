{#-
    One row per active workspace, range and repository it tracks: what the workspace page's
    repository list shows. Ranges are 7d, 30d, 90d and 1y (whole UTC days ending on the
    as-of date) and 'all': everything the workspace retains for the repository, from its
    window start (range_days is then the retention). Only events inside the repository's
    retention window for the workspace count, as in workspace_metrics_cache. The current
    state columns (open issues and PRs, absolute totals) repeat workspace_repository_state
    on every range so one query per range returns the list.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug', 'time_range']}]),
    )
}}

with

events as (

    select * from {{ ref('int_workspace_activity_events') }}

),

repository_state as (

    select * from {{ ref('workspace_repository_state') }}

),

ranges as (

    {{ time_ranges(['7d', '30d', '90d', '1y']) }}

),

-- Per workspace and repository: the rolling ranges (never reaching before the window)
-- and 'all', the whole window.
repository_ranges as (

    select
        repository_state.workspace_slug,
        repository_state.repository_id,
        ranges.time_range,
        ranges.range_days,
        cast({{ dbt.dateadd('day', '1 - ranges.range_days', as_of_date()) }} as date)
            as period_start
    from repository_state
    cross join ranges

    union all

    select
        windows.workspace_slug,
        windows.repository_id,
        'all' as time_range,
        windows.retention_days as range_days,
        windows.window_start_date as period_start
    from {{ ref('int_workspace_repository_windows') }} as windows
    inner join repository_state
        on
            windows.workspace_slug = repository_state.workspace_slug
            and windows.repository_id = repository_state.repository_id

),

aggregated as (

    select
        repository_ranges.workspace_slug,
        repository_ranges.repository_id,
        repository_ranges.time_range,
        count(case when events.activity_type = 'pr_opened' then 1 end) as prs_opened,
        count(case when events.activity_type = 'pr_merged' then 1 end) as prs_merged,
        count(case when events.activity_type = 'issue_opened' then 1 end) as issues_opened,
        count(case when events.activity_type = 'issue_closed' then 1 end) as issues_closed,
        count(case when events.activity_type = 'commit' then 1 end) as commits_count,
        count(case when events.activity_type = 'star' then 1 end) as stars,
        count(case when events.activity_type = 'fork' then 1 end) as forks,
        count(distinct case when events.is_contribution then events.actor_login end)
            as contributors
    from repository_ranges
    inner join events
        on
            repository_ranges.workspace_slug = events.workspace_slug
            and repository_ranges.repository_id = events.repository_id
            and repository_ranges.period_start <= events.activity_date
    group by
        repository_ranges.workspace_slug,
        repository_ranges.repository_id,
        repository_ranges.time_range

),

final as (

    select
        repository_ranges.workspace_slug,
        repository_ranges.time_range,
        repository_ranges.range_days,
        repository_ranges.period_start,
        {{ as_of_date() }} as period_end,
        repository_ranges.repository_id,
        repository_state.full_name,
        repository_state.owner_avatar_url,
        repository_state.html_url,
        {%- for metric in [
            'prs_opened', 'prs_merged', 'issues_opened', 'issues_closed', 'commits_count',
            'stars', 'forks', 'contributors'
        ] %}
        cast(coalesce(aggregated.{{ metric }}, 0) as bigint) as {{ metric }},
        {%- endfor %}
        repository_state.open_issues,
        repository_state.open_prs,
        repository_state.draft_prs,
        repository_state.stargazers_total,
        repository_state.forks_total,
        repository_state.watchers_total
    from repository_ranges
    inner join repository_state
        on
            repository_ranges.workspace_slug = repository_state.workspace_slug
            and repository_ranges.repository_id = repository_state.repository_id
    left join aggregated
        on
            repository_ranges.workspace_slug = aggregated.workspace_slug
            and repository_ranges.repository_id = aggregated.repository_id
            and repository_ranges.time_range = aggregated.time_range

)

select * from final
