{#-
    Sync status of each repository over all its resources: the oldest successful sync
    (null until every resource that has state has succeeded once) and the earliest next
    sync. A repository with no sync state at all was never synced.
-#}
with

sync_state as (

    select * from {{ ref('stg_control__sync_state') }}

),

aggregated as (

    select
        full_name,
        count(*) as resources_with_state,
        count(last_success_at) as resources_synced,
        min(last_success_at) as oldest_success_at,
        max(last_sync_at) as last_attempt_at,
        min(next_sync_at) as next_sync_at,
        count(case when last_status = 'failed' then 1 end) as resources_failed,
        count(case when last_status = 'deferred' then 1 end) as resources_deferred
    from sync_state
    group by full_name

),

final as (

    select
        full_name,
        resources_with_state,
        resources_synced,
        case
            when resources_synced = resources_with_state then oldest_success_at
        end as last_sync_at,
        last_attempt_at,
        next_sync_at,
        resources_failed,
        resources_deferred
    from aggregated

)

select * from final
