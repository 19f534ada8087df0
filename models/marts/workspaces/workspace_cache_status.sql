{#-
    Whether each workspace's cache is stale, decided when it is read (a view, so the clock
    is the reader's). Stale, by the first reason that holds:
      - newer_load: a load of one of the workspace's repositories succeeded after the
        calculation (control sync_state), so the figures miss its data;
      - new_day: the UTC day moved past the calculation's as-of day, so the ranges moved;
      - ttl_elapsed: the calculation is older than the TTL (var workspace_cache_ttl_minutes,
        default 60: the product's one hour).
    docs/metrics.md (cache freshness) says how `warehouse run` and its build skip meet it.
-#}
{{ config(materialized='view', tags=['hourly']) }}

{%- set ttl_minutes = var('workspace_cache_ttl_minutes', 60) | int %}

with

cache as (

    select * from {{ ref('workspace_current_state') }}

),

-- The workspace's repositories from a table of this build (cheap to read), not the
-- intermediate views that derive them.
repositories as (

    select * from {{ ref('workspace_repository_state') }}

),

sync_state as (

    select * from {{ ref('stg_control__sync_state') }}

),

loads as (

    select
        repositories.workspace_slug,
        -- converted once per workspace, not per row (the newest instant is the same)
        {{ to_utc('max(sync_state.last_success_at)') }} as newest_load_at
    from repositories
    inner join sync_state
        on repositories.full_name = sync_state.full_name
    group by repositories.workspace_slug

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
        coalesce(loads.newest_load_at > cache.calculated_at, false) as is_newer_load,
        cast(clock.read_at as date) > cast(cache.computed_as_of as date) as is_new_day,
        cache.calculated_at
        < {{ dbt.dateadd('minute', 0 - ttl_minutes, 'clock.read_at') }} as is_ttl_elapsed
    from cache
    cross join clock
    left join loads
        on cache.workspace_slug = loads.workspace_slug

),

final as (

    select
        workspace_slug,
        calculated_at,
        computed_as_of,
        data_fetched_at,
        newest_load_at,
        cache_ttl_minutes,
        is_newer_load or is_new_day or is_ttl_elapsed as is_stale,
        case
            when is_newer_load then 'newer_load'
            when is_new_day then 'new_day'
            when is_ttl_elapsed then 'ttl_elapsed'
        end as stale_reason
    from flagged

)

select * from final
