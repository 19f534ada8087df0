{#-
    Who contributed to each active workspace over the last 7, 30, 90 and 365 days, one row
    per workspace, range and contributor, ranked. Counted from the range's credited events
    (int_workspace_contributions_by_range), never summed from daily distincts.
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
        time_range,
        contributor_login,
        min(range_days) as range_days,
        {{ contribution_counts() }},
        count(distinct repository_id) as repositories_count
    from credited
    group by workspace_slug, time_range, contributor_login

),

final as (

    select
        workspace_slug,
        time_range,
        range_days,
        row_number() over (
            partition by workspace_slug, time_range
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
        repositories_count,
        last_activity_at
    from by_contributor

)

select * from final
