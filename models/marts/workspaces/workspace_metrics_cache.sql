{#-
    One row per active workspace and time range (7d, 30d, 90d, 1y) as of the build: the
    range's metrics, the same metrics over the previous range of equal length, and the trend
    in percent (null when the previous value is 0). Plus 'all': everything the workspace
    retains, from its longest window's first day (range_days its longest retention), with
    no previous period (nothing older is retained), so its *_previous and trends are null. Ranges are whole UTC days ending on the
    as-of date. Only events inside each repository's retention window count, so a 30-day
    workspace's 90d range holds at most 30 days of data. is_history_complete: every
    repository's raw history reaches back to the range's start (or its window's, if later);
    false while a window job is still loading it (repository_history_coverage).
-#}
{%- set counts = [
    'prs_opened', 'prs_merged', 'issues_opened', 'issues_closed', 'commits_count',
    'stars', 'forks', 'active_contributors', 'new_contributors'
] -%}
{%- set ratios = [
    'pr_velocity_per_day', 'issue_closure_rate', 'median_hours_to_merge',
    'median_hours_to_first_review', 'median_hours_to_first_response',
    'median_hours_to_first_pr_response', 'median_hours_to_review_after_request'
] -%}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug']}]),
    )
}}

with

events as (

    select * from {{ ref('int_workspace_activity_events') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

pull_request_first_responses as (

    select * from {{ ref('int_pull_request_first_responses') }}

),

review_request_turnarounds as (

    select * from {{ ref('int_review_request_turnarounds') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

ranges as (

    {{ time_ranges(['7d', '30d', '90d', '1y']) }}

),

-- The rolling ranges and the range before each, the same for every workspace.
periods as (

    select
        time_range,
        range_days,
        'current' as period,
        cast({{ dbt.dateadd('day', '1 - range_days', as_of_date()) }} as date) as period_start,
        {{ as_of_date() }} as period_end
    from ranges

    union all

    select
        time_range,
        range_days,
        'previous' as period,
        cast({{ dbt.dateadd('day', '1 - 2 * range_days', as_of_date()) }} as date),
        cast({{ dbt.dateadd('day', '0 - range_days', as_of_date()) }} as date)
    from ranges

),

workspace_retention as (

    select
        workspace_slug,
        max(retention_days) as retention_days,
        min(window_start_date) as window_start_date
    from windows
    group by workspace_slug

),

-- Every workspace's periods: the rolling ones, and 'all' (current only) from its own
-- retention. A workspace tracking no repository retains nothing and has no 'all' row.
grid as (

    select
        workspaces.workspace_slug,
        periods.time_range,
        periods.range_days,
        periods.period,
        periods.period_start,
        periods.period_end
    from workspaces
    cross join periods

    union all

    select
        workspaces.workspace_slug,
        'all' as time_range,
        workspace_retention.retention_days as range_days,
        'current' as period,
        workspace_retention.window_start_date as period_start,
        {{ as_of_date() }} as period_end
    from workspaces
    inner join workspace_retention
        on workspaces.workspace_slug = workspace_retention.workspace_slug

),

-- PR first responses (earliest of review, conversation comment, review comment by someone
-- else) and answered review requests, on the day of the response, inside retention.
pr_response_medians as (

    {{ workspace_period_median(
        'pull_request_first_responses', 'hours_to_first_response', 'first_response_date',
        'median_hours_to_first_pr_response'
    ) }}

),

review_request_medians as (

    {{ workspace_period_median(
        'review_request_turnarounds', 'hours_to_review', 'first_review_date',
        'median_hours_to_review_after_request'
    ) }}

),

first_contributions as (

    select
        workspace_slug,
        actor_login,
        min(activity_date) as first_contribution_date
    from events
    where is_contribution
    group by workspace_slug, actor_login

),

period_events as (

    select
        grid.time_range,
        grid.period,
        grid.period_start,
        events.*,
        first_contributions.first_contribution_date
    from events
    inner join grid
        on
            events.workspace_slug = grid.workspace_slug
            and events.activity_date between grid.period_start and grid.period_end
    left join first_contributions
        on
            events.workspace_slug = first_contributions.workspace_slug
            and events.actor_login = first_contributions.actor_login

),

aggregated as (

    select
        workspace_slug,
        time_range,
        period,
        count(case when activity_type = 'pr_opened' then 1 end) as prs_opened,
        count(case when activity_type = 'pr_merged' then 1 end) as prs_merged,
        count(case when activity_type = 'issue_opened' then 1 end) as issues_opened,
        count(case when activity_type = 'issue_closed' then 1 end) as issues_closed,
        count(case when activity_type = 'commit' then 1 end) as commits_count,
        count(case when activity_type = 'star' then 1 end) as stars,
        count(case when activity_type = 'fork' then 1 end) as forks,
        count(distinct case when is_contribution then actor_login end) as active_contributors,
        count(distinct case
            when is_contribution and first_contribution_date >= period_start then actor_login
        end) as new_contributors,
        {{ median("case when activity_type = 'pr_merged' then duration_hours end") }}
            as median_hours_to_merge,
        {{ median(
            "case when activity_type = 'pr_reviewed' and is_first_response"
            ~ " then response_hours end"
        ) }} as median_hours_to_first_review,
        {{ median(
            "case when activity_type = 'issue_commented' and is_first_response"
            ~ " then response_hours end"
        ) }} as median_hours_to_first_response
    from period_events
    group by workspace_slug, time_range, period

),

-- Whether every repository's complete history reaches the start of each current range.
range_coverage as (

    select
        windows.workspace_slug,
        grid.time_range,
        min(case
            when coverage.history_complete_from_date <= grid.period_start then 1
            when coverage.history_complete_from_date <= windows.window_start_date then 1
            else 0
        end) = 1 as is_history_complete
    from windows
    inner join grid
        on
            windows.workspace_slug = grid.workspace_slug
            and grid.period = 'current'
    left join {{ ref('int_repositories__history_coverage') }} as coverage
        on windows.full_name = coverage.full_name
    group by windows.workspace_slug, grid.time_range

),

measured as (

    select
        grid.workspace_slug,
        grid.time_range,
        grid.range_days,
        grid.period,
        grid.period_start,
        grid.period_end,
        {%- for metric in counts %}
        coalesce(aggregated.{{ metric }}, 0) as {{ metric }},
        {%- endfor %}
        cast(coalesce(aggregated.prs_merged, 0) as {{ type_double() }}) / grid.range_days
            as pr_velocity_per_day,
        cast(aggregated.issues_closed as {{ type_double() }})
        / nullif(aggregated.issues_opened, 0) as issue_closure_rate,
        aggregated.median_hours_to_merge,
        aggregated.median_hours_to_first_review,
        aggregated.median_hours_to_first_response,
        pr_response_medians.median_hours_to_first_pr_response,
        review_request_medians.median_hours_to_review_after_request
    from grid
    left join aggregated
        on
            grid.workspace_slug = aggregated.workspace_slug
            and grid.time_range = aggregated.time_range
            and grid.period = aggregated.period
    left join pr_response_medians
        on
            grid.workspace_slug = pr_response_medians.workspace_slug
            and grid.time_range = pr_response_medians.time_range
            and grid.period = pr_response_medians.period
    left join review_request_medians
        on
            grid.workspace_slug = review_request_medians.workspace_slug
            and grid.time_range = review_request_medians.time_range
            and grid.period = review_request_medians.period

),

final as (

    select
        current_period.workspace_slug,
        current_period.time_range,
        current_period.range_days,
        current_period.period_start,
        current_period.period_end,
        previous_period.period_start as previous_period_start,
        previous_period.period_end as previous_period_end,
        {%- for metric in counts + ratios %}
        current_period.{{ metric }},
        previous_period.{{ metric }} as {{ metric }}_previous,
        {{ trend_pct('current_period.' ~ metric, 'previous_period.' ~ metric) }}
            as {{ metric }}_trend_pct,
        {%- endfor %}
        coalesce(range_coverage.is_history_complete, true) as is_history_complete,
        {{ as_of_timestamp() }} as computed_as_of
    from measured as current_period
    left join measured as previous_period
        on
            current_period.workspace_slug = previous_period.workspace_slug
            and current_period.time_range = previous_period.time_range
            and previous_period.period = 'previous'
    left join range_coverage
        on
            current_period.workspace_slug = range_coverage.workspace_slug
            and current_period.time_range = range_coverage.time_range
    where current_period.period = 'current'

)

select * from final
