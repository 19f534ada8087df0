{#-
    The current state of each repository of each active workspace, at the as-of time: open
    issues, open and draft pull requests, and the absolute totals of stars, forks and
    watchers from the latest repository metadata (the raw repositories row the last load
    wrote). Open issues and pull requests follow workspace_open_issues' rule: open now, with
    their latest activity (updated, else created) inside the workspace's retention window
    for the repository, the rule the purge keeps raw rows by. The totals are GitHub's own
    counters, not bounded by retention.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug']}]),
    )
}}

with

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

open_issues as (

    select
        workspace_slug,
        repository_id,
        count(*) as open_issues
    from {{ ref('workspace_open_issues') }}
    group by workspace_slug, repository_id

),

open_pull_requests as (

    select
        windows.workspace_slug,
        windows.repository_id,
        count(*) as open_prs,
        count(case when pull_requests.is_draft then 1 end) as draft_prs
    from pull_requests
    inner join windows
        on pull_requests.repository_id = windows.repository_id
    where
        pull_requests.closed_at is null
        and pull_requests.merged_at is null
        and pull_requests.created_at <= {{ as_of_timestamp() }}
        and cast(coalesce(pull_requests.updated_at, pull_requests.created_at) as date)
        >= windows.window_start_date
    group by windows.workspace_slug, windows.repository_id

),

final as (

    select
        windows.workspace_slug,
        windows.repository_id,
        windows.full_name,
        repositories.owner_avatar_url,
        repositories.html_url,
        repositories.primary_language,
        cast(coalesce(open_issues.open_issues, 0) as bigint) as open_issues,
        cast(coalesce(open_pull_requests.open_prs, 0) as bigint) as open_prs,
        cast(coalesce(open_pull_requests.draft_prs, 0) as bigint) as draft_prs,
        cast(coalesce(repositories.stargazers_count, 0) as bigint) as stargazers_total,
        cast(coalesce(repositories.forks_count, 0) as bigint) as forks_total,
        cast(coalesce(repositories.watchers_count, 0) as bigint) as watchers_total,
        repositories.fetched_at as metadata_fetched_at
    from windows
    inner join workspaces
        on windows.workspace_slug = workspaces.workspace_slug
    left join repositories
        on windows.repository_id = repositories.repository_id
    left join open_issues
        on
            windows.workspace_slug = open_issues.workspace_slug
            and windows.repository_id = open_issues.repository_id
    left join open_pull_requests
        on
            windows.workspace_slug = open_pull_requests.workspace_slug
            and windows.repository_id = open_pull_requests.repository_id

)

select * from final
