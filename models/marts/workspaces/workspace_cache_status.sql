{#-
    Whether each workspace's cache is stale, decided when it is read (a view, so the clock
    is the reader's): stale when the calculation is older than the TTL (var
    workspace_cache_ttl_minutes, default 60: the product's one hour) or when a load
    finished after it (the cache misses that load's data). stale_reason says which.
-#}
{{ config(materialized='view', tags=['hourly']) }}

{%- set ttl_minutes = var('workspace_cache_ttl_minutes', 60) | int %}

with

cache as (

    select * from {{ ref('workspace_current_state') }}

),

loads as (

    select max(inserted_at) as newest_load_at
    from {{ ref('stg_github__loads') }}
    where is_loaded

),

clock as (

    select {{ to_utc('current_timestamp') }} as read_at

),

flagged as (

    select
        cache.workspace_slug,
        cache.calculated_at,
        cache.computed_as_of,
        cache.data_fetched_at,
        loads.newest_load_at,
        {{ ttl_minutes }} as cache_ttl_minutes,
        cache.calculated_at
        < {{ dbt.dateadd('minute', 0 - ttl_minutes, 'clock.read_at') }} as is_ttl_elapsed,
        coalesce(loads.newest_load_at > cache.calculated_at, false) as is_newer_load
    from cache
    cross join loads
    cross join clock

),

final as (

    select
        workspace_slug,
        calculated_at,
        computed_as_of,
        data_fetched_at,
        newest_load_at,
        cache_ttl_minutes,
        is_ttl_elapsed or is_newer_load as is_stale,
        case
            when is_newer_load then 'newer_load'
            when is_ttl_elapsed then 'ttl_elapsed'
        end as stale_reason
    from flagged

)

select * from final
