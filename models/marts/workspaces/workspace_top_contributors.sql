{#-
    The workspace page's top-contributors list: the first ten of workspace_contributors_by_range
    per active workspace and range (7d, 30d, 90d, 1y), with that mart's counts and rank
    (contributions, then merged PRs, then login), and 'all': everything the workspace
    retains. Retention is at most 365 days (the control plane's check on
    data_retention_days; tiers and add-ons stay inside it), and the 1y range only ever
    counts events inside the retention window, so 'all' is the 1y list labelled with the
    workspace's longest retention; a workspace retaining more than 365 days gets no 'all'
    rows rather than wrong ones. avatar_url: the login's avatar as the loaders last read it
    with one of its contributions (stg_github__actors).
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug', 'time_range']}]),
    )
}}

with

contributors as (

    select * from {{ ref('workspace_contributors_by_range') }}
    where contributor_rank <= {{ var('workspace_top_contributors', 10) }}

),

actors as (

    select * from {{ ref('stg_github__actors') }}

),

retention as (

    select
        workspace_slug,
        max(retention_days) as retention_days
    from {{ ref('int_workspace_repository_windows') }}
    group by workspace_slug

),

-- The rolling ranges as they are, and 'all' as the 1y list (see above).
ranged as (

    select
        workspace_slug,
        time_range,
        range_days,
        contributor_rank,
        contributor_login,
        prs_opened,
        prs_merged,
        issues_opened,
        commits_count,
        reviews,
        comments,
        contributions_total,
        last_activity_at
    from contributors

    union all

    select
        contributors.workspace_slug,
        'all' as time_range,
        retention.retention_days as range_days,
        contributors.contributor_rank,
        contributors.contributor_login,
        contributors.prs_opened,
        contributors.prs_merged,
        contributors.issues_opened,
        contributors.commits_count,
        contributors.reviews,
        contributors.comments,
        contributors.contributions_total,
        contributors.last_activity_at
    from contributors
    inner join retention
        on contributors.workspace_slug = retention.workspace_slug
    where
        contributors.time_range = '1y'
        and retention.retention_days <= 365

),

final as (

    select
        ranged.workspace_slug,
        ranged.time_range,
        ranged.range_days,
        ranged.contributor_rank,
        ranged.contributor_login,
        actors.avatar_url,
        cast(ranged.prs_opened as bigint) as prs_opened,
        cast(ranged.prs_merged as bigint) as prs_merged,
        cast(ranged.issues_opened as bigint) as issues_opened,
        cast(ranged.commits_count as bigint) as commits_count,
        cast(ranged.reviews as bigint) as reviews,
        cast(ranged.comments as bigint) as comments,
        cast(ranged.contributions_total as bigint) as contributions_total,
        ranged.last_activity_at
    from ranged
    left join actors
        on ranged.contributor_login = actors.actor_login

)

select * from final
