{#-
    The workspace page's top-contributors list: the first ten of workspace_contributors_by_range
    per active workspace and range (7d, 30d, 90d, 1y), with that mart's counts and rank
    (contributions, then merged PRs, then login). Contributor avatars are not stored: the
    loaders fetch logins only (see the yml).
-#}
{{
    config(
        tags=['hourly'],
        indexes=[{'columns': ['workspace_slug', 'time_range']}] if target.type == 'postgres' else [],
    )
}}

with

contributors as (

    select * from {{ ref('workspace_contributors_by_range') }}

),

final as (

    select
        workspace_slug,
        time_range,
        range_days,
        contributor_rank,
        contributor_login,
        cast(prs_opened as bigint) as prs_opened,
        cast(prs_merged as bigint) as prs_merged,
        cast(issues_opened as bigint) as issues_opened,
        cast(commits_count as bigint) as commits_count,
        cast(reviews as bigint) as reviews,
        cast(comments as bigint) as comments,
        cast(contributions_total as bigint) as contributions_total,
        last_activity_at
    from contributors
    where contributor_rank <= {{ var('workspace_top_contributors', 10) }}

)

select * from final
