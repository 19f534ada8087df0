{#-
    One row per active workspace and UTC day of its retention window, zeros included.
    Distinct counts (contributors, reviewed PRs, commented issues) are computed from the
    events of all the workspace's repositories together, never summed from per-repository
    daily distincts: someone active in two repositories counts once.
-#}
{{ config(tags=['hourly']) }}

with

events as (

    select * from {{ ref('int_workspace_activity_events') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

workspace_retention as (

    select
        workspace_slug,
        max(retention_days) as retention_days,
        count(*) as repositories_count
    from windows
    group by workspace_slug

),

day_offsets as (

    {{ dbt.generate_series(var('max_retention_days')) }}

),

spine as (

    select
        workspace_retention.workspace_slug,
        workspace_retention.repositories_count,
        cast(
            {{ dbt.dateadd('day', '1 - day_offsets.generated_number', as_of_date()) }} as date
        ) as activity_date
    from workspace_retention
    inner join day_offsets
        on workspace_retention.retention_days >= day_offsets.generated_number

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

aggregated as (

    select
        events.workspace_slug,
        events.activity_date,
        count(distinct case
            when events.activity_type not in ('star', 'fork') then events.repository_id
        end)
            as active_repositories,
        count(case when events.activity_type = 'commit' then 1 end) as commits_count,
        cast(sum(
            case when events.activity_type = 'commit' then events.additions else 0 end
        ) as bigint) as additions,
        cast(sum(
            case when events.activity_type = 'commit' then events.deletions else 0 end
        ) as bigint) as deletions,
        count(distinct case
            when events.activity_type = 'commit' and not events.actor_is_bot
                then events.actor_login
        end) as unique_authors,
        count(case when events.activity_type = 'pr_opened' then 1 end) as prs_opened,
        count(case when events.activity_type = 'pr_merged' then 1 end) as prs_merged,
        count(case when events.activity_type = 'pr_closed_unmerged' then 1 end)
            as prs_closed,
        count(distinct case
            when events.activity_type = 'pr_reviewed' then events.subject_id
        end) as prs_reviewed,
        count(case when events.activity_type = 'issue_opened' then 1 end) as issues_opened,
        count(case when events.activity_type = 'issue_closed' then 1 end) as issues_closed,
        count(distinct case
            when events.activity_type = 'issue_commented' then events.subject_id
        end) as issues_commented,
        count(case when events.activity_type = 'star' then 1 end) as stars,
        count(case when events.activity_type = 'fork' then 1 end) as forks,
        count(case when events.activity_type = 'release' then 1 end) as releases,
        count(distinct case when events.is_contribution then events.actor_login end)
            as active_contributors,
        count(distinct case
            when events.activity_type = 'pr_commented' then events.subject_id
        end) as prs_commented,
        count(distinct case
            when
                events.is_contribution
                and first_contributions.first_contribution_date = events.activity_date
                then events.actor_login
        end) as new_contributors
    from events
    left join first_contributions
        on
            events.workspace_slug = first_contributions.workspace_slug
            and events.actor_login = first_contributions.actor_login
    group by events.workspace_slug, events.activity_date

),

final as (

    select
        spine.workspace_slug,
        spine.activity_date,
        spine.repositories_count,
        coalesce(aggregated.active_repositories, 0) as active_repositories,
        coalesce(aggregated.commits_count, 0) as commits_count,
        coalesce(aggregated.additions, 0) as additions,
        coalesce(aggregated.deletions, 0) as deletions,
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
        coalesce(aggregated.new_contributors, 0) as new_contributors
    from spine
    left join aggregated
        on
            spine.workspace_slug = aggregated.workspace_slug
            and spine.activity_date = aggregated.activity_date

)

select * from final
