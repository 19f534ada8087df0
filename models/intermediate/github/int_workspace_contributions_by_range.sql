{#-
    What each contributor is credited with in each look-back range of each active
    workspace (7d, 30d, 90d, 1y: whole UTC days ending on the as-of date), one row per
    credited event and range. Events come from int_workspace_activity_events, so only those
    inside the repository's retention window for the workspace count. Two kinds of credit:
      - the contributions of docs/metrics.md (is_contribution: non-bot, non-ghost);
      - 'pr_merged_authored': a merged pull request, credited to its author on the day it
        merged (the pr_merged event's actor is whoever pressed merge).
    The contributor marts (workspace_ and repository_contributors_by_range) aggregate it.
-#}
with

events as (

    select * from {{ ref('int_workspace_activity_events') }}

),

pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

ranges as (

    {{ time_ranges(['7d', '30d', '90d', '1y']) }}

),

range_events as (

    select
        ranges.time_range,
        ranges.range_days,
        events.*
    from events
    inner join workspaces
        on events.workspace_slug = workspaces.workspace_slug
    cross join ranges
    where
        events.activity_date
        >= cast({{ dbt.dateadd('day', '1 - ranges.range_days', as_of_date()) }} as date)

),

contributions as (

    select
        workspace_slug,
        time_range,
        range_days,
        actor_login as contributor_login,
        repository_id,
        full_name,
        activity_type,
        activity_date,
        occurred_at
    from range_events
    where is_contribution

),

merged_authored as (

    select
        range_events.workspace_slug,
        range_events.time_range,
        range_events.range_days,
        pull_requests.author_login as contributor_login,
        range_events.repository_id,
        range_events.full_name,
        'pr_merged_authored' as activity_type,
        range_events.activity_date,
        range_events.occurred_at
    from range_events
    inner join pull_requests
        on
            range_events.subject_id
            = cast(pull_requests.pull_request_id as {{ dbt.type_string() }})
    where
        range_events.activity_type = 'pr_merged'
        and pull_requests.author_login is not null
        and not pull_requests.author_is_bot

),

final as (

    select * from contributions
    union all
    select * from merged_authored

)

select * from final
