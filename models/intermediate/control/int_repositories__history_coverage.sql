{#-
    How much of its entitled history each tracked repository has. The entitled window is
    the longest effective retention over the active workspaces tracking it; its first day
    is the as-of date minus that retention, plus one (int_workspace_repository_windows).
    control.repository_coverage says from when the raw history is complete (loads, backfills
    and the purge keep it); the first *whole* UTC day from that instant on is the first day
    the marts may show as complete. A repository never loaded, or whose data was purged
    after its grace period, has no complete history yet.
-#}
with

settings as (

    select * from {{ ref('int_workspace_repositories__settings') }}

),

coverage as (

    select * from {{ ref('stg_control__repository_coverage') }}

),

entitled as (

    select
        full_name,
        max(repository_id) as repository_id,
        max(retention_days) as retention_days
    from settings
    group by full_name

),

joined as (

    select
        entitled.full_name,
        entitled.repository_id,
        entitled.retention_days,
        cast({{ dbt.dateadd('day', '1 - entitled.retention_days', as_of_date()) }} as date)
            as window_start_date,
        {{ to_utc('coverage.history_complete_from') }} as history_complete_from,
        {{ to_utc('coverage.purged_at') }} as purged_at
    from entitled
    left join coverage
        on entitled.full_name = coverage.full_name

),

first_whole_day as (

    -- the first UTC day that starts at or after history_complete_from: the purge's cut-off
    -- is a midnight (that day is whole); a load's "now - N days" falls inside a day
    select
        *,
        case
            when cast(cast(history_complete_from as date) as timestamp) = history_complete_from
                then cast(history_complete_from as date)
            else cast({{ dbt.dateadd('day', 1, 'cast(history_complete_from as date)') }} as date)
        end as history_complete_from_date
    from joined

),

final as (

    select
        full_name,
        repository_id,
        retention_days,
        window_start_date,
        history_complete_from,
        history_complete_from_date,
        purged_at is not null and history_complete_from is null as is_reloading_after_purge,
        coalesce(history_complete_from_date <= window_start_date, false) as is_history_complete
    from first_whole_day

)

select * from final
