{#-
    Freshness of each tracked repository (by any active workspace) against the most
    demanding sync frequency asked for it:
      never_synced  no complete successful sync yet,
      fresh         last complete sync within sync_frequency_hours,
      late          within twice that,
      stale         older.
    is_issues_sync_overdue is the product promise: a repository added more than 24 hours
    ago that fetches issues must have a successful issues sync (tested).
    A fresh repository may still lack part of its history: is_history_complete says whether
    the raw history reaches back to its whole entitled window (repository_history_coverage).
-#}
{{ config(tags=['hourly']) }}

with

settings as (

    select * from {{ ref('int_workspace_repositories__settings') }}

),

sync_status as (

    select * from {{ ref('int_repositories__sync_status') }}

),

issues_sync as (

    select
        full_name,
        max(last_success_at) as issues_last_success_at
    from {{ ref('stg_control__sync_state') }}
    where resource = 'issues'
    group by full_name

),

coverage as (

    select * from {{ ref('int_repositories__history_coverage') }}

),

tracked as (

    select
        full_name,
        max(repository_id) as repository_id,
        max(repository_status) as repository_status,
        min(sync_frequency_hours) as sync_frequency_hours,
        min(added_at) as first_added_at,
        count(*) as workspaces_count,
        {{ dbt.bool_or('fetch_issues') }} as fetches_issues
    from settings
    group by full_name

),

measured as (

    select
        tracked.full_name,
        tracked.repository_id,
        tracked.repository_status,
        tracked.workspaces_count,
        tracked.sync_frequency_hours,
        tracked.fetches_issues,
        {{ to_utc('tracked.first_added_at') }} as first_added_at,
        {{ to_utc('sync_status.last_sync_at') }} as last_sync_at,
        {{ to_utc('issues_sync.issues_last_success_at') }} as issues_last_success_at,
        sync_status.resources_failed,
        coverage.history_complete_from,
        coverage.is_history_complete
    from tracked
    left join sync_status
        on tracked.full_name = sync_status.full_name
    left join issues_sync
        on tracked.full_name = issues_sync.full_name
    left join coverage
        on tracked.full_name = coverage.full_name

),

final as (

    select
        full_name,
        repository_id,
        repository_status,
        workspaces_count,
        sync_frequency_hours,
        fetches_issues,
        first_added_at,
        last_sync_at,
        issues_last_success_at,
        coalesce(resources_failed, 0) as resources_failed,
        {{ hours_between('last_sync_at', as_of_timestamp()) }} as hours_since_last_sync,
        case
            when last_sync_at is null then 'never_synced'
            when
                {{ hours_between('last_sync_at', as_of_timestamp()) }} <= sync_frequency_hours
                then 'fresh'
            when
                {{ hours_between('last_sync_at', as_of_timestamp()) }}
                <= 2 * sync_frequency_hours
                then 'late'
            else 'stale'
        end as freshness_status,
        coalesce(
            fetches_issues
            and repository_status = 'active'
            and issues_last_success_at is null
            and first_added_at < {{ dbt.dateadd('hour', -24, as_of_timestamp()) }},
            false
        ) as is_issues_sync_overdue,
        history_complete_from,
        coalesce(is_history_complete, false) as is_history_complete
    from measured

)

select * from final
