{#-
    Who contributed to each active workspace over the last 7, 30, 90 and 365 days (whole
    UTC days ending on the as-of date), one row per workspace, range and contributor,
    ranked. Contributions follow docs/metrics.md (non-bot, non-ghost); only events inside
    each repository's retention window count, so a 30-day workspace's 90d range holds at
    most 30 days. Counted from the events of each range, never summed from daily distincts.
    prs_merged credits a pull request's author on the day it merged (the pr_merged event's
    actor is whoever merged it), so it is not part of contributions_total.
-#}
{%- set kinds = {
    'commits_count': ['commit'],
    'prs_opened': ['pr_opened'],
    'reviews': ['pr_reviewed'],
    'issues_opened': ['issue_opened'],
    'comments': ['issue_commented', 'pr_review_commented', 'discussion_commented'],
    'discussions_opened': ['discussion_opened'],
} -%}
{{
    config(
        tags=['hourly'],
        indexes=[{'columns': ['workspace_slug', 'time_range']}] if target.type == 'postgres' else [],
    )
}}

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

credited as (

    select * from contributions
    union all
    select * from merged_authored

),

by_contributor as (

    select
        workspace_slug,
        time_range,
        contributor_login,
        min(range_days) as range_days,
        {%- for column, types in kinds.items() %}
        count(
            case
                when activity_type in (
                        {%- for type in types %}
                        '{{ type }}'{{ ',' if not loop.last }}
                        {%- endfor %}
                    ) then 1
            end
        ) as {{ column }},
        {%- endfor %}
        count(case when activity_type = 'pr_merged_authored' then 1 end) as prs_merged,
        count(case when activity_type <> 'pr_merged_authored' then 1 end) as contributions_total,
        count(distinct case when activity_type <> 'pr_merged_authored' then activity_date end)
            as active_days,
        count(distinct repository_id) as repositories_count,
        max(occurred_at) as last_activity_at
    from credited
    group by workspace_slug, time_range, contributor_login

),

final as (

    select
        by_contributor.workspace_slug,
        by_contributor.time_range,
        by_contributor.range_days,
        row_number() over (
            partition by by_contributor.workspace_slug, by_contributor.time_range
            order by
                by_contributor.contributions_total desc,
                by_contributor.prs_merged desc,
                by_contributor.contributor_login asc
        ) as contributor_rank,
        by_contributor.contributor_login,
        {%- for column in kinds %}
        by_contributor.{{ column }},
        {%- endfor %}
        by_contributor.prs_merged,
        by_contributor.contributions_total,
        by_contributor.active_days,
        by_contributor.repositories_count,
        by_contributor.last_activity_at
    from by_contributor
    inner join workspaces
        on by_contributor.workspace_slug = workspaces.workspace_slug

)

select * from final
