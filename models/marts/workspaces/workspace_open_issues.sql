{#-
    Issues open now (at the as-of time), one row per active workspace and issue of a
    repository it tracks: where, who, labels, assignees and age. An issue belongs to a
    workspace while its latest activity (updated, else created) is inside the workspace's
    retention window for the repository, the rule the purge keeps raw rows by: an issue
    opened two years ago and commented on last week is here, 700-odd days old.
    workspace_issues_cache counts issues *opened* in a range; this is what is open now.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug']}]),
    )
}}

with

issues as (

    select * from {{ ref('stg_github__issues') }}

),

labels as (

    select * from {{ ref('stg_github__issue_labels') }}

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

clock as (

    select {{ as_of_timestamp() }} as as_of_at

),

open_issues as (

    select * from issues
    where
        not is_closed
        and created_at <= {{ as_of_timestamp() }}

),

issue_labels as (

    select
        labels.issue_id,
        count(*) as labels_count,
        {{ dbt.listagg('labels.label_name', "', '", 'order by labels.label_name') }} as labels
    from labels
    inner join open_issues
        on labels.issue_id = open_issues.issue_id
    group by labels.issue_id

),

final as (

    select
        windows.workspace_slug,
        windows.repository_id,
        windows.full_name,
        open_issues.issue_id,
        open_issues.issue_number,
        open_issues.title as issue_title,
        repositories.html_url || '/issues/'
        || cast(open_issues.issue_number as {{ dbt.type_string() }}) as issue_url,
        open_issues.author_login,
        open_issues.assignees,
        coalesce(issue_labels.labels_count, 0) as labels_count,
        issue_labels.labels,
        open_issues.milestone_title,
        open_issues.comments_count,
        open_issues.reactions_count,
        open_issues.created_at,
        open_issues.updated_at,
        cast(
            {{ dbt.datediff('open_issues.created_at', 'clock.as_of_at', 'day') | trim }}
            as bigint
        ) as days_open
    from open_issues
    cross join clock
    inner join windows
        on open_issues.repository_id = windows.repository_id
    inner join workspaces
        on windows.workspace_slug = workspaces.workspace_slug
    left join repositories
        on open_issues.repository_id = repositories.repository_id
    left join issue_labels
        on open_issues.issue_id = issue_labels.issue_id
    where
        cast(coalesce(open_issues.updated_at, open_issues.created_at) as date)
        >= windows.window_start_date

)

select * from final
