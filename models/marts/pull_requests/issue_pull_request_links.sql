{#-
    One row per (closing pull request, issue) link (GitHub's `closingIssuesReferences`):
    which issues a pull request closes, and how long from the issue's opening to the merge.
    The issue may live in a repository no workspace tracks, or one not loaded yet: its own
    columns are then null and only what the link says (node id, number, repository) shows.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([
            {'columns': ['pull_request_id']}, {'columns': ['issue_node_id']}
        ]),
    )
}}

with

links as (

    select * from {{ ref('stg_github__issue_pull_request_links') }}

),

pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

issues as (

    select * from {{ ref('stg_github__issues') }}

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

final as (

    select
        links.pull_request_id,
        links.pull_request_node_id,
        coalesce(links.pull_request_number, pull_requests.pull_request_number)
            as pull_request_number,
        links.repository_id as pull_request_repository_id,
        pull_request_repositories.full_name as pull_request_full_name,
        pull_requests.created_at as pull_request_created_at,
        pull_requests.merged_at as pull_request_merged_at,
        coalesce(pull_requests.is_merged, false) as is_pull_request_merged,
        links.issue_node_id,
        coalesce(links.issue_id, issues.issue_id) as issue_id,
        coalesce(links.issue_number, issues.issue_number) as issue_number,
        links.issue_repository_full_name,
        issue_repositories.repository_id as issue_repository_id,
        issues.issue_id is not null as is_issue_loaded,
        issues.created_at as issue_created_at,
        issues.closed_at as issue_closed_at,
        coalesce(issues.is_closed, false) as is_issue_closed,
        -- Only when both ends are known: an issue outside the warehouse has no opening time.
        {{ hours_between('issues.created_at', 'pull_requests.merged_at') }}
            as hours_from_issue_open_to_merge
    from links
    left join pull_requests
        on links.pull_request_id = pull_requests.pull_request_id
    left join issues
        on links.issue_node_id = issues.issue_node_id
    left join repositories as pull_request_repositories
        on links.repository_id = pull_request_repositories.repository_id
    left join repositories as issue_repositories
        on links.issue_repository_full_name = issue_repositories.full_name

)

select * from final
