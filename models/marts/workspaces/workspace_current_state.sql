{#-
    One row per active workspace: its current state (the sums of workspace_repository_state
    over its repositories) and the cache metadata the workspace page shows: when this
    calculation ran, the as-of time it reflects and the newest repository data it holds.
    Freshness (is_stale) is decided at read time by workspace_cache_status.
-#}
{{
    config(
        tags=['hourly'],
        indexes=[{'columns': ['workspace_slug']}] if target.type == 'postgres' else [],
    )
}}

with

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

repository_state as (

    select * from {{ ref('workspace_repository_state') }}

),

summed as (

    select
        workspace_slug,
        count(*) as repositories_count,
        sum(open_issues) as open_issues,
        sum(open_prs) as open_prs,
        sum(draft_prs) as draft_prs,
        sum(stargazers_total) as stargazers_total,
        sum(forks_total) as forks_total,
        sum(watchers_total) as watchers_total,
        max(metadata_fetched_at) as data_fetched_at
    from repository_state
    group by workspace_slug

),

final as (

    select
        workspaces.workspace_slug,
        cast(coalesce(summed.repositories_count, 0) as bigint) as repositories_count,
        cast(coalesce(summed.open_issues, 0) as bigint) as open_issues,
        cast(coalesce(summed.open_prs, 0) as bigint) as open_prs,
        cast(coalesce(summed.draft_prs, 0) as bigint) as draft_prs,
        cast(coalesce(summed.stargazers_total, 0) as bigint) as stargazers_total,
        cast(coalesce(summed.forks_total, 0) as bigint) as forks_total,
        cast(coalesce(summed.watchers_total, 0) as bigint) as watchers_total,
        summed.data_fetched_at,
        {{ as_of_timestamp() }} as computed_as_of,
        {{ to_utc('current_timestamp') }} as calculated_at
    from workspaces
    left join summed
        on workspaces.workspace_slug = summed.workspace_slug

)

select * from final
