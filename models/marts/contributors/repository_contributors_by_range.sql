{#-
    Who contributed to each repository of each active workspace over the last 7, 30, 90
    and 365 days, one row per workspace, repository, range and contributor, ranked within
    the repository. Per workspace because the retention window is the workspace's.
-#}
{{
    config(
        tags=['hourly'],
        indexes=[{'columns': ['workspace_slug', 'time_range']}] if target.type == 'postgres' else [],
    )
}}

with

credited as (

    select * from {{ ref('int_workspace_contributions_by_range') }}

),

by_contributor as (

    select
        workspace_slug,
        repository_id,
        time_range,
        contributor_login,
        min(full_name) as full_name,
        min(range_days) as range_days,
        {{ contribution_counts() }}
    from credited
    group by workspace_slug, repository_id, time_range, contributor_login

),

final as (

    select
        workspace_slug,
        repository_id,
        full_name,
        time_range,
        range_days,
        row_number() over (
            partition by workspace_slug, repository_id, time_range
            order by contributions_total desc, prs_merged desc, contributor_login asc
        ) as contributor_rank,
        contributor_login,
        commits_count,
        prs_opened,
        reviews,
        issues_opened,
        comments,
        discussions_opened,
        prs_merged,
        contributions_total,
        active_days,
        last_activity_at
    from by_contributor

)

select * from final
